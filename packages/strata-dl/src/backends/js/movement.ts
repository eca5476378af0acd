// SPDX-License-Identifier: MIT
import { StrataError, fmtShape } from '../../core/errors.js';
import { broadcastStrides, sizeOf, stridesOf } from '../../core/shape.js';
import type { Kernel } from '../../backend/backend.js';
import { arr } from './buf.js';
import { forEachOffset, stridedCopy } from './iter.js';

export const permuteKernel: Kernel<'permute'> = (out, [x], { perm }) => {
  const s = stridesOf(x.shape);
  stridedCopy(arr(out), out.shape, arr(x), perm.map((p) => s[p]), 0);
};

export const expandKernel: Kernel<'expand'> = (out, [x]) => {
  stridedCopy(arr(out), out.shape, arr(x), broadcastStrides(x.shape, out.shape), 0);
};

export const sliceKernel: Kernel<'slice'> = (out, [x], { starts }) => {
  const s = stridesOf(x.shape);
  const offset = starts.reduce((acc, st, i) => acc + st * s[i], 0);
  stridedCopy(arr(out), out.shape, arr(x), s, offset);
};

export const flipKernel: Kernel<'flip'> = (out, [x], { axes }) => {
  const s = stridesOf(x.shape);
  let offset = 0;
  const strides = s.map((v, i) => {
    if (!axes.includes(i)) return v;
    offset += (x.shape[i] - 1) * v;
    return -v;
  });
  stridedCopy(arr(out), out.shape, arr(x), strides, offset);
};

export const padKernel: Kernel<'pad'> = (out, [x], { before, value }) => {
  const o = arr(out);
  const a = arr(x);
  o.fill(value);
  const os = stridesOf(out.shape);
  const base = before.reduce((acc, b, i) => acc + b * os[i], 0);
  forEachOffset(x.shape, [os], (i, [p]) => { o[base + p] = a[i]; });
};

export const concatKernel: Kernel<'concat'> = (out, ins, { axis }) => {
  const o = arr(out);
  const outer = sizeOf(out.shape.slice(0, axis));
  const rowOut = sizeOf(out.shape.slice(axis));
  let col = 0;
  for (const v of ins) {
    const a = arr(v);
    const row = sizeOf(v.shape.slice(axis));
    for (let p = 0; p < outer; p++) {
      const dst = p * rowOut + col;
      for (let j = 0; j < row; j++) o[dst + j] = a[p * row + j];
    }
    col += row;
  }
};

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
