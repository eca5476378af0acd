// SPDX-License-Identifier: MIT
import { type Lowered, fusedListKernel, fusedOp, kernelOutput } from '../tensor/fused-op.js';
import type { Tensor } from '../tensor/tensor.js';
import { type Planned, runPlanned, updatable } from './fused.js';
import { type BaseHyper, type FusedManyRule, Optimizer, type ParamGroupSpec } from './optimizer.js';

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

/** The arguments of the fused Adam/AdamW kernel, coefficients as `adamUpdate` computes them (exactness as for `SgdKernelArgs`). */
export interface AdamKernelArgs {
  /** Receives the new parameter values (a fresh tensor). */
  readonly out: Tensor;
  readonly param: Tensor;
  readonly grad: Tensor;
  /** First and second moments, updated in place. */
  readonly expAvg: Tensor;
  readonly expAvgSq: Tensor;
  /** No moments yet: m ← (1 − β₁)g and v ← (1 − β₂)g² (the buffers' contents are not read). */
  readonly first: boolean;
  readonly beta1: number;
  /** 1 − β₁, computed once in double precision like the composed rule's constant. */
  readonly oneMinusBeta1: number;
  readonly beta2: number;
  readonly oneMinusBeta2: number;
  /** Adam's L2 term added to the gradient (g + wd·θ); 0 leaves the gradient untouched. */
  readonly weightDecay: number;
  /** AdamW's factor θ ← θ·decay before the step (1 − lr·wd); 1 for none. */
  readonly decay: number;
  /** √(1 − β₂ᵗ), the second moment's bias correction. */
  readonly sqrtBias2: number;
  readonly eps: number;
  /** lr / (1 − β₁ᵗ). */
  readonly stepSize: number;
}

declare module '../backend/backend.js' {
  interface FusedKernelArgs {
    /** Every parameter's step in one call (an optimizer step's parameters together). */
    adam: readonly Lowered<AdamKernelArgs>[];
  }
}

type AdamResult = { param: Tensor; state: AdamState };

/**
 * The kernel record of one parameter's step and its result, or null where the kernel may not take
 * it. AMSGrad stays composed (a third buffer and a running maximum for a rarely used variant).
 */
function adamPlan(param: Tensor, grad: Tensor, state: AdamState | undefined, h: AdamHyper): Planned<AdamKernelArgs, AdamResult> | null {
  if (h.amsgrad || state?.maxExpAvgSq) return null;
  if (!updatable(param, grad, state ? [state.expAvg, state.expAvgSq] : [])) return null;
  const [b1, b2] = h.betas;
  const step = (state?.step ?? 0) + 1;
  const expAvg = state?.expAvg ?? kernelOutput(param);
  const expAvgSq = state?.expAvgSq ?? kernelOutput(param);
  const out = kernelOutput(param);
  // the constants exactly as adamUpdate computes them (in double precision, then lifted)
  const args: AdamKernelArgs = {
    out, param, grad, expAvg, expAvgSq, first: !state,
    beta1: b1, oneMinusBeta1: 1 - b1, beta2: b2, oneMinusBeta2: 1 - b2,
    weightDecay: h.weightDecay && !h.decoupled ? h.weightDecay : 0,
    decay: h.weightDecay && h.decoupled ? 1 - h.lr * h.weightDecay : 1,
    sqrtBias2: Math.sqrt(1 - b2 ** step), eps: h.eps, stepSize: h.lr / (1 - b1 ** step),
  };
  return { args, written: [expAvg, expAvgSq], result: { param: out, state: { step, expAvg, expAvgSq } } };
}

/** One Adam step as a fused op: `adamUpdate`, in one kernel pass where the backend has one (not AMSGrad). */
export const adamStep = fusedOp({
  composed: adamUpdate,
  fused(param: Tensor, grad: Tensor, state: AdamState | undefined, h: AdamHyper): { param: Tensor; state: AdamState } | null {
    const run = fusedListKernel<AdamKernelArgs>('adam', param);
    return run ? runPlanned(run, [adamPlan(param, grad, state, h)])[0] : null;
  },
});

/** `adamUpdate` in one fused kernel call, or null where the parameter's backend has none. */
export const adamFused = adamStep.fused;

/** `adamUpdate` for all of a group's parameters in one kernel call (as `sgdFusedMany`). */
export const adamFusedMany: FusedManyRule<AdamHyper, AdamState> = (entries, h) => {
  const on = entries[0].param;
  const run = fusedListKernel<AdamKernelArgs>('adam', on);
  if (!run) return entries.map(() => null);
  return runPlanned(run, entries.map((e) => e.param.backend === on.backend && e.param.dtype === on.dtype ? adamPlan(e.param, e.grad, e.state, h) : null));
};

/** Options of `Adam` and `AdamW`: any hyperparameters to override (the defaults are PyTorch's). */
export type AdamOptions = Partial<Omit<AdamHyper, 'decoupled'>>;

/**
 * Adam; `weightDecay` is an L2 term in the gradient (use AdamW for decoupled decay).
 *
 * @example const opt = new Adam(model.parameters(), { lr: 1e-3 });
 */
export class Adam extends Optimizer<AdamHyper, AdamState> {
  constructor(params: readonly Tensor[] | readonly ParamGroupSpec<AdamHyper>[], opts: AdamOptions = {}) {
    super('Adam', params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, ...opts, decoupled: false }, adamUpdate, adamFused, adamFusedMany);
  }
}

/**
 * AdamW (Loshchilov & Hutter): Adam with decoupled weight decay, default 0.01 as in PyTorch.
 *
 * @example const opt = new AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.05 });
 */
export class AdamW extends Optimizer<AdamHyper, AdamState> {
  constructor(params: readonly Tensor[] | readonly ParamGroupSpec<AdamHyper>[], opts: AdamOptions = {}) {
    super('AdamW', params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.01, amsgrad: false, ...opts, decoupled: true }, adamUpdate, adamFused, adamFusedMany);
  }
}
