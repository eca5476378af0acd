// SPDX-License-Identifier: MIT
// Direct convolution (the DCONV task, descriptor `dconv`): out[n, o, oy, ox] = bias[o] +
// Σ_(c, ki, kj) w[o, c, ki, kj] · x[n, c, oy·sh + ki·dh − pt, ox·sw + kj·dw − pl], then ReLU if
// asked. A GEMM on unfolded columns writes and reads the columns (kh·kw times the image), and with
// few filters that costs as much as the products; here each image is copied once, zero-padded,
// into the thread's workspace, and a micro-kernel (generated/dconv-micro.ts) keeps a block of
// filters x 2 vectors of 4 output positions in registers, reading each tap's inputs as unaligned
// vector loads from the padded copy, so no tap needs a bounds test. src/backends/wasm/dconv.ts
// (useDirect) says where this beats the GEMMs: up to 128 filters on images of moderate size.
//
// Layout of the padded copy: per channel, `sw` column phases (phase ph holds padded columns ph,
// ph + sw, ...), each Hp rows of Wq floats; so at any stride, tap (ki, kj) of 4 consecutive output
// columns is 4 consecutive floats of phase (kj·dw) mod sw. Each output row is cut into vectors of 4
// columns, the last one overlapping the one before when OW is not a multiple of 4 (the same values
// written twice), and the vectors are paired in order for the micro-kernel, across rows: LeNet's
// rows of 10 make 3 vectors each (12 lanes for 10), not 16. Rows narrower than 4 go to a scratch of
// rows of 4 and are copied out.
//
// With `pool` (conv, ReLU, MaxPool2d(2) in inference: src/backends/wasm/conv-relu-pool.ts), a block
// of filters' outputs go to the thread's scratch instead of `out`, take the bias and ReLU there, and
// are max-pooled 2x2 at stride 2 into `out` [N, O, OH/2, OW/2] at once (pool2x2.ts, the pool
// kernel's own code, so the same bits): the convolution's output is never written to memory.
//
// Work items are (image, block of filters) taken from a shared counter: each output is computed by
// one thread in one fixed order (taps in (ki, c, kj) order, then the bias), so any thread count
// gives the same bits. The workspace's layout and size come from src/backends/wasm/dconv.ts
// (dconvLayout).
import {
  dconv_bias, dconv_C, dconv_counter_at, dconv_dh, dconv_dw, dconv_flip, dconv_H, dconv_Hp, dconv_kh, dconv_kw, dconv_N, dconv_O, dconv_OH, dconv_out,
  dconv_OW, dconv_padLeft, dconv_padTop, dconv_pool, dconv_relu, dconv_sh, dconv_sw, dconv_V, dconv_W, dconv_w, dconv_Wq, dconv_ws, dconv_wsPerThread, dconv_x,
} from './generated/interface';
import { pool2x2 } from './pool2x2';
import { dkFor } from './generated/dconv-micro';
import { epilogueOf } from './conv';
import { MR } from './matmul';
import { itemPiece, itemUnit, tailItems } from './items';

/** Bytes rounded up to a multiple of 16. */
// @ts-ignore: decorator
@inline function al16(b: usize): usize { return (b + 15) & ~(<usize>15); }

