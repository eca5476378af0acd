// SPDX-License-Identifier: MIT
import { type Lowered, fusedListKernel, fusedOp, kernelOutput } from '../tensor/fused-op.js';
import type { Tensor } from '../tensor/tensor.js';
import { type Planned, runPlanned, updatable } from './fused.js';
import { type BaseHyper, type FusedManyRule, Optimizer, type ParamGroupSpec } from './optimizer.js';

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

/**
 * The arguments of the fused SGD kernel, coefficients as `sgdUpdate` uses them. A kernel must give
 * `sgdUpdate`'s result on its backend bit for bit, each operation rounded to the dtype in the same
 * order, so that switching paths (another backend, a checkpoint) changes nothing.
 */
export interface SgdKernelArgs {
  /** Receives the new parameter values (a fresh tensor: the parameter's memory may be shared). */
  readonly out: Tensor;
  readonly param: Tensor;
  readonly grad: Tensor;
  /** The momentum buffer, updated in place; null for plain SGD (no momentum). */
  readonly buf: Tensor | null;
  /** The momentum buffer starts as the (decayed) gradient, undamped, as in PyTorch. */
  readonly first: boolean;
  readonly lr: number;
  /** L2 term added to the gradient (g + wd·θ); 0 leaves the gradient untouched. */
  readonly weightDecay: number;
  readonly momentum: number;
  /** 1 − dampening. */
  readonly gradScale: number;
  readonly nesterov: boolean;
  /** Step up the gradient (θ + lr·d) instead of down. */
  readonly maximize: boolean;
}

declare module '../backend/backend.js' {
  interface FusedKernelArgs {
    /** Every parameter's step in one call (an optimizer step's parameters together). */
    sgd: readonly Lowered<SgdKernelArgs>[];
  }
}

type SgdResult = { param: Tensor; state: SgdState };

/** The kernel record of one parameter's step and its result, or null where the kernel may not take it. */
function sgdPlan(param: Tensor, grad: Tensor, state: SgdState | undefined, h: SgdHyper): Planned<SgdKernelArgs, SgdResult> | null {
  const old = state?.momentumBuffer;
  if (!updatable(param, grad, h.momentum && old ? [old] : [])) return null;
  const buf = h.momentum ? old ?? kernelOutput(param) : null;
  const out = kernelOutput(param);
  const args: SgdKernelArgs = {
    out, param, grad, buf, first: !old,
    lr: h.lr, weightDecay: h.weightDecay, momentum: h.momentum, gradScale: 1 - h.dampening, nesterov: h.nesterov, maximize: h.maximize,
  };
  // without momentum an old buffer is kept as it is, as sgdUpdate keeps it
  const kept = buf ?? old;
  return { args, written: buf ? [buf] : [], result: { param: out, state: kept ? { momentumBuffer: kept } : {} } };
}

/** One SGD step as a fused op: `sgdUpdate`, in one kernel pass where the backend has one. */
export const sgdStep = fusedOp({
  composed: sgdUpdate,
  fused(param: Tensor, grad: Tensor, state: SgdState | undefined, h: SgdHyper): { param: Tensor; state: SgdState } | null {
    const run = fusedListKernel<SgdKernelArgs>('sgd', param);
    return run ? runPlanned(run, [sgdPlan(param, grad, state, h)])[0] : null;
  },
});

/** `sgdUpdate` in one fused kernel call, or null where the parameter's backend has none. */
export const sgdFused = sgdStep.fused;

/**
 * `sgdUpdate` for all of a group's parameters in one kernel call: those on the first parameter's
 * backend and dtype, where it has the kernel (null for the others, which take their own path).
 */
export const sgdFusedMany: FusedManyRule<SgdHyper, SgdState> = (entries, h) => {
  const on = entries[0].param;
  const run = fusedListKernel<SgdKernelArgs>('sgd', on);
  if (!run) return entries.map(() => null);
  return runPlanned(run, entries.map((e) => e.param.backend === on.backend && e.param.dtype === on.dtype ? sgdPlan(e.param, e.grad, e.state, h) : null));
};

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and weight decay.
 *
 * @example
 * const opt = new SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
export class SGD extends Optimizer<SgdHyper, SgdState> {
  constructor(params: readonly Tensor[] | readonly ParamGroupSpec<SgdHyper>[], opts: Partial<SgdHyper> & { lr: number }) {
    super('SGD', params, { momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, ...opts }, sgdUpdate, sgdFused, sgdFusedMany);
  }
}
