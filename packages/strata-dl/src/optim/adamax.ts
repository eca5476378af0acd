// SPDX-License-Identifier: MIT
import type { Tensor } from '../tensor/tensor.js';
import { Optimizer, type ParamGroupSpec } from './optimizer.js';
import { type MomentHyper, decayed, movingAverage } from './moments.js';

/** Adamax's hyperparameters: lr, beta1, beta2, eps and weightDecay. */
export type AdamaxHyper = MomentHyper;
/** Per-parameter state of Adamax: step count, first moment and the exponentially weighted infinity norm. */
export type AdamaxState = { step: number; expAvg: Tensor; expInf: Tensor };

/**
 * One Adamax step (Adam with the infinity norm, Kingma & Ba), as PyTorch's: m ← β₁m + (1 − β₁)g,
 * u ← max(β₂u, |g| + ε), θ ← θ − lr/(1 − β₁ᵗ)·m/u.
 */
export function adamaxUpdate(param: Tensor, grad: Tensor, state: AdamaxState | undefined, h: AdamaxHyper): { param: Tensor; state: AdamaxState } {
  const step = (state?.step ?? 0) + 1;
  const g = decayed(param, grad, h.weightDecay);
  const expAvg = movingAverage(state?.expAvg, g, h.beta1, param);
  const expInf = (state ? state.expInf.mul(h.beta2) : param.zerosLike()).maximum(g.abs().add(h.eps));
  const clr = h.lr / (1 - h.beta1 ** step);
  return { param: param.sub(expAvg.div(expInf).mul(clr)), state: { step, expAvg, expInf } };
}

/**
 * Adamax: Adam's update scaled by an infinity norm of past gradients instead of their RMS.
 * @example const opt = new Adamax(model.parameters(), { lr: 2e-3 });
 */
export class Adamax extends Optimizer<AdamaxHyper, AdamaxState> {
  constructor(params: readonly Tensor[] | readonly ParamGroupSpec<AdamaxHyper>[], opts: Partial<AdamaxHyper> = {}) {
    super('Adamax', params, { lr: 2e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, ...opts }, adamaxUpdate);
  }
}
