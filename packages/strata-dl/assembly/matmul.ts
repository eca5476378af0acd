// SPDX-License-Identifier: MIT
// Packed, cache-blocked SGEMM for WebAssembly SIMD128 (Goto/BLIS structure), from the GEMM probe.
//
//   C[M x N] = op(A)[M x K] . op(B)[K x N]
//
// Operands are addressed through element strides, A(i, p) = A[i*ars + p*acs] and
// B(p, j) = B[p*brs + j*bcs], so transposed operands are read in place by the packing routines and
// backward passes need no copies. C is row-major with row stride ldc. B is packed into KC x 8
// column panels, A into MR x KC row panels, and an MR x 8 micro-kernel keeps the C tile in
// registers: 6x8 with relaxed-SIMD FMA, 5x8 with plain mul+add (the largest tiles that V8's 15
// vector registers hold without spills, as measured in the probe).
import { kern, kernA, kernB } from './generated/micro';
import { GEMM_MODE_CONV, GEMM_MODE_CONV_SUM, GEMM_MODE_PLAIN, gemm_packed_at, gemm_packedA, GEMM_SPLIT_FINE_MAX, GEMM_MODE_FOLD, GEMM_MODE_SUM, gemmFold_channels, gemmFold_dh, gemmFold_dw, gemmFold_H, gemmFold_kh, gemmFold_kw, gemmFold_mask, gemmFold_OH, gemmFold_out, gemmFold_OW, gemmFold_padLeft, gemmFold_padTop, gemmFold_sh, gemmFold_sw, gemmFold_W, gemmConvSum_chunks, gemmConvSum_parts, gemm_A, gemm_acs, gemm_ars, gemm_B, gemm_batch, gemm_bcs, gemm_bias, gemm_block, gemm_colBias, gemm_brs, gemm_C, gemm_counter_at, gemm_K, gemm_M, gemm_mode, gemm_N, gemm_relu, gemm_table, gemm_ws, gemm_wsPerThread, gemmSum_chunks, gemmSum_parts } from './generated/interface';
import { CONV_K_MAX, convActive, convColumn, convOff, epilogueOf, packBConv, setupConv } from './conv';
import { foldPlanes } from './window';
import { wgradInPlace, wgradInPlaceFits, wgradInPlaceReady } from './wgrad-inplace';
import { itemPiece, itemUnit, tailItems } from './items';
import { bin_reluGrad } from './generated/eltwise';

export { CONV_K_MAX } from './conv';

const NR: i32 = 8;
export const MR: i32 = ASC_FEATURE_RELAXED_SIMD ? 6 : 5;
const KC: i32 = 384; // max k-block; K is split into equal blocks <= KC
const MC: i32 = 120; // the most rows of A in one block (blocks are balanced: mStep)
const NC: i32 = 2048;
const PACK_A_MAX_N: i32 = 256;
const JIT_MIN_K: i32 = 64; // convolutions with windows of at least this many values pack B panel by panel // read A in place (no packing) when N is at most this
export const INPLACE_B_MAX_M: i32 = 24; // read full 8-column panels of B in place when M is at most this
// A batch that shares one A (a conv's weights against every image's columns) packs it once per
// thread, into a region of this many floats, instead of once per matrix of the batch.
const SHARED_A_MAX: i32 = 96 * 1024;

// One thread's workspace, in bytes from its start: packed A, packed B, an edge tile, a shared packed
// A, the convolution's per-k tables (channel offset, row offset, column offset).
const WS_B: i32 = MC * KC * 4;
const WS_TILE: i32 = WS_B + NC * KC * 4;
const WS_SHARED_A: i32 = WS_TILE + 8 * NR * 4 + 64;
const WS_CONV: i32 = WS_SHARED_A + SHARED_A_MAX * 4;

/** Bytes of workspace one thread needs. */
export function gemmWorkspaceBytes(): i32 {
  return WS_CONV + CONV_K_MAX * 3 * 4;
}


/** Bytes at the start of a thread's workspace that hold packed A (MC·KC floats). */
// @ts-ignore: decorator
@inline export function packedARegionBytes(): i32 { return WS_B; }
/** Bytes of a thread's workspace that hold packed B panels (NC·KC floats). */
// @ts-ignore: decorator
@inline export function packedBRegionBytes(): i32 { return NC * KC * 4; }
/** Where a thread's workspace `ws` keeps packed B panels (NC·KC floats), and gemmCore's edge tile (8·NR floats). */
// @ts-ignore: decorator
@inline export function packedBRegion(ws: usize): usize { return ws + <usize>WS_B; }
// @ts-ignore: decorator
@inline export function edgeTileRegion(ws: usize): usize { return ws + <usize>WS_TILE; }

/** The balanced k-block size: K = 400 gives two blocks of 200 rather than 384 + 16. */
// @ts-ignore: decorator
@inline export function kStep(K: i32): i32 {
  const kBlocks = (K + KC - 1) / KC;
  return (K + kBlocks - 1) / kBlocks;
}

