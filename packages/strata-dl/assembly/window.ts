// SPDX-License-Identifier: MIT
// unfold (im2col) and fold (col2im) over float32 [N, C, H, W], shared out by (n, c) planes.
// Descriptor: `window` in scripts/wasm-interface.mjs. Column rows are ordered (c, ki, kj) as
// PyTorch's F.unfold; padding reads as zero.
import { window_C, window_dh, window_dst, window_dw, window_H, window_kh, window_kw, window_N, window_OH, window_OW, window_padLeft, window_padTop, window_sh, window_src, window_sw, window_W } from './generated/interface';

/** First output column whose input column ox*sw + off is >= 0, and one past the last one < W (rows alike). */
// @ts-ignore: decorator
@inline function colRange(off: i32, sw: i32, W: i32, OW: i32): i64 {
  let ox0 = off >= 0 ? 0 : (-off + sw - 1) / sw;
  let ox1 = W - off > 0 ? (W - off - 1) / sw + 1 : 0;
  ox1 = min(ox1, OW);
  ox0 = min(ox0, ox1);
  return (<i64>ox0 << 32) | <i64>(<u32>ox1);
}

/**
 * Copies n floats. Rows of a small image are short (10 floats in LeNet's second layer), where a
 * memory.copy call costs more than the copy: inline vectors, the last one overlapping the previous
 * (harmless for a copy) so no scalar tail is needed.
 */
// @ts-ignore: decorator
@inline function copyRow(dst: usize, src: usize, n: i32): void {
  if (n >= 4) {
    const last = <usize>(n - 4) << 2;
    for (let q: usize = 0; q < last; q += 16) v128.store(dst + q, v128.load(src + q));
    v128.store(dst + last, v128.load(src + last));
  } else {
    for (let i = 0; i < n; i++) store<f32>(dst + (<usize>i << 2), load<f32>(src + (<usize>i << 2)));
  }
}

/**
 * Zeroes n floats: like copyRow, inline vectors with the last one overlapping, instead of a
 * memory.fill call for the 1-2 float spans that padding leaves at the ends of rows.
 */
// @ts-ignore: decorator
@inline function zeroRow(dst: usize, n: i32): void {
  const z = f32x4.splat(0);
  if (n >= 4) {
    const last = <usize>(n - 4) << 2;
    for (let q: usize = 0; q < last; q += 16) v128.store(dst + q, z);
    v128.store(dst + last, z);
  } else {
    for (let i = 0; i < n; i++) store<f32>(dst + (<usize>i << 2), 0);
  }
}

/** One add of `b` into `a` (n floats): vectors, then the last n % 4 two at a time in the low lanes and one. */
// @ts-ignore: decorator
@inline function addRow(a: usize, b: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const q = <usize>i << 2;
    v128.store(a + q, f32x4.add(v128.load(a + q), v128.load(b + q)));
  }
  if (n & 2) {
    const q = <usize>i << 2;
    v128.store64_lane(a + q, f32x4.add(v128.load64_zero(a + q), v128.load64_zero(b + q)), 0);
    i += 2;
  }
  if (n & 1) {
    const q = <usize>i << 2;
    store<f32>(a + q, load<f32>(a + q) + load<f32>(b + q));
  }
}

