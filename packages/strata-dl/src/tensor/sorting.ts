// SPDX-License-Identifier: MIT
// Sorting and selection: the argsort primitive gives a stable permutation, and the
// values are a gather with it, so every gradient here is gather's (to the selected positions).
import { StrataError, fmtShape } from '../core/errors.js';
import { normAxis } from '../core/shape.js';
import type { Tensor } from './tensor.js';
import { ValuesIndices } from './values-indices.js';

/** Runs `f` on x viewed as 1-D when it is 0-d (PyTorch treats a scalar as one element along dim 0 or -1). */
function on1d(op: string, x: Tensor, dim: number, f: (x: Tensor, axis: number) => ValuesIndices): ValuesIndices {
  if (x.ndim > 0) return f(x, normAxis(op, dim, x.ndim));
  if (dim !== 0 && dim !== -1) throw new StrataError(op, `dim ${dim} is out of range for a 0-d tensor (use 0 or -1)`);
  const r = f(x.reshape([1]), 0);
  return new ValuesIndices(r.values.reshape([]), r.indices.reshape([]));
}

/** The stable sorting permutation along `dim` (NaN above +∞), int32. */
export function argsort(x: Tensor, dim = -1, descending = false): Tensor {
  if (x.ndim === 0) return on1d('argsort', x, dim, (t) => new ValuesIndices(t, t._make([0], [1], 'int32'))).indices;
  return x._p('argsort', [], { axis: normAxis('argsort', dim, x.ndim), descending });
}

/** Values sorted along `dim` and the positions they came from (stable: ties keep their order). */
export function sort(x: Tensor, dim = -1, descending = false): ValuesIndices {
  return on1d('sort', x, dim, (t, axis) => {
    const indices = t._p('argsort', [], { axis, descending });
    return new ValuesIndices(t.gather(axis, indices), indices);
  });
}

/** The k largest (or smallest) entries along `dim`, in order, with their positions. */
export function topk(x: Tensor, k: number, dim = -1, largest = true, sorted = true): ValuesIndices {
  void sorted; // always sorted: PyTorch leaves the order unspecified when sorted is false
  // PyTorch gives a 0-d tensor's k = 0 the same result as k = 1: the scalar itself, index 0
  if (x.ndim === 0 && k === 0) k = 1;
  return on1d('topk', x, dim, (t, axis) => {
    const n = t.shape[axis];
    if (!Number.isInteger(k) || k < 0 || k > n) throw new StrataError('topk', `k = ${k} is out of range for dimension ${axis} of size ${n} in ${fmtShape(x.shape)}`);
    const order = t._p('argsort', [], { axis, descending: largest });
    const indices = order.slice(axis, 0, k);
    return new ValuesIndices(t.gather(axis, indices), indices);
  });
}

/**
 * Max (or min) along `dim` with its position: the first of equal extrema, or the first NaN
 * (PyTorch's `max(dim)`). The gradient goes to that one position, as in PyTorch.
 */
export function extremumAlong(x: Tensor, mode: 'max' | 'min', dim: number, keepdim: boolean): ValuesIndices {
  const op = mode;
  if (x.ndim === 0) {
    if (dim !== 0 && dim !== -1) throw new StrataError(op, `dim ${dim} is out of range for a 0-d tensor (use 0 or -1)`);
    return new ValuesIndices(x.clone(), x._make([0], [], 'int32'));
  }
  const axis = normAxis(op, dim, x.ndim);
  if (x.shape[axis] === 0) throw new StrataError(op, `cannot reduce the empty dimension ${axis} of ${fmtShape(x.shape)}`);
  const idx = x._p(mode === 'max' ? 'argmax' : 'argmin', [], { axis });
  const values = x.gather(axis, idx);
  if (keepdim) return new ValuesIndices(values, idx);
  return new ValuesIndices(values.squeeze(axis), idx.squeeze(axis));
}
