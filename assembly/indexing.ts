// SPDX-License-Identifier: MIT
// gather and scatterAdd along one axis, walking the (contiguous) index tensor with an odometer.
// Descriptor at d (i32 slots): 0 rank, 1..8 index shape, 9..16 strides A (elements; the axis
// stride zeroed), 17..24 strides B, 25 axis stride of A, 26 size of A's axis.
// Both return -1, or the position of the first out-of-range index (nothing past it is written).

// @ts-ignore: decorator
@inline function di(d: usize, k: i32): i32 { return load<i32>(d + (<usize>k << 2)); }

/** out[i] = x[pA(i) + idx[i] * axisStride] for 4-byte elements; A = x. */
export function gather4(d: usize, out: usize, x: usize, idx: usize, ctr: usize): i32 {
  const rank = di(d, 0), axisStride = di(d, 25), n = di(d, 26);
  let total = 1;
  for (let k = 0; k < rank; k++) { total *= di(d, 1 + k); store<i32>(ctr + (<usize>k << 2), 0); }
  let pa = 0;
  for (let i = 0; i < total; i++) {
    const k = load<i32>(idx + (<usize>i << 2));
    if (k < 0 || k >= n) return i;
    store<u32>(out + (<usize>i << 2), load<u32>(x + (<usize>(pa + k * axisStride) << 2)));
    for (let j = rank - 1; j >= 0; j--) {
      const jp = <usize>j << 2;
      const c = load<i32>(ctr + jp) + 1;
      const s = di(d, 9 + j);
      if (c < di(d, 1 + j)) { store<i32>(ctr + jp, c); pa += s; break; }
      store<i32>(ctr + jp, 0);
      pa -= (c - 1) * s;
    }
  }
  return -1;
}

/** out[pA(i) + idx[i] * axisStride] += src[pB(i)], float32; A = out, B = src. */
export function scatterAddF32(d: usize, out: usize, idx: usize, src: usize, ctr: usize): i32 {
  const rank = di(d, 0), axisStride = di(d, 25), n = di(d, 26);
  let total = 1;
  for (let k = 0; k < rank; k++) { total *= di(d, 1 + k); store<i32>(ctr + (<usize>k << 2), 0); }
  let pa = 0, pb = 0;
  for (let i = 0; i < total; i++) {
    const k = load<i32>(idx + (<usize>i << 2));
    if (k < 0 || k >= n) return i;
    const o = out + (<usize>(pa + k * axisStride) << 2);
    store<f32>(o, load<f32>(o) + load<f32>(src + (<usize>pb << 2)));
    for (let j = rank - 1; j >= 0; j--) {
      const jp = <usize>j << 2;
      const c = load<i32>(ctr + jp) + 1;
      const sa = di(d, 9 + j), sb = di(d, 17 + j);
      if (c < di(d, 1 + j)) { store<i32>(ctr + jp, c); pa += sa; pb += sb; break; }
      store<i32>(ctr + jp, 0);
      pa -= (c - 1) * sa;
      pb -= (c - 1) * sb;
    }
  }
  return -1;
}
