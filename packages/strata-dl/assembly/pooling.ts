// SPDX-License-Identifier: MIT
// poolIndex over float32 [N, C, H, W]: the flat index ih*W + iw, within its (n, c) plane, of each
// window's max (min: the max of the sign-flipped values), shared out by planes.
// Descriptor: `poolIndex` in scripts/wasm-interface.mjs; `max` 1 for max, 0 for min; `values` 0
// writes the indices (int32, the poolIndex primitive), 1 the values at them (float32, pool), 2 the
// input's gradient (the fused poolGrad, MaxPool2d(2)'s geometry only): `grad` scattered onto zeros,
// 3 that gradient passed through reluGrad at the input (a ReLU's backward that follows).
// Every window holds a real input (the shape rule checks it); the search starts at the first one,
// so padding is never chosen, `>` keeps the first of ties, and every NaN takes over (PyTorch's loop).
// Windows whose columns are all inside the image take 4 outputs at a time when the column stride
// is 1 or 2, the last group overlapping the one before; the others, at the left and right edges, go
// one by one. MaxPool2d(2)'s case has its own loops (pool2x2.ts).

import { pool2x2, poolGrad2x2 } from './pool2x2';
import { poolIndex_dh, poolIndex_dst, poolIndex_grad, poolIndex_dw, poolIndex_H, poolIndex_kh, poolIndex_kw, poolIndex_max, poolIndex_OH, poolIndex_OW, poolIndex_padLeft, poolIndex_padTop, poolIndex_planes, poolIndex_sh, poolIndex_src, poolIndex_sw, poolIndex_values, poolIndex_W, poolIndex_counter_at } from './generated/interface';

/** First tap t of a window starting at `start` (taps start + t*dil) that is >= 0, and one past the last < n. */
// @ts-ignore: decorator
@inline function tapRange(start: i32, dil: i32, k: i32, n: i32): i64 {
  const t0 = start >= 0 ? 0 : (-start + dil - 1) / dil;
  const t1 = n - start > 0 ? min(k, (n - start - 1) / dil + 1) : 0;
  return (<i64>t0 << 32) | <i64>(<u32>t1);
}

/** One window, taps [ki0, ki1) x [kj0, kj1) all inside the plane at sp. */
// @ts-ignore: decorator
@inline function oneWindow(sp: usize, W: i32, y0: i32, x0: i32, ki0: i32, ki1: i32, kj0: i32, kj1: i32, dh: i32, dw: i32, flip: u32): i32 {
  let bi = (y0 + ki0 * dh) * W + x0 + kj0 * dw;
  let best = reinterpret<f32>(load<u32>(sp + (<usize>bi << 2)) ^ flip);
  for (let ki = ki0; ki < ki1; ki++) {
    const row = (y0 + ki * dh) * W + x0;
    for (let kj = kj0; kj < kj1; kj++) {
      const i = row + kj * dw;
      const v = reinterpret<f32>(load<u32>(sp + (<usize>i << 2)) ^ flip);
      const take = v > best || v != v;
      best = select<f32>(v, best, take);
      bi = select<i32>(i, bi, take);
    }
  }
  return bi;
}

/** Four windows side by side (column stride sw of 1 or 2), columns inside the plane. */
// @ts-ignore: decorator
@inline function fourWindows(sp: usize, W: i32, y0: i32, x0: i32, ki0: i32, ki1: i32, kw: i32, dh: i32, dw: i32, sw: i32, flip: v128): v128 {
  const lanes = i32x4.mul(i32x4(0, 1, 2, 3), i32x4.splat(sw));
  const first = (y0 + ki0 * dh) * W + x0;
  let best = fourTaps(sp, first, sw, flip);
  let bi = i32x4.add(lanes, i32x4.splat(first));
  for (let ki = ki0; ki < ki1; ki++) {
    const row = (y0 + ki * dh) * W + x0;
    for (let kj = 0; kj < kw; kj++) {
      const c = row + kj * dw;
      const v = fourTaps(sp, c, sw, flip);
      const take = v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
      best = v128.bitselect(v, best, take);
      bi = v128.bitselect(i32x4.add(lanes, i32x4.splat(c)), bi, take);
    }
  }
  return bi;
}

/** fourWindows' values (sign-flipped): the same search without the indices (the pool primitive). */
// @ts-ignore: decorator
@inline function fourMaxima(sp: usize, W: i32, y0: i32, x0: i32, ki0: i32, ki1: i32, kw: i32, dh: i32, dw: i32, sw: i32, flip: v128): v128 {
  let best = fourTaps(sp, (y0 + ki0 * dh) * W + x0, sw, flip);
  for (let ki = ki0; ki < ki1; ki++) {
    const row = (y0 + ki * dh) * W + x0;
    for (let kj = 0; kj < kw; kj++) {
      const v = fourTaps(sp, row + kj * dw, sw, flip);
      best = v128.bitselect(v, best, v128.or(f32x4.gt(v, best), f32x4.ne(v, v)));
    }
  }
  return best;
}

/** Elements c, c + sw, c + 2sw, c + 3sw (sw 1 or 2) of the plane at sp, sign-flipped by `flip`. */
// @ts-ignore: decorator
@inline function fourTaps(sp: usize, c: i32, sw: i32, flip: v128): v128 {
  const p = sp + (<usize>c << 2);
  // Stride 2: the odd lanes of [c-1, c+6], so nothing past the last tap is read (c-1 is at
  // worst the element before the buffer, still inside the memory).
  const v = sw == 1 ? v128.load(p) : v128.shuffle<f32>(v128.load(p - 4), v128.load(p + 12), 1, 3, 5, 7);
  return v128.xor(v, flip);
}