export function dconvTask(tid: i32, nt: i32, d: usize): void {
  const N = dconv_N(d), C = dconv_C(d), H = dconv_H(d), W = dconv_W(d), O = dconv_O(d), kh = dconv_kh(d), kw = dconv_kw(d);
  const sh = dconv_sh(d), sw = dconv_sw(d), pt = dconv_padTop(d), pl = dconv_padLeft(d), dh = dconv_dh(d), dw = dconv_dw(d);
  const OH = dconv_OH(d), OW = dconv_OW(d), Hp = dconv_Hp(d), Wq = dconv_Wq(d), V = dconv_V(d);
  const K = C * kh * kw, planeF = Hp * Wq;
  // this thread's workspace: packed weights (O·K floats), tap offsets (K i32), the vectors in pairs
  // (8 i32 each), the padded image, rows of 4 for an output narrower than 4 or, with pool, the
  // planes of a block of filters
  const pw = dconv_ws(d) + <usize>tid * <usize>dconv_wsPerThread(d);
  const tab = al16(pw + (<usize>(O * K) << 2));
  const vecs = al16(tab + (<usize>K << 2));
  const img = al16(vecs + (<usize>V << 4));
  const imgBytes = <usize>(C * sw * planeF + 16) << 2;
  const narrow = OW < 4, scratch = al16(img + imgBytes); // rows of 4 (or, pooling, planes) for one block of filters
  const ldo = <usize>(narrow ? OH * 4 : OH * OW) << 2; // bytes from one filter's output to the next
  // filter blocks: nb of them, sizes as even as possible (16 filters with 6-row tiles: 6, 5, 5)
  const nb = (O + MR - 1) / MR, base = O / nb, extra = O - base * nb;
  const counter = dconv_counter_at(d);
  let ready = false, copied = -1;
  // Items: whole images when there are at least 4 per thread, else (image, block of filters), so
  // that a small batch's filters keep several threads busy. A thread that takes whole images pads
  // each image once; with blocks dealt out in turn, every thread padded every image (W3 inference
  // on 2 threads: 5% faster with whole images). The last nt images go as blocks of filters too, so
  // that the threads finish close together rather than one waiting for another's last image. Which
  // thread computes what never changes a bit.
  const tail = N >= 4 * nt ? nt : N;
  for (let it = atomic.add<i32>(counter, 1); it < tailItems(N, tail, nb); it = atomic.add<i32>(counter, 1)) {
    const n = itemUnit(it, N, tail, nb), piece = itemPiece(it, N, tail, nb);
    const b0 = piece < 0 ? 0 : piece, b1 = piece < 0 ? nb : piece + 1;
    if (!ready) {
      packWeights(d, pw, nb, base, extra, K);
      // taps in (ki, c, kj) order, so that the taps of the kernel rows that lie inside the image for
      // an output row are one range
      for (let k = 0; k < K; k++) {
        const ki = k / (C * kw), r = k - ki * C * kw, c = r / kw, kj = r - c * kw;
        const col = kj * dw, ph = col % sw;
        store<i32>(tab + (<usize>k << 2), ((c * sw + ph) * planeF + ki * dh * Wq + col / sw) << 2);
      }
      vectors(vecs, V, OH, OW, sh, Wq);
      tapRanges(vecs, V, C * kw, kh, sh, dh, pt, H, dconv_flip(d) != 0);
      memory.fill(img + imgBytes - 64, 0, 64); // the slack after the last plane: read by dropped lanes only
      ready = true;
    }
    if (n != copied) {
      padImage(dconv_x(d) + (<usize>n * <usize>(C * H * W) << 2), img, C, H, W, sw, pt, pl, Hp, Wq);
      copied = n;
    }
    for (let b = b0; b < b1; b++) filterBlock(d, n, b, base, extra, K, pw, tab, vecs, img, V, narrow, scratch, ldo);
  }
}

/** One image's outputs for filter block `b`: the micro-kernel over the vectors, then bias and ReLU. */
function filterBlock(d: usize, n: i32, b: i32, base: i32, extra: i32, K: i32, pw: usize, tab: usize, vecs: usize, img: usize, V: i32, narrow: bool, scratch: usize, ldo: usize): void {
  const O = dconv_O(d), OH = dconv_OH(d), OW = dconv_OW(d);
  const r = base + (b < extra ? 1 : 0), o0 = b * base + min(b, extra);
  const out = dconv_out(d) + (<usize>(n * O + o0) * <usize>(OH * OW) << 2);
  const pool = dconv_pool(d) != 0;
  const ob = narrow || pool ? scratch : out, wo = pw + (<usize>(o0 * K) << 2);
  const dk = dkFor(r);
  for (let e = vecs, end = vecs + (<usize>V << 4); e < end; e += 32) {
    const k0 = load<i32>(e, 16);
    dk(load<i32>(e, 20), tab + (<usize>k0 << 2), img + <usize>load<i32>(e), img + <usize>load<i32>(e, 8), wo + (<usize>(k0 * r) << 2),
      ob + <usize>load<i32>(e, 4), ob + <usize>load<i32>(e, 12), ldo);
  }
  const bias = dconv_bias(d), bb = bias != 0 ? bias + (<usize>o0 << 2) : 0, relu = dconv_relu(d) != 0;
  if (narrow) writeNarrow(scratch, out, r, OH, OW, bb, relu);
  else if (pool) poolBlock(scratch, dconv_out(d) + (<usize>(n * O + o0) * <usize>((OH >> 1) * (OW >> 1)) << 2), r, OH, OW, bb, relu);
  else if (bb != 0 || relu) epilogueOf(out, r, OH * OW, OH * OW, bb, relu, false);
}