/** The balanced m-block size, as kStep: M = 128 gives two blocks of 64 rather than 120 + 8. */
// @ts-ignore: decorator
@inline function mStep(M: i32): i32 {
  const mBlocks = (M + MC - 1) / MC;
  return (M + mBlocks - 1) / mBlocks;
}

/**
 * How many tiles of MR - 1 rows end a block of mc rows, the others having MR: mc = a·MR + b·(MR - 1)
 * with b < MR has a solution for every mc of at least (MR - 1)·(MR - 1) (20 rows with FMA), and
 * both tile heights run at the full rate (in the probe 5x8 ran at 98% of 6x8's rate, 4x8 at 78%),
 * where a zero-padded ragged tile spends a whole MR-row tile's time on a few rows (M = 128 cost 6%
 * more per FLOP than M = 126). -1: mc is too short for that, and its last tile is a ragged one.
 */
// @ts-ignore: decorator
@inline function shortTiles(mc: i32): i32 {
  const b = (MR - mc % MR) % MR;
  return mc >= b * (MR - 1) ? b : -1;
}

/** The rows of the tile at row ir of an mc-row block that ends in `short` (shortTiles) tiles of MR - 1 rows. */
// @ts-ignore: decorator
@inline function tileRows(mc: i32, ir: i32, short: i32): i32 {
  return short > 0 && ir >= mc - short * (MR - 1) ? MR - 1 : min(MR, mc - ir);
}

/** Rows of the packed panel (and micro-kernel) of a tile of `rows` rows: its own, or MR for a ragged tile (zero padded). */
// @ts-ignore: decorator
@inline function panelRows(rows: i32): i32 {
  return rows >= MR - 1 ? rows : MR;
}

/** Rows of a packed block of mc rows: mc, or whole MR-row panels where its last tile is ragged. */
// @ts-ignore: decorator
@inline function paddedRows(mc: i32): i32 {
  return shortTiles(mc) < 0 ? ((mc + MR - 1) / MR) * MR : mc;
}

/** An upper bound on the floats of all of A as packAllA lays it out (only a ragged last tile adds rows). */
// @ts-ignore: decorator
@inline export function packedASize(M: i32, K: i32): i64 {
  return <i64>((M + MR - 1) / MR) * MR * K;
}

/** How many (k-block, m-block) blocks packAllA packs for an M x K A. */
// @ts-ignore: decorator
@inline function packBlocks(M: i32, K: i32): i32 {
  const kc = kStep(K), ms = mStep(M);
  return ((K + kc - 1) / kc) * ((M + ms - 1) / ms);
}

/**
 * Packs block `it` of packAllA's (pc, ic) order at its place in dst, alone: the threads that share
 * one packed A pack its blocks in any order and on any thread, to the same bytes. Blocks before
 * (pc, ic) take pc·(all m-blocks' rows) + kc·(the earlier m-blocks' rows) floats; every m-block
 * but the last has ms rows.
 */
function packABlock(M: i32, K: i32, A: usize, ars: i32, acs: i32, dst: usize, it: i32): void {
  const kc = kStep(K), ms = mStep(M);
  const mBlocks = (M + ms - 1) / ms;
  const pc = (it / mBlocks) * kc, ib = it % mBlocks;
  const ic = ib * ms;
  const kcb = min(kc, K - pc), mc = min(ms, M - ic);
  const allRows = (mBlocks - 1) * paddedRows(ms) + paddedRows(M - (mBlocks - 1) * ms);
  const at = <usize>pc * <usize>allRows + <usize>(kcb * ib * paddedRows(ms));
  packA(mc, kcb, A + <usize>ic * (<usize>ars << 2) + <usize>pc * (<usize>acs << 2), ars, acs, dst + (at << 2));
}

/** Packs all of A, block after block in gemmCore's (pc, ic) order, at dst. */
function packAllA(M: i32, K: i32, A: usize, ars: i32, acs: i32, dst: usize): void {
  const kc = kStep(K), ms = mStep(M);
  for (let pc = 0; pc < K; pc += kc) {
    const kcb = min(kc, K - pc);
    for (let ic = 0; ic < M; ic += ms) {
      const mc = min(ms, M - ic);
      packA(mc, kcb, A + <usize>ic * (<usize>ars << 2) + <usize>pc * (<usize>acs << 2), ars, acs, dst);
      dst += <usize>(paddedRows(mc) * kcb * 4);
    }
  }
}

/**
 * Transposes the 4x4 block whose rows are x0..x3 and stores its rows at d, d + stride,
 * d + 2 stride, d + 3 stride (32 bytes: four consecutive rows of an 8-wide B panel; 4 mr bytes:
 * four consecutive k of an A panel).
 */
// @ts-ignore: decorator
@inline export function transpose4(x0: v128, x1: v128, x2: v128, x3: v128, d: usize, stride: usize = 32): void {
  const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7);
  const t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
  v128.store(d, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
  v128.store(d + stride, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
  v128.store(d + 2 * stride, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5));
  v128.store(d + 3 * stride, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7));
}

