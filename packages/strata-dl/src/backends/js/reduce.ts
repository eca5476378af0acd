// SPDX-License-Identifier: MIT
import { stridesOf } from '../../core/shape.js';
import type { Kernel } from '../../backend/backend.js';
import { arr } from './buf.js';
import { forEachOffset } from './iter.js';

/** Strides into the (keepdim) output for each input position: 0 along reduced axes. */
function outStrides(outShape: readonly number[], axes: readonly number[]): number[] {
  const s = stridesOf(outShape);
  return s.map((v, i) => (axes.includes(i) ? 0 : v));
}

export const sumKernel: Kernel<'sum'> = (out, [x], { axes }) => {
  const o = arr(out);
  const a = arr(x);
  // Accumulate in float64 so the reference stays accurate for float32 sums of many terms.
  const acc = new Float64Array(o.length);
  const os = outStrides(out.shape, axes);
  forEachOffset(x.shape, [os], (i, [p]) => { acc[p] += a[i]; });
  o.set(acc);
};

function extremum<P extends 'max' | 'min'>(isMax: boolean): Kernel<P> {
  return (out, [x], { axes }) => {
    const o = arr(out);
    const a = arr(x);
    const acc = new Float64Array(o.length).fill(isMax ? -Infinity : Infinity);
    const os = outStrides(out.shape, axes);
    forEachOffset(x.shape, [os], (i, [p]) => {
      const v = a[i];
      if (v !== v || (isMax ? v > acc[p] : v < acc[p])) acc[p] = v;
      else if (acc[p] !== acc[p]) acc[p] = NaN;
    });
    o.set(acc);
  };
}
export const maxKernel = extremum<'max'>(true);
export const minKernel = extremum<'min'>(false);

function argExtremum<P extends 'argmax' | 'argmin'>(isMax: boolean): Kernel<P> {
  return (out, [x], { axis }) => {
    const o = arr(out);
    const a = arr(x);
    const n = x.shape[axis];
    const inner = stridesOf(x.shape)[axis];
    const outer = o.length / inner;
    for (let p = 0; p < outer; p++) {
      for (let q = 0; q < inner; q++) {
        const base = p * n * inner + q;
        let best = a[base];
        let bi = 0;
        for (let k = 1; k < n && best === best; k++) {
          const v = a[base + k * inner];
          if (v !== v || (isMax ? v > best : v < best)) { best = v; bi = k; }
        }
        o[p * inner + q] = bi;
      }
    }
  };
}
export const argmaxKernel = argExtremum<'argmax'>(true);
export const argminKernel = argExtremum<'argmin'>(false);
