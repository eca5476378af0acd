// SPDX-License-Identifier: MIT
import type { Kernel } from '../../backend/backend.js';
import { windowCounts } from '../../ir/infer.js';
import { arr } from './buf.js';
import { forEachWindow } from './window.js';

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
