// SPDX-License-Identifier: MIT
// The issue-21 ops as root-level functions (`st.cumsum(x, 0)` ≡ `x.cumsum(0)`), plus einsum and
// vectorNorm, which PyTorch has as functions only.
import type { CloseOptions, Tensor, TensorLike } from './tensor.js';
import { cdist as cdistOf } from './products.js';
import type { ValuesIndices } from './values-indices.js';
import type { QuantileInterpolation } from './quantiles.js';
import type { UniqueResult } from './counting.js';
import * as Ops from './tensorops.js';

import type { Axis } from './functions.js';

/**
 * The largest element, or `{ values, indices }` along `dim` (see `Tensor.max`).
 *
 * @example
 * max(tensor([[1, 5], [7, 0]]), 1).values.toArray(); // [5, 7]
 */
export function max(x: Tensor): Tensor;
export function max(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function max(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  return dim === undefined ? x.max() : x.max(dim, keepdim);
}
/**
 * The smallest element, or `{ values, indices }` along `dim` (see `Tensor.min`).
 *
 * @example
 * min(tensor([[1, 5], [7, 0]]), 1).indices.toArray(); // [0, 1]
 */
export function min(x: Tensor): Tensor;
export function min(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function min(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  return dim === undefined ? x.min() : x.min(dim, keepdim);
}
/** The distinct values of `x`, sorted; with options, `{ values, inverse, counts }` (see `Tensor.unique`). */
export function unique(x: Tensor, opts?: { returnInverse?: false; returnCounts?: false }): Tensor;
export function unique(x: Tensor, opts: { returnInverse?: boolean; returnCounts?: boolean }): UniqueResult;
export function unique(x: Tensor, opts: { returnInverse?: boolean; returnCounts?: boolean } = {}): Tensor | UniqueResult {
  return x.unique(opts);
}
/** Occurrences (or summed weights) of 0, 1, 2, ... in a 1-D int32 tensor (see `Tensor.bincount`). */
export const bincount = (x: Tensor, opts: { weights?: Tensor; minlength?: number } = {}): Tensor => x.bincount(opts);
/**
 * The lower median of all elements, or `{ values, indices }` along `dim` (see `Tensor.median`).
 *
 * @example
 * median(tensor([[3, 1, 4], [2, 6, 5]]), 1).values.toArray(); // [3, 5]
 */
export function median(x: Tensor): Tensor;
export function median(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function median(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  return dim === undefined ? x.median() : x.median(dim, keepdim);
}
/** The q-quantiles along `dim`, or of all elements (see `Tensor.quantile`). */
export const quantile = (x: Tensor, q: number | readonly number[], dim?: number, keepdim = false, interpolation: QuantileInterpolation = 'linear'): Tensor =>
  x.quantile(q, dim, keepdim, interpolation);
/** Maximum values over one, several or all dims. @example amax(tensor([[1, 5], [7, 0]]), 1).toArray(); // [5, 7] */
export const amax = (x: Tensor, axis?: Axis, keepdim = false): Tensor => x.amax(axis, keepdim);
/** Minimum values over one, several or all dims. @example amin(tensor([[1, 5], [7, 0]])).item(); // 0 */
export const amin = (x: Tensor, axis?: Axis, keepdim = false): Tensor => x.amin(axis, keepdim);

/** Running sums along `dim`. @example cumsum(tensor([[1, 2], [3, 4]]), 0).toArray(); // [[1, 2], [4, 6]] */
export const cumsum = (x: Tensor, dim: number): Tensor => x.cumsum(dim);
/** Running products along `dim`. @example cumprod(tensor([2, 0, 3]), 0).toArray(); // [2, 0, 0] */
export const cumprod = (x: Tensor, dim: number): Tensor => x.cumprod(dim);
/** Product of all elements, or along `dim`. @example prod(tensor([2, 3, 4])).item(); // 24 */
export const prod = (x: Tensor, dim?: number, keepdim = false): Tensor => x.prod(dim, keepdim);
/** n-th forward difference. @example diff(tensor([1, 4, 9]), 1, 0, 0).toArray(); // [1, 3, 5] */
export const diff = (x: Tensor, n = 1, dim = -1, prepend?: TensorLike, append?: TensorLike): Tensor => x.diff(n, dim, prepend, append);
/** torch.norm for vectors. @example norm(tensor([[3, 4], [6, 8]]), 2, 1).toArray(); // [5, 10] */
export const norm = (x: Tensor, p: number | 'fro' = 'fro', dim?: Axis, keepdim = false): Tensor => x.norm(p, dim, keepdim);
/** torch.linalg.vector_norm. @example vectorNorm(tensor([-3, 1, 2]), Infinity).item(); // 3 */
export const vectorNorm = (x: Tensor, ord = 2, dim?: Axis, keepdim = false): Tensor => Ops.vectorNorm(x, ord, dim, keepdim);
/** Sorted values and positions. @example sort(tensor([2, 3, 1]), -1, true).values.toArray(); // [3, 2, 1] */
export const sort = (x: Tensor, dim = -1, descending = false): ValuesIndices => x.sort(dim, descending);
/** Sorting positions. @example argsort(tensor([2, 3, 1])).toArray(); // [2, 0, 1] */
export const argsort = (x: Tensor, dim = -1, descending = false): Tensor => x.argsort(dim, descending);
/** k largest (or smallest). @example topk(tensor([5, 1, 3]), 2, -1, false).indices.toArray(); // [1, 2] */
export const topk = (x: Tensor, k: number, dim = -1, largest = true, sorted = true): ValuesIndices => x.topk(k, dim, largest, sorted);
/** Lower triangle. @example tril(ones([2, 3]), -1).toArray(); // [[0, 0, 0], [1, 0, 0]] */
export const tril = (x: Tensor, diagonal = 0): Tensor => x.tril(diagonal);
/** Upper triangle. @example triu(ones([2, 2])).toArray(); // [[1, 1], [0, 1]] */
export const triu = (x: Tensor, diagonal = 0): Tensor => x.triu(diagonal);
/** Outer product. @example outer(tensor([1, 2]), tensor([3])).toArray(); // [[3], [6]] */
export const outer = (a: Tensor, b: Tensor): Tensor => a.outer(b);
/** PyTorch's repeat. @example repeat(tensor([1, 2]), [3]).toArray(); // [1, 2, 1, 2, 1, 2] */
export const repeat = (x: Tensor, reps: readonly number[]): Tensor => x.repeat(reps);
/** NumPy's tile. @example tile(tensor([1, 2]), [2]).toArray(); // [1, 2, 1, 2] */
export const tile = (x: Tensor, reps: readonly number[]): Tensor => x.tile(reps);
/** Circular shift. @example roll(tensor([[1, 2], [3, 4]]), 1, 0).toArray(); // [[3, 4], [1, 2]] */
export const roll = (x: Tensor, shifts: number | readonly number[], dims?: number | readonly number[]): Tensor => x.roll(shifts, dims);
/** `value` where mask is true. @example maskedFill(tensor([1, 2]), tensor([false, true]), -1).toArray(); // [1, -1] */
export const maskedFill = (x: Tensor, mask: Tensor, value: number | Tensor): Tensor => x.maskedFill(mask, value);
/** Entries where mask is true, 1-D. @example maskedSelect(tensor([[1, 2], [3, 4]]), tensor([true, false])).toArray(); // [1, 3] */
export const maskedSelect = (x: Tensor, mask: Tensor): Tensor => x.maskedSelect(mask);
/**
 * Non-zero positions: int32 [count, ndim], or one index tensor per dim with `asTuple`.
 * @example nonzero(tensor([[0, 1], [2, 0]]), { asTuple: true })[1].toArray(); // [1, 0]
 */
export const nonzero = Ops.nonzero;
/** @example isnan(tensor([NaN, 0])).toArray(); // [true, false] */
export const isnan = (x: Tensor): Tensor => x.isnan();
/** @example isinf(tensor([-Infinity, 0])).toArray(); // [true, false] */
export const isinf = (x: Tensor): Tensor => x.isinf();
/** @example isfinite(tensor([-Infinity, 0])).toArray(); // [false, true] */
export const isfinite = (x: Tensor): Tensor => x.isfinite();
/** @example nanToNum(tensor([NaN, -Infinity]), 1, undefined, -5).toArray(); // [1, -5] */
export const nanToNum = (x: Tensor, nan = 0, posinf?: number, neginf?: number): Tensor => x.nanToNum(nan, posinf, neginf);
/** The sum with NaN counted as 0 (`torch.nansum`). @example nansum(tensor([1, NaN, 2])).item(); // 3 */
export const nansum = (x: Tensor, axis?: number | number[], keepdim = false): Tensor => x.nansum(axis, keepdim);
/** The mean of the elements that are not NaN (`torch.nanmean`). @example nanmean(tensor([1, NaN, 2])).item(); // 1.5 */
export const nanmean = (x: Tensor, axis?: number | number[], keepdim = false): Tensor => x.nanmean(axis, keepdim);
/** Where a and b are close (`torch.isclose`). @example isclose(tensor([1, 2]), tensor([1, 2.1])).toArray(); // [true, false] */
export const isclose = (a: Tensor, b: TensorLike, opts: CloseOptions = {}): Tensor => a.isclose(b, opts);
/** Whether all of a is close to b (`torch.allclose`). @example allclose(tensor([1, 2]), tensor([1, 2])); // true */
export const allclose = (a: Tensor, b: TensorLike, opts: CloseOptions = {}): boolean => a.allclose(b, opts);
/** Non-zero elements along `axis`, int32 (`torch.count_nonzero`). @example countNonzero(tensor([0, 3, 0, 4])).item(); // 2 */
export const countNonzero = (x: Tensor, axis?: number | number[]): Tensor => x.countNonzero(axis);
/** The running maximum and its positions (`torch.cummax`). @example cummax(tensor([2, 1, 3]), 0).values.toArray(); // [2, 2, 3] */
export const cummax = (x: Tensor, dim: number): ValuesIndices => x.cummax(dim);
/** The running minimum and its positions (`torch.cummin`). @example cummin(tensor([2, 1, 3]), 0).indices.toArray(); // [0, 1, 1] */
export const cummin = (x: Tensor, dim: number): ValuesIndices => x.cummin(dim);
/** Insertion points into sorted rows (`torch.searchsorted`). @example searchsorted(tensor([1, 2, 4]), tensor([3])).toArray(); // [2] */
export const searchsorted = (sorted: Tensor, values: TensorLike, right = false): Tensor => sorted.searchsorted(values, right);
/** Bucket indices (`torch.bucketize`). @example bucketize(tensor([2, 5]), tensor([1, 4])).toArray(); // [1, 2] */
export const bucketize = (x: Tensor, boundaries: Tensor, right = false): Tensor => x.bucketize(boundaries, right);
/** Kronecker product (`torch.kron`). @example kron(tensor([1, 2]), tensor([1, -1])).toArray(); // [1, -1, 2, -2] */
export const kron = (a: Tensor, b: Tensor): Tensor => a.kron(b);
/** Cross product of 3-vectors (`torch.linalg.cross`). @example cross(tensor([0, 1, 0]), tensor([0, 0, 1])).toArray(); // [1, 0, 0] */
export const cross = (a: Tensor, b: Tensor, dim = -1): Tensor => a.cross(b, dim);
/**
 * Pairwise p-norm distances between the rows of x1 [..., P, M] and x2 [..., R, M] (`torch.cdist`).
 * @example cdist(tensor([[0, 0]]), tensor([[3, 4], [0, 1]])).toArray(); // [[5, 1]]
 */
export const cdist = (x1: Tensor, x2: Tensor, p = 2): Tensor => cdistOf(x1, x2, p);
/** A copy with its own storage (differentiable). @example clone(tensor([1, 2])).toArray(); // [1, 2] */
export const clone = (x: Tensor): Tensor => x.clone();
/**
 * Einstein summation (torch.einsum).
 * @example einsum('ij,jk->ik', ones([2, 3]), ones([3, 2])).toArray(); // [[3, 3], [3, 3]]
 * @example einsum('ii', tensor([[1, 2], [3, 4]])).item(); // 5
 */
export const einsum = Ops.einsum;