/** Packs B(p, j) for p < kc, j < nc into ceil(nc/8) panels of kc x 8, zero padded. */
export function packB(kc: i32, nc: i32, b: usize, brs: i32, bcs: i32, dst: usize): void {
  const rsB = <usize>brs << 2, csB = <usize>bcs << 2;
  let jp = 0;
  if (bcs == 1) {
    for (; jp + NR <= nc; jp += NR) {
      let src = b + (<usize>jp << 2);
      for (let p = 0; p < kc; p++) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        src += rsB;
        dst += NR * 4;
      }
    }
  } else if (brs == 1) {
    // transposed B: each column's k values are contiguous; 4x4 in-register transposes turn
    // 8 columns x 4 k into 4 rows of the panel
    const kc4 = kc & ~3;
    for (; jp + NR <= nc; jp += NR) {
      const c0 = b + <usize>jp * csB;
      const c1 = c0 + csB, c2 = c1 + csB, c3 = c2 + csB, c4 = c3 + csB, c5 = c4 + csB, c6 = c5 + csB, c7 = c6 + csB;
      let d = dst;
      for (let p = 0; p < kc4; p += 4) {
        const o = <usize>p << 2;
        transpose4(v128.load(c0 + o), v128.load(c1 + o), v128.load(c2 + o), v128.load(c3 + o), d);
        transpose4(v128.load(c4 + o), v128.load(c5 + o), v128.load(c6 + o), v128.load(c7 + o), d + 16);
        d += 4 * NR * 4;
      }
      for (let p = kc4; p < kc; p++) {
        const o = <usize>p << 2;
        store<f32>(d, load<f32>(c0 + o)); store<f32>(d, load<f32>(c1 + o), 4);
        store<f32>(d, load<f32>(c2 + o), 8); store<f32>(d, load<f32>(c3 + o), 12);
        store<f32>(d, load<f32>(c4 + o), 16); store<f32>(d, load<f32>(c5 + o), 20);
        store<f32>(d, load<f32>(c6 + o), 24); store<f32>(d, load<f32>(c7 + o), 28);
        d += NR * 4;
      }
      dst += <usize>(kc * NR * 4);
    }
  }
  for (; jp < nc; jp += NR) {
    const nr = min(NR, nc - jp);
    for (let j = 0; j < NR; j++) {
      let d = dst + (<usize>j << 2);
      if (j < nr) {
        let src = b + <usize>(jp + j) * csB;
        for (let p = 0; p < kc; p++) { store<f32>(d, load<f32>(src)); src += rsB; d += NR * 4; }
      } else {
        for (let p = 0; p < kc; p++) { store<f32>(d, 0); d += NR * 4; }
      }
    }
    dst += <usize>(kc * NR * 4);
  }
}

/**
 * Packs A(i, p) for i < mc, p < kc into panels of mr x kc (p-major), one per tile of tileRows (mr
 * is MR or MR - 1), a ragged last one zero padded to MR rows.
 */
function packA(mc: i32, kc: i32, a: usize, ars: i32, acs: i32, dst: usize): void {
  const rsB = <usize>ars << 2, csB = <usize>acs << 2;
  const short = shortTiles(mc);
  for (let ip = 0; ip < mc;) {
    const rows = tileRows(mc, ip, short);
    const mr = panelRows(rows);
    const mrB = <usize>mr << 2;
    const base = a + <usize>ip * rsB;
    ip += rows;
    if (ars == 1 && rows == mr) {
      // transposed A, full panel: the mr values of one k are contiguous, one vector and a tail
      let src = base, d = dst;
      for (let p = 0; p < kc; p++) {
        v128.store(d, v128.load(src));
        if (mr == 6) store<u64>(d, load<u64>(src, 16), 16);
        else if (mr == 5) store<f32>(d, load<f32>(src, 16), 16);
        src += csB;
        d += mrB;
      }
    } else if (ars == 1) {
      // transposed A, ragged last panel: zero rows past the end
      let src = base, d = dst;
      for (let p = 0; p < kc; p++) {
        for (let i = 0; i < mr; i++) store<f32>(d + (<usize>i << 2), i < rows ? load<f32>(src + (<usize>i << 2)) : 0);
        src += csB;
        d += mrB;
      }
    } else if (acs == 1 && rows == mr) {
      // row-major A, full panel: 4 k at a time, rows 0-3 through a 4x4 transpose and rows 4
      // (and 5) lane by lane, instead of one load and one store per float
      const r0 = base, r1 = r0 + rsB, r2 = r1 + rsB, r3 = r2 + rsB, r4 = r3 + rsB, r5 = r4 + rsB;
      const kc4 = kc & ~3;
      let d = dst;
      for (let p = 0; p < kc4; p += 4) {
        const o = <usize>p << 2;
        transpose4(v128.load(r0 + o), v128.load(r1 + o), v128.load(r2 + o), v128.load(r3 + o), d, mrB);
        if (mr == 6) {
          const x4 = v128.load(r4 + o), x5 = v128.load(r5 + o);
          const lo = v128.shuffle<f32>(x4, x5, 0, 4, 1, 5), hi = v128.shuffle<f32>(x4, x5, 2, 6, 3, 7);
          store<u64>(d, i64x2.extract_lane(lo, 0), 16);
          store<u64>(d + mrB, i64x2.extract_lane(lo, 1), 16);
          store<u64>(d + 2 * mrB, i64x2.extract_lane(hi, 0), 16);
          store<u64>(d + 3 * mrB, i64x2.extract_lane(hi, 1), 16);
        } else if (mr == 5) {
          const x4 = v128.load(r4 + o);
          store<f32>(d, f32x4.extract_lane(x4, 0), 16);
          store<f32>(d + mrB, f32x4.extract_lane(x4, 1), 16);
          store<f32>(d + 2 * mrB, f32x4.extract_lane(x4, 2), 16);
          store<f32>(d + 3 * mrB, f32x4.extract_lane(x4, 3), 16);
        }
        d += 4 * mrB;
      }
      for (let p = kc4; p < kc; p++) {
        const o = <usize>p << 2;
        for (let i = 0; i < mr; i++) store<f32>(d + (<usize>i << 2), load<f32>(base + <usize>i * rsB + o));
        d += mrB;
      }
    } else {
      for (let i = 0; i < mr; i++) {
        let d = dst + (<usize>i << 2);
        if (i < rows) {
          let src = base + <usize>i * rsB;
          for (let p = 0; p < kc; p++) { store<f32>(d, load<f32>(src)); src += csB; d += mrB; }
        } else {
          for (let p = 0; p < kc; p++) { store<f32>(d, 0); d += mrB; }
        }
      }
    }
    dst += <usize>(kc * mr * 4);
  }
}

