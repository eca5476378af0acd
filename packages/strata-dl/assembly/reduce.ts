// SPDX-License-Identifier: MIT
// float32 reductions over the middle axis of [outer, R, inner] (the TypeScript side brings every
// reduction to this form, in one or more passes). op: 0 sum, 1 max, 2 min. NaN propagates through
// max/min (wasm f32x4.max/min do so, as the reference does).

import { reduce_R, reduce_counter_at, reduce_dst, reduce_iBlock, reduce_inner, reduce_oBlock, reduce_op, reduce_outer, reduce_src } from './generated/interface';

// @ts-ignore: decorator
@inline function vop(op: i32, a: v128, b: v128): v128 {
  return op == 1 ? f32x4.max(a, b) : op == 2 ? f32x4.min(a, b) : f32x4.add(a, b);
}
// @ts-ignore: decorator
@inline function sop(op: i32, a: f32, b: f32): f32 {
  return op == 1 ? max<f32>(a, b) : op == 2 ? min<f32>(a, b) : a + b;
}

/** Sum of n contiguous floats, accumulated in float64 (two f64x2 lanes pairs). */
function sumRow(n: i32, a: usize): f32 {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const v = v128.load(a + (<usize>i << 2)), w = v128.load(a + (<usize>i << 2), 16);
    s0 = f64x2.add(s0, f64x2.promote_low_f32x4(v));
    s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)));
    s2 = f64x2.add(s2, f64x2.promote_low_f32x4(w));
    s3 = f64x2.add(s3, f64x2.promote_low_f32x4(v128.shuffle<f32>(w, w, 2, 3, 0, 1)));
  }
  const t = f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3));
  let s = f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
  for (; i < n; i++) s += <f64>load<f32>(a + (<usize>i << 2));
  return <f32>s;
}

function extRow(op: i32, n: i32, a: usize): f32 {
  let s = load<f32>(a);
  let v = f32x4.splat(s);
  let i = 0;
  for (; i + 4 <= n; i += 4) v = vop(op, v, v128.load(a + (<usize>i << 2)));
  s = sop(op, sop(op, f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), sop(op, f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
  for (; i < n; i++) s = sop(op, s, load<f32>(a + (<usize>i << 2)));
  return s;
}

// @ts-ignore: decorator
@inline function rowsInto(op: i32, n: i32, d: usize, a: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const q = <usize>i << 2;
    v128.store(d + q, vop(op, v128.load(d + q), v128.load(a + q)));
  }
  for (; i < n; i++) {
    const q = <usize>i << 2;
    store<f32>(d + q, sop(op, load<f32>(d + q), load<f32>(a + q)));
  }
}

export function reduceF32(op: i32, outer: i32, R: i32, inner: i32, src: usize, dst: usize): void {
  reducePart(op, 0, outer, R, inner, 0, inner, src, dst);
}

/**
 * reduceF32's outputs [o0, o1) x [i0, i1) of [outer, inner]. Each output is computed the same way
 * whatever the block it falls in (a sum of a row in float64 lanes when inner is 1, else elementwise
 * down the R rows, where the vector and scalar paths round alike), so blocks and threads change no bit.
 */
function reducePart(op: i32, o0: i32, o1: i32, R: i32, inner: i32, i0: i32, i1: i32, src: usize, dst: usize): void {
  if (inner == 1) {
    for (let o = o0; o < o1; o++) {
      const a = src + <usize>o * <usize>R * 4;
      store<f32>(dst + (<usize>o << 2), R == 0 ? 0 : op == 0 ? sumRow(R, a) : extRow(op, R, a));
    }
    return;
  }
  const rowB = <usize>inner << 2;
  const n = i1 - i0, nB = <usize>n << 2;
  for (let o = o0; o < o1; o++) {
    const d = dst + <usize>o * rowB + (<usize>i0 << 2);
    let a = src + <usize>o * <usize>R * rowB + (<usize>i0 << 2);
    if (R == 0) { memory.fill(d, 0, nB); continue; }
    memory.copy(d, a, nB);
    for (let r = 1; r < R; r++) {
      a += rowB;
      if (op == 0) rowsInto(0, n, d, a);
      else if (op == 1) rowsInto(1, n, d, a);
      else rowsInto(2, n, d, a);
    }
  }
}

/**
 * Task entry (descriptor `reduce`): the threads claim blocks of oBlock outer by iBlock inner outputs
 * through the descriptor's counter, in any order (reducePart: the bits do not depend on it).
 */
export function reduceTask(tid: i32, nt: i32, d: usize): void {
  const op = reduce_op(d), outer = reduce_outer(d), R = reduce_R(d), inner = reduce_inner(d);
  const oBlock = reduce_oBlock(d), iBlock = reduce_iBlock(d);
  const oItems = (outer + oBlock - 1) / oBlock, iItems = (inner + iBlock - 1) / iBlock;
  const counter = reduce_counter_at(d);
  for (let it = atomic.add<i32>(counter, 1); it < oItems * iItems; it = atomic.add<i32>(counter, 1)) {
    const oi = it / iItems, ii = it - oi * iItems;
    const o0 = oi * oBlock, i0 = ii * iBlock;
    reducePart(op, o0, min(outer, o0 + oBlock), R, inner, i0, min(inner, i0 + iBlock), reduce_src(d), reduce_dst(d));
  }
}

/** argmax (isMax = 1) or argmin along the middle axis of [outer, n, inner]; the first NaN wins. */
export function argF32(isMax: i32, outer: i32, n: i32, inner: i32, src: usize, dst: usize): void {
  const stepB = <usize>inner << 2;
  for (let p = 0; p < outer; p++) {
    for (let q = 0; q < inner; q++) {
      let a = src + (<usize>(p * n) * <usize>inner + <usize>q) * 4;
      let best = load<f32>(a);
      let bi = 0;
      for (let k = 1; k < n && best == best; k++) {
        a += stepB;
        const v = load<f32>(a);
        if (v != v || (isMax ? v > best : v < best)) { best = v; bi = k; }
      }
      store<i32>(dst + (<usize>(p * inner + q) << 2), bi);
    }
  }
}
