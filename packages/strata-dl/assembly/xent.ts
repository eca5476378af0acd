// SPDX-License-Identifier: MIT
// Softmax cross-entropy of [n, c] float32 logits at int32 classes, the fused op's kernels
// (src/backends/wasm/cross-entropy.ts). Rows are a handful of classes, so each row is one pass of
// four-lane exponentials (the unary exp kernel's expv, so the fused and composed losses round alike)
// and the sums run in float64, in row order: the same bits on any thread count.
import { expv } from './mathv';

/**
 * Σ over the rows whose class is not `ignore` of log Σ_j exp(x_ij) − x_i[t_i] (float64). With
 * `probs` not 0, writes each row's softmax there ([n, c], for the backward). A NaN logit makes its
 * row NaN (the max takes it over, as torch.max).
 */
export function xentForward(n: i32, c: i32, x: usize, t: usize, ignore: i32, probs: usize): f64 {
  let total: f64 = 0;
  const c4 = c & ~3;
  for (let i = 0; i < n; i++) {
    const row = x + (<usize>(i * c) << 2);
    let m: f32 = -Infinity;
    for (let j = 0; j < c; j++) {
      const v = load<f32>(row + (<usize>j << 2));
      if (v > m || v != v) m = v;
    }
    const mv = f32x4.splat(m);
    let sv = f32x4.splat(0);
    let s: f64 = 0;
    const prow = probs + (<usize>(i * c) << 2);
    let j = 0;
    for (; j < c4; j += 4) {
      const e = expv(f32x4.sub(v128.load(row + (<usize>j << 2)), mv));
      if (probs != 0) v128.store(prow + (<usize>j << 2), e);
      sv = f32x4.add(sv, e);
    }
    s = <f64>f32x4.extract_lane(sv, 0) + <f64>f32x4.extract_lane(sv, 1) + <f64>f32x4.extract_lane(sv, 2) + <f64>f32x4.extract_lane(sv, 3);
    for (; j < c; j++) {
      const e = f32x4.extract_lane(expv(f32x4.splat(load<f32>(row + (<usize>j << 2)) - m)), 0);
      if (probs != 0) store<f32>(prow + (<usize>j << 2), e);
      s += <f64>e;
    }
    if (probs != 0) {
      const inv = f32x4.splat(<f32>(1 / s));
      for (j = 0; j < c4; j += 4) v128.store(prow + (<usize>j << 2), f32x4.mul(v128.load(prow + (<usize>j << 2)), inv));
      for (; j < c; j++) store<f32>(prow + (<usize>j << 2), load<f32>(prow + (<usize>j << 2)) * <f32>(1 / s));
    }
    const k = load<i32>(t + (<usize>i << 2));
    if (k == ignore) continue;
    total += <f64>m + Math.log(s) - <f64>load<f32>(row + (<usize>k << 2));
  }
  return total;
}

/** dx = (probs − one-hot(t))·scale, rows whose class is `ignore` zero. */
export function xentBackward(n: i32, c: i32, probs: usize, t: usize, ignore: i32, scale: f32, dx: usize): void {
  const sv = f32x4.splat(scale);
  const c4 = c & ~3;
  for (let i = 0; i < n; i++) {
    const off = <usize>(i * c) << 2;
    const out = dx + off, p = probs + off;
    const k = load<i32>(t + (<usize>i << 2));
    if (k == ignore) {
      memory.fill(out, 0, <usize>c << 2);
      continue;
    }
    let j = 0;
    for (; j < c4; j += 4) v128.store(out + (<usize>j << 2), f32x4.mul(v128.load(p + (<usize>j << 2)), sv));
    for (; j < c; j++) store<f32>(out + (<usize>j << 2), load<f32>(p + (<usize>j << 2)) * scale);
    store<f32>(out + (<usize>k << 2), (load<f32>(p + (<usize>k << 2)) - 1) * scale);
  }
}