// @ts-ignore: decorator
@inline function flushTile(rows: i32, nr: i32, tile: usize, cp: usize, ldcB: usize, acc: i32): void {
  for (let i = 0; i < rows; i++) {
    const crow = cp + <usize>i * ldcB;
    const trow = tile + <usize>(i * NR * 4);
    for (let j = 0; j < nr; j++) {
      const t = load<f32>(trow + (<usize>j << 2));
      store<f32>(crow + (<usize>j << 2), acc ? load<f32>(crow + (<usize>j << 2)) + t : t);
    }
  }
}

/** C = op(A) . op(B); ws: gemmWorkspaceBytes() bytes private to the calling thread, 16-aligned. */
export function sgemm(M: i32, N: i32, K: i32, A: usize, ars: i32, acs: i32, B: usize, brs: i32, bcs: i32, C: usize, ldc: i32, ws: usize): void {
  convOff();
  gemmCore(M, N, K, A, ars, acs, B, brs, bcs, C, ldc, ws, 0, 0);
}

/** sgemm, with all of A already packed at `aPre` by packAllA (0: pack A here); beta 1 adds to C. */
function gemmCore(M: i32, N: i32, K: i32, A: usize, ars: i32, acs: i32, B: usize, brs: i32, bcs: i32, C: usize, ldc: i32, ws: usize, aPre: usize, beta: i32): void {
  if (M <= 0 || N <= 0) return;
  const ldcB = <usize>ldc << 2;
  if (K <= 0) {
    if (beta) return;
    for (let i = 0; i < M; i++) memory.fill(C + <usize>i * ldcB, 0, <usize>N << 2);
    return;
  }
  const mr = MR;
  const pB = ws + <usize>WS_B;
  const tile = ws + <usize>WS_TILE;
  const arsB = <usize>ars << 2, acsB = <usize>acs << 2;
  const inB = !convActive() && bcs == 1 && M <= INPLACE_B_MAX_M;
  const noPackA = !inB && aPre == 0 && acs == 1 && N <= PACK_A_MAX_N;
  const brsB = <usize>brs << 2;
  const kcStep = kStep(K), ms = mStep(M);
  // An image's columns with one block of rows (a conv's filters, M <= MC): each B panel is packed
  // from the image just before the row tiles use it, while it is in L1, rather than all of the
  // image's panels first (W3's second layer: 663 KB of them per image, written out to L2/L3 and
  // read back). Not for short windows (K < JIT_MIN_K), where the per-panel calls cost more.
  const jit = convActive() && !noPackA && M <= MC && K >= JIT_MIN_K;
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    let aNext = aPre;
    for (let pc = 0; pc < K; pc += kcStep) {
      const kc = min(kcStep, K - pc);
      const bBlk = B + <usize>pc * brsB + <usize>jc * (<usize>bcs << 2);
      const nFull = inB ? nc & ~(NR - 1) : 0;
      // in place: only a ragged last panel is packed (at pB, as panel 0)
      if (inB) { if (nFull < nc) packB(kc, nc - nFull, bBlk + (<usize>nFull << 2), brs, bcs, pB); }
      else if (convActive()) { if (!jit) packBConv(kc, nc, pc, jc, B, pB); }
      else packB(kc, nc, bBlk, brs, bcs, pB);
      const acc = pc > 0 || beta ? 1 : 0;
      for (let ic = 0; ic < M; ic += ms) {
        const mc = min(ms, M - ic);
        const aBlk = A + <usize>ic * arsB + <usize>pc * acsB;
        // tiles of MR rows, then `short` of MR - 1 (a tile of either height is `whole`); or, where
        // mc is too short for that (short < 0), MR-row tiles and a ragged last one, zero padded
        const short = shortTiles(mc);
        if (noPackA) {
          // whole tiles straight from A; only a ragged last tile is packed
          const mFull = short < 0 ? (mc / mr) * mr : mc;
          if (mFull < mc) packA(mc - mFull, kc, aBlk + <usize>mFull * arsB, ars, acs, ws);
          for (let jr = 0; jr < nc; jr += NR) {
            const nr = min(NR, nc - jr);
            const bp = pB + <usize>(jr * kc * 4);
            for (let ir = 0; ir < mc;) {
              const rows = tileRows(mc, ir, short);
              const cp = C + <usize>(ic + ir) * ldcB + (<usize>(jc + jr) << 2);
              if (ir < mFull && nr == NR) {
                kernA(rows, kc, aBlk + <usize>ir * arsB, arsB, bp, cp, ldcB, acc);
              } else {
                if (ir < mFull) kernA(rows, kc, aBlk + <usize>ir * arsB, arsB, bp, tile, NR * 4, 0);
                else kern(mr, kc, ws, bp, tile, NR * 4, 0);
                flushTile(rows, nr, tile, cp, ldcB, acc);
              }
              ir += rows;
            }
          }
          continue;
        }
        let pA = ws;
        if (aPre != 0) {
          pA = aNext;
          aNext += <usize>(paddedRows(mc) * kc * 4);
        } else {
          packA(mc, kc, aBlk, ars, acs, pA);
        }
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          if (jr < nFull) {
            const bp = bBlk + (<usize>jr << 2);
            for (let ir = 0; ir < mc;) {
              const rows = tileRows(mc, ir, short);
              const whole = panelRows(rows);
              const ap = pA + <usize>(ir * kc * 4);
              const cp = C + <usize>(ic + ir) * ldcB + (<usize>(jc + jr) << 2);
              if (rows == whole) {
                kernB(whole, kc, ap, bp, brsB, cp, ldcB, acc);
              } else {
                kernB(whole, kc, ap, bp, brsB, tile, NR * 4, 0);
                flushTile(rows, nr, tile, cp, ldcB, acc);
              }
              ir += rows;
            }
            continue;
          }
          const bp = jit ? pB : pB + <usize>((jr - nFull) * kc * 4);
          if (jit) packBConv(kc, nr, pc, jc + jr, B, pB);
          for (let ir = 0; ir < mc;) {
            const rows = tileRows(mc, ir, short);
            const whole = panelRows(rows);
            const ap = pA + <usize>(ir * kc * 4);
            const cp = C + <usize>(ic + ir) * ldcB + (<usize>(jc + jr) << 2);
            if (rows == whole && nr == NR) {
              kern(whole, kc, ap, bp, cp, ldcB, acc);
            } else {
              kern(whole, kc, ap, bp, tile, NR * 4, 0);
              flushTile(rows, nr, tile, cp, ldcB, acc);
            }
            ir += rows;
          }
        }
      }
    }
  }
}



