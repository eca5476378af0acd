// SPDX-License-Identifier: MIT
// Activations that are not Tensor methods already (relu, sigmoid, tanh, step, softmax are).
import type { Tensor } from '../../tensor/tensor.js';
import { negativePart } from './pieces.js';

/** max(x, slope·x) for slope < 1: x where x > 0, else slope·x. */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  return x.where(x.gt(0), x.mul(negativeSlope));
}

/**
 * α·(eˣ − 1) for x <= 0, x otherwise (NaN included, whose gradient passes, and the gradient at 0 is
 * α: PyTorch's elu_backward tests x <= 0). The exp sees 0 for x > 0 so large inputs cannot overflow.
 */
export function elu(x: Tensor, alpha = 1): Tensor {
  const neg = x.le(0);
  return x.where(neg, 0).exp().sub(1).mul(alpha).where(neg, x);
}

// softplus (with β and the linear threshold) lives in activation-more.ts with the other additions.

// Abramowitz & Stegun 7.1.26: |error| < 1.5e-7, below float32 resolution near 1.
const P = 0.3275911;
const A = [0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429];

/** The error function, from a rational approximation (absolute error < 1.5e-7), composed of primitives. */
export function erf(x: Tensor): Tensor {
  const ax = x.abs();
  const t = ax.mul(P).add(1).reciprocal();
  let poly = t.mul(A[4]);
  for (let i = 3; i >= 0; i--) poly = poly.add(A[i]).mul(t);
  const y = poly.mul(ax.square().neg().exp()).neg().add(1);
  return y.mul(x.sign());
}

/**
 * Gaussian error linear unit x·Φ(x). `approximate: 'tanh'` uses
 * 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), as PyTorch's option of that name.
 */
export function gelu(x: Tensor, approximate: 'none' | 'tanh' = 'none'): Tensor {
  if (approximate === 'tanh') {
    const inner = x.add(x.mul(x).mul(x).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
    return x.mul(inner.tanh().add(1)).mul(0.5);
  }
  return x.mul(erf(x.mul(Math.SQRT1_2)).add(1)).mul(0.5);
}
