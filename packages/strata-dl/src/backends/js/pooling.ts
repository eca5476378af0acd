// SPDX-License-Identifier: MIT
import type { Kernel } from '../../backend/backend.js';
import { windowCounts } from '../../ir/infer.js';
import type { WindowAttrs } from '../../ir/prims.js';
import { arr } from './buf.js';

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

