// SPDX-License-Identifier: MIT
// Whole derivative matrices from the vector products (torch.autograd.functional.jacobian and
// hessian): one reverse sweep per output element, or one forward pass per input element.
import { isFloat } from '../core/dtype.js';
import { StrataError, fmtShape } from '../core/errors.js';
import { stack } from './composite.js';
import { tensor, zeros } from './creation.js';
import type { Tensor } from './tensor.js';
import { grad, jvp, vjp } from './transforms.js';

/** The i-th unit tensor of `like`'s shape, dtype and backend. */
function unit(like: Tensor, i: number): Tensor {
  const v = new Array<number>(like.size).fill(0);
  v[i] = 1;
  return tensor(v, { shape: like.shape, dtype: like.dtype, backend: like.backend.name });
}

/**
 * The Jacobian of `f` at `x`, shaped [...f(x).shape, ...x.shape]: entry (i, j) is ∂f(x)ᵢ/∂xⱼ, as
 * `torch.autograd.functional.jacobian`. `mode: 'reverse'` (the default) takes one pullback per
 * output element, `'forward'` one tangent per input element: choose the side with fewer elements.
 * Differentiable again (jacobians of jacobians, `hessian`).
 *
 * @example
 * // f(x) = [x₀·x₁, x₀²]
 * jacobian((x) => stack([x.index(0).mul(x.index(1)), x.index(0).square()]), tensor([2, 3])).toArray(); // [[3, 2], [4, 0]]
 */
export function jacobian(f: (x: Tensor) => Tensor, x: Tensor, opts: { mode?: 'reverse' | 'forward' } = {}): Tensor {
  const { mode = 'reverse' } = opts;
  if (mode !== 'reverse' && mode !== 'forward') throw new StrataError('jacobian', `mode must be 'reverse' or 'forward', got '${String(mode)}'`);
  if (!isFloat(x.dtype)) throw new StrataError('jacobian', `x must be floating-point, got ${x.dtype} ${fmtShape(x.shape)}`);
  if (mode === 'reverse') {
    const [y, pullback] = vjp(f, x);
    if (y.size === 0 || x.size === 0) return zeros([...y.shape, ...x.shape], { dtype: y.dtype, backend: y.backend.name });
    const rows = Array.from({ length: y.size }, (_, i) => pullback(unit(y, i))[0].reshape([x.size]));
    return stack(rows).reshape([...y.shape, ...x.shape]);
  }
  if (x.size === 0) {
    const y = f(x);
    return zeros([...y.shape, ...x.shape], { dtype: y.dtype, backend: y.backend.name });
  }
  const cols = Array.from({ length: x.size }, (_, j) => jvp(f, [x], [unit(x, j)])[1]);
  return stack(cols.map((c) => c.reshape([c.size])), 1).reshape([...cols[0].shape, ...x.shape]);
}

/**
 * The Hessian of the scalar function `f` at `x`, shaped [...x.shape, ...x.shape], as
 * `torch.autograd.functional.hessian`: the forward-mode Jacobian of the gradient
 * (forward-over-reverse), one Hessian-vector product per input element.
 *
 * @example
 * hessian((x) => x.square().sum().mul(x.index(0)), tensor([1, 2])).toArray(); // [[6, 4], [4, 2]]
 */
export function hessian(f: (x: Tensor) => Tensor, x: Tensor): Tensor {
  const y = f(x);
  if (y.size !== 1) throw new StrataError('hessian', `f must return one value, got ${fmtShape(y.shape)}`);
  return jacobian((v) => grad((u: Tensor) => f(u).reshape([]))(v), x, { mode: 'forward' });
}
