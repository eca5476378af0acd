// SPDX-License-Identifier: MIT
// Running extrema with their positions (`torch.cummax`, `torch.cummin`) and binary search into
// sorted rows (`torch.searchsorted`, `torch.bucketize`), composed from comparisons, where and
// gather: the positions are found without a gradient, and the values are gathered at them, so the
// gradient goes to the positions, as PyTorch's does.
import { StrataError, fmtShape } from '../core/errors.js';
import { normAxis } from '../core/shape.js';
import { noGrad } from '../autograd/mode.js';
import { cat } from './composite.js';
import type { Tensor } from './tensor.js';
import { ValuesIndices } from './values-indices.js';

/**
 * The running maximum (or minimum) along `dim` and where it was taken, as torch.cummax and
 * torch.cummin: a later equal value takes over (its index is kept), and a NaN takes over and
 * stays until the next NaN. Found by doubling, ⌈log₂ n⌉ passes of the associative rule "the later
 * of two (value, index) pairs wins if it is NaN, or if the earlier is not and it is at least as
 * large (small)", then the values are gathered at the indices.
 */
export function cumExtremum(op: 'cummax' | 'cummin', x: Tensor, dim: number): ValuesIndices {
  const axis = normAxis(op, dim, Math.max(x.ndim, 1));
  if (x.dtype === 'bool') throw new StrataError(op, `expects a numeric tensor, got bool ${fmtShape(x.shape)}`);
  if (x.ndim === 0) return new ValuesIndices(x.clone(), x._make([0], [], 'int32'));
  const n = x.shape[axis];
  const indices = noGrad(() => {
    // float64 holds every int32 exactly; ∓∞ before the start loses to anything
    let v = x.detach().to('float64');
    const along = x.shape.map((_, d) => (d === axis ? n : 1));
    let i = x._make(Array.from({ length: n }, (_, k) => k), along, 'float64').expand(x.shape);
    const start = op === 'cummax' ? -Infinity : Infinity;
    for (let s = 1; s < n; s *= 2) {
      const fill = [...x.shape];
      fill[axis] = s;
      const pv = cat([x._make([start], [], 'float64').expand(fill), v.narrow(axis, 0, n - s)], axis);
      const pi = cat([x._make([-1], [], 'float64').expand(fill), i.narrow(axis, 0, n - s)], axis);
      // the later pair (v, i) wins over the earlier (pv, pi) where this holds
      const atLeast = op === 'cummax' ? v.ge(pv) : v.le(pv);
      const later = v.isnan().logicalOr(pv.isnan().logicalNot().logicalAnd(atLeast));
      v = v.where(later, pv);
      i = i.where(later, pi);
    }
    return i.to('int32');
  });
  return new ValuesIndices(x.gather(axis, indices), indices);
}

/**
 * Where each of `values` would go in the rows of `sorted` (its last dimension), as
 * torch.searchsorted: the first position whose element is not below it (`right`: not at or below),
 * int32. A 1-D `sorted` serves every value; else its leading dimensions match `values`'. The same
 * binary search as PyTorch's, ⌈log₂(n + 1)⌉ steps over all values at once, so NaN (which compares
 * false) goes where PyTorch's puts it: a NaN value after everything.
 */
export function searchsorted(sorted: Tensor, values: Tensor, right = false): Tensor {
  if (sorted.ndim === 0) throw new StrataError('searchsorted', `sorted must have at least 1 dimension, got ${fmtShape(sorted.shape)}`);
  const shared = sorted.ndim === 1;
  if (!shared && (values.ndim !== sorted.ndim || values.shape.slice(0, -1).some((d, k) => d !== sorted.shape[k]))) {
    throw new StrataError('searchsorted', `values ${fmtShape(values.shape)} must have the leading dimensions of sorted ${fmtShape(sorted.shape)} (or sorted must be 1-D)`);
  }
  const n = sorted.shape[sorted.ndim - 1];
  return noGrad(() => {
    const s = sorted.detach(), v = values.detach();
    // a shared row is gathered at a flat list of positions; per-row searches gather along the last axis
    const flat = shared ? v.reshape([-1]) : v;
    let lo = flat.zerosLike().to('float64');
    let hi = lo.add(n);
    for (let w = n; w > 0; w = Math.floor(w / 2)) {
      const mid = lo.add(hi).div(2).floor();
      const at = s.gather(shared ? 0 : s.ndim - 1, mid.minimum(Math.max(n - 1, 0)).to('int32'));
      // PyTorch's lower bound moves right where !(mid >= value), its upper bound where !(mid > value)
      const active = lo.lt(hi);
      const goRight = (right ? at.gt(flat) : at.ge(flat)).logicalNot().logicalAnd(active);
      const goLeft = goRight.logicalNot().logicalAnd(active);
      lo = mid.add(1).where(goRight, lo);
      hi = mid.where(goLeft, hi);
    }
    return lo.to('int32').reshape(values.shape);
  });
}
