# SPDX-License-Identifier: MIT
"""The standard workloads (DESIGN.md section 5) on PyTorch's CPU backend, one JSON line per run.

Run by bench/peers/run.ts as `python3 torch_bench.py --workload W1 --seconds 6 --threads 2`, in a
fresh process per workload. The same definitions as Strata's: random inputs of MNIST's shapes,
float32, SGD momentum 0.9 lr 0.01, the zoo models' layers, W4 an nn.LSTM on one-hot inputs.

Fair configuration: torch.set_num_threads(threads). BLAS: Debian's torch calls the system
libblas.so.3; the OpenMP OpenBLAS build (libopenblas0-openmp) shares torch's OpenMP threads, while
the pthread build starts its own and the two fight (up to 8x slower on W1). run.ts puts the
openblas-openmp directory first on LD_LIBRARY_PATH where it exists; the loaded library is reported.
"""
import argparse
import json
import resource
import time

import torch
from torch import nn

p = argparse.ArgumentParser()
p.add_argument("--workload", required=True)
p.add_argument("--seconds", type=float, default=6)
p.add_argument("--warmup", type=float, default=3)  # seconds, as bench/warmup.ts's WARMUP_SECONDS
p.add_argument("--repeats", type=int, default=5)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--max-step-seconds", type=float, default=20)
args = p.parse_args()

torch.set_num_threads(args.threads)
torch.manual_seed(1)
UNITS = {"W1": "samples/s", "W2": "samples/s", "W3": "samples/s", "W3i": "samples/s", "W4": "tokens/s", "W5": "GFLOP/s", "OP1": "kop/s", "OP2": "kop/s"}


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))


def lenet5():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding="same"), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
    )


def cnn():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(9216, 128), nn.ReLU(), nn.Linear(128, 10),
    )


def train_step(model, batch):
    x = torch.rand(batch, 1, 28, 28)
    y = torch.randint(0, 10, (batch,))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()
        return batch

    return step


class CharLSTM(nn.Module):
    def __init__(self, vocab=28, hidden=128):
        super().__init__()
        self.lstm = nn.LSTM(vocab, hidden)
        self.head = nn.Linear(hidden, vocab)

    def forward(self, x):
        return self.head(self.lstm(x)[0])


def w4_step():
    vocab, seq, batch = 28, 16, 32
    model = CharLSTM()
    ids = torch.randint(0, vocab, (seq + 1, batch))
    x = nn.functional.one_hot(ids[:-1], vocab).float()
    y = ids[1:].reshape(-1)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss_fn(model(x).reshape(-1, vocab), y).backward()
        opt.step()
        return seq * batch

    return step


def setup(w):
    if w == "W1":
        return train_step(mlp(), 128)
    if w == "W2":
        return train_step(lenet5(), 64)
    if w == "W3":
        return train_step(cnn(), 128)
    if w == "W3i":
        model = cnn().eval()
        x = torch.rand(256, 1, 28, 28)

        def infer():
            with torch.inference_mode():
                model(x)
            return 256

        return infer
    if w == "W4":
        return w4_step()
    if w == "W5":
        a, b = torch.rand(1024, 1024), torch.rand(1024, 1024)

        def mm():
            torch.mm(a, b)
            return 2 * 1024 ** 3 / 1e9

        return mm
    if w == "OP1":
        a, b = torch.rand(64), torch.rand(64)

        def op1():
            torch.add(a, b)
            return 1e-3

        return op1
    if w == "OP2":
        w_, b = torch.rand(64, requires_grad=True), torch.rand(64)

        def op2():
            w_.grad = None
            (w_ * b).sum().backward()
            return 1e-3

        return op2
    raise ValueError(f"unknown workload {w}")


def measure(step):
    """The sorted rates of the timed repeats, a note or None, and the warm-up's rate (None where there was none)."""
    t0 = time.perf_counter()
    first_work = step()
    first = time.perf_counter() - t0
    if first > args.max_step_seconds:  # as bench/peers/common.ts's measure()
        if first > 150:
            return [first_work / first], f"one step took {first:.0f} s: the rate of that single step (no warm-up, not repeated)", None
        t1 = time.perf_counter()
        work = step()
        return [work / (time.perf_counter() - t1)], f"first step {first:.0f} s: the rate of one more step after it (not repeated)", None
    # warm-up (bench/warmup.ts): at least one more step and --warmup seconds; its rate is reported
    warm_work, warm_start = 0.0, time.perf_counter()
    while True:
        warm_work += step()
        if time.perf_counter() >= warm_start + args.warmup:
            break
    warmup_rate = warm_work / (time.perf_counter() - warm_start)
    rates = []
    for _ in range(max(3, args.repeats)):
        end = time.perf_counter() + args.seconds / max(3, args.repeats)
        work, start = 0.0, time.perf_counter()
        while True:
            work += step()
            if time.perf_counter() >= end:
                break
        rates.append(work / (time.perf_counter() - start))
    return sorted(rates), None, warmup_rate


def loaded_blas():
    with open("/proc/self/maps") as f:
        libs = {line.split()[-1] for line in f if "blas" in line.lower() and line.split()[-1].startswith("/")}
    return ", ".join(sorted(libs)) or "none found"


def rnd(x):
    return round(x) if x >= 100 else round(x, 2)


result = {"system": "pytorch", "workload": args.workload, "unit": UNITS.get(args.workload, "?")}
try:
    rates, note, warmup_rate = measure(setup(args.workload))
    blas = loaded_blas()
    notes = [f"torch {torch.__version__}, {torch.get_num_threads()} threads, BLAS {blas}"] + ([note] if note else [])
    result.update(
        backend="cpu", threads=torch.get_num_threads(), median=rnd(rates[len(rates) // 2]), min=rnd(rates[0]), max=rnd(rates[-1]),
        repeats=len(rates), **({"warmupRate": rnd(warmup_rate)} if warmup_rate is not None else {}), peakRssMiB=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024), note="; ".join(notes),
    )
except Exception as e:  # reported as a result, never a crash
    result.update(backend="-", threads=args.threads, median=0, min=0, max=0, repeats=0,
                  peakRssMiB=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024), error=str(e).split("\n")[0][:300])
print(json.dumps(result), flush=True)
