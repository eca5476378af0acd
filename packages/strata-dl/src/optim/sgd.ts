// SPDX-License-Identifier: MIT
import { Tensor } from '../tensor/tensor.js';
import { bufOf, fusedKernels } from './fused.js';
import { type BaseHyper, Optimizer, type ParamGroupSpec } from './optimizer.js';

export interface SgdHyper extends BaseHyper {
  momentum: number;
  dampening: number;
  /** L2 penalty added to the gradient: g + weightDecay·θ. */
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}
/** Per-parameter state of SGD: the momentum buffer, once momentum is on. */
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

/** `sgdUpdate` in one fused kernel call, or null where the parameter's backend has none. */
export function sgdFused(param: Tensor, grad: Tensor, state: SgdState | undefined, h: SgdHyper): { param: Tensor; state: SgdState } | null {
  const old = state?.momentumBuffer;
  const kernels = fusedKernels(param, grad, h.momentum && old ? [old] : []);
  if (!kernels) return null;
  const buf = h.momentum ? old ?? Tensor._uninit(param) : null;
  const out = Tensor._uninit(param);
  kernels.sgd({
    out: bufOf(out), param: bufOf(param), grad: bufOf(grad), buf: buf && bufOf(buf), first: !old,
    lr: h.lr, weightDecay: h.weightDecay, momentum: h.momentum, gradScale: 1 - h.dampening, nesterov: h.nesterov, maximize: h.maximize,
  });
  // without momentum an old buffer is kept as it is, as sgdUpdate keeps it
  const kept = buf ?? old;
  return { param: out, state: kept ? { momentumBuffer: kept } : {} };
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
    super('SGD', params, { momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, ...opts }, sgdUpdate, sgdFused);
  }
}
