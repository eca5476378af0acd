// SPDX-License-Identifier: MIT
import type { Buf, FusedKernelArgs, FusedKernels } from '../../backend/backend.js';
import { wbuf } from './buf.js';
import type { Ctx } from './context.js';
import type { Runtime } from './runtime.js';
import { OPTIM_FLAG as FLAG, OPTIM_KIND as KIND, OPTIM_LIST as LIST, TASK, writeAdam, writeOptimList, writeSgd } from './generated/interface.js';

/** Elements per thread below which a step stays on the calling thread (memory-bound, like the elementwise ops). */
const PAR_MIN = 1 << 15;
/** Elements below which a step does not wake a sleeping worker (as the elementwise ops' WAKE_MIN). */
const WAKE_MIN = 1 << 19;
/** Descriptor slot where the list goes when it fits (else a temporary block). */
const LIST_AT = 8;
const DESC_ROOM = 512 - LIST_AT;
/** A buffer's address (coefficients go to the descriptor as float32, rounded as the composed rules' scalars are). */
const ptr = (c: Ctx, b: Buf): number => wbuf(b, c.rt).ptr;

type SgdArgs = FusedKernelArgs['sgd'][number];
type AdamArgs = FusedKernelArgs['adam'][number];

/**
 * The wasm backend's fused optimizer steps (float32; other dtypes take the composed rules): one task
 * per call, whatever the number of parameters, each parameter a record of the OPTIM task's list.
 */
export function fusedUpdates(ctx: () => Ctx): FusedKernels {
  const dtypes = ['float32'] as const;
  return {
    sgd: { dtypes, run(list): void {
      const c = ctx();
      runList(c.rt, list.filter((a) => a.param.size > 0), (rt, at, a) => {
        const flags = (a.first ? FLAG.FIRST : 0) | (a.buf ? FLAG.MOMENTUM : 0) | (a.weightDecay !== 0 ? FLAG.DECAY : 0) |
          (a.nesterov ? FLAG.NESTEROV : 0) | (a.maximize ? FLAG.MAXIMIZE : 0);
        writeSgd(rt.i32, rt.f32, at, {
          kind: KIND.SGD, n: a.param.size, flags, out: ptr(c, a.out), param: ptr(c, a.param), grad: ptr(c, a.grad), momentumBuf: a.buf ? ptr(c, a.buf) : 0,
          lr: a.lr, weightDecay: a.weightDecay, momentum: a.momentum, gradScale: a.gradScale,
        });
      });
    } },
    adam: { dtypes, run(list): void {
      const c = ctx();
      runList(c.rt, list.filter((a) => a.param.size > 0), (rt, at, a: AdamArgs) => {
        writeAdam(rt.i32, rt.f32, at, {
          kind: KIND.ADAM, n: a.param.size, flags: (a.first ? FLAG.FIRST : 0) | (a.weightDecay !== 0 ? FLAG.DECAY : 0),
          out: ptr(c, a.out), param: ptr(c, a.param), grad: ptr(c, a.grad), expAvg: ptr(c, a.expAvg), expAvgSq: ptr(c, a.expAvgSq),
          beta1: a.beta1, oneMinusBeta1: a.oneMinusBeta1, beta2: a.beta2, oneMinusBeta2: a.oneMinusBeta2, weightDecay: a.weightDecay,
          decay: a.decay, sqrtBias2: a.sqrtBias2, eps: a.eps, stepSize: a.stepSize,
        });
      });
    } },
  };
}

/**
 * Writes the OPTIM task's list (each parameter's record by `write`, then the chunk starts) into the
 * descriptor area, or a temporary block when it does not fit, and runs it once. Threads by the total
 * element count: a step's parameters together, not each one alone, decide whether a second thread
 * pays.
 */
function runList<A extends SgdArgs | AdamArgs>(rt: Runtime, list: readonly A[], write: (rt: Runtime, at: number, a: A) => void): void {
  const count = list.length;
  if (count === 0) return;
  const slots = count * LIST.ITEM_SLOTS + count + 1;
  const temp = slots > DESC_ROOM ? rt.temp(slots * 4) : null;
  const items = temp ? temp[0] : rt.desc + LIST_AT * 4;
  const starts = items + count * LIST.ITEM_SLOTS * 4;
  try {
    let chunks = 0, n = 0;
    const i32 = rt.i32;
    for (let k = 0; k < count; k++) {
      const a = list[k];
      write(rt, items + k * LIST.ITEM_SLOTS * 4, a);
      i32[(starts >>> 2) + k] = chunks;
      chunks += Math.ceil(a.param.size / LIST.CHUNK);
      n += a.param.size;
    }
    i32[(starts >>> 2) + count] = chunks;
    writeOptimList(rt.i32, rt.desc, { count, items, starts, counter: 0 });
    rt.pool.run(TASK.OPTIM, rt.desc, Math.min(chunks, rt.threadsFor(n, PAR_MIN)), n >= WAKE_MIN);
  } finally {
    if (temp) rt.heap.free(temp[0], temp[1]);
  }
}
