// SPDX-License-Identifier: MIT
// Counting the values of a tensor (torch.unique, torch.bincount). The results' sizes depend on the
// data, so both read it back (eager), as nonzero does; neither is differentiable.
import { isFloat } from '../core/dtype.js';
import { StrataError, fmtShape } from '../core/errors.js';
import type { Tensor } from './tensor.js';

/** `unique`'s result with `returnInverse` or `returnCounts`. */
export interface UniqueResult {
  /** The distinct values, sorted ascending. */
  readonly values: Tensor;
  /** For each input element (in the input's shape), the position of its value in `values` (int32). */
  readonly inverse: Tensor | null;
  /** How many input elements hold each value (int32). */
  readonly counts: Tensor | null;
}

/**
 * The distinct values of `x` (all elements), sorted ascending, as torch.unique with sorted=True.
 * NaNs count as one value, placed last (NumPy's `unique` with its default equal_nan; PyTorch 1.13
 * lists NaNs unsorted and separately).
 */
export function unique(x: Tensor, opts: { returnInverse?: boolean; returnCounts?: boolean } = {}): Tensor | UniqueResult {
  const data = x.dataSync();
  const order = Array.from({ length: data.length }, (_, i) => i).sort((a, b) => {
    const u = Number(data[a]), v = Number(data[b]);
    if (Number.isNaN(u) || Number.isNaN(v)) return Number.isNaN(u) ? (Number.isNaN(v) ? 0 : 1) : -1;
    return u - v;
  });
  const values: number[] = [], counts: number[] = [];
  const inverse = new Array<number>(data.length);
  let last: number | null = null;
  for (const i of order) {
    const v = Number(data[i]);
    if (last === null || !(v === last || (Number.isNaN(v) && Number.isNaN(last)))) {
      values.push(v);
      counts.push(0);
      last = v;
    }
    counts[counts.length - 1]++;
    inverse[i] = values.length - 1;
  }
  const u = x._make(values, [values.length], x.dtype);
  if (!opts.returnInverse && !opts.returnCounts) return u;
  return {
    values: u,
    inverse: opts.returnInverse ? x._make(inverse, x.shape, 'int32') : null,
    counts: opts.returnCounts ? x._make(counts, [counts.length], 'int32') : null,
  };
}

/**
 * How many times each of 0, 1, 2, ... occurs in the 1-D int32 tensor `x` (at least `minlength`
 * bins), as torch.bincount; with `weights` (one per element) the sum of their weights instead, in
 * the weights' dtype. Counts are int32 (PyTorch's are int64).
 *
 * @example
 * bincount(tensor([1, 3, 1], { dtype: 'int32' })).toArray(); // [0, 2, 0, 1]
 */
export function bincount(x: Tensor, opts: { weights?: Tensor; minlength?: number } = {}): Tensor {
  const { weights, minlength = 0 } = opts;
  if (x.dtype !== 'int32' || x.ndim !== 1) throw new StrataError('bincount', `input must be a 1-D int32 tensor, got ${x.dtype} ${fmtShape(x.shape)}`);
  if (!Number.isInteger(minlength) || minlength < 0) throw new StrataError('bincount', `minlength must be a non-negative integer, got ${minlength}`);
  if (weights && (weights.ndim !== 1 || weights.size !== x.size)) throw new StrataError('bincount', `weights ${fmtShape(weights.shape)} must be 1-D with one weight per input element ${fmtShape(x.shape)}`);
  const data = x.dataSync();
  let max = -1;
  for (let i = 0; i < data.length; i++) {
    if (data[i] < 0) throw new StrataError('bincount', `input holds ${data[i]} at index ${i}; the values must be >= 0`);
    if (data[i] > max) max = data[i];
  }
  const bins = new Array<number>(Math.max(minlength, max + 1)).fill(0);
  const w = weights?.dataSync();
  for (let i = 0; i < data.length; i++) bins[data[i]] += w ? Number(w[i]) : 1;
  const dtype = weights ? (isFloat(weights.dtype) ? weights.dtype : 'float32') : 'int32';
  return x._make(bins, [bins.length], dtype);
}
