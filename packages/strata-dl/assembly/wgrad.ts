// SPDX-License-Identifier: MIT
// A convolution's weight gradient computed directly (the WGRAD task, src/backends/wasm/wgrad.ts):
//
//   dW[o, c, ki, kj] = Σ_n Σ_(oy, ox) g[n, o, oy, ox] · x[n, c, oy·sh + ki·dh − pt, ox·sw + kj·dw − pl]
//
// With few filters the implicit GEMM (mode CONV_SUM) spends most of its time packing the transposed
// columns, each packed float then feeding only O multiply-adds. Here every image channel is copied
// once, zero-padded, and a micro-kernel (generated/wgrad-micro.ts) streams along the output rows:
// four positions of g for a block of filters and x at a block of taps (consecutive taps of the
// window, across its rows), one vector accumulator per (filter, tap), summed horizontally at the end.
//
// Two layouts of the copy. Rows of output positions that are a multiple of 4 long, or strided down:
// the padded input rows, a strided window's (sw > 1) each stored as sw phases, phase s holding
// inputs s, s + sw, s + 2sw, ..., so that tap kj reads phase (kj·dw) mod sw from position
// ox + ⌊kj·dw / sw⌋ on, consecutive floats again; a ragged last vector per row. Ragged rows at
// stride 1 down (LeNet's conv2: rows of 10): kw shifted planes (padShifted), in which every tap
// reads an image's OH·OW positions as one run, with a ragged vector at its end only.
//
// Determinism: the batch is summed in `chunks` fixed chunks (a function of the shapes alone), each
// into its own partial, which the caller adds up in chunk order; an item is one (chunk, channel),
// computed by the same code whichever thread takes it.
import {
  wgrad_C, wgrad_chunks, wgrad_counter_at, wgrad_dh, wgrad_dw, wgrad_g, wgrad_H, wgrad_kh, wgrad_kw, wgrad_N, wgrad_O, wgrad_OH, wgrad_OW,
  wgrad_padLeft, wgrad_padTop, wgrad_parts, wgrad_sh, wgrad_sw, wgrad_W, wgrad_ws, wgrad_wsPerThread, wgrad_x,
} from './generated/interface';
import { WG_BUDGET, wgMicro } from './generated/wgrad-micro';

// The padded layout of one image channel: Hp rows of sw phases of Wq floats.
// @ts-ignore: decorator
@inline function paddedWq(OW: i32, kw: i32, sw: i32, dw: i32): i32 { return ((OW + 3) & ~3) + ((kw - 1) * dw) / sw; }
// @ts-ignore: decorator
@inline function paddedRows(OH: i32, kh: i32, sh: i32, dh: i32): i32 { return (OH - 1) * sh + (kh - 1) * dh + 1; }

/**
 * Copies channel `src` [H, W] into `dst`: Hp rows, row r being input row r − pt, as sw phases of Wq
 * floats (phase s, float t = input column t·sw + s − pl), zero outside the image.
 */
function padChannel(src: usize, H: i32, W: i32, pt: i32, pl: i32, Hp: i32, sw: i32, Wq: i32, dst: usize): void {
  const rowLen = sw * Wq;
  for (let r = 0; r < Hp; r++) {
    const iy = r - pt;
    const d = dst + (<usize>(r * rowLen) << 2);
    if (<u32>iy >= <u32>H) {
      memory.fill(d, 0, <usize>rowLen << 2);
      continue;
    }
    const s = src + (<usize>(iy * W) << 2);
    if (sw == 1) {
      // columns t in [pl, pl + W) are the input row; the rest is padding
      const t0 = min(max(pl, 0), Wq), t1 = max(t0, min(pl + W, Wq));
      memory.fill(d, 0, <usize>t0 << 2);
      memory.copy(d + (<usize>t0 << 2), s + (<usize>(t0 - pl) << 2), <usize>(t1 - t0) << 2);
      memory.fill(d + (<usize>t1 << 2), 0, <usize>(Wq - t1) << 2);
      continue;
    }
    for (let ph = 0; ph < sw; ph++) {
      const e = d + (<usize>(ph * Wq) << 2);
      for (let t = 0; t < Wq; t++) {
        const ix = t * sw + ph - pl;
        store<f32>(e + (<usize>t << 2), <u32>ix < <u32>W ? load<f32>(s + (<usize>ix << 2)) : 0);
      }
    }
  }
}

