// SPDX-License-Identifier: MIT
import type { Buf, FusedKernels } from '../../backend/backend.js';
import { wbuf } from './buf.js';
import type { Ctx } from './context.js';
import { TASK } from './runtime.js';

/** Elements per thread below which a step stays on the calling thread (memory-bound, like the elementwise ops). */
const PAR_MIN = 1 << 15;
const KIND = { SGD: 0, ADAM: 1 } as const;
const FLAG = { FIRST: 1, MOMENTUM: 2, DECAY: 4, NESTEROV: 8, MAXIMIZE: 16 } as const;

/**
 * Writes the descriptor of assembly/optim.ts (header, then float32 coefficients from slot 8,
 * rounded by the Float32Array store as the composed rules' scalars are) and runs the task.
 */
function run(ctx: Ctx, kind: number, flags: number, bufs: readonly (Buf | null)[], coefs: readonly number[], n: number): void {
  if (n === 0) return;
  const rt = ctx.rt;
  rt.setDesc(0, [kind, n, flags, ...bufs.map((b) => (b ? wbuf(b, rt).ptr : 0))]);
  rt.f32.set(coefs, (rt.desc >>> 2) + 8);
  rt.pool.run(TASK.OPTIM, rt.desc, rt.threadsFor(n, PAR_MIN));
}

/** The wasm backend's fused optimizer steps (float32; other dtypes take the composed rules). */
export function fusedUpdates(ctx: () => Ctx): FusedKernels {
  const dtypes = ['float32'] as const;
  return {
    sgd: { dtypes, run(a): void {
      const flags = (a.first ? FLAG.FIRST : 0) | (a.buf ? FLAG.MOMENTUM : 0) | (a.weightDecay !== 0 ? FLAG.DECAY : 0) |
        (a.nesterov ? FLAG.NESTEROV : 0) | (a.maximize ? FLAG.MAXIMIZE : 0);
      run(ctx(), KIND.SGD, flags, [a.out, a.param, a.grad, a.buf], [a.lr, a.weightDecay, a.momentum, a.gradScale], a.param.size);
    } },
    adam: { dtypes, run(a): void {
      const flags = (a.first ? FLAG.FIRST : 0) | (a.weightDecay !== 0 ? FLAG.DECAY : 0);
      const coefs = [a.beta1, a.oneMinusBeta1, a.beta2, a.oneMinusBeta2, a.weightDecay, a.decay, a.sqrtBias2, a.eps, a.stepSize];
      run(ctx(), KIND.ADAM, flags, [a.out, a.param, a.grad, a.expAvg, a.expAvgSq], coefs, a.param.size);
    } },
  };
}