/**
 * A block of r filters' planes [r, OH, OW] at s: the bias and ReLU, then each plane max-pooled 2x2
 * at stride 2 into [r, OH/2, OW/2] at out (rows and columns past an even count dropped, as floor mode
 * does; OW/2 >= 4, pool2x2's least).
 */
function poolBlock(s: usize, out: usize, r: i32, OH: i32, OW: i32, bias: usize, relu: bool): void {
  if (bias != 0 || relu) epilogueOf(s, r, OH * OW, OH * OW, bias, relu, false);
  const PH = OH >> 1, PW = OW >> 1;
  for (let i = 0; i < r; i++) {
    pool2x2(s + (<usize>(i * OH * OW) << 2), out + (<usize>(i * PH * PW) << 2), OW, PH, PW, true, true);
  }
}

/**
 * The output's vectors of 4 positions, in row order, paired: per pair, 8 i32: each vector's input
 * byte offset in a padded plane and output byte offset, the pair's range of taps (first, count:
 * tapRanges), each vector's output row times sh. A row narrower than 4 is one vector into a row
 * of 4 of the scratch. An odd count repeats the last vector.
 */
function vectors(vecs: usize, V: i32, OH: i32, OW: i32, sh: i32, Wq: i32): void {
  let v = 0;
  for (let oy = 0; oy < OH; oy++) {
    for (let j = 0; j < max(OW, 1); j += 4) {
      const ox = OW < 4 ? 0 : min(j, OW - 4);
      const e = vecs + (<usize>(v >> 1) << 5) + (<usize>(v & 1) << 3);
      store<i32>(e, (oy * sh * Wq + ox) << 2);
      store<i32>(e, (OW < 4 ? oy * 4 : oy * OW + ox) << 2, 4);
      store<i32>(vecs + (<usize>(v >> 1) << 5) + (<usize>(v & 1) << 2), oy * sh, 24);
      v++;
    }
  }
  if (v < V) {
    const e = vecs + (<usize>(v >> 1) << 5);
    memory.copy(e + 8, e, 8);
    store<i32>(e, load<i32>(e, 24), 28);
  }
}

/**
 * Each pair's taps, as a range of the (ki, c, kj)-ordered taps (`perRow` per kernel row): all of
 * them, or with `skip` (an input gradient) the kernel rows ki whose input row, oy·sh + ki·dh − pt,
 * lies inside the image for either vector's output row; the rest read only padding, zeros: half a
 * full convolution's taps in LeNet's second layer. Only the input gradient skips them: its
 * reference, fold(wᵀ·g), has no products with the padding, while the forward's, the columns'
 * product, does (0 · ±Inf = NaN), and the direct kernel gives the same NaN and ±Inf as each.
 */
function tapRanges(vecs: usize, V: i32, perRow: i32, kh: i32, sh: i32, dh: i32, pt: i32, H: i32, skip: bool): void {
  for (let e = vecs, end = vecs + (<usize>V << 4); e < end; e += 32) {
    let lo = skip ? kh : 0, hi = skip ? 0 : kh;
    for (let i = 0; skip && i < 2; i++) {
      const R = load<i32>(e + (<usize>i << 2), 24); // the vector's output row times sh
      // pt <= R + ki·dh < pt + H
      const a = max(0, floorDiv(pt - R + dh - 1, dh)), b = min(kh, floorDiv(pt + H - 1 - R, dh) + 1);
      if (a < b) { lo = min(lo, a); hi = max(hi, b); }
    }
    if (hi <= lo) { lo = 0; hi = 0; }
    store<i32>(e, lo * perRow, 16);
    store<i32>(e, (hi - lo) * perRow, 20);
  }
}

