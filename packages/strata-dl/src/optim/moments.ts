// SPDX-License-Identifier: MIT
// What the Adam family's update rules share: their hyperparameters, L2 weight decay folded into the
// gradient, and exponential moving averages that start from zeros.
import type { Tensor } from '../tensor/tensor.js';
import type { BaseHyper } from './optimizer.js';

/** The hyperparameters of Adamax, NAdam and RAdam (PyTorch's betas, eps and weight_decay). */
export interface MomentHyper extends BaseHyper {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

/** The gradient plus weightDecay·θ (L2 decay, as PyTorch's `weight_decay` in these optimizers). */
export const decayed = (param: Tensor, grad: Tensor, weightDecay: number): Tensor => (weightDecay ? grad.add(param.mul(weightDecay)) : grad);

/** β·prev + (1 − β)·x, with prev zeros (of `like`'s shape) on the first step. */
export const movingAverage = (prev: Tensor | undefined, x: Tensor, beta: number, like: Tensor): Tensor =>
  (prev ? prev.mul(beta) : like.zerosLike()).add(x.mul(1 - beta));