/** Matrix b's operand from the per-batch offset table (`second`: B's offset, else A's). */
// @ts-ignore: decorator
@inline function operand(base: usize, table: usize, b: i32, second: i32): usize {
  return base + (<usize>load<i32>(table + (<usize>b << 3) + (<usize>second << 2)) << 2);
}

/**
 * gemmCore on the part [s0, s1) of one matrix's C: columns when `splitN`, else rows (beta 1 adds to
 * C), then the epilogue on that part when `epi`.
 */
// @ts-ignore: decorator
@inline function gemmPart(splitN: bool, s0: i32, s1: i32, M: i32, N: i32, K: i32, a: usize, ars: i32, acs: i32, bb: usize, brs: i32, bcs: i32, c: usize, ws: usize, beta: i32, epi: bool, bias: usize, relu: bool, aPre: usize = 0, colBias: bool = false): void {
  // the bias of the part's rows (a bias per row) or columns (colBias) starts s0 in when the split is along them
  const biasAt = bias != 0 && splitN == colBias ? bias + (<usize>s0 << 2) : bias;
  if (splitN) {
    const cp = c + (<usize>s0 << 2);
    gemmCore(M, s1 - s0, K, a, ars, acs, bb + <usize>s0 * (<usize>bcs << 2), brs, bcs, cp, N, ws, aPre, beta);
    if (epi) epilogueOf(cp, M, s1 - s0, N, biasAt, relu, colBias);
  } else {
    const cp = c + <usize>s0 * <usize>N * 4;
    gemmCore(s1 - s0, N, K, a + <usize>s0 * (<usize>ars << 2), ars, acs, bb, brs, bcs, cp, N, ws, 0, beta);
    if (epi) epilogueOf(cp, s1 - s0, N, N, biasAt, relu, colBias);
  }
}

