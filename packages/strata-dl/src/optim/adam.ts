// SPDX-License-Identifier: MIT
import { Tensor } from '../tensor/tensor.js';
import { bufOf, fusedKernels } from './fused.js';
import { type BaseHyper, Optimizer, type ParamGroupSpec } from './optimizer.js';

export interface AdamHyper extends BaseHyper {
  betas: [number, number];
  eps: number;
  weightDecay: number;
  /** Decoupled weight decay (AdamW): θ ← θ·(1 − lr·wd) instead of adding wd·θ to the gradient. */
  decoupled: boolean;
  amsgrad: boolean;
}
/** Per-parameter state of Adam/AdamW: step count and the moment estimates (plus the running max with amsgrad). */
export type AdamState = { step: number; expAvg: Tensor; expAvgSq: Tensor; maxExpAvgSq?: Tensor };

/**
 * One Adam step (Kingma & Ba, with PyTorch's placement of ε):
 * m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², θ ← θ − lr/(1 − β₁ᵗ) · m / (√v/√(1 − β₂ᵗ) + ε).
 */
export function adamUpdate(param: Tensor, grad: Tensor, state: AdamState | undefined, h: AdamHyper): { param: Tensor; state: AdamState } {
  const [b1, b2] = h.betas;
  const step = (state?.step ?? 0) + 1;
  let p = param;
  let g = grad;
  if (h.weightDecay) {
    if (h.decoupled) p = p.mul(1 - h.lr * h.weightDecay);
    else g = g.add(p.mul(h.weightDecay));
  }
  const expAvg = state ? state.expAvg.mul(b1).add(g.mul(1 - b1)) : g.mul(1 - b1);
  const expAvgSq = state ? state.expAvgSq.mul(b2).add(g.square().mul(1 - b2)) : g.square().mul(1 - b2);
  const maxExpAvgSq = h.amsgrad ? (state?.maxExpAvgSq ? state.maxExpAvgSq.maximum(expAvgSq) : expAvgSq) : undefined;
  const bc1 = 1 - b1 ** step;
  const bc2 = 1 - b2 ** step;
  const denom = (maxExpAvgSq ?? expAvgSq).sqrt().div(Math.sqrt(bc2)).add(h.eps);
  const next = p.sub(expAvg.div(denom).mul(h.lr / bc1));
  return { param: next, state: maxExpAvgSq ? { step, expAvg, expAvgSq, maxExpAvgSq } : { step, expAvg, expAvgSq } };
}

/**
 * `adamUpdate` in one fused kernel call, or null where the parameter's backend has none. AMSGrad
 * stays composed (a third buffer and a running maximum for a rarely used variant).
 */
export function adamFused(param: Tensor, grad: Tensor, state: AdamState | undefined, h: AdamHyper): { param: Tensor; state: AdamState } | null {
  if (h.amsgrad || state?.maxExpAvgSq) return null;
  const kernels = fusedKernels(param, grad, state ? [state.expAvg, state.expAvgSq] : []);
  if (!kernels) return null;
  const [b1, b2] = h.betas;
  const step = (state?.step ?? 0) + 1;
  const expAvg = state?.expAvg ?? Tensor._uninit(param);
  const expAvgSq = state?.expAvgSq ?? Tensor._uninit(param);
  const out = Tensor._uninit(param);
  // the constants exactly as adamUpdate computes them (in double precision, then lifted)
  kernels.adam({
    out: bufOf(out), param: bufOf(param), grad: bufOf(grad), expAvg: bufOf(expAvg), expAvgSq: bufOf(expAvgSq), first: !state,
    beta1: b1, oneMinusBeta1: 1 - b1, beta2: b2, oneMinusBeta2: 1 - b2,
    weightDecay: h.weightDecay && !h.decoupled ? h.weightDecay : 0,
    decay: h.weightDecay && h.decoupled ? 1 - h.lr * h.weightDecay : 1,
    sqrtBias2: Math.sqrt(1 - b2 ** step), eps: h.eps, stepSize: h.lr / (1 - b1 ** step),
  });
  return { param: out, state: { step, expAvg, expAvgSq } };
}

/** Options of `Adam` and `AdamW`: any hyperparameters to override (the defaults are PyTorch's). */
export type AdamOptions = Partial<Omit<AdamHyper, 'decoupled'>>;

/**
 * Adam; `weightDecay` is an L2 term in the gradient (use AdamW for decoupled decay).
 *
 * @example const opt = new Adam(model.parameters(), { lr: 1e-3 });
 */
export class Adam extends Optimizer<AdamHyper, AdamState> {
  constructor(params: readonly Tensor[] | readonly ParamGroupSpec<AdamHyper>[], opts: AdamOptions = {}) {
    super('Adam', params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, ...opts, decoupled: false }, adamUpdate, adamFused);
  }
}

/**
 * AdamW (Loshchilov & Hutter): Adam with decoupled weight decay, default 0.01 as in PyTorch.
 *
 * @example const opt = new AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.05 });
 */
export class AdamW extends Optimizer<AdamHyper, AdamState> {
  constructor(params: readonly Tensor[] | readonly ParamGroupSpec<AdamHyper>[], opts: AdamOptions = {}) {
    super('AdamW', params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.01, amsgrad: false, ...opts, decoupled: true }, adamUpdate, adamFused);
  }
}
