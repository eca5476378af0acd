// SPDX-License-Identifier: MIT
// Derivative rules of cumprod, written with differentiable tensor ops so that they differentiate
// again (exactly at zeros too, as PyTorch's cumprod_backward does).
import type { Tensor } from '../tensor/tensor.js';
import { bind, differentiated } from './bind.js';

const cumsum = (t: Tensor, axis: number, reverse: boolean): Tensor => bind('cumsum', [t], { axis, reverse });
const cumprod = (t: Tensor, axis: number): Tensor => bind('cumprod', [t], { axis });

/**
 * Where the zeros of x are along `axis`: `before` marks positions ahead of the row's first zero z,
 * `first` z itself. Null when x has no zero (the common case: one readback decides).
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
 * ∂L/∂x_k = Σ_{j≥k} g_j·∏_{i≤j, i≠k} x_i. Without zeros that is Σ_{j≥k} g_j·out_j / x_k (a reversed
 * cumsum). With zeros, let z be a row's first zero and x' = x with x_z set to 1: ahead of z the same
 * formula holds (x_k ≠ 0 there); at z it is x''s gradient at z; after z every term holds x_z, so it is
 * x_z times x''s gradient: 0 in value, but its derivative in x_z is what a second derivative needs
 * (computed only then: it recurses once per further zero in a row).
 */
export function cumprodVjp(g: Tensor, x: Tensor, out: Tensor, axis: number): Tensor {
  const z = zerosOf(x, axis);
  if (!z) return cumsum(g.mul(out), axis, true).div(x);
  const ahead = cumsum(g.mul(out), axis, true).div(x.onesLike().where(z.zero, x));
  const xp = x.onesLike().where(z.first, x);
  let rest: Tensor;
  if (differentiated(g, x)) {
    const xz = x.where(z.first, 0).sum(axis, true); // x_z along each row: 0, with its gradient
    rest = cumprodVjp(g, xp, cumprod(xp, axis), axis).mul(x.onesLike().where(z.first, xz));
  } else {
    rest = cumsum(g.mul(cumprod(xp, axis)), axis, true).where(z.first, 0);
  }
  return ahead.where(z.before, rest);
}

/**
 * The tangent Σ_{k≤j} t_k·∏_{i≤j, i≠k} x_i: out·cumsum(t/x) without zeros; from a row's first zero z
 * on, t_z·cumprod(x')_j plus x_z times the tangent of cumprod at x' along t without t_z (0 in value;
 * computed only when it will be differentiated).
 */
export function cumprodJvp(t: Tensor, x: Tensor, out: Tensor, axis: number): Tensor {
  const z = zerosOf(x, axis);
  if (!z) return out.mul(cumsum(t.div(x), axis, false));
  const ahead = out.mul(cumsum(t.div(x.onesLike().where(z.zero, x)).where(z.before, 0), axis, false));
  const xp = x.onesLike().where(z.first, x);
  const outp = cumprod(xp, axis);
  let after = outp.mul(t.where(z.first, 0).sum(axis, true));
  if (differentiated(t, x)) {
    const xz = x.where(z.first, 0).sum(axis, true);
    after = after.add(cumprodJvp(t.zerosLike().where(z.first, t), xp, outp, axis).mul(xz));
  }
  return ahead.where(z.before, after);
}
