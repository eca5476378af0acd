// SPDX-License-Identifier: MIT
// Order statistics from a sort, as PyTorch defines them: the lower median (with its position) and
// quantiles with PyTorch's five interpolations. A row holding NaN gives NaN (its first NaN's
// position for the median), as there. Differentiable through the sorted values.
import { isFloat } from '../core/dtype.js';
import { StrataError, fmtShape } from '../core/errors.js';
import { roundHalfEven } from '../core/round.js';
import { normAxis } from '../core/shape.js';
import { stack } from './composite.js';
import { sort } from './sorting.js';
import type { Tensor } from './tensor.js';
import { ValuesIndices } from './values-indices.js';

/** How `quantile` picks between the two sorted values around position q·(n − 1). */
export type QuantileInterpolation = 'linear' | 'lower' | 'higher' | 'nearest' | 'midpoint';

const INTERPOLATIONS: readonly QuantileInterpolation[] = ['linear', 'lower', 'higher', 'nearest', 'midpoint'];

function nonEmpty(op: string, x: Tensor, axis: number): number {
  const n = x.shape[axis] ?? 1;
  if (n === 0) throw new StrataError(op, `cannot take it over an empty dimension: input ${fmtShape(x.shape)}, dim ${axis}`);
  return n;
}

/** The lower median along `dim` (the ⌊(n − 1)/2⌋-th smallest) with its position, torch.median's. */
export function medianAlong(x: Tensor, dim: number, keepdim: boolean): ValuesIndices {
  const axis = normAxis('median', dim, Math.max(x.ndim, 1));
  const t = x.ndim === 0 ? x.reshape([1]) : x;
  const n = nonEmpty('median', t, axis);
  const s = sort(t, axis);
  // with NaN in a row, torch.median gives its first NaN, which the sort puts after the numbers
  let pos = t._make([(n - 1) >> 1], [], 'int32');
  if (isFloat(t.dtype)) {
    const nans = t.ne(t).to('int32').sum(axis, true);
    pos = pos.where(nans.eq(0), nans.neg().add(n));
  }
  const at = pos.expand([...t.shape.slice(0, axis), 1, ...t.shape.slice(axis + 1)]);
  const values = s.values.gather(axis, at), indices = s.indices.gather(axis, at);
  return keepdim && x.ndim > 0 ? new ValuesIndices(values, indices) : new ValuesIndices(values.squeeze(axis), indices.squeeze(axis));
}

/** The lower median of all elements (torch.median with no dim), NaN if any is NaN. */
export function median(x: Tensor): Tensor {
  return medianAlong(x.reshape([x.size]), 0, false).values;
}

/**
 * The q-quantiles along `dim` (of all elements when omitted), as torch.quantile: position
 * q·(n − 1) of the sorted values, between its two neighbours by `interpolation`. A list of q
 * adds a leading axis, one entry per q. The input must be float.
 */
export function quantile(x: Tensor, q: number | readonly number[], dim: number | undefined, keepdim: boolean, interpolation: QuantileInterpolation): Tensor {
  if (!isFloat(x.dtype)) throw new StrataError('quantile', `input must be float32 or float64, got ${x.dtype} ${fmtShape(x.shape)}`);
  if (!INTERPOLATIONS.includes(interpolation)) throw new StrataError('quantile', `interpolation must be one of ${INTERPOLATIONS.join(', ')}, got '${String(interpolation)}'`);
  const qs = typeof q === 'number' ? [q] : [...q];
  if (qs.length === 0) throw new StrataError('quantile', 'q is an empty list');
  for (const v of qs) if (!(v >= 0 && v <= 1)) throw new StrataError('quantile', `q must be in [0, 1], got ${v}`);
  const flat = dim === undefined;
  const t = flat ? x.reshape([x.size]) : x;
  const axis = flat ? 0 : normAxis('quantile', dim, t.ndim);
  const n = nonEmpty('quantile', t, axis);
  const sorted = sort(t, axis).values;
  const hasNan = t.ne(t).any(axis, true);
  const pick = (k: number): Tensor => sorted.narrow(axis, k, 1);
  const one = qs.map((v) => {
    const pos = v * (n - 1);
    const lo = Math.floor(pos), hi = Math.ceil(pos);
    let r: Tensor;
    if (interpolation === 'lower') r = pick(lo);
    else if (interpolation === 'higher') r = pick(hi);
    else if (interpolation === 'nearest') r = pick(roundHalfEven(pos)); // ties to even, as torch.round
    else {
      const w = interpolation === 'midpoint' ? 0.5 : pos - lo;
      const a = pick(lo), b = pick(hi);
      r = w === 0 ? a : a.add(b.sub(a).mul(w));
    }
    r = r.where(hasNan.logicalNot(), t._make([NaN], [], t.dtype));
    if (flat) return keepdim ? r.reshape(x.shape.map(() => 1)) : r.reshape([]);
    return keepdim ? r : r.squeeze(axis);
  });
  return typeof q === 'number' ? one[0] : stack(one);
}
