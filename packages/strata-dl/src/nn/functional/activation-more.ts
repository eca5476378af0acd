// SPDX-License-Identifier: MIT
// More of PyTorch's activations, composed of primitives. Piecewise ones are written with `where`
// so that the derivative at a breakpoint is PyTorch's (its backward kernels pick one side; a clamp
// made of maximum/minimum would split the gradient there), and so that NaN falls through to the
// formula and propagates.
import { StrataError, fmtShape } from '../../core/errors.js';
import { where } from '../../tensor/composite.js';
import type { Tensor } from '../../tensor/tensor.js';
import { log1p, negativePart } from './pieces.js';

/**
 * x clamped to [minVal, maxVal]; the gradient is 1 strictly inside and 0 at and beyond the bounds,
 * as PyTorch's hardtanh_backward.
 *
 * @example hardtanh(tensor([-2, 0.5, 3])).toArray(); // [-1, 0.5, 1]
 */
export function hardtanh(x: Tensor, minVal = -1, maxVal = 1): Tensor {
  if (!(minVal <= maxVal)) throw new StrataError('hardtanh', `minVal (${minVal}) must not exceed maxVal (${maxVal})`);
  return where(x.le(minVal), minVal, where(x.ge(maxVal), maxVal, x));
}

/**
 * min(max(x, 0), 6): hardtanh(x, 0, 6), as PyTorch defines it (gradient 0 at 0 and at 6).
 *
 * @example relu6(tensor([-1, 3, 8])).toArray(); // [0, 3, 6]
 */
export function relu6(x: Tensor): Tensor {
  return hardtanh(x, 0, 6);
}

/**
 * relu6(x + 3) / 6: 0 for x ≤ −3, 1 for x ≥ 3, linear between (gradient 1/6 strictly inside).
 *
 * @example hardsigmoid(tensor([-4, 0, 1.5, 4])).toArray(); // [0, 0.5, 0.75, 1]
 */
export function hardsigmoid(x: Tensor): Tensor {
  return where(x.le(-3), 0, where(x.ge(3), 1, x.add(3).div(6)));
}

/**
 * x·relu6(x + 3) / 6 (MobileNetV3). The gradient at the breakpoints is that of PyTorch's CPU
 * kernel (its vectorized path, which serves all but the tail of a tensor; CUDA agrees at 3):
 * −0.5 at −3 (the middle piece) and 1 at 3 (the linear piece).
 *
 * @example hardswish(tensor([-4, 0, 1, 4])).toArray(); // [0, 0, 0.6666666865348816, 4]
 */
export function hardswish(x: Tensor): Tensor {
  return where(x.lt(-3), 0, where(x.ge(3), x, x.mul(x.add(3)).div(6)));
}


const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

/**
 * scale·(x for x > 0, α·(eˣ − 1) otherwise) with PyTorch's α ≈ 1.6733 and scale ≈ 1.0507.
 *
 * @example selu(tensor([1, 0])).toArray(); // [1.0507010221481323, 0]
 */
export function selu(x: Tensor): Tensor {
  return where(x.gt(0), x, negativePart(x).exp().sub(1).mul(SELU_ALPHA)).mul(SELU_SCALE);
}

/**
 * x for x > 0, α·(e^(x/α) − 1) otherwise (continuously differentiable ELU). α must not be 0.
 *
 * @example celu(tensor([2, -1]), 2).toArray(); // [2, -0.7869386672973633]
 */
export function celu(x: Tensor, alpha = 1): Tensor {
  if (alpha === 0 || !Number.isFinite(alpha)) throw new StrataError('celu', `alpha must be a non-zero finite number, got ${alpha}`);
  return where(x.gt(0), x, negativePart(x).div(alpha).exp().sub(1).mul(alpha));
}

/**
 * x for x > 0, weight·x otherwise, with a learned slope `weight` of 1 element or one per channel
 * (dimension 1 of x; a 1-D x is one channel), broadcast over the other dimensions.
 *
 * @example prelu(tensor([[-2, 3], [-1, -4]]), tensor([0.5, 0.25])).toArray(); // [[-1, 3], [-0.5, -1]]
 */
export function prelu(x: Tensor, weight: Tensor): Tensor {
  const channels = x.ndim >= 2 ? x.shape[1] : 1;
  if (weight.ndim > 1 || (weight.size !== 1 && weight.size !== channels)) {
    throw new StrataError('prelu', `weight ${fmtShape(weight.shape)} must hold 1 slope or one per channel (${channels} for input ${fmtShape(x.shape)})`);
  }
  const w = weight.size === 1 || x.ndim < 2 ? weight.reshape([]) : weight.reshape([channels, ...x.shape.slice(2).map(() => 1)]);
  return where(x.gt(0), x, x.mul(w));
}

/**
 * log(1 + e^(βx)) / β, or x where βx > threshold (PyTorch's linear cut-off). Computed as
 * max(βx, 0) + log1p(e^−|βx|), so it neither overflows nor loses the tail below zero.
 *
 * @example softplus(tensor([0, 30]), 1, 20).toArray(); // [0.6931471824645996, 30]
 */
export function softplus(x: Tensor, beta = 1, threshold = 20): Tensor {
  if (beta === 0 || !Number.isFinite(beta)) throw new StrataError('softplus', `beta must be a non-zero finite number, got ${beta}`);
  const bx = beta === 1 ? x : x.mul(beta);
  let y = bx.maximum(0).add(log1p(bx.abs().neg().exp()));
  if (beta !== 1) y = y.div(beta);
  return threshold === Infinity ? y : where(bx.gt(threshold), x, y);
}

/**
 * log σ(x) = min(x, 0) − log1p(e^−|x|): finite for every finite x and accurate in both tails.
 *
 * @example logSigmoid(tensor([0, -100])).toArray(); // [-0.6931471824645996, -100]
 */
export function logSigmoid(x: Tensor): Tensor {
  return x.minimum(0).sub(log1p(x.abs().neg().exp()));
}

/**
 * x / (1 + |x|).
 *
 * @example softsign(tensor([-3, 1])).toArray(); // [-0.75, 0.5]
 */
export function softsign(x: Tensor): Tensor {
  return x.div(x.abs().add(1));
}

/**
 * x·σ(x) (the swish of β = 1).
 *
 * @example silu(tensor([0, 1])).toArray(); // [0, 0.7310585975646973]
 */
export function silu(x: Tensor): Tensor {
  return x.mul(x.sigmoid());
}

/**
 * x·tanh(softplus(x)).
 *
 * @example mish(tensor([0, 1])).toArray(); // [0, 0.8650983572006226]
 */
export function mish(x: Tensor): Tensor {
  return x.mul(softplus(x, 1, Infinity).tanh());
}
