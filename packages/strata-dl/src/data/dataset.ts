// SPDX-License-Identifier: MIT
import { StrataError, fmtShape } from '../core/errors.js';
import type { Tensor } from '../tensor/tensor.js';

/** A map-style dataset, as PyTorch's: a length and random access to examples. */
export interface Dataset<T> {
  /** Number of examples. */
  readonly length: number;
  /** The example at `index` (0 ≤ index < length). */
  get(index: number): T;
}

/**
 * Examples stored as tensors whose first dimension indexes them; `get(i)` gives row i of each.
 * DataLoader batches such datasets with one gather per tensor instead of one copy per example.
 *
 * @example
 * const ds = new TensorDataset(x, y); // x [N, 784], y [N]
 * const [xi, yi] = ds.get(0);
 */
export class TensorDataset implements Dataset<Tensor[]> {
  readonly tensors: readonly Tensor[];
  constructor(...tensors: Tensor[]) {
    if (tensors.length === 0) throw new StrataError('TensorDataset', 'needs at least one tensor');
    const n = tensors[0].shape[0];
    for (const t of tensors) {
      if (t.ndim === 0 || t.shape[0] !== n) {
        throw new StrataError('TensorDataset', `all tensors need the same first dimension, got ${tensors.map((u) => fmtShape(u.shape)).join(', ')}`);
      }
    }
    this.tensors = tensors;
  }
  get length(): number {
    return this.tensors[0].shape[0];
  }
  /** Row `index` of each tensor. */
  get(index: number): Tensor[] {
    if (!(index >= 0 && index < this.length)) throw new StrataError('TensorDataset', `index ${index} is out of range for ${this.length} examples`);
    return this.tensors.map((t) => t.index(index));
  }
  /** Rows at the given positions, one gather per tensor. */
  take(indices: readonly number[]): Tensor[] {
    return this.tensors.map((t) => t.indexSelect(0, indices));
  }
}

/** The examples of `dataset` at `indices` (a view, no copy). */
export class Subset<T> implements Dataset<T> {
  constructor(readonly dataset: Dataset<T>, readonly indices: readonly number[]) {}
  get length(): number {
    return this.indices.length;
  }
  /** Example `indices[index]` of the underlying dataset. */
  get(index: number): T {
    return this.dataset.get(this.indices[index]);
  }
}

/** A dataset computed on access from another one (e.g. augmentation per example). */
export class MappedDataset<T, U> implements Dataset<U> {
  /**
   * @param dataset - The underlying dataset.
   * @param fn - Computes an example from the underlying one and its index.
   */
  constructor(readonly dataset: Dataset<T>, readonly fn: (example: T, index: number) => U) {}
  get length(): number {
    return this.dataset.length;
  }
  /** `fn` applied to example `index` of the underlying dataset. */
  get(index: number): U {
    return this.fn(this.dataset.get(index), index);
  }
}
