// SPDX-License-Identifier: MIT
import type { TypedArray } from '../../core/dtype.js';
import type { Shape } from '../../core/shape.js';
import { sizeOf } from '../../core/shape.js';

/**
 * Copies `src` read through arbitrary strides (and a base offset) into contiguous `out` of `shape`.
 * Permute, expand, slice and flip are all this one loop with different strides.
 */
export function stridedCopy(out: TypedArray, shape: Shape, src: TypedArray, strides: readonly number[], offset: number): void {
  const r = shape.length;
  const total = sizeOf(shape);
  if (total === 0) return;
  if (r === 0) {
    out[0] = src[offset];
    return;
  }
  const n = shape[r - 1];
  const s = strides[r - 1];
  const idx = new Array<number>(r).fill(0);
  let off = offset;
  let o = 0;
  for (let outer = total / n; outer > 0; outer--) {
    for (let j = 0, p = off; j < n; j++, p += s) out[o++] = src[p];
    for (let d = r - 2; d >= 0; d--) {
      idx[d]++;
      off += strides[d];
      if (idx[d] < shape[d]) break;
      off -= strides[d] * shape[d];
      idx[d] = 0;
    }
  }
}

/** Calls `f(o, offsets)` for every element of `shape`, with the offset of each operand given its strides. */
export function forEachOffset(shape: Shape, strides: readonly (readonly number[])[], f: (o: number, offs: readonly number[]) => void): void {
  const r = shape.length;
  const total = sizeOf(shape);
  const offs = strides.map(() => 0);
  const idx = new Array<number>(r).fill(0);
  for (let o = 0; o < total; o++) {
    f(o, offs);
    for (let d = r - 1; d >= 0; d--) {
      idx[d]++;
      for (let k = 0; k < offs.length; k++) offs[k] += strides[k][d];
      if (idx[d] < shape[d]) break;
      for (let k = 0; k < offs.length; k++) offs[k] -= strides[k][d] * shape[d];
      idx[d] = 0;
    }
  }
}
