// SPDX-License-Identifier: MIT
// Scans along one axis and the sorting permutation: one pass each, where a composite
// would be O(n²) or lose accuracy.
import { bind } from './bind.js';
import { StrataError, fmtShape } from '../core/errors.js';
import { cumprodJvp, cumprodVjp } from './scan-rules.js';
import { same } from './movement.js';
import type { Meta, OutMeta, Records } from './record.js';

export interface ScanAttrs {
  // running sums (from the end when `reverse`: cumsum's own adjoint) and running products
  cumsum: { axis: number; reverse: boolean };
  cumprod: { axis: number };
  // the stable sorting permutation along one axis, int32 (NaN sorts above +∞, as in PyTorch): sort,
  // topk and max/min with indices gather with it, so their gradients are gather's
  argsort: { axis: number; descending: boolean };
}

/** Scans and argsort keep the shape; cumsum of bool/int32 counts in int32, argsort gives int32 positions. */
const scanShape = (prim: 'cumsum' | 'cumprod' | 'argsort') => ([x]: readonly Meta[], { axis }: { axis: number }): OutMeta => {
  if (!(Number.isInteger(axis) && axis >= 0 && axis < Math.max(x.shape.length, 1))) {
    throw new StrataError(prim, `axis ${axis} is out of range for ${fmtShape(x.shape)}`);
  }
  if (prim === 'argsort') {
    if (x.dtype === 'bool') throw new StrataError('argsort', `expects a numeric tensor, got bool ${fmtShape(x.shape)}`);
    return { shape: [...x.shape], dtype: 'int32' };
  }
  return { shape: [...x.shape], dtype: x.dtype === 'bool' ? 'int32' : x.dtype };
};

export const SCAN_RECORDS: Records<ScanAttrs> = {
  cumsum: {
    shape: scanShape('cumsum'), cost: 'light', differentiable: true,
    // a running sum's adjoint is the running sum from the other end
    vjp: (g, _i, _o, { axis, reverse }) => [bind('cumsum', [g], { axis, reverse: !reverse })],
    jvp: same('cumsum'),
  },
  cumprod: {
    shape: scanShape('cumprod'), cost: 'light', differentiable: true,
    vjp: (g, [x], out, { axis }) => [cumprodVjp(g, x, out, axis)],
    jvp: ([t], [x], out, { axis }) => (t ? cumprodJvp(t, x, out, axis) : null),
  },
  argsort: { shape: scanShape('argsort'), cost: 'heavy', differentiable: false },
};
