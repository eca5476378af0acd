// SPDX-License-Identifier: MIT
/**
 * Learning-rate schedules as pure functions of the step (or epoch) count t, from the base rate.
 * `LRScheduler` (scheduler.ts) applies one to an optimizer's groups.
 *
 * @example stepDecay(0.1, 25, { stepSize: 10, gamma: 0.5 }); // 0.025
 */
import { StrataError } from '../core/errors.js';

/** base·γ^⌊t/stepSize⌋. */
export function stepDecay(base: number, t: number, { stepSize, gamma = 0.1 }: { stepSize: number; gamma?: number }): number {
  if (!(stepSize > 0)) throw new StrataError('stepDecay', `stepSize must be positive, got ${stepSize}`);
  return base * gamma ** Math.floor(t / stepSize);
}

/** base·γ^t. */
export function exponentialDecay(base: number, t: number, { gamma }: { gamma: number }): number {
  return base * gamma ** t;
}

/** Cosine annealing from base to etaMin over tMax steps (SGDR without restarts). */
export function cosineAnnealing(base: number, t: number, { tMax, etaMin = 0 }: { tMax: number; etaMin?: number }): number {
  if (!(tMax > 0)) throw new StrataError('cosineAnnealing', `tMax must be positive, got ${tMax}`);
  return etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * Math.min(t, tMax)) / tMax))) / 2;
}

/** Options of the one-cycle schedule (`oneCycle`, `OneCycleLR`). */
export interface OneCycleOptions {
  /** The peak learning rate. */
  maxLr: number;
  /** Number of steps (batches) in the whole cycle. */
  totalSteps: number;
  /** Fraction of steps spent rising to maxLr (default 0.3). */
  pctStart?: number;
  /** Start at maxLr / divFactor (default 25). */
  divFactor?: number;
  /** End at start / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
}

/**
 * Smith's one-cycle policy as PyTorch's `OneCycleLR` (two phases, cosine): rise from
 * maxLr/divFactor to maxLr over pctStart·totalSteps − 1 steps, then fall to the minimum at
 * step totalSteps − 1 (step totalSteps, the one after the last batch, continues the cosine, as in
 * PyTorch). The base rate is not used: the cycle is defined by maxLr.
 */
export function oneCycle(_base: number, t: number, opts: OneCycleOptions): number {
  const { maxLr, totalSteps, pctStart = 0.3, divFactor = 25, finalDivFactor = 1e4 } = opts;
  if (!(totalSteps > 1)) throw new StrataError('oneCycle', `totalSteps must be more than 1, got ${totalSteps}`);
  // PyTorch lets the scheduler step once per batch, so the last batch's step asks for t = totalSteps
  // (the cosine continues past its minimum); only later steps are refused
  if (t > totalSteps) throw new StrataError('oneCycle', `step ${t} is past totalSteps ${totalSteps}`);
  const initial = maxLr / divFactor;
  const min = initial / finalDivFactor;
  const mid = pctStart * totalSteps - 1;
  const anneal = (from: number, to: number, pct: number): number => to + ((from - to) / 2) * (Math.cos(Math.PI * pct) + 1);
  if (t <= mid) return anneal(initial, maxLr, t / mid);
  return anneal(maxLr, min, (t - mid) / (totalSteps - 1 - mid));
}
