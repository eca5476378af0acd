// SPDX-License-Identifier: MIT
// NumPy-style stacking and block layouts (`torch.hstack`, `vstack`, `dstack`, `column_stack`,
// `block_diag`, `cartesian_prod`), the triangle index lists (`triu_indices`, `tril_indices`) and
// `rot90`, composed from reshapes, cat, flips and transposes, so gradients flow through them.
import { StrataError, fmtShape } from '../core/errors.js';
import { normAxis } from '../core/shape.js';
import { cat, stack } from './composite.js';
import { type CreateOptions, tensor, zeros } from './creation.js';
import { meshgrid } from './grids.js';
import type { Tensor } from './tensor.js';

const nonEmpty = (op: string, ts: readonly Tensor[]): void => {
  if (ts.length === 0) throw new StrataError(op, 'expects a non-empty list of tensors');
};
/** 0-d as [1], others as they are (`torch.atleast_1d`). */
const atLeast1 = (t: Tensor): Tensor => (t.ndim === 0 ? t.reshape([1]) : t);
/** 0-d and 1-D [n] as rows [1, n], others as they are (`torch.atleast_2d`). */
const atLeast2 = (t: Tensor): Tensor => (t.ndim < 2 ? t.reshape([1, t.size]) : t);

/**
 * Concatenation along the columns: along dim 0 for 1-D tensors, dim 1 otherwise (`torch.hstack`).
 *
 * @example
 * hstack([tensor([1, 2]), tensor([3])]).toArray(); // [1, 2, 3]
 */
export function hstack(tensors: readonly Tensor[]): Tensor {
  nonEmpty('hstack', tensors);
  const ts = tensors.map(atLeast1);
  return cat(ts, ts[0].ndim === 1 ? 0 : 1);
}

/**
 * Concatenation along the rows, 1-D tensors taken as rows (`torch.vstack`).
 *
 * @example
 * vstack([tensor([1, 2]), tensor([3, 4])]).toArray(); // [[1, 2], [3, 4]]
 */
export function vstack(tensors: readonly Tensor[]): Tensor {
  nonEmpty('vstack', tensors);
  return cat(tensors.map(atLeast2), 0);
}

/**
 * Concatenation along the third dimension, [n] taken as [1, n, 1] and [m, n] as [m, n, 1]
 * (`torch.dstack`).
 *
 * @example
 * dstack([tensor([1, 2]), tensor([3, 4])]).toArray(); // [[[1, 3], [2, 4]]]
 */
export function dstack(tensors: readonly Tensor[]): Tensor {
  nonEmpty('dstack', tensors);
  return cat(tensors.map((t) => (t.ndim < 2 ? t.reshape([1, t.size, 1]) : t.ndim === 2 ? t.unsqueeze(2) : t)), 2);
}

/**
 * 1-D tensors as columns side by side, others concatenated along dim 1 (`torch.column_stack`).
 *
 * @example
 * columnStack([tensor([1, 2]), tensor([3, 4])]).toArray(); // [[1, 3], [2, 4]]
 */
export function columnStack(tensors: readonly Tensor[]): Tensor {
  nonEmpty('columnStack', tensors);
  return cat(tensors.map((t) => (t.ndim < 2 ? t.reshape([t.size, 1]) : t)), 1);
}

/**
 * The block-diagonal matrix of the given blocks (0-d as [1, 1], 1-D as a row), zeros elsewhere,
 * in the promoted dtype (`torch.block_diag`).
 *
 * @example
 * blockDiag([tensor([[1, 2]]), tensor(3)]).toArray(); // [[1, 2, 0], [0, 0, 3]]
 */
export function blockDiag(tensors: readonly Tensor[]): Tensor {
  nonEmpty('blockDiag', tensors);
  const bad = tensors.findIndex((t) => t.ndim > 2);
  if (bad >= 0) throw new StrataError('blockDiag', `expects tensors of at most 2 dimensions, got ${fmtShape(tensors[bad].shape)} at ${bad}`);
  const blocks = tensors.map(atLeast2);
  const cols = blocks.reduce((s, b) => s + b.shape[1], 0);
  let before = 0;
  const rows = blocks.map((b) => {
    const [r, c] = b.shape;
    const z = (n: number): Tensor => zeros([r, n], { dtype: b.dtype, backend: b.backend.name });
    const row = cat([z(before), b, z(cols - before - c)], 1);
    before += c;
    return row;
  });
  return cat(rows, 0);
}

