// SPDX-License-Identifier: MIT
import type { Tensor } from '../tensor/tensor.js';
import { Optimizer, type ParamGroupSpec } from './optimizer.js';
import { type MomentHyper, decayed, movingAverage } from './moments.js';

export interface NadamHyper extends MomentHyper {
  /** ψ of the momentum schedule μₜ = β₁(1 − 0.96^(tψ)/2) (default 4e-3, Dozat's). */
  momentumDecay: number;
}
/** Per-parameter state of NAdam: step count, the product of the μ so far, and Adam's two moments. */
export type NadamState = { step: number; muProduct: number; expAvg: Tensor; expAvgSq: Tensor };

/**
 * One NAdam step (Adam with Nesterov momentum, Dozat), as PyTorch's: with μₜ = β₁(1 − 0.96^(tψ)/2)
 * and Π the product of μ₁ … μₜ, θ ← θ − lr(1 − μₜ)/(1 − Π)·g/d − lr·μₜ₊₁/(1 − Π·μₜ₊₁)·m/d, where
 * d = √(v/(1 − β₂ᵗ)) + ε.
 */
export function nadamUpdate(param: Tensor, grad: Tensor, state: NadamState | undefined, h: NadamHyper): { param: Tensor; state: NadamState } {
  const step = (state?.step ?? 0) + 1;
  const g = decayed(param, grad, h.weightDecay);
  const mu = h.beta1 * (1 - 0.5 * 0.96 ** (step * h.momentumDecay));
  const muNext = h.beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * h.momentumDecay));
  const muProduct = (state?.muProduct ?? 1) * mu;
  const expAvg = movingAverage(state?.expAvg, g, h.beta1, param);
  const expAvgSq = movingAverage(state?.expAvgSq, g.square(), h.beta2, param);
  const denom = expAvgSq.div(1 - h.beta2 ** step).sqrt().add(h.eps);
  const next = param.sub(g.div(denom).mul((h.lr * (1 - mu)) / (1 - muProduct))).sub(expAvg.div(denom).mul((h.lr * muNext) / (1 - muProduct * muNext)));
  return { param: next, state: { step, muProduct, expAvg, expAvgSq } };
}

/**
 * NAdam: Adam with Nesterov momentum.
 * @example const opt = new NAdam(model.parameters(), { lr: 2e-3 });
 */
export class NAdam extends Optimizer<NadamHyper, NadamState> {
  constructor(params: readonly Tensor[] | readonly ParamGroupSpec<NadamHyper>[], opts: Partial<NadamHyper> = {}) {
    super('NAdam', params, { lr: 2e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3, ...opts }, nadamUpdate);
  }
}
