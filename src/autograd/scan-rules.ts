// SPDX-License-Identifier: MIT
// Derivative rules of the scan primitives (cumsum, cumprod) and argsort. Written with
// differentiable tensor ops, so they differentiate again.
import type { Tensor } from '../tensor/tensor.js';

const cumsum = (t: Tensor, axis: number, reverse: boolean): Tensor => t._p('cumsum', [], { axis, reverse });

/**
 * Where the zeros of x are along `axis`: `before` marks positions ahead of the row's first zero,
 * `first` the first zero itself. Null when x has no zero (the common case: one readback decides).
 */
function zerosOf(x: Tensor, axis: number): { before: Tensor; first: Tensor; zero: Tensor } | null {
  const zero = x.eq(0);
  if (zero.to('int32').sum().item() === 0) return null;
  const zi = zero.to('int32');
  const count = cumsum(zi, axis, false);
  // a zero with no zero ahead of it: 1 + 1 where the exclusive count is still 0
  return { before: count.eq(0), first: zi.add(count.sub(zi).eq(0).to('int32')).eq(2), zero };
}

/**
 * x with its first zero per row set to 1: cumprod of it at j ≥ z is ∏_{i≤j, i≠z} xᵢ, the derivative
 * of out_j with respect to that zero.
 */
const withoutFirstZero = (x: Tensor, first: Tensor): Tensor => x.onesLike().where(first, x);

/**
 * cumprod's VJP. Without zeros, ∂L/∂x_k = Σ_{j≥k} g_j·out_j / x_k (a reversed cumsum). With zeros, as
 * PyTorch's cumprod_backward: ahead of a row's first zero z the same formula holds (x_k ≠ 0 there), at z
 * it is Σ_{j≥z} g_j·∏_{i≤j, i≠z} x_i, and after z every term holds x_z = 0, so it is 0.
 */
export function cumprodVjp(g: Tensor, x: Tensor, out: Tensor, axis: number): Tensor {
  const z = zerosOf(x, axis);
  if (!z) return cumsum(g.mul(out), axis, true).div(x);
  const safe = x.onesLike().where(z.zero, x);
  const ahead = cumsum(g.mul(out), axis, true).div(safe).where(z.before, 0);
  const atZero = cumsum(g.mul(withoutFirstZero(x, z.first)._p('cumprod', [], { axis })), axis, true).where(z.first, 0);
  return ahead.add(atZero);
}

/** cumprod's JVP: out·cumsum(t/x) without zeros; from a row's first zero z on, only t_z contributes. */
export function cumprodJvp(t: Tensor, x: Tensor, out: Tensor, axis: number): Tensor {
  const z = zerosOf(x, axis);
  if (!z) return out.mul(cumsum(t.div(x), axis, false));
  const safe = x.onesLike().where(z.zero, x);
  const ahead = out.mul(cumsum(t.div(safe).where(z.before, 0), axis, false));
  // j ≥ z: ∂out_j/∂x_z · t_z, with t_z spread along the row
  const tz = t.where(z.first, 0).sum(axis, true);
  const after = withoutFirstZero(x, z.first)._p('cumprod', [], { axis }).mul(tz);
  return ahead.where(z.before, after);
}
