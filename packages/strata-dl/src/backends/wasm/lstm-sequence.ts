// SPDX-License-Identifier: MIT
// The wasm backend's LSTM sequence kernels (src/nn/recurrent/fused-sequence.ts, assembly/lstm-sequence.ts):
// W_hh packed once, then one CELL task per time step, forward or backward, and W_hh's gradient as
// one GEMM over all the steps.
import type { Buf, FusedKernelArgs, FusedKernels } from '../../backend/backend.js';
import { wbuf } from './buf.js';
import type { Ctx } from './context.js';
import { CELL_KIND, GEMM_MODE, TASK, writeLstmStep, writeLstmStepBackward, writePackB } from './generated/interface.js';
// a step's recurrent product splits and wakes workers by the GEMM's thresholds
import { GEMM_PAR_MIN, GEMM_WAKE_MIN, runGemm } from './matmul.js';
import type { Runtime } from './runtime.js';

/** Bytes of one thread's tile in the step tasks (TILE_BYTES in assembly/lstm-sequence.ts). */
const TILE_BYTES = 256;

/** Scratch of one sequence call: the packed weight, then the named regions (bytes each), 64-aligned. */
function scratch(rt: Runtime, sizes: readonly number[]): { at: number[]; free: () => void } {
  const at: number[] = [];
  let total = 0;
  for (const s of sizes) {
    at.push(total);
    total += Math.ceil(s / 64) * 64;
  }
  const [base, cls] = rt.temp(total + 64);
  const start = Math.ceil(base / 64) * 64;
  return { at: at.map((o) => start + o), free: () => rt.heap.free(base, cls) };
}

/** Packs B(p, j) = src[p·brs + j·bcs] (K x N) into 8-column panels at dst (one thread). */
function pack(rt: Runtime, src: number, K: number, N: number, brs: number, bcs: number, dst: number): void {
  writePackB(rt.i32, rt.desc, { kind: CELL_KIND.PACK_B, n: 0, hidden: 0, src, K, N, brs, bcs, dst });
  rt.pool.run(TASK.CELL, rt.desc, 1);
}

const packedBytes = (K: number, N: number): number => Math.ceil(N / 8) * K * 8 * 4;

/**
 * What both directions of the sweep start from: buffer addresses, the sizes (G = 4H gates; nh and
 * ng bytes of one step's h and gates), one step's recurrent FLOPs and the threads they get.
 */
function geometry(rt: Runtime, a: { steps: number; n: number; hidden: number; reverse: boolean }) {
  const { steps: T, n, hidden: H, reverse } = a;
  const G = 4 * H;
  const flops = 2 * n * G * H;
  return {
    p: (b: Buf): number => wbuf(b, rt).ptr, T, n, H, reverse, G, nh: n * H * 4, ng: n * G * 4, flops,
    threads: rt.threadsFor(flops, GEMM_PAR_MIN),
  };
}

