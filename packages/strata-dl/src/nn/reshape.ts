// SPDX-License-Identifier: MIT
import { StrataError, fmtShape } from '../core/errors.js';
import { normAxis } from '../core/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/**
 * Flattens dimensions `startDim`..`endDim` (default: all but the batch), turning conv features into
 * the vector a fully connected layer takes.
 *
 * @example new Flatten().forward(zeros([8, 16, 5, 5])).shape; // [8, 400]
 */
export class Flatten extends Module {
  constructor(readonly startDim = 1, readonly endDim = -1) { super(); }
  forward(x: Tensor): Tensor { return x.flatten(this.startDim, this.endDim); }
}

/**
 * Expands dimension `dim` into `unflattenedSize` (one entry may be -1), the inverse of `Flatten`.
 *
 * @example new Unflatten(1, [2, -1]).forward(zeros([8, 6])).shape; // [8, 2, 3]
 */
export class Unflatten extends Module {
  readonly unflattenedSize: readonly number[];
  constructor(readonly dim: number, unflattenedSize: readonly number[]) {
    super();
    if (unflattenedSize.length === 0 || !unflattenedSize.every((d) => Number.isInteger(d) && (d >= 0 || d === -1))) {
      throw new StrataError('Unflatten', `unflattenedSize must be a non-empty list of sizes (one may be -1), got [${unflattenedSize.join(',')}]`);
    }
    this.unflattenedSize = [...unflattenedSize];
  }
  forward(x: Tensor): Tensor {
    const d = normAxis('Unflatten', this.dim, x.ndim);
    const sizes = this.unflattenedSize;
    const known = sizes.reduce((a, s) => (s === -1 ? a : a * s), 1);
    const n = x.shape[d];
    const unknown = sizes.filter((s) => s === -1).length;
    if (unknown > 1 || (unknown === 0 && known !== n) || (unknown === 1 && (known === 0 || n % known !== 0))) {
      throw new StrataError('Unflatten', `sizes [${sizes.join(',')}] do not unflatten dimension ${d} of size ${n} (input ${fmtShape(x.shape)})`);
    }
    const full = sizes.map((s) => (s === -1 ? n / known : s));
    return x.reshape([...x.shape.slice(0, d), ...full, ...x.shape.slice(d + 1)]);
  }
}
