// SPDX-License-Identifier: MIT
import { StrataError, fmtShape } from '../../core/errors.js';
import { stridesOf } from '../../core/shape.js';
import type { Kernel } from '../../backend/backend.js';
import { arr } from './buf.js';
import { forEachOffset } from './iter.js';

function checkIdx(op: string, v: number, n: number, shape: readonly number[], axis: number): void {
  if (v < 0 || v >= n) throw new StrataError(op, `index ${v} is out of bounds for dimension ${axis} of size ${n} (input ${fmtShape(shape)})`);
}

export const gatherKernel: Kernel<'gather'> = (out, [x, index], { axis }) => {
  const o = arr(out);
  const a = arr(x);
  const idx = arr(index);
  const xs = stridesOf(x.shape);
  const strides = xs.map((v, i) => (i === axis ? 0 : v));
  const n = x.shape[axis];
  forEachOffset(index.shape, [strides], (i, [p]) => {
    const k = idx[i];
    checkIdx('gather', k, n, x.shape, axis);
    o[i] = a[p + k * xs[axis]];
  });
};

export const scatterAddKernel: Kernel<'scatterAdd'> = (out, [x, index, src], { axis }) => {
  const o = arr(out);
  o.set(arr(x));
  const idx = arr(index);
  const s = arr(src);
  const os = stridesOf(out.shape);
  const strides = os.map((v, i) => (i === axis ? 0 : v));
  const ss = stridesOf(src.shape);
  const n = out.shape[axis];
  forEachOffset(index.shape, [strides, ss], (i, [p, q]) => {
    const k = idx[i];
    checkIdx('scatterAdd', k, n, out.shape, axis);
    o[p + k * os[axis]] += s[q];
  });
};