/**
 * Copies channel `src` [H, W] into `dst` as kw shifted planes of Hp rows of OW floats: plane kj,
 * row r, float ox is the input at row r − pt, column ox·sw + kj·dw − pl (0 outside the image). At
 * stride 1 down, tap (ki, kj) of output position l = oy·OW + ox is then float l + ki·dh·OW of plane
 * kj: every tap reads the image's L positions as one run, with a ragged vector at its end only.
 */
function padShifted(src: usize, H: i32, W: i32, pt: i32, pl: i32, Hp: i32, OW: i32, kw: i32, sw: i32, dw: i32, dst: usize): void {
  let d = dst;
  for (let kj = 0; kj < kw; kj++) {
    const c0 = kj * dw - pl; // input column of position 0
    // positions [lo, hi) read inside the row
    const lo = min(OW, c0 >= 0 ? 0 : (-c0 + sw - 1) / sw), hi = max(lo, min(OW, W - c0 > 0 ? (W - c0 + sw - 1) / sw : 0));
    for (let r = 0; r < Hp; r++) {
      const iy = r - pt;
      if (<u32>iy >= <u32>H) {
        memory.fill(d, 0, <usize>OW << 2);
      } else {
        const s = src + (<usize>(iy * W + c0) << 2);
        memory.fill(d, 0, <usize>lo << 2);
        if (sw == 1) memory.copy(d + (<usize>lo << 2), s + (<usize>lo << 2), <usize>(hi - lo) << 2);
        else for (let ox = lo; ox < hi; ox++) store<f32>(d + (<usize>ox << 2), load<f32>(s + (<usize>(ox * sw) << 2)));
        memory.fill(d + (<usize>hi << 2), 0, <usize>(OW - hi) << 2);
      }
      d += <usize>OW << 2;
    }
  }
}

/** Registers for a block's F·T accumulators and F + T loads: one fewer without FMA (gen-wgrad.mjs). */
const BUDGET: i32 = ASC_FEATURE_RELAXED_SIMD ? WG_BUDGET : WG_BUDGET - 1;
/** The most taps per block for blocks of f filters. */
// @ts-ignore: decorator
@inline function blockTaps(f: i32): i32 { return min(7, (BUDGET - f) / (f + 1)); }
/** Cost of one vector of positions for a block: its multiply-adds or its loads (two per cycle each), and the loop's own work. */
// @ts-ignore: decorator
@inline function blockCost(f: i32, t: i32): i32 { return max(f * t, f + t) + 2; }

/**
 * Filters per block (then blockTaps(F) taps per block): the F, of those with a micro-kernel, whose
 * blocks (the last ones ragged) cost the least over all O filters and kk taps.
 */
function blockFilters(O: i32, kk: i32): i32 {
  let best = 1, bestCost = i32.MAX_VALUE;
  for (let f = 1; f <= 7; f++) {
    const t = blockTaps(f);
    if (t < 1) break;
    const fr = O % f, tr = kk % t, fq = O / f, tq = kk / t;
    let cost = fq * tq * blockCost(f, t);
    if (fr > 0) cost += tq * blockCost(fr, t);
    if (tr > 0) cost += fq * blockCost(f, tr);
    if (fr > 0 && tr > 0) cost += blockCost(fr, tr);
    if (cost < bestCost) { bestCost = cost; best = f; }
  }
  return best;
}

