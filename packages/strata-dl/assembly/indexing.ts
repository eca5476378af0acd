// SPDX-License-Identifier: MIT
// gather and scatterAdd along one axis, walking the (contiguous) index tensor with an odometer.
// Descriptor at d: the N-d layout of the index shape (stride rows: A in elements with the axis
// stride zeroed, B), then `indexing` (axis stride of A, size of A's axis): scripts/wasm-interface.mjs.
// Both return -1, or the position of the first out-of-range index (nothing past it is written).

import { indexing_axisStride, indexing_n, nd_dim, nd_rank, nd_stride } from './generated/interface';

/** out[i] = x[pA(i) + idx[i] * axisStride] for 4-byte elements; A = x. */
export function gather4(d: usize, out: usize, x: usize, idx: usize, ctr: usize): i32 {
  const rank = nd_rank(d), axisStride = indexing_axisStride(d), n = indexing_n(d);
  let total = 1;
  for (let k = 0; k < rank; k++) { total *= nd_dim(d, k); store<i32>(ctr + (<usize>k << 2), 0); }
  let pa = 0;
  for (let i = 0; i < total; i++) {
    const k = load<i32>(idx + (<usize>i << 2));
    if (k < 0 || k >= n) return i;
    store<u32>(out + (<usize>i << 2), load<u32>(x + (<usize>(pa + k * axisStride) << 2)));
    for (let j = rank - 1; j >= 0; j--) {
      const jp = <usize>j << 2;
      const c = load<i32>(ctr + jp) + 1;
      const s = nd_stride(d, 0, j);
      if (c < nd_dim(d, j)) { store<i32>(ctr + jp, c); pa += s; break; }
      store<i32>(ctr + jp, 0);
      pa -= (c - 1) * s;
    }
  }
  return -1;
}

/** out[pA(i) + idx[i] * axisStride] += src[pB(i)], float32; A = out, B = src. */
export function scatterAddF32(d: usize, out: usize, idx: usize, src: usize, ctr: usize): i32 {
  const rank = nd_rank(d), axisStride = indexing_axisStride(d), n = indexing_n(d);
  let total = 1;
  for (let k = 0; k < rank; k++) { total *= nd_dim(d, k); store<i32>(ctr + (<usize>k << 2), 0); }
  let pa = 0, pb = 0;
  for (let i = 0; i < total; i++) {
    const k = load<i32>(idx + (<usize>i << 2));
    if (k < 0 || k >= n) return i;
    const o = out + (<usize>(pa + k * axisStride) << 2);
    store<f32>(o, load<f32>(o) + load<f32>(src + (<usize>pb << 2)));
    for (let j = rank - 1; j >= 0; j--) {
      const jp = <usize>j << 2;
      const c = load<i32>(ctr + jp) + 1;
      const sa = nd_stride(d, 0, j), sb = nd_stride(d, 1, j);
      if (c < nd_dim(d, j)) { store<i32>(ctr + jp, c); pa += sa; pb += sb; break; }
      store<i32>(ctr + jp, 0);
      pa -= (c - 1) * sa;
      pb -= (c - 1) * sb;
    }
  }
  return -1;
}

/**
 * gather along the last axis with matching leading dimensions (rows): out[r, i] = x[r, idx[r, i]],
 * 4-byte elements; x rows hold n elements, idx/out rows m. Returns -1 or the first bad position.
 * No odometer: this is pooling's path ([N, C, H·W] by window indices).
 */
export function gatherRows4(rows: i32, n: i32, m: i32, out: usize, x: usize, idx: usize): i32 {
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * (<usize>n << 2);
    const base = r * m;
    for (let i = 0; i < m; i++) {
      const k = load<i32>(idx + (<usize>(base + i) << 2));
      if (<u32>k >= <u32>n) return base + i;
      store<u32>(out + (<usize>(base + i) << 2), load<u32>(xr + (<usize>k << 2)));
    }
  }
  return -1;
}

/**
 * scatterAdd along the last axis with matching leading dimensions: out[r, idx[r, i]] += src[r, i],
 * float32; out rows hold n elements, idx rows m, src rows ms (>= m). Returns -1 or the first bad
 * position (nothing past it is added).
 */
export function scatterAddRowsF32(rows: i32, n: i32, m: i32, ms: i32, out: usize, idx: usize, src: usize): i32 {
  for (let r = 0; r < rows; r++) {
    const orow = out + <usize>r * (<usize>n << 2);
    const srow = src + <usize>r * (<usize>ms << 2);
    const base = r * m;
    for (let i = 0; i < m; i++) {
      const k = load<i32>(idx + (<usize>(base + i) << 2));
      if (<u32>k >= <u32>n) return base + i;
      const o = orow + (<usize>k << 2);
      store<f32>(o, load<f32>(o) + load<f32>(srow + (<usize>i << 2)));
    }
  }
  return -1;
}
