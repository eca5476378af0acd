// SPDX-License-Identifier: MIT
import type { Tensor } from '../tensor/tensor.js';
import { Optimizer, type ParamGroupSpec } from './optimizer.js';
import { type MomentHyper, decayed, movingAverage } from './moments.js';

/** RAdam's hyperparameters: lr, beta1, beta2, eps and weightDecay. */
export type RadamHyper = MomentHyper;
/** Per-parameter state of RAdam: step count and Adam's two moments. */
export type RadamState = { step: number; expAvg: Tensor; expAvgSq: Tensor };

/**
 * One RAdam step (Adam with its variance rectified, Liu et al.), as PyTorch's: while the length
 * ρₜ = ρ∞ − 2tβ₂ᵗ/(1 − β₂ᵗ) of the approximated moving average is at most 5, plain momentum
 * θ ← θ − lr·m̂; after it, θ ← θ − lr·m̂·r·√(1 − β₂ᵗ)/(√v + ε) with the rectification
 * r = √((ρₜ − 4)(ρₜ − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρₜ)).
 */
export function radamUpdate(param: Tensor, grad: Tensor, state: RadamState | undefined, h: RadamHyper): { param: Tensor; state: RadamState } {
  const step = (state?.step ?? 0) + 1;
  const g = decayed(param, grad, h.weightDecay);
  const expAvg = movingAverage(state?.expAvg, g, h.beta1, param);
  const expAvgSq = movingAverage(state?.expAvgSq, g.square(), h.beta2, param);
  const bc1 = 1 - h.beta1 ** step, bc2 = 1 - h.beta2 ** step;
  const mHat = expAvg.div(bc1);
  const rhoInf = 2 / (1 - h.beta2) - 1;
  const rho = rhoInf - (2 * step * h.beta2 ** step) / bc2;
  let next: Tensor;
  if (rho > 5) {
    const rect = Math.sqrt(((rho - 4) * (rho - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rho));
    next = param.sub(mHat.mul(expAvgSq.sqrt().add(h.eps).reciprocal().mul(Math.sqrt(bc2))).mul(h.lr * rect));
  } else {
    next = param.sub(mHat.mul(h.lr));
  }
  return { param: next, state: { step, expAvg, expAvgSq } };
}

/**
 * RAdam: Adam without the early large steps (no warm-up needed).
 * @example const opt = new RAdam(model.parameters(), { lr: 1e-3 });
 */
export class RAdam extends Optimizer<RadamHyper, RadamState> {
  constructor(params: readonly Tensor[] | readonly ParamGroupSpec<RadamHyper>[], opts: Partial<RadamHyper> = {}) {
    super('RAdam', params, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, ...opts }, radamUpdate);
  }
}
