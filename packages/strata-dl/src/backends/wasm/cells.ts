// SPDX-License-Identifier: MIT
import type { Buf, FusedKernels } from '../../backend/backend.js';
import { wbuf } from './buf.js';
import type { Ctx } from './context.js';
import { CELL_KIND, TASK, writeGruBackward, writeGruForward, writeLstmBackward, writeLstmForward } from './generated/interface.js';
import type { Runtime } from './runtime.js';

/**
 * Elements (n·hidden) per thread below which a cell stays on the calling thread: an LSTM forward
 * element costs five exponentials, so this is lower than the elementwise ops' threshold.
 */
const PAR_MIN = 1 << 13;

/** Runs the CELL task whose descriptor `write` wrote (the threads share out the n rows). */
function run(ctx: Ctx, n: number, hidden: number, write: (rt: Runtime, p: (b: Buf | null) => number) => void): void {
  if (n === 0 || hidden === 0) return;
  const rt = ctx.rt;
  write(rt, (b) => (b ? wbuf(b, rt).ptr : 0));
  rt.pool.run(TASK.CELL, rt.desc, rt.threadsFor(n * hidden, PAR_MIN));
}

/** The wasm backend's fused LSTM and GRU cells (float32; float64 takes the composed gate equations). */
export function fusedCells(ctx: () => Ctx): FusedKernels {
  const dtypes = ['float32'] as const;
  return {
    lstmForward: { dtypes, run: (a) => run(ctx(), a.n, a.hidden, (rt, p) => writeLstmForward(rt.i32, rt.desc, {
      kind: CELL_KIND.LSTM_FORWARD, n: a.n, hidden: a.hidden, xg: p(a.xg), hg: p(a.hg), c: p(a.c), h: p(a.h), cNext: p(a.cNext), workspace: p(a.workspace),
    })) },
    lstmBackward: { dtypes, run: (a) => run(ctx(), a.n, a.hidden, (rt, p) => writeLstmBackward(rt.i32, rt.desc, {
      kind: CELL_KIND.LSTM_BACKWARD, n: a.n, hidden: a.hidden, workspace: p(a.workspace), c: p(a.c), gradH: p(a.gradH), gradC: p(a.gradC), dGates: p(a.dGates), dc: p(a.dc),
    })) },
    gruForward: { dtypes, run: (a) => run(ctx(), a.n, a.hidden, (rt, p) => writeGruForward(rt.i32, rt.desc, {
      kind: CELL_KIND.GRU_FORWARD, n: a.n, hidden: a.hidden, xg: p(a.xg), hg: p(a.hg), h: p(a.h), hNext: p(a.hNext), workspace: p(a.workspace),
    })) },
    gruBackward: { dtypes, run: (a) => run(ctx(), a.n, a.hidden, (rt, p) => writeGruBackward(rt.i32, rt.desc, {
      kind: CELL_KIND.GRU_BACKWARD, n: a.n, hidden: a.hidden, workspace: p(a.workspace), h: p(a.h), gradH: p(a.gradH), dXg: p(a.dXg), dHg: p(a.dHg), dh: p(a.dh),
    })) },
  };
}
