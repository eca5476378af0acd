// SPDX-License-Identifier: MIT
// The fused softmax cross-entropy's kernels (nn/functional/fused-cross-entropy.ts; the maths in
// assembly/xent.ts). A loss is [N, C] with C small (10 classes for MNIST), a few thousand values per
// step, so they run on the calling thread: waking a worker would cost more than the work.
import type { FusedKernels } from '../../backend/backend.js';
import { wbuf } from './buf.js';
import type { Ctx } from './context.js';
import type { Runtime } from './runtime.js';

/** Runs `f` with the targets copied into the wasm memory (an Int32Array lives outside it). */
function withTargets(rt: Runtime, targets: Int32Array, f: (ptr: number) => void): void {
  const block = rt.temp(Math.max(4, targets.length * 4));
  try {
    rt.i32.set(targets, block[0] >>> 2);
    f(block[0]);
  } finally {
    rt.heap.free(block[0], block[1]);
  }
}

/** The wasm backend's fused cross-entropy (float32). */
export function fusedCrossEntropyKernels(ctx: () => Ctx): FusedKernels {
  const dtypes = ['float32'] as const;
  return {
    crossEntropyForward: { dtypes, run(a): void {
      const rt = ctx().rt;
      const x = wbuf(a.input, rt).ptr, probs = a.probs ? wbuf(a.probs, rt).ptr : 0, loss = wbuf(a.loss, rt).ptr;
      withTargets(rt, a.targets, (t) => {
        const total = rt.x.xentForward(a.n, a.classes, x, t, a.ignoreIndex, probs);
        // all rows ignored: 0/0 = NaN, as PyTorch
        rt.f32[loss >>> 2] = a.mean ? total / a.count : total;
      });
    } },
    crossEntropyBackward: { dtypes, run(a): void {
      const rt = ctx().rt;
      const probs = wbuf(a.probs, rt).ptr, dx = wbuf(a.dInput, rt).ptr;
      const scale = rt.f32[wbuf(a.g, rt).ptr >>> 2] / a.divisor;
      withTargets(rt, a.targets, (t) => rt.x.xentBackward(a.n, a.classes, probs, t, a.ignoreIndex, scale, dx));
    } },
  };
}
