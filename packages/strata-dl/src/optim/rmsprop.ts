// SPDX-License-Identifier: MIT
import type { Tensor } from '../tensor/tensor.js';
import { type BaseHyper, Optimizer, type ParamGroupSpec } from './optimizer.js';

export interface RmspropHyper extends BaseHyper {
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  /** Divide by an estimate of the variance (E[g²] − E[g]²) rather than the raw second moment. */
  centered: boolean;
}
/** Per-parameter state of RMSprop: step count, the running mean of squared gradients, and the optional centred mean and momentum buffer. */
export type RmspropState = { step: number; squareAvg: Tensor; gradAvg?: Tensor; momentumBuffer?: Tensor };

/** One RMSprop step (Hinton's lecture 6e, PyTorch's ε outside the root): θ ← θ − lr·g / (√v + ε). */
export function rmspropUpdate(param: Tensor, grad: Tensor, state: RmspropState | undefined, h: RmspropHyper): { param: Tensor; state: RmspropState } {
  const g = h.weightDecay ? grad.add(param.mul(h.weightDecay)) : grad;
  const squareAvg = (state ? state.squareAvg.mul(h.alpha) : g.zerosLike()).add(g.square().mul(1 - h.alpha));
  let gradAvg: Tensor | undefined;
  let avg: Tensor;
  if (h.centered) {
    gradAvg = (state?.gradAvg ? state.gradAvg.mul(h.alpha) : g.zerosLike()).add(g.mul(1 - h.alpha));
    avg = squareAvg.sub(gradAvg.square()).sqrt().add(h.eps);
  } else avg = squareAvg.sqrt().add(h.eps);
  const out: RmspropState = { step: (state?.step ?? 0) + 1, squareAvg };
  if (gradAvg) out.gradAvg = gradAvg;
  if (h.momentum > 0) {
    const buf = (state?.momentumBuffer ? state.momentumBuffer.mul(h.momentum) : g.zerosLike()).add(g.div(avg));
    out.momentumBuffer = buf;
    return { param: param.sub(buf.mul(h.lr)), state: out };
  }
  return { param: param.sub(g.div(avg).mul(h.lr)), state: out };
}

/** @example const opt = new RMSprop(model.parameters(), { lr: 1e-3 }); */
export class RMSprop extends Optimizer<RmspropHyper, RmspropState> {
  constructor(params: readonly Tensor[] | readonly ParamGroupSpec<RmspropHyper>[], opts: Partial<RmspropHyper> = {}) {
    super('RMSprop', params, { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, ...opts }, rmspropUpdate);
  }
}
