// SPDX-License-Identifier: MIT
// Strided N-d copy: permute, expand, slice, flip, pad and concat are all this one loop with
// different strides (in elements; negative for flip). Element size 1, 4 or 8 bytes, so it serves
// every dtype. Descriptor at d: the N-d layout (stride rows: dst, src), scripts/wasm-interface.mjs.

import { nd_dim, nd_rank, nd_stride } from './generated/interface';
import { transpose4 } from './matmul';

/** Side of the square blocks that tileT walks, in elements (16 x 16 floats: 16 lines each way, in L1). */
const TB: i32 = 16;

/**
 * The two inner axes of a 4-byte copy as a transpose: dst[r, i] = src[r + i·ss] for r < rows,
 * i < n (dst rows `dr` apart, contiguous along i; src contiguous along r). Square blocks of 4x4
 * in-register transposes, so that every load and store is a whole vector and the lines of both
 * sides stay in L1 while a block uses them; row by row, a transpose reads one element from each of
 * n lines per row (2.7x slower for a [256, 784] float32 transpose: docs/performance.md).
 */
function tileT(rows: i32, n: i32, dst: usize, dr: i32, src: usize, ss: i32): void {
  const drB = <usize>dr << 2, ssB = <isize>ss << 2;
  const r4 = rows & ~3, n4 = n & ~3;
  for (let rb = 0; rb < r4; rb += TB) {
    const re = min(rb + TB, r4);
    for (let ib = 0; ib < n4; ib += TB) {
      const ie = min(ib + TB, n4);
      for (let i = ib; i < ie; i += 4) {
        const s0 = src + <usize>(<isize>i * ssB);
        const s1 = s0 + <usize>ssB, s2 = s1 + <usize>ssB, s3 = s2 + <usize>ssB;
        for (let r = rb; r < re; r += 4) {
          const o = <usize>r << 2;
          transpose4(v128.load(s0 + o), v128.load(s1 + o), v128.load(s2 + o), v128.load(s3 + o), dst + <usize>r * drB + (<usize>i << 2), drB);
        }
      }
    }
  }
  // the ragged edges, element by element: columns past n4 for every row, rows past r4 for the rest
  for (let r = 0; r < rows; r++) {
    const d = dst + <usize>r * drB, sr = src + (<usize>r << 2);
    for (let i = r < r4 ? n4 : 0; i < n; i++) store<u32>(d + (<usize>i << 2), load<u32>(sr + <usize>(<isize>i * ssB)));
  }
}

function copyRow(esz: i32, n: i32, dst: usize, ds: i32, src: usize, ss: i32): void {
  if (ds == 1 && ss == 1) { memory.copy(dst, src, <usize>n * esz); return; }
  if (esz == 4) {
    if (ds == 1 && ss == 0) {
      const v = load<u32>(src);
      const vv = i32x4.splat(v);
      let i = 0;
      for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), vv);
      for (; i < n; i++) store<u32>(dst + (<usize>i << 2), v);
      return;
    }
    const dsB = <usize>(ds << 2), ssB = <usize>(ss << 2);
    for (let i = 0; i < n; i++) { store<u32>(dst, load<u32>(src)); dst += dsB; src += ssB; }
  } else if (esz == 1) {
    if (ds == 1 && ss == 0) { memory.fill(dst, load<u8>(src), <usize>n); return; }
    for (let i = 0; i < n; i++) { store<u8>(dst, load<u8>(src)); dst += <usize>ds; src += <usize>ss; }
  } else {
    const dsB = <usize>(ds << 3), ssB = <usize>(ss << 3);
    for (let i = 0; i < n; i++) { store<u64>(dst, load<u64>(src)); dst += dsB; src += ssB; }
  }
}

// the copy's current row: advance() moves them, an odometer over the axes above the row
let rowD: usize = 0, rowS: usize = 0;

