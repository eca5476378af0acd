# SPDX-License-Identifier: MIT
"""PyTorch's side of bench/op-overhead.ts: OP1, OP2 and OP2d on 64 elements, one thread, the same
rounds, wall and CPU time per op (time.process_time: all threads). Usage: torch_op_overhead.py [rounds]"""
import statistics
import sys
import time

import torch

torch.set_num_threads(1)
rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 15


def op1():
    a, b = torch.rand(64), torch.rand(64)
    return lambda: torch.add(a, b)


def op2():
    w, b = torch.rand(64, requires_grad=True), torch.rand(64)

    def f():
        w.grad = None  # frees the old gradient at once (reference counting): OP2 and OP2d are one here
        (w * b).sum().backward()
    return f


for name, make, n in [("OP1", op1, 20000), ("OP2", op2, 4000)]:
    f = make()
    for _ in range(3 * n):
        f()
    wall, cpu = [], []
    for _ in range(rounds):
        c0, t0 = time.process_time(), time.perf_counter()
        for _ in range(n):
            f()
        wall.append((time.perf_counter() - t0) * 1e6 / n)
        cpu.append((time.process_time() - c0) * 1e6 / n)
    med = lambda xs: statistics.median_low(xs)
    print(f"{name:4} torch      µs/op  wall min {min(wall):.2f} median {med(wall):.2f}  cpu min {min(cpu):.2f} median {med(cpu):.2f}")
