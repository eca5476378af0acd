// SPDX-License-Identifier: MIT
// PyTorch's small conveniences, composed from other ops so that ported code runs as written: the
// named products (`mm`, `bmm`, `mv`, `dot`) with their rank checks, axis moves (`movedim`), and
// diagonals (`diagonal`, `trace`, `diag`).
import { StrataError, fmtShape } from '../core/errors.js';
import { normAxis } from '../core/shape.js';
import type { Tensor } from './tensor.js';

function rank(op: string, arg: string, x: Tensor, ndim: number): void {
  if (x.ndim !== ndim) throw new StrataError(op, `${arg} must be ${ndim}-D, got ${fmtShape(x.shape)}`);
}

/** [n, k] · [k, m] (torch.mm): matmul restricted to matrices. */
export function mm(a: Tensor, b: Tensor): Tensor {
  rank('mm', 'input', a, 2);
  rank('mm', 'mat2', b, 2);
  return a.matmul(b);
}

/** [B, n, k] · [B, k, m] (torch.bmm): no broadcasting of the batch, as in PyTorch. */
export function bmm(a: Tensor, b: Tensor): Tensor {
  rank('bmm', 'input', a, 3);
  rank('bmm', 'mat2', b, 3);
  if (a.shape[0] !== b.shape[0]) throw new StrataError('bmm', `batch sizes differ: input ${fmtShape(a.shape)}, mat2 ${fmtShape(b.shape)}`);
  return a.matmul(b);
}

/** [n, k] · [k] (torch.mv). */
export function mv(a: Tensor, v: Tensor): Tensor {
  rank('mv', 'input', a, 2);
  rank('mv', 'vec', v, 1);
  return a.matmul(v);
}

/** Σ aᵢbᵢ of two vectors of one length (torch.dot), as a 0-d tensor. */
export function dot(a: Tensor, b: Tensor): Tensor {
  rank('dot', 'input', a, 1);
  rank('dot', 'other', b, 1);
  if (a.shape[0] !== b.shape[0]) throw new StrataError('dot', `lengths differ: input ${fmtShape(a.shape)}, other ${fmtShape(b.shape)}`);
  return a.mul(b).sum();
}

/**
 * Moves the axes `source` to the positions `destination`, the others keeping their order
 * (torch.movedim).
 */
export function movedim(x: Tensor, source: number | readonly number[], destination: number | readonly number[]): Tensor {
  const src = (typeof source === 'number' ? [source] : [...source]).map((a) => normAxis('movedim', a, x.ndim));
  const dst = (typeof destination === 'number' ? [destination] : [...destination]).map((a) => normAxis('movedim', a, x.ndim));
  if (src.length !== dst.length) throw new StrataError('movedim', `source has ${src.length} axes, destination ${dst.length}`);
  if (new Set(src).size !== src.length || new Set(dst).size !== dst.length) {
    throw new StrataError('movedim', `repeated axis in source [${src.join(', ')}] or destination [${dst.join(', ')}]`);
  }
  const perm = new Array<number>(x.ndim).fill(-1);
  src.forEach((s, i) => { perm[dst[i]] = s; });
  const rest = [...Array(x.ndim).keys()].filter((a) => !src.includes(a));
  for (let i = 0, r = 0; i < perm.length; i++) if (perm[i] === -1) perm[i] = rest[r++];
  return x.permute(perm);
}

/**
 * The diagonal at `offset` (above the main one when positive) of the planes of axes `dim1` and
 * `dim2`, as a new last axis (torch.diagonal; a copy, where PyTorch's is a view).
 */
export function diagonal(x: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  if (x.ndim < 2) throw new StrataError('diagonal', `input must be at least 2-D, got ${fmtShape(x.shape)}`);
  const d1 = normAxis('diagonal', dim1, x.ndim), d2 = normAxis('diagonal', dim2, x.ndim);
  if (d1 === d2) throw new StrataError('diagonal', `dim1 and dim2 are the same axis (${d1})`);
  const y = movedim(x, [d1, d2], [-2, -1]);
  const n = y.shape[y.ndim - 2], m = y.shape[y.ndim - 1];
  const first = Math.max(0, -offset);
  const len = Math.max(0, Math.min(n - first, m - first - offset));
  const at = Array.from({ length: len }, (_, i) => (first + i) * m + first + i + offset);
  return y.reshape([...y.shape.slice(0, -2), n * m]).indexSelect(-1, at);
}

/** The sum of a matrix's main diagonal (torch.trace), a 0-d tensor. */
export function trace(x: Tensor): Tensor {
  rank('trace', 'input', x, 2);
  return diagonal(x).sum();
}

/**
 * torch.diag: a vector becomes the square matrix with it on the diagonal at `offset` (zeros
 * elsewhere, NaN and ∞ staying on the diagonal); a matrix gives its diagonal at `offset`.
 */
export function diag(x: Tensor, offset = 0): Tensor {
  if (x.ndim === 2) return diagonal(x, offset);
  rank('diag', 'input', x, 1);
  const k = Math.abs(offset), size = x.shape[0] + k;
  // row i, column j holds v[i] (offset >= 0, j − i = offset) or v[j] (offset < 0, i − j = −offset)
  const v = x.pad([0, k]);
  const spread = offset >= 0 ? v.unsqueeze(1).expand(size, size) : v.unsqueeze(0).expand(size, size);
  const rows = x._make(Array.from({ length: size }, (_, i) => i), [size, 1], 'int32');
  const cols = x._make(Array.from({ length: size }, (_, j) => j), [1, size], 'int32');
  return spread.where(cols.sub(rows).eq(offset), x._make([0], [], x.dtype));
}
