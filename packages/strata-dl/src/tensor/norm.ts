// SPDX-License-Identifier: MIT
// Vector norms: torch.linalg.vector_norm and torch.norm's vector cases, composed so
// that every order has gradients of any order, 0 at a zero vector (as PyTorch's masked formula).
import { StrataError, fmtShape } from '../core/errors.js';
import { normAxes } from '../core/shape.js';
import { asFloat } from './math-ops.js';
import type { Tensor } from './tensor.js';

/** s^q with s ≥ 0, and 0 (with a zero gradient, not 0·∞) where s is 0. */
function root(s: Tensor, q: number): Tensor {
  const zero = s.eq(0);
  const safe = s.onesLike().where(zero, s);
  const r = q === 0.5 ? safe.sqrt() : safe.pow(q);
  return s.zerosLike().where(zero, r);
}

/** a^p for a ≥ 0, and exactly 0 (with a zero gradient) where a is 0. */
function safePow(a: Tensor, p: number): Tensor {
  const zero = a.eq(0);
  return a.zerosLike().where(zero, a.onesLike().where(zero, a).pow(p));
}

/**
 * (Σ|x|^ord)^(1/ord) over `dim` (all dims when omitted): ord 2 (default), 1, ∞ (max |x|), −∞
 * (min |x|), 0 (the count of non-zeros) or any other real. Integer inputs are taken as float32.
 */
export function vectorNorm(x: Tensor, ord = 2, dim?: number | number[], keepdim = false): Tensor {
  if (typeof ord !== 'number' || Number.isNaN(ord)) throw new StrataError('vectorNorm', `ord must be a number, got ${String(ord)}`);
  const axes = normAxes('vectorNorm', dim, x.ndim);
  const xf = asFloat(x);
  const a = xf.abs();
  if (ord === Infinity || ord === -Infinity) {
    if (axes.some((ax) => x.shape[ax] === 0) || (x.ndim === 0 && x.size === 0)) {
      throw new StrataError('vectorNorm', `ord ${ord} needs a non-empty input, got ${fmtShape(x.shape)} over dims [${axes.join(',')}]`);
    }
    return ord > 0 ? a.amax(axes, keepdim) : a.amin(axes, keepdim);
  }
  if (ord === 0) return a.ne(0).to(xf.dtype).sum(axes, keepdim);
  if (ord === 1) return a.sum(axes, keepdim);
  if (ord === 2) return root(xf.mul(xf).sum(axes, keepdim), 0.5);
  // |x|^ord with a zero gradient at x = 0 (for ord < 1 the true one is unbounded; PyTorch gives 0)
  return root((ord > 0 ? safePow(a, ord) : a.pow(ord)).sum(axes, keepdim), 1 / ord);
}

/**
 * torch.norm for vectors: `p` a number (see `vectorNorm`) or 'fro' (the 2-norm over `dim`, all
 * elements when omitted). The nuclear norm ('nuc') and matrix orders are not supported.
 */
export function norm(x: Tensor, p: number | 'fro' = 'fro', dim?: number | number[], keepdim = false): Tensor {
  if (p === 'fro') return vectorNorm(x, 2, dim, keepdim);
  if (typeof p !== 'number') throw new StrataError('norm', `p must be a number or 'fro', got '${String(p)}' (matrix norms such as 'nuc' are not supported)`);
  return vectorNorm(x, p, dim, keepdim);
}
