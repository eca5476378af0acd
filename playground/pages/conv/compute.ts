// SPDX-License-Identifier: MIT
// What the convolution explorer computes, with strata-dl: F.conv2d of the image with the kernel,
// then the chosen pooling; and the output-size formula with its numbers filled in. The formula is
// evaluated here on its own (not read off the result), so the page and the tests can check one
// against the other.
import * as st from 'strata-dl';
import type { ConvState } from './state.js';

const F = st.nn.functional;

/** A grey image, row-major. */
export interface Plane { data: Float32Array; h: number; w: number }

export interface SizeFormula {
  /** e.g. "⌊(32 + 1 + 1 − 2·(3 − 1) − 1) / 2⌋ + 1 = 15" */
  text: string;
  value: number;
}

export interface Explored {
  conv: Plane;
  pooled: Plane | null;
  /** padding [top, bottom, left, right] that the mode resolves to */
  pads: [number, number, number, number];
  formula: { h: SizeFormula; w: SizeFormula };
  poolFormula: { h: SizeFormula; w: SizeFormula } | null;
}

/** ⌊(n + before + after − d·(k − 1) − 1) / s⌋ + 1, as text with the numbers. */
export function sizeFormula(n: number, before: number, after: number, k: number, s: number, d: number): SizeFormula {
  const value = Math.floor((n + before + after - d * (k - 1) - 1) / s) + 1;
  return { value, text: `⌊(${n} + ${before} + ${after} − ${d}·(${k} − 1) − 1) / ${s}⌋ + 1 = ${value}` };
}

const plane = (t: st.Tensor): Plane => ({ data: Float32Array.from(t.flatten().toArray() as number[]), h: t.shape[2], w: t.shape[3] });

export function explore(img: Plane, s: ConvState): Explored {
  const k = Math.round(Math.sqrt(s.weights.length));
  const pads = F.resolvePadding2d('conv2d', s.padding, [img.h, img.w], [k, k], [s.stride, s.stride], [s.dilation, s.dilation]);
  const formula = {
    h: sizeFormula(img.h, pads[0], pads[1], k, s.stride, s.dilation),
    w: sizeFormula(img.w, pads[2], pads[3], k, s.stride, s.dilation),
  };
  return st.scoped(() => st.noGrad(() => {
    const x = st.tensor(img.data, { shape: [1, 1, img.h, img.w] });
    const weight = st.tensor(Float32Array.from(s.weights), { shape: [1, 1, k, k] });
    const y = F.conv2d(x, weight, null, { padding: s.padding, stride: s.stride, dilation: s.dilation });
    const conv = plane(y);
    let pooled: Plane | null = null;
    let poolFormula: Explored['poolFormula'] = null;
    const p = s.poolSize;
    if (s.pool !== 'none' && conv.h >= p && conv.w >= p) {
      const pool = s.pool === 'max' ? F.maxPool2d : s.pool === 'min' ? F.minPool2d : F.avgPool2d;
      pooled = plane(pool(y, p));
      poolFormula = { h: sizeFormula(conv.h, 0, 0, p, p, 1), w: sizeFormula(conv.w, 0, 0, p, p, 1) };
    }
    return { conv, pooled, pads, formula, poolFormula };
  }));
}