/** a / b rounded down (b > 0). */
// @ts-ignore: decorator
@inline function floorDiv(a: i32, b: i32): i32 {
  const q = a / b;
  return q * b > a ? q - 1 : q;
}

/**
 * The weights of each block of filters, tap-major (w[k·r + i] for filter o0 + i of an r-filter block).
 * `flip`: the descriptor's w is [C, O·kh·kw] (another convolution's weights), read flipped and
 * transposed: W(o, (c, ki, kj)) = w[c, o, kh − 1 − ki, kw − 1 − kj], the input gradient's filters.
 */
function packWeights(d: usize, pw: usize, nb: i32, base: i32, extra: i32, K: i32): void {
  const w = dconv_w(d), O = dconv_O(d), C = dconv_C(d), kh = dconv_kh(d), kw = dconv_kw(d), kk = kh * kw;
  const flip = dconv_flip(d) != 0;
  let o0 = 0, dst = pw;
  for (let b = 0; b < nb; b++) {
    const r = base + (b < extra ? 1 : 0);
    for (let k = 0; k < K; k++) {
      // tap k is (ki, c, kj) (dconvTask's order); t = ki·kw + kj
      const ki = k / (C * kw), rem = k - ki * C * kw, c = rem / kw, t = ki * kw + rem - c * kw;
      for (let i = 0; i < r; i++) {
        const o = o0 + i;
        const at = flip ? (c * O + o) * kk + (kk - 1 - t) : o * K + c * kk + t;
        store<f32>(dst, load<f32>(w + (<usize>at << 2)));
        dst += 4;
      }
    }
    o0 += r;
  }
}

/** Copies image [C, H, W] into the padded layout (see the file comment), zeros outside the image; at stride 1, [C, Hp, Wq] (wgrad-inplace.ts too). */
export function padImage(x: usize, img: usize, C: i32, H: i32, W: i32, sw: i32, pt: i32, pl: i32, Hp: i32, Wq: i32): void {
  const rowB = <usize>Wq << 2;
  for (let c = 0; c < C; c++) {
    const src = x + (<usize>(c * H * W) << 2);
    for (let ph = 0; ph < sw; ph++) {
      // padded columns q·sw + ph hold input column q·sw + ph − pl: q in [q0, q1) lie inside the image
      const q0 = min(Wq, max(0, (pl - ph + sw - 1) / sw));
      const q1 = max(q0, min(Wq, W + pl - ph > 0 ? (W + pl - ph - 1) / sw + 1 : 0));
      let row = img + (<usize>((c * sw + ph) * Hp) * rowB);
      for (let r = 0; r < Hp; r++, row += rowB) {
        const iy = r - pt;
        if (<u32>iy >= <u32>H) { memory.fill(row, 0, rowB); continue; }
        const srow = src + (<usize>(iy * W) << 2);
        if (q0 > 0) memory.fill(row, 0, <usize>q0 << 2);
        if (q1 < Wq) memory.fill(row + (<usize>q1 << 2), 0, <usize>(Wq - q1) << 2);
        if (sw == 1) memory.copy(row + (<usize>q0 << 2), srow + (<usize>(q0 - pl) << 2), <usize>(q1 - q0) << 2);
        else for (let q = q0; q < q1; q++) store<f32>(row + (<usize>q << 2), load<f32>(srow + (<usize>(q * sw + ph - pl) << 2)));
      }
    }
  }
}

/** An output narrower than 4: each row's OW of 4 computed columns, plus the bias, ReLU'd as the relu kernel does. */
function writeNarrow(s: usize, out: usize, O: i32, OH: i32, OW: i32, bias: usize, relu: bool): void {
  for (let o = 0; o < O; o++) {
    const b = bias != 0 ? load<f32>(bias + (<usize>o << 2)) : 0;
    for (let oy = 0; oy < OH; oy++) {
      for (let j = 0; j < OW; j++) {
        let v = load<f32>(s + (<usize>((o * OH + oy) * 4 + j) << 2));
        if (bias != 0) v += b;
        if (relu) v = v < 0 ? 0 : v;
        store<f32>(out + (<usize>((o * OH + oy) * OW + j) << 2), v);
      }
    }
  }
}