export function unfoldTask(tid: i32, nt: i32, d: usize): void {
  const N = window_N(d), C = window_C(d), H = window_H(d), W = window_W(d), kh = window_kh(d), kw = window_kw(d);
  const sh = window_sh(d), sw = window_sw(d), pt = window_padTop(d), pl = window_padLeft(d), dh = window_dh(d), dw = window_dw(d);
  const OH = window_OH(d), OW = window_OW(d);
  const src = window_src(d), dst = window_dst(d);
  const P = N * C, L = OH * OW;
  const p0 = <i32>((<i64>P * tid) / nt), p1 = <i32>((<i64>P * (tid + 1)) / nt);
  const owB = <usize>OW << 2;
  for (let plane = p0; plane < p1; plane++) {
    const sp = src + <usize>plane * <usize>(H * W) * 4;
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++) {
        const row = (plane * kh + ki) * kw + kj;
        const dr = dst + <usize>row * <usize>L * 4;
        const off = kj * dw - pl;
        const rng = colRange(off, sw, W, OW);
        const ox0 = <i32>(rng >> 32), ox1 = <i32>rng;
        // rows [oy0, oy1) read inside the image, the others are padding
        const ry = colRange(ki * dh - pt, sh, H, OH);
        const oy0 = <i32>(ry >> 32), oy1 = <i32>ry;
        for (let oy = 0; oy < oy0; oy++) zeroRow(dr + <usize>oy * owB, OW);
        for (let oy = oy1; oy < OH; oy++) zeroRow(dr + <usize>oy * owB, OW);
        if (sw == 1 && ox0 == 0 && ox1 == OW && OW >= 4 && OW <= 16) {
          // whole short rows (LeNet's 10): a fixed 2-4 vectors each, the last overlapping
          let s = sp + (<usize>((oy0 * sh - pt + ki * dh) * W + off) << 2), o = dr + <usize>oy0 * owB;
          const step = <usize>(sh * W) << 2, t = <usize>(OW - 4) << 2;
          for (let oy = oy0; oy < oy1; oy++, s += step, o += owB) {
            if (OW > 8) {
              v128.store(o, v128.load(s, 16), 16);
              if (OW > 12) v128.store(o, v128.load(s, 32), 32);
            }
            v128.store(o, v128.load(s));
            v128.store(o + t, v128.load(s + t));
          }
          continue;
        }
        for (let oy = oy0; oy < oy1; oy++) {
          const iy = oy * sh - pt + ki * dh;
          const drow = dr + <usize>oy * owB;
          const srow = sp + <usize>(iy * W) * 4;
          if (ox0 > 0) zeroRow(drow, ox0);
          if (ox1 < OW) zeroRow(drow + (<usize>ox1 << 2), OW - ox1);
          if (sw == 1) {
            copyRow(drow + (<usize>ox0 << 2), srow + (<usize>(ox0 + off) << 2), ox1 - ox0);
          } else {
            for (let ox = ox0; ox < ox1; ox++) store<f32>(drow + (<usize>ox << 2), load<f32>(srow + (<usize>(ox * sw + off) << 2)));
          }
        }
      }
    }
  }
}

export function foldTask(tid: i32, nt: i32, d: usize): void {
  const P = window_N(d) * window_C(d);
  const p0 = <i32>((<i64>P * tid) / nt), p1 = <i32>((<i64>P * (tid + 1)) / nt);
  foldPlanes(window_src(d), window_dst(d), p0, p1, window_H(d), window_W(d), window_kh(d), window_kw(d), window_sh(d), window_sw(d),
    window_padTop(d), window_padLeft(d), window_dh(d), window_dw(d), window_OH(d), window_OW(d));
}

/**
 * col2im of planes [p0, p1): plane p of `dst` (H x W) is the sum of column rows (p, ki, kj) of `src`
 * (each OH·OW long) over its windows, in (ki, kj, row) order. The fold primitive's task, and a
 * convolution's input gradient image by image (matmul.ts, mode FOLD), so both give the same bits.
 */
export function foldPlanes(src: usize, dst: usize, p0: i32, p1: i32, H: i32, W: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32, dh: i32, dw: i32, OH: i32, OW: i32): void {
  const L = OH * OW;
  const owB = <usize>OW << 2;
  for (let plane = p0; plane < p1; plane++) {
    const op = dst + <usize>plane * <usize>(H * W) * 4;
    memory.fill(op, 0, <usize>(H * W) << 2);
    for (let ki = 0; ki < kh; ki++) {
      // rows [oy0, oy1) land inside the image; the others fall on padding
      const ry = colRange(ki * dh - pt, sh, H, OH);
      const oy0 = <i32>(ry >> 32), oy1 = <i32>ry;
      for (let kj = 0; kj < kw; kj++) {
        const row = (plane * kh + ki) * kw + kj;
        const sr = src + <usize>row * <usize>L * 4;
        const off = kj * dw - pl;
        const rng = colRange(off, sw, W, OW);
        const ox0 = <i32>(rng >> 32), ox1 = <i32>rng;
        if (sw == 1) {
          let s = sr + <usize>oy0 * owB + (<usize>ox0 << 2);
          let o = op + (<usize>((oy0 * sh - pt + ki * dh) * W + ox0 + off) << 2);
          const step = <usize>(sh * W) << 2;
          const n = ox1 - ox0;
          for (let oy = oy0; oy < oy1; oy++, s += owB, o += step) addRow(o, s, n);
          continue;
        }
        for (let oy = oy0; oy < oy1; oy++) {
          const srow = sr + <usize>oy * owB;
          const orow = op + <usize>((oy * sh - pt + ki * dh) * W) * 4;
          for (let ox = ox0; ox < ox1; ox++) {
            const o = orow + (<usize>(ox * sw + off) << 2);
            store<f32>(o, load<f32>(o) + load<f32>(srow + (<usize>ox << 2)));
          }
        }
      }
    }
  }
}
