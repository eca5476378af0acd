// SPDX-License-Identifier: MIT
// An LSTM layer's loop over time as one task per step (src/nn/recurrent/fused-sequence.ts). The
// recurrent weight is packed once per sequence into the GEMM's 8-column panels (PACK_B), so a step
// reads it packed instead of repacking it for every product; each step then needs nothing from the
// other rows of the batch:
//   forward  (LSTM_STEP):          gates = h·W_hhᵀ (on the packed weight), then the cell (cells.ts) on
//                                  xg + gates, for the thread's rows;
//   backward (LSTM_STEP_BACKWARD): the cell backward (dGates, dc), then dh = dGates·W_hh, for its rows.
// So a step is one task with no barrier inside: the threads take fixed panels of MR rows (a function
// of the batch alone), and every element is computed by the same micro-kernel arithmetic whatever
// thread computes it, so the results are the same bits on any thread count.
//
// Rows that do not fill an MR-row panel (the batch's last) go two at a time through a small kernel of
// the same arithmetic; a panel of fewer than 8 columns (N not a multiple of 8) goes through the
// thread's tile of MR x 8 at `tiles` + tid·TILE_BYTES. Descriptors: `packB`, `lstmStep`, `lstmStepBackward` in
// scripts/wasm-interface.mjs.
import { kernA, madd } from './generated/micro';
import { MR, transpose4 } from './matmul';
import { lstmBackwardCore, lstmForwardCore } from './cells';
import {
  CELL_KIND_LSTM_STEP, CELL_KIND_LSTM_STEP_BACKWARD, CELL_KIND_PACK_B,
  lstmStepBackward_c, lstmStepBackward_dc, lstmStepBackward_dGates, lstmStepBackward_dh, lstmStepBackward_gradC,
  lstmStepBackward_gradH, lstmStepBackward_gradH2, lstmStepBackward_hidden, lstmStepBackward_n, lstmStepBackward_tiles, lstmStepBackward_w,
  lstmStepBackward_workspace,
  lstmStep_c, lstmStep_cNext, lstmStep_gates, lstmStep_h, lstmStep_hidden, lstmStep_hOut, lstmStep_n, lstmStep_tiles, lstmStep_w,
  lstmStep_workspace, lstmStep_xg,
  packB_bcs, packB_brs, packB_dst, packB_K, packB_N, packB_src,
} from './generated/interface';

const NR: i32 = 8;
/** Bytes of one thread's tile (MR x 8 floats, rounded up). */
export const TILE_BYTES: i32 = 256;

/** Packs B(p, j) = src[p·brs + j·bcs], p < K, j < N, into ceil(N/8) panels of K x 8 floats (p-major), zero padded. */
function packWeight(d: usize): void {
  const K = packB_K(d), N = packB_N(d), brs = packB_brs(d), bcs = packB_bcs(d), src = packB_src(d);
  let dst = packB_dst(d);
  const rsB = <usize>brs << 2, csB = <usize>bcs << 2;
  for (let jp = 0; jp < N; jp += NR) {
    const nr = min(NR, N - jp);
    if (bcs == 1 && nr == NR) {
      let s = src + (<usize>jp << 2);
      for (let p = 0; p < K; p++) {
        v128.store(dst, v128.load(s));
        v128.store(dst, v128.load(s, 16), 16);
        s += rsB;
        dst += NR * 4;
      }
      continue;
    }
    if (brs == 1 && nr == NR) {
      // W_hhᵀ: each column's K values are contiguous; 4x4 transposes turn 8 columns x 4 k into 4 panel rows
      const c0 = src + <usize>jp * csB;
      const K4 = K & ~3;
      for (let p = 0; p < K4; p += 4) {
        const o = <usize>p << 2;
        transpose4(v128.load(c0 + o), v128.load(c0 + csB + o), v128.load(c0 + 2 * csB + o), v128.load(c0 + 3 * csB + o), dst);
        transpose4(v128.load(c0 + 4 * csB + o), v128.load(c0 + 5 * csB + o), v128.load(c0 + 6 * csB + o), v128.load(c0 + 7 * csB + o), dst + 16);
        dst += 4 * NR * 4;
      }
      for (let p = K4; p < K; p++) {
        for (let j = 0; j < NR; j++) store<f32>(dst + (<usize>j << 2), load<f32>(c0 + <usize>j * csB + (<usize>p << 2)));
        dst += NR * 4;
      }
      continue;
    }
    for (let p = 0; p < K; p++) {
      const s = src + <usize>p * rsB + <usize>jp * csB;
      for (let j = 0; j < NR; j++) store<f32>(dst + (<usize>j << 2), j < nr ? load<f32>(s + <usize>j * csB) : 0);
      dst += NR * 4;
    }
  }
}

/**
 * One or two rows of C (`two` false: row 0 only) times one packed 8-column panel: the batch's last
 * rows when they do not fill an MR-row panel (32 rows = 5·6 + 2), at a third of the cost of a
 * zero-padded MR-row micro-kernel call. Each element is the same sum as the micro-kernel's (from
 * zero, k in order, the same multiply-add).
 */
