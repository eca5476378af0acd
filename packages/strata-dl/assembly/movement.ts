// SPDX-License-Identifier: MIT
// Strided N-d copy: permute, expand, slice, flip, pad and concat are all this one loop with
// different strides (in elements; negative for flip). Element size 1, 4 or 8 bytes, so it serves
// every dtype. Descriptor at d: the N-d layout (stride rows: dst, src), scripts/wasm-interface.mjs.

import { nd_dim, nd_rank, nd_stride } from './generated/interface';

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

export function copyND(esz: i32, d: usize, dst: usize, src: usize, ctr: usize): void {
  const rank = nd_rank(d);
  const n = nd_dim(d, rank - 1);
  const ds = nd_stride(d, 0, rank - 1), ss = nd_stride(d, 1, rank - 1); // inner strides
  let rows = 1;
  for (let k = 0; k < rank - 1; k++) { rows *= nd_dim(d, k); store<i32>(ctr + (<usize>k << 2), 0); }
  const e = <usize>esz;
  let pd = dst, ps = src;
  for (let r = 0; r < rows; r++) {
    copyRow(esz, n, pd, ds, ps, ss);
    for (let k = rank - 2; k >= 0; k--) {
      const kp = <usize>k << 2;
      const c = load<i32>(ctr + kp) + 1;
      const sd = nd_stride(d, 0, k), sv = nd_stride(d, 1, k);
      if (c < nd_dim(d, k)) {
        store<i32>(ctr + kp, c);
        pd += <usize>sd * e; ps += <usize>sv * e;
        break;
      }
      store<i32>(ctr + kp, 0);
      pd -= <usize>((c - 1) * sd) * e; ps -= <usize>((c - 1) * sv) * e;
    }
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
