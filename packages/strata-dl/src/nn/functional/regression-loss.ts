// SPDX-License-Identifier: MIT
// Losses between real-valued predictions and targets of the same shape.
import type { Tensor } from '../../tensor/tensor.js';
import { type LossOptions, reduce, sameShape } from './reduction.js';


/**
 * Mean squared error (1/N)·Σ(yᵢ − ŷᵢ)².
 * @example mseLoss(tensor([1, 2]), tensor([0, 0])).item(); // 2.5
 */
export function mseLoss(input: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  sameShape('mseLoss', input, target);
  return reduce('mseLoss', input.sub(target).square(), opts.reduction);
}

/** Mean absolute error (1/N)·Σ|yᵢ − ŷᵢ|. */
export function l1Loss(input: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  sameShape('l1Loss', input, target);
  return reduce('l1Loss', input.sub(target).abs(), opts.reduction);
}

/** Huber: ½d² where |d| < δ, δ·(|d| − ½δ) beyond; quadratic near 0, linear for outliers. */
export function huberLoss(input: Tensor, target: Tensor, opts: LossOptions & { delta?: number } = {}): Tensor {
  const { delta = 1 } = opts;
  sameShape('huberLoss', input, target);
  const d = input.sub(target).abs();
  const loss = d.square().mul(0.5).where(d.lt(delta), d.sub(0.5 * delta).mul(delta));
  return reduce('huberLoss', loss, opts.reduction);
}

/** Smooth L1 (Huber divided by β), as in Fast R-CNN and PyTorch. */
export function smoothL1Loss(input: Tensor, target: Tensor, opts: LossOptions & { beta?: number } = {}): Tensor {
  const { beta = 1 } = opts;
  sameShape('smoothL1Loss', input, target);
  const d = input.sub(target).abs();
  const loss = d.square().mul(0.5 / beta).where(d.lt(beta), d.sub(0.5 * beta));
  return reduce('smoothL1Loss', loss, opts.reduction);
}
