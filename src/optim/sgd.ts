// SPDX-License-Identifier: MIT
import type { Tensor } from '../tensor/tensor.js';
import { type BaseHyper, Optimizer, type ParamGroupSpec } from './optimizer.js';

export interface SgdHyper extends BaseHyper {
  momentum: number;
  dampening: number;
  /** L2 penalty added to the gradient: g + weightDecay·θ. */
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}
export type SgdState = { momentumBuffer?: Tensor };

/**
 * One SGD step, PyTorch's formulation. NOTE: momentum is v ← μv + (1 − dampening)·g, θ ← θ − lr·v
 * (lr outside the buffer), which differs from Sutskever et al.'s v ← μv − lr·g when lr changes.
 * Nesterov uses g + μv as the step direction.
 */
export function sgdUpdate(param: Tensor, grad: Tensor, state: SgdState | undefined, h: SgdHyper): { param: Tensor; state: SgdState } {
  let d = h.weightDecay ? grad.add(param.mul(h.weightDecay)) : grad;
  let buf = state?.momentumBuffer;
  if (h.momentum) {
    buf = buf ? buf.mul(h.momentum).add(d.mul(1 - h.dampening)) : d.clone();
    d = h.nesterov ? d.add(buf.mul(h.momentum)) : buf;
  }
  const next = h.maximize ? param.add(d.mul(h.lr)) : param.sub(d.mul(h.lr));
  return { param: next, state: buf ? { momentumBuffer: buf } : {} };
}

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and weight decay.
 *
 * @example
 * const opt = new SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
export class SGD extends Optimizer<SgdHyper, SgdState> {
  constructor(params: readonly Tensor[] | readonly ParamGroupSpec<SgdHyper>[], opts: Partial<SgdHyper> & { lr: number }) {
    super('SGD', params, { momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, ...opts }, sgdUpdate);
  }
}
