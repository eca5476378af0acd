// SPDX-License-Identifier: MIT
import type { Kernel } from '../../backend/backend.js';
import { windowCounts } from '../../ir/infer.js';
import type { WindowAttrs } from '../../ir/prims.js';
import { arr } from './buf.js';

/**
 * Visits every (input position, column position) pair of the sliding windows that falls inside the
 * input (padding reads as zero, so pairs in the padding are skipped).
 */
export function forEachWindow(n: number, c: number, h: number, w: number, a: WindowAttrs, oh: number, ow: number, f: (xi: number, ci: number) => void): void {
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
