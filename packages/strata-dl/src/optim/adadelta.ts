// SPDX-License-Identifier: MIT
import type { Tensor } from '../tensor/tensor.js';
import { type BaseHyper, Optimizer, type ParamGroupSpec } from './optimizer.js';
import { decayed, movingAverage } from './moments.js';

export interface AdadeltaHyper extends BaseHyper {
  rho: number;
  eps: number;
  weightDecay: number;
}
/** Per-parameter state of Adadelta: the running averages of squared gradients and of squared updates. */
export type AdadeltaState = { step: number; squareAvg: Tensor; accDelta: Tensor };

/**
 * One Adadelta step (Zeiler), as PyTorch's: v ← ρv + (1 − ρ)g², Δ = √(u + ε)/√(v + ε)·g,
 * u ← ρu + (1 − ρ)Δ², θ ← θ − lr·Δ.
 */
export function adadeltaUpdate(param: Tensor, grad: Tensor, state: AdadeltaState | undefined, h: AdadeltaHyper): { param: Tensor; state: AdadeltaState } {
  const g = decayed(param, grad, h.weightDecay);
  const squareAvg = movingAverage(state?.squareAvg, g.square(), h.rho, param);
  const prev = state ? state.accDelta : param.zerosLike();
  const delta = prev.add(h.eps).sqrt().div(squareAvg.add(h.eps).sqrt()).mul(g);
  const accDelta = prev.mul(h.rho).add(delta.square().mul(1 - h.rho));
  return { param: param.sub(delta.mul(h.lr)), state: { step: (state?.step ?? 0) + 1, squareAvg, accDelta } };
}

/**
 * Adadelta: per-parameter step sizes from running averages, with no lr to tune (lr 1 by default).
 * @example const opt = new Adadelta(model.parameters()); // rho 0.9, eps 1e-6
 */
export class Adadelta extends Optimizer<AdadeltaHyper, AdadeltaState> {
  constructor(params: readonly Tensor[] | readonly ParamGroupSpec<AdadeltaHyper>[], opts: Partial<AdadeltaHyper> = {}) {
    super('Adadelta', params, { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, ...opts }, adadeltaUpdate);
  }
}
