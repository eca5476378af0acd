// SPDX-License-Identifier: MIT
import type { Kernel } from '../../backend/backend.js';
import { windowCounts } from '../../ir/infer.js';
import type { WindowAttrs } from '../../ir/prims.js';
import { arr } from './buf.js';

/**
 * Visits every (input position, column position) pair of the sliding windows that falls inside the
 * input (padding reads as zero, so pairs in the padding are skipped).
 */
function forEachWindow(n: number, c: number, h: number, w: number, a: WindowAttrs, oh: number, ow: number, f: (xi: number, ci: number) => void): void {
  const [kh, kw] = a.kernel;
  const [sh, sw] = a.stride;
  const [dh, dw] = a.dilation;
  const [pt, , pl] = a.padding;
  const L = oh * ow;
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      for (let ki = 0; ki < kh; ki++) {
        for (let kj = 0; kj < kw; kj++) {
          const row = ((b * c + ch) * kh + ki) * kw + kj;
          for (let y = 0; y < oh; y++) {
            const iy = y * sh - pt + ki * dh;
            if (iy < 0 || iy >= h) continue;
            for (let x = 0; x < ow; x++) {
              const ix = x * sw - pl + kj * dw;
              if (ix < 0 || ix >= w) continue;
              f(((b * c + ch) * h + iy) * w + ix, row * L + y * ow + x);
            }
          }
        }
      }
    }
  }
}

export const unfoldKernel: Kernel<'unfold'> = (out, [x], attrs) => {
  const o = arr(out);
  const src = arr(x);
  const [n, c, h, w] = x.shape;
  const [oh, ow] = windowCounts('unfold', [h, w], attrs);
  forEachWindow(n, c, h, w, attrs, oh, ow, (xi, ci) => { o[ci] = src[xi]; });
};

export const foldKernel: Kernel<'fold'> = (out, [cols], attrs) => {
  const o = arr(out);
  const src = arr(cols);
  const [n, c, h, w] = out.shape;
  const [oh, ow] = windowCounts('fold', [h, w], attrs);
  const acc = new Float64Array(o.length);
  forEachWindow(n, c, h, w, attrs, oh, ow, (xi, ci) => { acc[xi] += src[ci]; });
  o.set(acc);
};

/**
 * Where each window's max (min: the max of the negated values) is, as ih·W + iw in its plane. The
 * first real input starts the search, so padding is never chosen; `>` keeps the first of ties and
 * every NaN replaces the best, as in PyTorch's loop.
 */
export const poolIndexKernel: Kernel<'poolIndex'> = (out, [x], attrs) => {
  const o = arr(out);
  forEachExtremum(arr(x), x.shape, attrs, (k, _base, bi) => { o[k] = bi; });
};

/** Max/min pooling's values: the input at poolIndex's positions (same ties and NaN rule). */
export const poolKernel: Kernel<'pool'> = (out, [x], attrs) => {
  const o = arr(out), src = arr(x);
  forEachExtremum(src, x.shape, attrs, (k, base, bi) => { o[k] = src[base + bi]; });
};

/** Calls `f(output index, plane offset, index in plane)` for each window's extremum (see poolIndexKernel). */
function forEachExtremum(src: ArrayLike<number>, shape: readonly number[], attrs: WindowAttrs & { mode: 'max' | 'min' }, f: (k: number, base: number, bi: number) => void): void {
  const [n, c, h, w] = shape;
  const [oh, ow] = windowCounts('poolIndex', [h, w], attrs);
  const [kh, kw] = attrs.kernel;
  const [sh, sw] = attrs.stride;
  const [dh, dw] = attrs.dilation;
  const [pt, , pl] = attrs.padding;
  const sign = attrs.mode === 'max' ? 1 : -1;
  let k = 0;
  for (let plane = 0; plane < n * c; plane++) {
    const base = plane * h * w;
    for (let y = 0; y < oh; y++) {
      for (let xo = 0; xo < ow; xo++) {
        let best = -Infinity;
        let bi = -1;
        for (let ki = 0; ki < kh; ki++) {
          const iy = y * sh - pt + ki * dh;
          if (iy < 0 || iy >= h) continue;
          for (let kj = 0; kj < kw; kj++) {
            const ix = xo * sw - pl + kj * dw;
            if (ix < 0 || ix >= w) continue;
            const v = sign * src[base + iy * w + ix];
            if (bi < 0 || v > best || v !== v) { best = v; bi = iy * w + ix; }
          }
        }
        f(k++, base, bi);
      }
    }
  }
}

/**
 * conv = w·unfold(x) per image: the columns are made in a temporary array (double precision, so a
 * float32 result is rounded once, like the other js products), then multiplied; then the bias per
 * channel and ReLU (x < 0 ? 0 : x, as the relu kernel: NaN stays NaN), each on the rounded values, as separate ops would.
 */
export const convKernel: Kernel<'conv'> = (out, [x, wt, bias], attrs) => {
  const o = arr(out), src = arr(x), wv = arr(wt), bv = bias ? arr(bias) : null;
  const round = o instanceof Float32Array ? Math.fround : (v: number): number => v;
  const [n, c, h, w] = x.shape;
  const [oh, ow] = windowCounts('conv', [h, w], attrs);
  const L = oh * ow, K = c * attrs.kernel[0] * attrs.kernel[1], O = wt.shape[0];
  const cols = new Float64Array(n * K * L);
  forEachWindow(n, c, h, w, attrs, oh, ow, (xi, ci) => { cols[ci] = src[xi]; });
  const acc = new Float64Array(L);
  for (let b = 0; b < n; b++) {
    for (let oc = 0; oc < O; oc++) {
      acc.fill(0);
      for (let k = 0; k < K; k++) {
        const wk = wv[oc * K + k];
        const base = (b * K + k) * L;
        for (let l = 0; l < L; l++) acc[l] += wk * cols[base + l];
      }
      const at = (b * O + oc) * L;
      o.set(acc, at);
      if (!bv && !attrs.relu) continue;
      for (let l = 0; l < L; l++) {
        const v = bv ? round(o[at + l] + bv[oc]) : o[at + l];
        o[at + l] = attrs.relu ? (v < 0 ? 0 : v) : v;
      }
    }
  }
};
