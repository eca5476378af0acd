// SPDX-License-Identifier: MIT
import type { Tensor } from '../tensor/tensor.js';
import { type BaseHyper, Optimizer, type ParamGroupSpec } from './optimizer.js';

export interface AdagradHyper extends BaseHyper {
  lrDecay: number;
  weightDecay: number;
  eps: number;
  initialAccumulatorValue: number;
}
/** Per-parameter state of Adagrad: step count and the sum of squared gradients. */
export type AdagradState = { step: number; sum: Tensor };

/** One Adagrad step (Duchi et al.): s ← s + g², θ ← θ − lrₜ·g / (√s + ε), lrₜ = lr / (1 + (t − 1)·lrDecay). */
export function adagradUpdate(param: Tensor, grad: Tensor, state: AdagradState | undefined, h: AdagradHyper): { param: Tensor; state: AdagradState } {
  const step = (state?.step ?? 0) + 1;
  const g = h.weightDecay ? grad.add(param.mul(h.weightDecay)) : grad;
  const prev = state ? state.sum : param.fullLike(h.initialAccumulatorValue);
  const sum = prev.add(g.square());
  const clr = h.lr / (1 + (step - 1) * h.lrDecay);
  return { param: param.sub(g.div(sum.sqrt().add(h.eps)).mul(clr)), state: { step, sum } };
}

/** @example const opt = new Adagrad(model.parameters(), { lr: 0.01 }); */
export class Adagrad extends Optimizer<AdagradHyper, AdagradState> {
  constructor(params: readonly Tensor[] | readonly ParamGroupSpec<AdagradHyper>[], opts: Partial<AdagradHyper> = {}) {
    super('Adagrad', params, { lr: 1e-2, lrDecay: 0, weightDecay: 0, eps: 1e-10, initialAccumulatorValue: 0, ...opts }, adagradUpdate);
  }
}