/**
 * Thread `tid` of `nt`'s share of a batched GEMM. Descriptor at d (i32 slots):
 * 0 batch, 1 M, 2 N, 3 K, 4 ars, 5 acs, 6 brs, 7 bcs, 8 A, 9 B, 10 C, 11 table (per-batch element
 * offsets of A and B, pairs of i32), 12 workspace base, 13 workspace bytes per thread,
 * 14 work counter (0 on entry), 15 block size along the split side (0: whole matrices), 16 mode:
 * 0 one product per matrix of the batch, 1 B is an image [C, H, W] read as a convolution's columns
 * (implicit GEMM; geometry in slots 17-28), 2 the batch's products summed, in slot 18 fixed chunks
 * of the batch, into partials [chunks, M, N] at slot 17 (items are then blocks of one chunk's C, so
 * no two threads write one element; the caller sums the partials, or slot 17 is C for one chunk).
 * In modes 0 and 1, slot 29 is a bias per row of C (0: none; per column when slot 31 is 1) and slot
 * 30 1 for ReLU after it (the epilogue, applied to each item's block of C as soon as it is
 * computed). Mode 4 (FOLD, whole matrices only): C is per-thread scratch, and each product is
 * folded into image b of the output at slot 32, windows as in slots 17-28 and 33 (gemmFoldImage).
 *
 * Work items are handed out through an atomic counter rather than split in fixed shares, so a
 * thread that the OS (or another process) slows down simply takes fewer of them. Items are whole
 * matrices of the batch when the batch is large, else blocks of columns (or rows, whichever side
 * is longer) of each matrix, in multiples of the micro-tile. Which thread takes an item, and how
 * big the blocks are, never changes a bit of C: every element is computed by the same micro-kernel
 * arithmetic in the same order (K blocks from kStep(K) alone, a batch's sum in batch order within
 * fixed chunks), whatever the block (docs/determinism.md).
 */
