// SPDX-License-Identifier: MIT
// Cumulative ops, products and differences along a dimension, over the cumsum and
// cumprod primitives.
import { StrataError, fmtShape } from '../core/errors.js';
import { normAxis } from '../core/shape.js';
import type { Tensor, TensorLike } from './tensor.js';
import { cat } from './composite.js';

/** A 0-d tensor scans as one element along dim 0 (or -1), as in PyTorch. */
function scanAxis(op: string, x: Tensor, dim: number): number {
  if (x.ndim === 0) {
    if (dim !== 0 && dim !== -1) throw new StrataError(op, `dim ${dim} is out of range for a 0-d tensor (use 0 or -1)`);
    return 0;
  }
  return normAxis(op, dim, x.ndim);
}

/** Running sums along `dim`; bool and int32 inputs count in int32. */
export function cumsum(x: Tensor, dim: number): Tensor {
  return x._p('cumsum', [], { axis: scanAxis('cumsum', x, dim), reverse: false });
}

/** Running products along `dim`. */
export function cumprod(x: Tensor, dim: number): Tensor {
  return x._p('cumprod', [], { axis: scanAxis('cumprod', x, dim) });
}

/**
 * Product of all elements, or along `dim`: the last running product, so the gradient (cumprod's)
 * is exact with zeros too.
 */
export function prod(x: Tensor, dim?: number, keepdim = false): Tensor {
  if (dim === undefined) {
    if (x.size === 0) return x._make([1], [], x.dtype === 'bool' ? 'int32' : x.dtype);
    const flat = x.reshape([x.size])._p('cumprod', [], { axis: 0 });
    return flat.slice(0, x.size - 1).reshape([]);
  }
  const axis = scanAxis('prod', x, dim);
  if (x.ndim === 0) return x._p('cumprod', [], { axis: 0 });
  const n = x.shape[axis];
  const shape = x.shape.map((d, i) => (i === axis ? 1 : d));
  const r = n === 0 ? x._make([1], [], x.dtype === 'bool' ? 'int32' : x.dtype).expand(shape) : x._p('cumprod', [], { axis }).slice(axis, n - 1, n);
  return keepdim ? r : r.squeeze(axis);
}

/** An operand for diff's prepend/append: a number fills a slab one element thick along `axis`. */
function slab(x: Tensor, v: TensorLike, axis: number, what: string): Tensor {
  if (typeof v === 'number') return x._make([v], [], x.dtype).expand(x.shape.map((d, i) => (i === axis ? 1 : d)));
  if (v.ndim !== x.ndim || v.shape.some((d, i) => i !== axis && d !== x.shape[i])) {
    throw new StrataError('diff', `${what} ${fmtShape(v.shape)} must match input ${fmtShape(x.shape)} except along dimension ${axis}`);
  }
  return v;
}

/**
 * The n-th forward difference along `dim`, out[i] = x[i+1] − x[i] applied n times, after
 * concatenating `prepend` and `append` (PyTorch's `diff`; bool inputs give x[i+1] != x[i]).
 */
export function diff(x: Tensor, n = 1, dim = -1, prepend?: TensorLike, append?: TensorLike): Tensor {
  if (x.ndim === 0) throw new StrataError('diff', 'expects at least one dimension, got a 0-d tensor');
  if (!Number.isInteger(n) || n < 0) throw new StrataError('diff', `n must be a non-negative integer, got ${n}`);
  const axis = normAxis('diff', dim, x.ndim);
  const parts = [...(prepend !== undefined ? [slab(x, prepend, axis, 'prepend')] : []), x, ...(append !== undefined ? [slab(x, append, axis, 'append')] : [])];
  let r = cat(parts, axis);
  for (let k = 0; k < n && r.shape[axis] > 0; k++) {
    const m = r.shape[axis];
    const hi = r.slice(axis, 1, m);
    const lo = r.slice(axis, 0, m - 1);
    r = r.dtype === 'bool' ? hi.ne(lo) : hi.sub(lo);
  }
  return r;
}