function forward(ctx: Ctx, a: FusedKernelArgs['lstmSequenceForward']): void {
  const rt = ctx.rt;
  const { p, T, n, H, reverse, G, nh, ng, flops, threads } = geometry(rt, a);
  const s = scratch(rt, [packedBytes(H, G), ng, TILE_BYTES * threads, 2 * nh]);
  const [w, gates, tiles, cs] = s.at;
  try {
    pack(rt, p(a.weightHh), H, G, 1, H, w);
    const xg = p(a.xg), out = p(a.out), ws = a.workspace ? p(a.workspace) : 0;
    const cAll = a.cAll ? p(a.cAll) : 0;
    if (cAll) rt.x.copyBytes(cAll, p(a.c0), nh);
    const time = (step: number): number => (reverse ? T - 1 - step : step);
    for (let step = 0; step < T; step++) {
      const t = time(step);
      const c = cAll ? cAll + step * nh : step === 0 ? p(a.c0) : cs + (step & 1) * nh;
      const cNext = step === T - 1 ? p(a.cT) : cAll ? cAll + (step + 1) * nh : cs + ((step + 1) & 1) * nh;
      writeLstmStep(rt.i32, rt.desc, {
        kind: CELL_KIND.LSTM_STEP, n, hidden: H, xg: xg + t * ng, h: step === 0 ? p(a.h0) : out + time(step - 1) * nh, c, w,
        hOut: out + t * nh, cNext, workspace: ws ? ws + step * n * 5 * H * 4 : 0, gates, tiles,
      });
      rt.pool.run(TASK.CELL, rt.desc, threads, flops >= GEMM_WAKE_MIN);
    }
    rt.x.copyBytes(p(a.hT), out + time(T - 1) * nh, nh);
    if (a.hPrev) {
      // the h each time step read: h0 at the first step's time, the neighbouring step's output elsewhere
      const hPrev = p(a.hPrev);
      rt.x.copyBytes(hPrev + time(0) * nh, p(a.h0), nh);
      if (T > 1) {
        if (reverse) rt.x.copyBytes(hPrev, out + nh, (T - 1) * nh);
        else rt.x.copyBytes(hPrev + nh, out, (T - 1) * nh);
      }
    }
  } finally {
    s.free();
  }
}

function backward(ctx: Ctx, a: FusedKernelArgs['lstmSequenceBackward']): void {
  const rt = ctx.rt;
  const { p, T, n, H, reverse, G, nh, ng, flops, threads } = geometry(rt, a);
  const s = scratch(rt, [packedBytes(G, H), TILE_BYTES * threads, 2 * nh, 2 * nh, nh]);
  const [w, tiles, dhs, dcs, dcLast] = s.at;
  try {
    pack(rt, p(a.weightHh), G, H, H, 1, w);
    const ws = p(a.workspace), cAll = p(a.cAll), dxg = p(a.dxg);
    const gradOut = a.gradOut ? p(a.gradOut) : 0;
    for (let step = T - 1; step >= 0; step--) {
      const t = reverse ? T - 1 - step : step;
      const last = step === T - 1;
      writeLstmStepBackward(rt.i32, rt.desc, {
        kind: CELL_KIND.LSTM_STEP_BACKWARD, n, hidden: H, workspace: ws + step * n * 5 * H * 4, c: cAll + step * nh,
        gradH: gradOut ? gradOut + t * nh : 0,
        gradH2: last ? (a.gradH ? p(a.gradH) : 0) : dhs + ((step + 1) & 1) * nh,
        gradC: last ? (a.gradC ? p(a.gradC) : 0) : dcs + ((step + 1) & 1) * nh,
        w, dGates: dxg + t * ng,
        dc: step > 0 ? dcs + (step & 1) * nh : a.dc0 ? p(a.dc0) : dcLast,
        dh: step > 0 ? dhs + (step & 1) * nh : a.dh0 ? p(a.dh0) : 0,
        tiles,
      });
      rt.pool.run(TASK.CELL, rt.desc, threads, flops >= GEMM_WAKE_MIN);
    }
    // dW_hh = Σ_t dGates_tᵀ·h_{t-1}: one GEMM over all the steps' rows, A = dxgᵀ read in place
    if (a.dWh) runGemm(ctx, [0, 0], [1, G, H, T * n, 1, G, H, 1, dxg, p(a.hPrev), p(a.dWh)], { mode: GEMM_MODE.PLAIN });
  } finally {
    s.free();
  }
}

/** The wasm backend's LSTM sequence kernels (float32). */
export function lstmSequenceKernels(ctx: () => Ctx): FusedKernels {
  const dtypes = ['float32'] as const;
  return {
    lstmSequenceForward: { dtypes, run: (a) => forward(ctx(), a) },
    lstmSequenceBackward: { dtypes, run: (a) => backward(ctx(), a) },
  };
}
