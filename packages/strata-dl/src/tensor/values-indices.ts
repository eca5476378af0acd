// SPDX-License-Identifier: MIT
import type { Tensor } from './tensor.js';

/**
 * What `max(dim)`, `min(dim)`, `sort` and `topk` return: PyTorch's (values, indices) named tuple as
 * an object with both fields that is also iterable, so it destructures either way.
 *
 * @example
 * const x = tensor([[1, 5, 2], [7, 0, 7]]);
 * const r = x.max(1);
 * const { values, indices } = r;
 * const [v, i] = r; // the same two tensors
 * values.toArray(); // [5, 7]
 * indices.toArray(); // [1, 0]
 * v === values && i === indices; // true
 */
export class ValuesIndices {
  constructor(
    /** The selected values (differentiable: the gradient flows to the selected positions). */
    readonly values: Tensor,
    /** Their int32 positions along the dimension. */
    readonly indices: Tensor,
  ) {}

  /** Yields `values` then `indices`, for `const [v, i] = x.max(1)`. */
  *[Symbol.iterator](): Iterator<Tensor> {
    yield this.values;
    yield this.indices;
  }
}