/** Thread `tid` of `nt`'s share of the WGRAD task (descriptor `wgrad`). */
export function wgradTask(tid: i32, nt: i32, d: usize): void {
  const N = wgrad_N(d), C = wgrad_C(d), H = wgrad_H(d), W = wgrad_W(d), O = wgrad_O(d);
  const kh = wgrad_kh(d), kw = wgrad_kw(d), sh = wgrad_sh(d), sw = wgrad_sw(d);
  const pt = wgrad_padTop(d), pl = wgrad_padLeft(d), dh = wgrad_dh(d), dw = wgrad_dw(d);
  const OH = wgrad_OH(d), OW = wgrad_OW(d), g = wgrad_g(d), x = wgrad_x(d), parts = wgrad_parts(d), chunks = wgrad_chunks(d);
  const counter = wgrad_counter_at(d);
  const ws = wgrad_ws(d) + <usize>tid * <usize>wgrad_wsPerThread(d);
  const Wq = paddedWq(OW, kw, sw, dw), Hp = paddedRows(OH, kh, sh, dh);
  const K = C * kh * kw, L = OH * OW, kk = kh * kw;
  // rows whose last vector is ragged, at stride 1 down: the shifted planes (one run per image)
  const flat = sh == 1 && (OW & 3) != 0;
  const rowB = <usize>(sw * Wq) << 2, planeB = flat ? <usize>kw * <usize>Hp * <usize>OW << 2 : <usize>Hp * rowB;
  // the window's taps, (ki, kj) in order: byte offsets from an output row's (or the image's) first
  // position, in the padded rows: row ki·dh, phase (kj·dw) mod sw, float ⌊kj·dw / sw⌋; in the
  // shifted planes: plane kj, float ki·dh·OW
  const taps = ws;
  for (let t = 0; t < kk; t++) {
    const ki = t / kw, kj = t - ki * kw, u = kj * dw, ph = u % sw;
    const off = flat ? (kj * Hp + ki * dh) * OW << 2 : <i32>(<usize>(ki * dh) * rowB) + ((ph * Wq + u / sw) << 2);
    store<i32>(taps + (<usize>t << 2), off);
  }
  const planes = ws + ((<usize>kk * 4 + 15) & ~15);
  // the caller sizes the workspaces by the same formulas (src/backends/wasm/wgrad.ts), with 16
  // bytes after the copies for the ragged last vector's reads: trap rather than write past one if
  // they ever disagree
  if (<i64>(planes - ws) + <i64>((N + chunks - 1) / chunks) * <i64>planeB + 16 > <i64>wgrad_wsPerThread(d)) unreachable();
  const fStep = blockFilters(O, kk), tStep = blockTaps(fStep);
  const gImg = <usize>O * <usize>L << 2, gFil = <usize>L << 2, ldo = <usize>K << 2, gEnd = g + <usize>N * gImg;
  for (let it = atomic.add<i32>(counter, 1); it < chunks * C; it = atomic.add<i32>(counter, 1)) {
    const ch = it / C, c = it - ch * C;
    const b0 = <i32>((<i64>N * ch) / chunks), b1 = <i32>((<i64>N * (ch + 1)) / chunks), nb = b1 - b0;
    for (let b = 0; b < nb; b++) {
      const src = x + ((<usize>(b0 + b) * <usize>C + <usize>c) * <usize>(H * W) << 2), dst = planes + <usize>b * planeB;
      if (flat) padShifted(src, H, W, pt, pl, Hp, OW, kw, sw, dw, dst);
      else padChannel(src, H, W, pt, pl, Hp, sw, Wq, dst);
    }
    const part = parts + <usize>ch * <usize>O * ldo;
    const gChunk = g + <usize>b0 * gImg;
    for (let t0 = 0; t0 < kk; t0 += tStep) {
      const t = min(tStep, kk - t0);
      for (let o = 0; o < O; o += fStep) {
        const f = min(fStep, O - o);
        const out = part + <usize>o * ldo + (<usize>(c * kk + t0) << 2);
        if (flat) wgMicro(f, t, nb, 1, L, gChunk + <usize>o * gFil, gImg, gFil, gEnd, planes, planeB, 0, taps + (<usize>t0 << 2), out, ldo);
        else wgMicro(f, t, nb, OH, OW, gChunk + <usize>o * gFil, gImg, gFil, gEnd, planes, planeB, <usize>sh * rowB, taps + (<usize>t0 << 2), out, ldo);
      }
    }
  }
}