function kernRows(two: bool, K: i32, a: usize, lda: usize, b: usize, c: usize, ldc: usize, nr: i32, tile: usize): void {
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00;
  const a1 = two ? a + lda : a;
  for (let p = 0; p < K; p++) {
    const o = <usize>p << 2;
    const b0 = v128.load(b), b1 = v128.load(b, 16);
    const x0 = v128.load32_splat(a + o), x1 = v128.load32_splat(a1 + o);
    c00 = madd(x0, b0, c00); c01 = madd(x0, b1, c01);
    c10 = madd(x1, b0, c10); c11 = madd(x1, b1, c11);
    b += NR * 4;
  }
  const full = nr == NR;
  const d0 = full ? c : tile, d1 = full ? c + ldc : tile + NR * 4;
  v128.store(d0, c00); v128.store(d0, c01, 16);
  if (two) { v128.store(d1, c10); v128.store(d1, c11, 16); }
  if (full) return;
  memory.copy(c, tile, <usize>nr << 2);
  if (two) memory.copy(c + ldc, tile + NR * 4, <usize>nr << 2);
}

/**
 * Rows [r0, r1) of C [·, N] (row stride ldc floats) = A [·, K] (rows read in place, row stride lda
 * floats) times the packed B: panels of MR rows from r0 by the micro-kernel, then the rows left
 * over two at a time (kernRows); columns of fewer than 8 through `tile`.
 */
function productRows(r0: i32, r1: i32, K: i32, N: i32, a: usize, lda: i32, w: usize, c: usize, ldc: i32, tile: usize): void {
  const ldaB = <usize>lda << 2, ldcB = <usize>ldc << 2;
  const full = r0 + ((r1 - r0) / MR) * MR;
  const panelB = <usize>K * NR * 4;
  for (let jr = 0; jr < N; jr += NR) {
    const nr = min(NR, N - jr);
    const bp = w + <usize>(jr / NR) * panelB;
    for (let ir = r0; ir < full; ir += MR) {
      const ap = a + <usize>ir * ldaB;
      const cp = c + <usize>ir * ldcB + (<usize>jr << 2);
      if (nr == NR) {
        kernA(MR, K, ap, ldaB, bp, cp, ldcB, 0);
        continue;
      }
      kernA(MR, K, ap, ldaB, bp, tile, NR * 4, 0);
      for (let i = 0; i < MR; i++) memory.copy(cp + <usize>i * ldcB, tile + <usize>(i * NR * 4), <usize>nr << 2);
    }
    for (let ir = full; ir < r1; ir += 2) {
      kernRows(ir + 1 < r1, K, a + <usize>ir * ldaB, ldaB, bp, c + <usize>ir * ldcB + (<usize>jr << 2), ldcB, nr, tile);
    }
  }
}

/** Thread `tid` of `nt`'s rows: whole panels of MR rows, split by panel count (never by the thread count's rounding of rows). */
// @ts-ignore: decorator
@inline function rowsOf(n: i32, tid: i32, nt: i32): i64 {
  const panels = (n + MR - 1) / MR;
  const p0 = <i32>((<i64>panels * tid) / nt), p1 = <i32>((<i64>panels * (tid + 1)) / nt);
  return (<i64>(p0 * MR) << 32) | <i64>min(n, p1 * MR);
}

function stepForward(tid: i32, nt: i32, d: usize): void {
  const n = lstmStep_n(d), h = lstmStep_hidden(d);
  const span = rowsOf(n, tid, nt);
  const r0 = <i32>(span >> 32), r1 = <i32>span;
  if (r1 <= r0) return;
  const g = h << 2;
  const gates = lstmStep_gates(d);
  productRows(r0, r1, h, g, lstmStep_h(d), h, lstmStep_w(d), gates, g, lstmStep_tiles(d) + <usize>tid * TILE_BYTES);
  lstmForwardCore(h, lstmStep_xg(d), gates, lstmStep_c(d), lstmStep_hOut(d), lstmStep_cNext(d), lstmStep_workspace(d), r0, r1);
}

function stepBackward(tid: i32, nt: i32, d: usize): void {
  const n = lstmStepBackward_n(d), h = lstmStepBackward_hidden(d);
  const span = rowsOf(n, tid, nt);
  const r0 = <i32>(span >> 32), r1 = <i32>span;
  if (r1 <= r0) return;
  const g = h << 2;
  const dz = lstmStepBackward_dGates(d), dh = lstmStepBackward_dh(d);
  lstmBackwardCore(h, lstmStepBackward_workspace(d), lstmStepBackward_c(d), lstmStepBackward_gradH(d), lstmStepBackward_gradH2(d), lstmStepBackward_gradC(d),
    dz, lstmStepBackward_dc(d), r0, r1);
  if (dh) productRows(r0, r1, g, h, dz, g, lstmStepBackward_w(d), dh, h, lstmStepBackward_tiles(d) + <usize>tid * TILE_BYTES);
}

/** The CELL task's sequence kinds (cells.ts dispatches here); packing runs on one thread. */
export function sequenceTask(kind: i32, tid: i32, nt: i32, d: usize): void {
  if (kind == CELL_KIND_PACK_B) { if (tid == 0) packWeight(d); }
  else if (kind == CELL_KIND_LSTM_STEP) stepForward(tid, nt, d);
  else if (kind == CELL_KIND_LSTM_STEP_BACKWARD) stepBackward(tid, nt, d);
  else unreachable();
}
