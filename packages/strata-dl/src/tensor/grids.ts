// SPDX-License-Identifier: MIT
// Coordinate grids and log-spaced points (`torch.meshgrid`, `torch.logspace`) and the tensor
// contraction `torch.tensordot`, composed from reshapes, expands, permutes and one matmul.
import { StrataError, fmtShape } from '../core/errors.js';
import { normAxis } from '../core/shape.js';
import { type CreateOptions, linspace } from './creation.js';
import type { Tensor } from './tensor.js';

/**
 * Grids from 1-D coordinate tensors (`torch.meshgrid`): output k holds input k's values along its
 * own axis, repeated along the others. `indexing` 'ij' (the default, matrix order: shape [n₀, n₁, …])
 * or 'xy' (Cartesian: the first two axes swapped, [n₁, n₀, …]).
 *
 * @example
 * const [x, y] = meshgrid([tensor([1, 2, 3]), tensor([10, 20])], { indexing: 'xy' });
 * x.toArray(); // [[1, 2, 3], [1, 2, 3]]
 * y.toArray(); // [[10, 10, 10], [20, 20, 20]]
 */
export function meshgrid(tensors: readonly Tensor[], opts: { indexing?: 'ij' | 'xy' } = {}): Tensor[] {
  const indexing = opts.indexing ?? 'ij';
  if (indexing !== 'ij' && indexing !== 'xy') throw new StrataError('meshgrid', `indexing must be 'ij' or 'xy', got '${String(indexing)}'`);
  const bad = tensors.findIndex((t) => t.ndim > 1);
  if (bad >= 0) throw new StrataError('meshgrid', `expects 0-D or 1-D tensors, got ${fmtShape(tensors[bad].shape)} at ${bad}`);
  const sizes = tensors.map((t) => t.size);
  // 'xy' lays the first two inputs out along axes 1 and 0
  const axisOf = (k: number): number => (indexing === 'xy' && tensors.length >= 2 && k < 2 ? 1 - k : k);
  const shape = tensors.map((_, a) => sizes[tensors.findIndex((__, k) => axisOf(k) === a)]);
  return tensors.map((t, k) => t.reshape(shape.map((d, a) => (a === axisOf(k) ? d : 1))).expand(shape));
}

/**
 * `steps` points base^s for s evenly spaced from `start` to `end` (`torch.logspace`).
 *
 * @example
 * logspace(0, 3, 4).toArray(); // [1, 10, 100, 1000]
 */
export function logspace(start: number, end: number, steps: number, base = 10, opts: CreateOptions = {}): Tensor {
  const s = linspace(start, end, steps, { ...opts, dtype: 'float64', requiresGrad: false });
  const v = s._lift(base).pow(s).to(opts.dtype ?? 'float32');
  return opts.requiresGrad ? v.detach().requiresGrad_() : v;
}

/**
 * The contraction of a and b over pairs of axes (`torch.tensordot`): `dims` k pairs the last k axes
 * of a with the first k of b; [axesA, axesB] names them. The free axes of a, then those of b, form
 * the result. One matmul of a [free, contracted] against b [contracted, free].
 *
 * @example
 * tensordot(ones([2, 3, 4]), ones([3, 4, 5]), 2).shape; // [2, 5]
 * tensordot(tensor([[1, 2], [3, 4]]), tensor([[1, 0], [0, 1]]), [[0], [1]]).toArray(); // [[1, 3], [2, 4]]
 */
export function tensordot(a: Tensor, b: Tensor, dims: number | readonly [readonly number[], readonly number[]] = 2): Tensor {
  let axA: number[], axB: number[];
  if (typeof dims === 'number') {
    if (!Number.isInteger(dims) || dims < 0 || dims > a.ndim || dims > b.ndim) {
      throw new StrataError('tensordot', `dims must be an integer from 0 to ${Math.min(a.ndim, b.ndim)}, got ${dims} for ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
    }
    axA = Array.from({ length: dims }, (_, i) => a.ndim - dims + i);
    axB = Array.from({ length: dims }, (_, i) => i);
  } else {
    axA = dims[0].map((d) => normAxis('tensordot', d, a.ndim));
    axB = dims[1].map((d) => normAxis('tensordot', d, b.ndim));
    if (axA.length !== axB.length) throw new StrataError('tensordot', `dims must pair as many axes of a as of b, got [${dims[0].join(',')}] and [${dims[1].join(',')}]`);
  }
  axA.forEach((p, i) => {
    if (a.shape[p] !== b.shape[axB[i]]) throw new StrataError('tensordot', `axis ${p} of a ${fmtShape(a.shape)} and axis ${axB[i]} of b ${fmtShape(b.shape)} differ in size`);
  });
  const freeA = a.shape.map((_, i) => i).filter((i) => !axA.includes(i));
  const freeB = b.shape.map((_, i) => i).filter((i) => !axB.includes(i));
  const k = axA.reduce((p, i) => p * a.shape[i], 1);
  const am = a.permute([...freeA, ...axA]).reshape([freeA.reduce((p, i) => p * a.shape[i], 1), k]);
  const bm = b.permute([...axB, ...freeB]).reshape([k, freeB.reduce((p, i) => p * b.shape[i], 1)]);
  return am.matmul(bm).reshape([...freeA.map((i) => a.shape[i]), ...freeB.map((i) => b.shape[i])]);
}