export function gemmTask(tid: i32, nt: i32, d: usize): void {
  const batch = gemm_batch(d), M = gemm_M(d), N = gemm_N(d), K = gemm_K(d);
  const ars = gemm_ars(d), acs = gemm_acs(d), brs = gemm_brs(d), bcs = gemm_bcs(d);
  const A = gemm_A(d), B = gemm_B(d), C = gemm_C(d), table = gemm_table(d);
  const ws = gemm_ws(d) + <usize>tid * <usize>gemm_wsPerThread(d);
  const counter = gemm_counter_at(d);
  const block = gemm_block(d);
  const mode = gemm_mode(d);
  if (mode == GEMM_MODE_CONV) setupConv(d, K, N, false, ws + <usize>WS_CONV);
  else if (mode == GEMM_MODE_CONV_SUM) setupConv(d, N, K, true, ws + <usize>WS_CONV);
  else convOff();
  const mnB = <usize>M * <usize>N * 4;
  const splitN = N >= M;
  const total = splitN ? N : M;
  const perMatrix = block > 0 ? (total + block - 1) / block : 1;
  if (mode == GEMM_MODE_SUM || mode == GEMM_MODE_CONV_SUM) {
    // summed in `chunks` fixed runs of the batch, chunk c into its own [M, N] at slot 17 + c·M·N
    // (slot 17 is C itself when there is one chunk; else the caller sums the partials in order).
    // An item is one chunk's block of C: each element adds its chunk's matrices in batch order,
    // however the blocks and chunks fall to threads, so the bits do not depend on the thread count.
    const conv = mode == GEMM_MODE_CONV_SUM;
    const parts = conv ? gemmConvSum_parts(d) : gemmSum_parts(d), chunks = conv ? gemmConvSum_chunks(d) : gemmSum_chunks(d);
    // a weight gradient whose taps all lie inside the image reads it in place (wgrad-inplace.ts)
    const inPlace = conv && ars == K && acs == 1 && wgradInPlaceReady(d, M, K);
    // Whole chunks (block 0), at least 2 a thread: the last nt go as quarters of C (blocks of at
    // least a micro-tile), so that the threads finish close together instead of one waiting up to
    // a whole chunk for the other (W3's second layer: 16 chunks of 8 images, 0.85 ms a quarter).
    // Read in place, the quarters are of filters, in g's 8-filter panels: each copies only its
    // panels of g, and the image is read in place by all (W3's second layer, 2 threads: quarters
    // of taps, which each copy all of g, waited a median 362 µs in the join, these 28 µs; blocks of
    // 18 filters were 5% slower than those of taps). Else of the longer side, as the blocks.
    const byRows = inPlace || !splitN;
    const unit = byRows && !inPlace ? MR : NR, side = byRows ? M : N;
    const tail = block == 0 && chunks >= 2 * nt && side >= 2 * unit ? nt : 0;
    const qb = tail > 0 ? max(unit, (((side + 3) / 4 + unit - 1) / unit) * unit) : side;
    const units = chunks * perMatrix, qPer = (side + qb - 1) / qb; // (a tail only where perMatrix is 1)
    for (let it = atomic.add<i32>(counter, 1); it < tailItems(units, tail, qPer); it = atomic.add<i32>(counter, 1)) {
      const u = itemUnit(it, units, tail, qPer), q = itemPiece(it, units, tail, qPer);
      const ch = u / perMatrix;
      const byN = q < 0 ? splitN : !byRows;
      const s0 = q < 0 ? (u - ch * perMatrix) * block : q * qb;
      const s1 = q >= 0 ? min(side, s0 + qb) : block > 0 ? min(total, s0 + block) : total;
      const b0 = <i32>((<i64>batch * ch) / chunks), b1 = <i32>((<i64>batch * (ch + 1)) / chunks);
      const c = parts + <usize>ch * mnB;
      // C [M filters, N taps]: the item's block is of taps (byN) or of filters
      const m0 = byN ? 0 : s0, m1 = byN ? M : s1, t0 = byN ? s0 : 0, t1 = byN ? s1 : N;
      if (inPlace && wgradInPlaceFits(t1 - t0, m1 - m0)) {
        wgradInPlace(K, A, B, table, b0, b1, c, N, m0, m1, t0, t1, ws);
        continue;
      }
      convColumn(byN ? s0 : 0);
      for (let b = b0; b < b1; b++) {
        gemmPart(byN, s0, s1, M, N, K, operand(A, table, b, 0), ars, acs, operand(B, table, b, 1), brs, bcs, c, ws, b > b0 ? 1 : 0, false, 0, false);
      }
    }
    return;
  }
  // Guided blocks: the end of each matrix goes in 2·nt half blocks and then 2·nt quarter blocks,
  // so that what is left when a thread runs out of items is short and the threads finish close
  // together (W1's weight gradient on 2 threads, 8 equal items of ~70 us, waited ~50 us in the
  // join; the quarters took another 4% off it); what does not divide goes first. Only for blocks
  // of at least 2 micro-tiles, and only where the operand that every item repacks is small (or is
  // packed once, below): a big one (W5's A, W3 inference's dense B, 1.2M floats) packed in 2·nt
  // items rather than nt cost W3i's dense layer 6% and W5 2% on 2 threads. Any cut gives the same
  // bits (see above), so the cut may depend on nt.
  const unit = splitN ? NR : MR;
  // A big A that every block of columns reads (W5's 1024x1024): the threads pack it together, one
  // (k-block, m-block) of it per item, into `packedA` before any block is computed, so that it is
  // packed once rather than once per block, and the blocks can be small enough for the threads to
  // balance (guided too): a thread slowed by another process takes fewer of them instead of holding
  // up the call. The first `packItems` items are the packing; a thread whose next item is a block
  // waits until all the packing is done (it was all claimed before, by threads that are running it).
  const shared = mode == GEMM_MODE_PLAIN && block > 0 && splitN && batch == 1 ? gemm_packedA(d) : 0;
  const guided = block >= 2 * unit && (shared != 0 || <i64>(splitN ? M : N) * <i64>K <= GEMM_SPLIT_FINE_MAX);
  const half = guided ? (((block >> 1) + unit - 1) / unit) * unit : block;
  const quarter = guided ? max(unit, (((half >> 1) + unit - 1) / unit) * unit) : half;
  const qTail = guided && quarter < half ? min(total, 2 * nt * quarter) : 0;
  const hTail = guided ? min(total - qTail, 2 * nt * half) : 0;
  const tail = qTail + hTail;
  const nBig = guided ? (total - tail) / block : block > 0 ? (total + block - 1) / block : 0;
  const extra = guided ? total - tail - nBig * block : 0;
  const first = extra > 0 ? 1 : 0;
  const nHalf = guided ? (hTail + half - 1) / half : 0;
  const nQuarter = qTail > 0 ? (qTail + quarter - 1) / quarter : 0;
  const per = block > 0 ? first + nBig + nHalf + nQuarter : 1;
  const qs = total - qTail; // where the quarters start
  // mode FOLD: whole images, then the last nt images as two items each (halves of the channels), so
  // that the threads finish close together (an image of W3's second layer is ~0.45 ms)
  const foldHalves = mode == GEMM_MODE_FOLD && batch >= 4 * nt && gemmFold_channels(d) >= 2 ? nt : 0;
  const items = foldHalves > 0 ? tailItems(batch, foldHalves, 2) : batch * per;
  const bias = gemm_bias(d), relu = gemm_relu(d) != 0, epi = bias != 0 || relu, colBias = gemm_colBias(d) != 0;
  // one A for the whole batch, small enough to keep packed: pack it on this thread's first item
  let sharedA = block == 0 && batch > 1 && packedASize(M, K) <= SHARED_A_MAX;
  for (let b = 1; sharedA && b < batch; b++) sharedA = load<i32>(table + (<usize>b << 3)) == load<i32>(table);
  const packItems = shared != 0 ? packBlocks(M, K) : 0;
  // Column blocks of one matrix all read its whole A: where each block would pack A (a transposed A,
  // a tile of few rows, or blocks wider than PACK_A_MAX_N) and it fits (and is not shared), a thread
  // packs A once for all its blocks instead of once per block (W1's weight gradients: 8 blocks on 2
  // threads). The packed values are A's, so the bits are the same.
  const packOnce = shared == 0 && block > 0 && splitN && mode != GEMM_MODE_CONV && packedASize(M, K) <= SHARED_A_MAX &&
    (acs != 1 || block > PACK_A_MAX_N || (bcs == 1 && M <= INPLACE_B_MAX_M));
  const packedAt = gemm_packed_at(d);
  let packedFor: usize = 0;
  const aPre = shared != 0 ? shared : sharedA || packOnce ? ws + <usize>WS_SHARED_A : 0;
  let packed = false;
  for (let next = atomic.add<i32>(counter, 1); next < packItems + items; next = atomic.add<i32>(counter, 1)) {
    if (next < packItems) {
      packABlock(M, K, operand(A, table, 0, 0), ars, acs, shared, next);
      atomic.add<i32>(packedAt, 1);
      continue;
    }
    if (shared != 0) while (atomic.load<i32>(packedAt) < packItems) {} // the last blocks being packed
    const it = next - packItems;
    const b = foldHalves > 0 ? itemUnit(it, batch, foldHalves, 2) : it / per;
    const a = operand(A, table, b, 0), bb = operand(B, table, b, 1), c = C + <usize>b * mnB;
    if (block == 0) {
      if (mode == GEMM_MODE_FOLD) {
        // the last nt images in halves (of their channels), packing A's rows for themselves
        const half = foldHalves > 0 ? itemPiece(it, batch, foldHalves, 2) : -1;
        if (half < 0 && sharedA && !packed) {
          packAllA(M, K, a, ars, acs, aPre);
          packed = true;
        }
        gemmFoldImage(d, tid, b, M, N, K, a, ars, acs, bb, brs, bcs, ws, half < 0 ? aPre : 0, half);
        continue;
      }
      if (sharedA && !packed) {
        packAllA(M, K, a, ars, acs, aPre);
        packed = true;
      }
      gemmCore(M, N, K, a, ars, acs, bb, brs, bcs, c, N, ws, aPre, 0);
      if (epi) epilogueOf(c, M, N, N, bias, relu, colBias);
      continue;
    }
    const j = it - b * per - first;
    const s0 = j < 0 ? 0 : j < nBig ? extra + j * block : j < nBig + nHalf ? extra + nBig * block + (j - nBig) * half : qs + (j - nBig - nHalf) * quarter;
    const s1 = j < 0 ? extra : j < nBig ? min(total, s0 + block) : j < nBig + nHalf ? min(qs, s0 + half) : min(total, s0 + quarter);
    convColumn(splitN ? s0 : 0);
    if (packOnce && a != packedFor) {
      packAllA(M, K, a, ars, acs, aPre);
      packedFor = a;
    }
    gemmPart(splitN, s0, s1, M, N, K, a, ars, acs, bb, brs, bcs, c, ws, 0, epi, bias, relu, packOnce || shared != 0 ? aPre : 0, colBias);
  }
}