/** Output `ox` of the row at `op`: the index `bi`, or with `values` the input there (same bits). */
// @ts-ignore: decorator
@inline function put(op: usize, ox: i32, sp: usize, bi: i32, values: bool): void {
  store<i32>(op + (<usize>ox << 2), values ? load<i32>(sp + (<usize>bi << 2)) : bi);
}

export function poolIndexTask(tid: i32, nt: i32, d: usize): void {
  const P = poolIndex_planes(d), H = poolIndex_H(d), W = poolIndex_W(d), kh = poolIndex_kh(d), kw = poolIndex_kw(d);
  const sh = poolIndex_sh(d), sw = poolIndex_sw(d), pt = poolIndex_padTop(d), pl = poolIndex_padLeft(d), dh = poolIndex_dh(d), dw = poolIndex_dw(d);
  const OH = poolIndex_OH(d), OW = poolIndex_OW(d);
  const src = poolIndex_src(d), dst = poolIndex_dst(d), mode = poolIndex_values(d), values = mode == 1;
  // Flipping the sign bit turns min into max (NaN stays NaN; -0 and 0 stay equal).
  const flip: u32 = poolIndex_max(d) != 0 ? 0 : 0x80000000;
  const flipV = i32x4.splat(flip);
  // Output columns [oxA, oxB) have every column tap inside the image.
  const oxA = min(OW, pl <= 0 ? 0 : (pl + sw - 1) / sw);
  const last = W - 1 + pl - (kw - 1) * dw;
  const oxB = max(oxA, min(OW, last < 0 ? 0 : last / sw + 1));
  const simd = sw <= 2;
  // Runs of planes claimed from a shared counter, about 16 a thread, rather than one fixed share
  // each: the two cores are not equally fast at memory-bound passes, and with halves the faster
  // thread waited for the other (MaxPool2d(2)'s backward over W3's [128, 64, 24, 24] on 2 threads:
  // a median 132 µs of 1.2 ms). Each plane is computed alone, so the bits are the same.
  const run = max(1, (P + 16 * nt - 1) / (16 * nt));
  const counter = poolIndex_counter_at(d);
  for (let r = atomic.add<i32>(counter, 1); r * run < P; r = atomic.add<i32>(counter, 1)) {
    poolPlanes(d, r * run, min(P, (r + 1) * run), H, W, kh, kw, sh, sw, pt, pl, dh, dw, OH, OW, src, dst, mode, values, flip, flipV, oxA, oxB, simd);
  }
}

/** Planes [p0, p1) of the POOL_INDEX task. */
function poolPlanes(d: usize, p0: i32, p1: i32, H: i32, W: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32, dh: i32, dw: i32, OH: i32, OW: i32,
  src: usize, dst: usize, mode: i32, values: bool, flip: u32, flipV: v128, oxA: i32, oxB: i32, simd: bool): void {
  if (kh == 2 && kw == 2 && sh == 2 && sw == 2 && dh == 1 && dw == 1 && pt == 0 && pl == 0 && 2 * OH <= H && 2 * OW <= W && OW >= 4) {
    // MaxPool2d(2): every window inside the plane, whole rows at a time (pool2x2.ts)
    const g = poolIndex_grad(d);
    for (let plane = p0; plane < p1; plane++) {
      if (mode >= 2) {
        const hw = <usize>(H * W) * 4;
        poolGrad2x2(src + <usize>plane * hw, g + <usize>plane * <usize>(OH * OW) * 4, dst + <usize>plane * hw, H, W, OH, OW, flip == 0, mode == 3);
        continue;
      }
      pool2x2(src + <usize>plane * <usize>(H * W) * 4, dst + <usize>plane * <usize>(OH * OW) * 4, W, OH, OW, flip == 0, values);
    }
    return;
  }
  for (let plane = p0; plane < p1; plane++) {
    const sp = src + <usize>plane * <usize>(H * W) * 4;
    let op = dst + <usize>plane * <usize>(OH * OW) * 4;
    for (let oy = 0; oy < OH; oy++) {
      const y0 = oy * sh - pt;
      const rr = tapRange(y0, dh, kh, H);
      const ki0 = <i32>(rr >> 32), ki1 = <i32>rr;
      let ox = 0;
      for (; ox < oxA; ox++) {
        const x0 = ox * sw - pl;
        const cr = tapRange(x0, dw, kw, W);
        put(op, ox, sp, oneWindow(sp, W, y0, x0, ki0, ki1, <i32>(cr >> 32), <i32>cr, dh, dw, flip), values);
      }
      if (simd && oxB - ox >= 4) {
        for (;;) {
          // flipping back gives the input's own bits at the chosen tap (NaN payloads included)
          if (values) v128.store(op + (<usize>ox << 2), v128.xor(fourMaxima(sp, W, y0, ox * sw - pl, ki0, ki1, kw, dh, dw, sw, flipV), flipV));
          else v128.store(op + (<usize>ox << 2), fourWindows(sp, W, y0, ox * sw - pl, ki0, ki1, kw, dh, dw, sw, flipV));
          if (ox + 4 >= oxB) break;
          // the ragged end: a last group overlapping the previous one (the same outputs again)
          ox = min(ox + 4, oxB - 4);
        }
        ox = oxB;
      }
      for (; ox < oxB; ox++) {
        put(op, ox, sp, oneWindow(sp, W, y0, ox * sw - pl, ki0, ki1, 0, kw, dh, dw, flip), values);
      }
      for (; ox < OW; ox++) {
        const x0 = ox * sw - pl;
        const cr = tapRange(x0, dw, kw, W);
        put(op, ox, sp, oneWindow(sp, W, y0, x0, ki0, ki1, <i32>(cr >> 32), <i32>cr, dh, dw, flip), values);
      }
      op += <usize>OW << 2;
    }
  }
}
