// SPDX-License-Identifier: MIT
// Scans (cumsum, cumprod) and the sorting permutation (argsort) along one axis: each row of the
// axis is [outer, n, inner] with stride `inner`, as for argmax.
import { stridesOf } from '../../core/shape.js';
import type { Kernel } from '../../backend/backend.js';
import type { TypedArray } from '../../core/dtype.js';
import { arr } from './buf.js';

/** Calls `f(base, n, inner)` for every row along `axis` (a 0-d tensor is one row of one). */
function forEachRow(shape: readonly number[], axis: number, f: (base: number, n: number, step: number) => void): void {
  if (shape.length === 0) return f(0, 1, 1);
  const n = shape[axis];
  const inner = stridesOf(shape)[axis];
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  for (let p = 0; p < outer; p++) for (let q = 0; q < inner; q++) f(p * n * inner + q, n, inner);
}

/** Running sums, accumulated in float64 (as PyTorch's CPU kernel does) and rounded per element. */
export const cumsumKernel: Kernel<'cumsum'> = (out, [x], { axis, reverse }) => {
  const o = arr(out);
  const a = arr(x);
  forEachRow(x.shape, axis, (base, n, step) => {
    let acc = 0;
    for (let k = 0; k < n; k++) {
      const i = base + (reverse ? n - 1 - k : k) * step;
      acc += a[i];
      o[i] = acc;
    }
  });
};

export const cumprodKernel: Kernel<'cumprod'> = (out, [x], { axis }) => {
  const o = arr(out);
  const a = arr(x);
  forEachRow(x.shape, axis, (base, n, step) => {
    let acc = 1;
    for (let k = 0; k < n; k++) {
      const i = base + k * step;
      acc *= a[i];
      o[i] = acc;
    }
  });
};

/** Ascending order with NaN above everything (PyTorch's sort); equal keys compare 0, so the stable sort keeps their order. */
export function compareKeys(u: number, v: number): number {
  if (u !== u) return v !== v ? 0 : 1;
  if (v !== v) return -1;
  return u < v ? -1 : u > v ? 1 : 0;
}

/** Stable: equal keys keep their input order in both directions (PyTorch's `stable=True`). */
export const argsortKernel: Kernel<'argsort'> = (out, [x], { axis, descending }) => {
  const o = arr(out);
  const a = arr(x);
  const sign = descending ? -1 : 1;
  forEachRow(x.shape, axis, (base, n, step) => {
    const keys: TypedArray = a;
    const idx = Array.from({ length: n }, (_, k) => k);
    idx.sort((p, q) => sign * compareKeys(keys[base + p * step], keys[base + q * step]));
    for (let k = 0; k < n; k++) o[base + k * step] = idx[k];
  });
};
