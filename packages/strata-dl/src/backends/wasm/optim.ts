// SPDX-License-Identifier: MIT
import type { Buf, FusedKernels } from '../../backend/backend.js';
import { wbuf } from './buf.js';
import type { Ctx } from './context.js';
import { OPTIM_FLAG as FLAG, OPTIM_KIND as KIND, TASK, writeAdam, writeSgd } from './generated/interface.js';

/** Elements per thread below which a step stays on the calling thread (memory-bound, like the elementwise ops). */
const PAR_MIN = 1 << 15;
/** A buffer's address (coefficients go to the descriptor as float32, rounded as the composed rules' scalars are). */
const ptr = (c: Ctx, b: Buf): number => wbuf(b, c.rt).ptr;

/** The wasm backend's fused optimizer steps (float32; other dtypes take the composed rules). */
export function fusedUpdates(ctx: () => Ctx): FusedKernels {
  const dtypes = ['float32'] as const;
  return {
    sgd: { dtypes, run(a): void {
      const flags = (a.first ? FLAG.FIRST : 0) | (a.buf ? FLAG.MOMENTUM : 0) | (a.weightDecay !== 0 ? FLAG.DECAY : 0) |
        (a.nesterov ? FLAG.NESTEROV : 0) | (a.maximize ? FLAG.MAXIMIZE : 0);
      const n = a.param.size;
      if (n === 0) return;
      const c = ctx();
      const rt = c.rt;
      writeSgd(rt.i32, rt.f32, rt.desc, {
        kind: KIND.SGD, n, flags, out: ptr(c, a.out), param: ptr(c, a.param), grad: ptr(c, a.grad), momentumBuf: a.buf ? ptr(c, a.buf) : 0,
        lr: a.lr, weightDecay: a.weightDecay, momentum: a.momentum, gradScale: a.gradScale,
      });
      rt.pool.run(TASK.OPTIM, rt.desc, rt.threadsFor(n, PAR_MIN));
    } },
    adam: { dtypes, run(a): void {
      const flags = (a.first ? FLAG.FIRST : 0) | (a.weightDecay !== 0 ? FLAG.DECAY : 0);
      const n = a.param.size;
      if (n === 0) return;
      const c = ctx();
      const rt = c.rt;
      writeAdam(rt.i32, rt.f32, rt.desc, {
        kind: KIND.ADAM, n, flags, out: ptr(c, a.out), param: ptr(c, a.param), grad: ptr(c, a.grad), expAvg: ptr(c, a.expAvg), expAvgSq: ptr(c, a.expAvgSq),
        beta1: a.beta1, oneMinusBeta1: a.oneMinusBeta1, beta2: a.beta2, oneMinusBeta2: a.oneMinusBeta2, weightDecay: a.weightDecay,
        decay: a.decay, sqrtBias2: a.sqrtBias2, eps: a.eps, stepSize: a.stepSize,
      });
      rt.pool.run(TASK.OPTIM, rt.desc, rt.threadsFor(n, PAR_MIN));
    } },
  };
}
