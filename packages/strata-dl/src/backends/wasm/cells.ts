// SPDX-License-Identifier: MIT
import type { Buf, FusedKernels } from '../../backend/backend.js';
import { wbuf } from './buf.js';
import type { Ctx } from './context.js';
import { TASK } from './runtime.js';

/**
 * Elements (n·hidden) per thread below which a cell stays on the calling thread: an LSTM forward
 * element costs five exponentials, so this is lower than the elementwise ops' threshold.
 */
const PAR_MIN = 1 << 13;

/** Writes the descriptor of assembly/cells.ts (kind, n, hidden, then the buffers) and runs the task. */
function run(ctx: Ctx, kind: number, n: number, hidden: number, bufs: readonly (Buf | null)[]): void {
  if (n === 0 || hidden === 0) return;
  const rt = ctx.rt;
  rt.setDesc(0, [kind, n, hidden, ...bufs.map((b) => (b ? wbuf(b, rt).ptr : 0))]);
  rt.pool.run(TASK.CELL, rt.desc, rt.threadsFor(n * hidden, PAR_MIN));
}

/** The wasm backend's fused LSTM and GRU cells (float32; float64 takes the composed gate equations). */
export function fusedCells(ctx: () => Ctx): FusedKernels {
  const dtypes = ['float32'] as const;
  return {
    lstmForward: { dtypes, run: (a) => run(ctx(), 0, a.n, a.hidden, [a.xg, a.hg, a.c, a.h, a.cNext, a.workspace]) },
    lstmBackward: { dtypes, run: (a) => run(ctx(), 1, a.n, a.hidden, [a.workspace, a.c, a.gradH, a.gradC, a.dGates, a.dc]) },
    gruForward: { dtypes, run: (a) => run(ctx(), 2, a.n, a.hidden, [a.xg, a.hg, a.h, a.hNext, a.workspace]) },
    gruBackward: { dtypes, run: (a) => run(ctx(), 3, a.n, a.hidden, [a.workspace, a.h, a.gradH, a.dXg, a.dHg, a.dh]) },
  };
}
