// SPDX-License-Identifier: MIT
// Sample covariance and correlation matrices (`torch.cov`, `torch.corrcoef`) and the trapezoid
// rule (`torch.trapezoid`), composed from means, one matmul and slices, so gradients flow.
import { StrataError, fmtShape } from '../core/errors.js';
import { normAxis } from '../core/shape.js';
import { asFloat } from './math-ops.js';
import type { Tensor } from './tensor.js';

/**
 * The covariance matrix of the variables in the rows of `x` ([vars, observations]; 1-D: one
 * variable, a 0-d result), with N − `correction` in the denominator (default 1, the unbiased
 * estimate; 0 the maximum-likelihood one), as `torch.cov` without weights. NaN where N − correction
 * is not positive (0/0), as PyTorch's.
 *
 * @example
 * cov(tensor([[0, 1, 2], [2, 1, 0]])).toArray(); // [[1, -1], [-1, 1]]
 */
export function cov(x: Tensor, correction = 1): Tensor {
  if (x.ndim > 2) throw new StrataError('cov', `expects [variables, observations] or one variable, got ${fmtShape(x.shape)}`);
  if (!Number.isInteger(correction) || correction < 0) throw new StrataError('cov', `correction must be a non-negative integer, got ${correction}`);
  const m = asFloat(x.ndim < 2 ? x.reshape([1, -1]) : x);
  const c = m.sub(m.mean(1, true));
  const out = c.matmul(c.t()).div(Math.max(m.shape[1] - correction, 0));
  return x.ndim < 2 ? out.reshape([]) : out;
}

/**
 * Pearson's correlation coefficients of the variables in the rows of `x`, clamped to [−1, 1], as
 * `torch.corrcoef`; NaN for a variable that does not vary.
 *
 * @example
 * corrcoef(tensor([[1, 2, 3], [3, 1, 2]])).toArray(); // [[1, -0.5], [-0.5, 1]]
 */
export function corrcoef(x: Tensor): Tensor {
  const c = cov(x);
  if (c.ndim === 0) return c.div(c);
  const sd = c.diagonal().sqrt();
  return c.div(sd.unsqueeze(1)).div(sd.unsqueeze(0)).clamp(-1, 1);
}

/**
 * ∫ y along `dim` (default the last) by the trapezoid rule, with samples `dx` apart (default 1) or
 * at positions `x` (1-D, or shaped as y), as `torch.trapezoid`.
 *
 * @example
 * trapezoid(tensor([1, 2, 4])).item(); // 4.5
 * trapezoid(tensor([1, 2, 4]), { x: tensor([0, 1, 3]) }).item(); // 7.5
 */
export function trapezoid(y: Tensor, opts: { x?: Tensor; dx?: number; dim?: number } = {}): Tensor {
  const f = asFloat(y);
  const axis = normAxis('trapezoid', opts.dim ?? -1, f.ndim);
  const n = f.shape[axis];
  if (n === 0) return f.sum(axis);
  const mid = f.narrow(axis, 1, n - 1).add(f.narrow(axis, 0, n - 1));
  if (opts.x === undefined) return mid.sum(axis).mul((opts.dx ?? 1) / 2);
  const x = asFloat(opts.x);
  if (x.ndim === 1 ? x.shape[0] !== n : x.ndim !== f.ndim) {
    throw new StrataError('trapezoid', `x ${fmtShape(x.shape)} must have ${n} points, or y's shape ${fmtShape(f.shape)}`);
  }
  const xa = x.ndim === 1 ? 0 : axis;
  let dx = x.narrow(xa, 1, n - 1).sub(x.narrow(xa, 0, n - 1));
  if (x.ndim === 1 && f.ndim > 1) dx = dx.reshape(f.shape.map((d, k) => (k === axis ? n - 1 : 1)));
  return mid.mul(dx).sum(axis).div(2);
}