/** Moves rowD/rowS to the next row: axes `top` down to 0 of the N-d layout at d, counters at ctr. */
// @ts-ignore: decorator
@inline function advance(d: usize, ctr: usize, top: i32, e: usize): void {
  for (let k = top; k >= 0; k--) {
    const kp = <usize>k << 2;
    const c = load<i32>(ctr + kp) + 1;
    const sd = nd_stride(d, 0, k), sv = nd_stride(d, 1, k);
    if (c < nd_dim(d, k)) {
      store<i32>(ctr + kp, c);
      rowD += <usize>sd * e; rowS += <usize>sv * e;
      return;
    }
    store<i32>(ctr + kp, 0);
    rowD -= <usize>((c - 1) * sd) * e; rowS -= <usize>((c - 1) * sv) * e;
  }
}

export function copyND(esz: i32, d: usize, dst: usize, src: usize, ctr: usize): void {
  const rank = nd_rank(d);
  const n = nd_dim(d, rank - 1);
  const ds = nd_stride(d, 0, rank - 1), ss = nd_stride(d, 1, rank - 1); // inner strides
  let rows = 1;
  for (let k = 0; k < rank - 1; k++) { rows *= nd_dim(d, k); store<i32>(ctr + (<usize>k << 2), 0); }
  const e = <usize>esz;
  rowD = dst; rowS = src;
  // a transpose of the two inner axes (the second-to-last contiguous in src): square tiles, and the
  // odometer walks the axes above them
  if (esz == 4 && rank >= 2 && ds == 1 && ss != 0 && ss != 1 && nd_stride(d, 1, rank - 2) == 1 && n >= 4 && nd_dim(d, rank - 2) >= 4) {
    const tr = nd_dim(d, rank - 2);
    for (let r = 0; r < rows / tr; r++) {
      tileT(tr, n, rowD, nd_stride(d, 0, rank - 2), rowS, ss);
      advance(d, ctr, rank - 3, e);
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    copyRow(esz, n, rowD, ds, rowS, ss);
    advance(d, ctr, rank - 2, e);
  }
}

/** dst[i] = src[i] != 0 for n float32 (isFloat = 1) or int32 values, into bytes. */
export function toBool(isFloat: i32, n: i32, src: usize, dst: usize): void {
  let i = 0;
  const one = i8x16.splat(1);
  for (; i + 16 <= n; i += 16) {
    const p = src + (<usize>i << 2);
    let m0: v128, m1: v128, m2: v128, m3: v128;
    if (isFloat) {
      const z = f32x4.splat(0);
      m0 = f32x4.ne(v128.load(p), z); m1 = f32x4.ne(v128.load(p, 16), z);
      m2 = f32x4.ne(v128.load(p, 32), z); m3 = f32x4.ne(v128.load(p, 48), z);
    } else {
      const z = i32x4.splat(0);
      m0 = i32x4.ne(v128.load(p), z); m1 = i32x4.ne(v128.load(p, 16), z);
      m2 = i32x4.ne(v128.load(p, 32), z); m3 = i32x4.ne(v128.load(p, 48), z);
    }
    v128.store(dst + <usize>i, v128.and(i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(m0, m1), i16x8.narrow_i32x4_s(m2, m3)), one));
  }
  for (; i < n; i++) {
    const p = src + (<usize>i << 2);
    store<u8>(dst + <usize>i, isFloat ? <u8>(load<f32>(p) != 0) : <u8>(load<i32>(p) != 0));
  }
}

/** n bytes of `v` at dst (memory.fill: far faster than a typed-array fill on a shared buffer). */
export function fillBytes(dst: usize, v: u32, n: usize): void {
  memory.fill(dst, <u8>v, n);
}

/** n bytes from src to dst (memory.copy: ~3x a typed-array set on a shared buffer). */
export function copyBytes(dst: usize, src: usize, n: usize): void {
  memory.copy(dst, src, n);
}

/** n 4-byte words with the bit pattern `bits` at dst. */
export function fill32(dst: usize, bits: u32, n: i32): void {
  const vv = i32x4.splat(bits);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), vv);
  for (; i < n; i++) store<u32>(dst + (<usize>i << 2), bits);
}
