// SPDX-License-Identifier: MIT
// The Kronecker product, the 3-vector cross product and pairwise distances (`torch.kron`,
// `torch.linalg.cross`, `torch.cdist`), composed from reshapes, broadcasting products and norms,
// so their gradients of every order come from those.
import { StrataError, fmtShape } from '../core/errors.js';
import { normAxis } from '../core/shape.js';
import { cat } from './composite.js';
import { vectorNorm } from './norm.js';
import type { Tensor } from './tensor.js';

/**
 * a ⊗ b: for a of shape [a₀, a₁, …] and b of [b₀, b₁, …] (the shorter padded with leading 1s),
 * the block tensor of shape [a₀b₀, a₁b₁, …] whose block at position i of a is a[i]·b.
 */
export function kron(a: Tensor, b: Tensor): Tensor {
  const r = Math.max(a.ndim, b.ndim);
  const as = [...Array<number>(r - a.ndim).fill(1), ...a.shape], bs = [...Array<number>(r - b.ndim).fill(1), ...b.shape];
  // a as [a₀, 1, a₁, 1, …] times b as [1, b₀, 1, b₁, …]: each a[i] meets all of b, interleaved
  const ai = a.reshape(as.flatMap((d) => [d, 1])), bi = b.reshape(bs.flatMap((d) => [1, d]));
  return ai.mul(bi).reshape(as.map((d, k) => d * bs[k]));
}

/**
 * The cross product of 3-vectors along `dim` (default the last), broadcasting the rest, as
 * torch.linalg.cross: (a₁b₂ − a₂b₁, a₂b₀ − a₀b₂, a₀b₁ − a₁b₀).
 */
export function cross(a: Tensor, b: Tensor, dim = -1): Tensor {
  const rank = Math.max(a.ndim, b.ndim);
  const axis = normAxis('cross', dim, rank);
  const size = (t: Tensor): number | undefined => t.shape[axis - (rank - t.ndim)];
  if (size(a) !== 3 || size(b) !== 3) {
    throw new StrataError('cross', `dim ${dim} must have size 3 in both inputs, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  }
  const at = (t: Tensor, k: number): Tensor => t.narrow(axis - (rank - t.ndim), k, 1);
  const part = (i: number, j: number): Tensor => at(a, i).mul(at(b, j)).sub(at(a, j).mul(at(b, i)));
  return cat([part(1, 2), part(2, 0), part(0, 1)], axis);
}

/**
 * The p-norm distance between each row of x1 [..., P, M] and each row of x2 [..., R, M] (leading
 * dimensions broadcast), [..., P, R], as torch.cdist: the norm of the differences, so its gradient
 * at a zero distance is vectorNorm's (0, as PyTorch's).
 */
export function cdist(x1: Tensor, x2: Tensor, p = 2): Tensor {
  if (x1.ndim < 2 || x2.ndim < 2 || x1.shape[x1.ndim - 1] !== x2.shape[x2.ndim - 1]) {
    throw new StrataError('cdist', `expects x1 [..., P, M] and x2 [..., R, M] with the same M, got ${fmtShape(x1.shape)} and ${fmtShape(x2.shape)}`);
  }
  if (!(p >= 0)) throw new StrataError('cdist', `p must be a number >= 0, got ${p}`);
  return vectorNorm(x1.unsqueeze(-2).sub(x2.unsqueeze(-3)), p, -1);
}