/**
 * Mode FOLD, image b: its product (the image's columns, M = channels·kh·kw rows of N = OH·OW) into
 * this thread's scratch, then folded into image b of `out`, while the columns are in this core's
 * cache: the batch's column matrix is never made. The same product and the same fold as the two
 * steps apart, so the same bits; with a mask (slot `mask`, a ReLU's output), reluGrad at it after.
 */
function gemmFoldImage(d: usize, tid: i32, b: i32, M: i32, N: i32, K: i32, a: usize, ars: i32, acs: i32, bb: usize, brs: i32, bcs: i32, ws: usize, aPre: usize, half: i32): void {
  const scratch = gemm_C(d) + <usize>tid * ((<usize>M * <usize>N * 4 + 63) & ~<usize>63);
  const C = gemmFold_channels(d), H = gemmFold_H(d), W = gemmFold_W(d), taps = M / C;
  // channels [c0, c1): all, or half of them (rows c·taps of the product)
  const c0 = half <= 0 ? 0 : C >> 1, c1 = half == 0 ? C >> 1 : C;
  gemmCore((c1 - c0) * taps, N, K, a + <usize>(c0 * taps) * (<usize>ars << 2), ars, acs, bb, brs, bcs, scratch, N, ws, aPre, 0);
  const at = <usize>(b * C + c0) * <usize>(H * W) * 4;
  foldPlanes(scratch, gemmFold_out(d) + at, 0, c1 - c0, H, W, gemmFold_kh(d), gemmFold_kw(d), gemmFold_sh(d), gemmFold_sw(d),
    gemmFold_padTop(d), gemmFold_padLeft(d), gemmFold_dh(d), gemmFold_dw(d), gemmFold_OH(d), gemmFold_OW(d));
  // a ReLU's backward at the input (mask: its output), applied to the channels while they are in cache
  const mask = gemmFold_mask(d);
  if (mask != 0) bin_reluGrad((c1 - c0) * H * W, gemmFold_out(d) + at, gemmFold_out(d) + at, 1, mask + at, 1);
}
