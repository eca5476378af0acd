// SPDX-License-Identifier: MIT
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