/**
 * Every combination of one element from each 1-D tensor, as rows [N, k] (`torch.cartesian_prod`);
 * one tensor comes back as it is.
 *
 * @example
 * cartesianProd([tensor([1, 2]), tensor([3, 4])]).toArray(); // [[1, 3], [1, 4], [2, 3], [2, 4]]
 */
export function cartesianProd(tensors: readonly Tensor[]): Tensor {
  nonEmpty('cartesianProd', tensors);
  const bad = tensors.findIndex((t) => t.ndim !== 1);
  if (bad >= 0) throw new StrataError('cartesianProd', `expects 1-D tensors, got ${fmtShape(tensors[bad].shape)} at ${bad}`);
  if (tensors.length === 1) return tensors[0];
  return stack(meshgrid(tensors).map((g) => g.reshape([-1])), 1);
}

/** The [2, n] int32 row and column indices of the entries of a rows × cols matrix that `keep` keeps, row by row. */
function triangleIndices(op: string, rows: number, cols: number, keep: (i: number, j: number) => boolean, opts: CreateOptions): Tensor {
  for (const [name, v] of [['rows', rows], ['cols', cols]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new StrataError(op, `${name} must be a non-negative integer, got ${v}`);
  }
  const r: number[] = [], c: number[] = [];
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) if (keep(i, j)) { r.push(i); c.push(j); }
  return tensor([...r, ...c], { shape: [2, r.length], dtype: opts.dtype ?? 'int32', backend: opts.backend });
}

/**
 * The indices of the upper triangle of a rows × cols matrix, from the `offset`-th diagonal up
 * (`torch.triu_indices`), as int32 [2, n]: row indices, then column indices.
 *
 * @example
 * triuIndices(3, 3).toArray(); // [[0, 0, 0, 1, 1, 2], [0, 1, 2, 1, 2, 2]]
 */
export const triuIndices = (rows: number, cols: number, offset = 0, opts: CreateOptions = {}): Tensor =>
  triangleIndices('triuIndices', rows, cols, (i, j) => j - i >= offset, opts);
/**
 * The indices of the lower triangle of a rows × cols matrix, up to the `offset`-th diagonal
 * (`torch.tril_indices`), as int32 [2, n].
 *
 * @example
 * trilIndices(3, 3, -1).toArray(); // [[1, 2, 2], [0, 0, 1]]
 */
export const trilIndices = (rows: number, cols: number, offset = 0, opts: CreateOptions = {}): Tensor =>
  triangleIndices('trilIndices', rows, cols, (i, j) => j - i <= offset, opts);

/**
 * `x` rotated by k quarter turns in the plane of `dims` (default [0, 1]), from the first axis
 * toward the second (`torch.rot90`).
 *
 * @example
 * rot90(tensor([[1, 2], [3, 4]])).toArray(); // [[2, 4], [1, 3]]
 */
export function rot90(x: Tensor, k = 1, dims: readonly [number, number] = [0, 1]): Tensor {
  if (!Number.isInteger(k)) throw new StrataError('rot90', `k must be an integer, got ${k}`);
  if (x.ndim < 2) throw new StrataError('rot90', `expects at least 2 dimensions, got ${fmtShape(x.shape)}`);
  const a = normAxis('rot90', dims[0], x.ndim), b = normAxis('rot90', dims[1], x.ndim);
  if (a === b) throw new StrataError('rot90', `dims must be two different axes, got [${dims.join(', ')}]`);
  switch (((k % 4) + 4) % 4) {
    case 1: return x.flip(b).transpose(a, b);
    case 2: return x.flip([a, b]);
    case 3: return x.flip(a).transpose(a, b);
    default: return x.clone();
  }
}
