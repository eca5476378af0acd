// SPDX-License-Identifier: MIT
import { StrataError } from '../core/errors.js';
import type { BaseHyper } from './optimizer.js';
import { type OneCycleOptions, cosineAnnealing, exponentialDecay, oneCycle, stepDecay } from './schedule.js';

/** Refuses `v` unless it is a positive integer, naming the scheduler and the option. @internal */
export function positiveInt(op: string, name: string, v: number): void {
  if (!(Number.isInteger(v) && v > 0)) throw new StrataError(op, `${name} must be a positive integer, got ${v}`);
}

/** Anything with parameter groups that carry an `lr` (every optimizer). */
export interface HasParamGroups { readonly paramGroups: BaseHyper[] }
/** lr at step t from the group's base lr. */
export type Schedule = (baseLr: number, t: number) => number;

/**
 * Sets each group's lr to `schedule(baseLr, t)`; `step()` advances t (call it once per epoch, or
 * once per batch for per-step schedules such as one-cycle). The lr for t = 0 is set at construction.
 *
 * @example
 * const sched = new LRScheduler(opt, (lr, t) => lr * 0.95 ** t);
 * for (const epoch of epochs) { train(); sched.step(); }
 */
export class LRScheduler {
  t = 0;
  readonly baseLrs: number[];
  constructor(readonly optimizer: HasParamGroups, readonly schedule: Schedule) {
    this.baseLrs = optimizer.paramGroups.map((g) => g.lr);
    this.apply();
  }
  /** Advances t by one and sets each group's lr for it. */
  step(): void {
    this.t++;
    this.apply();
  }
  /** Current lr of every group. */
  get lrs(): number[] { return this.optimizer.paramGroups.map((g) => g.lr); }
  private apply(): void {
    this.optimizer.paramGroups.forEach((g, i) => { g.lr = this.schedule(this.baseLrs[i], this.t); });
  }
  /** The step count and base lrs, to resume the schedule from a checkpoint. */
  stateDict(): { t: number; baseLrs: number[] } { return { t: this.t, baseLrs: [...this.baseLrs] }; }
  /** Restores `stateDict()`'s values and sets the lrs for that step. */
  loadStateDict(s: { t: number; baseLrs: number[] }): void {
    this.t = s.t;
    this.baseLrs.splice(0, this.baseLrs.length, ...s.baseLrs);
    this.apply();
  }
}

/** lr·γ every `stepSize` steps. */
export class StepLR extends LRScheduler {
  constructor(optimizer: HasParamGroups, opts: { stepSize: number; gamma?: number }) { super(optimizer, (b, t) => stepDecay(b, t, opts)); }
}
/** lr·γ every step. */
export class ExponentialLR extends LRScheduler {
  constructor(optimizer: HasParamGroups, opts: { gamma: number }) { super(optimizer, (b, t) => exponentialDecay(b, t, opts)); }
}
/** Cosine from the base lr down to etaMin over tMax steps. */
export class CosineAnnealingLR extends LRScheduler {
  constructor(optimizer: HasParamGroups, opts: { tMax: number; etaMin?: number }) { super(optimizer, (b, t) => cosineAnnealing(b, t, opts)); }
}
/** One-cycle policy, stepped once per batch. */
export class OneCycleLR extends LRScheduler {
  constructor(optimizer: HasParamGroups, opts: OneCycleOptions) { super(optimizer, (b, t) => oneCycle(b, t, opts)); }
}

/**
 * lr = base lr · `lrLambda(t)`, PyTorch's `LambdaLR`: any schedule as a factor of the step.
 *
 * @example
 * new LambdaLR(opt, (t) => Math.min(1, (t + 1) / 5)); // linear warm-up over 5 steps
 */
export class LambdaLR extends LRScheduler {
  constructor(optimizer: HasParamGroups, lrLambda: (t: number) => number) { super(optimizer, (b, t) => b * lrLambda(t)); }
}
/**
 * lr·γ at each milestone step passed, PyTorch's `MultiStepLR` (γ default 0.1).
 *
 * @example
 * new MultiStepLR(opt, { milestones: [30, 80] }); // lr, then lr/10 from step 30, lr/100 from 80
 */
export class MultiStepLR extends LRScheduler {
  constructor(optimizer: HasParamGroups, opts: { milestones: readonly number[]; gamma?: number }) {
    const { milestones, gamma = 0.1 } = opts;
    if (!milestones.every((m) => Number.isInteger(m) && m >= 0)) throw new StrataError('MultiStepLR', `milestones must be non-negative integers, got [${milestones.join(', ')}]`);
    super(optimizer, (b, t) => b * gamma ** milestones.filter((m) => m <= t).length);
  }
}
/**
 * The lr scaled linearly from `startFactor` (default 1/3) to `endFactor` (default 1) over
 * `totalIters` steps (default 5), then held: PyTorch's `LinearLR`, the usual warm-up.
 */
export class LinearLR extends LRScheduler {
  constructor(optimizer: HasParamGroups, opts: { startFactor?: number; endFactor?: number; totalIters?: number } = {}) {
    const { startFactor = 1 / 3, endFactor = 1, totalIters = 5 } = opts;
    if (!(startFactor > 0 && startFactor <= 1)) throw new StrataError('LinearLR', `startFactor must be in (0, 1], got ${startFactor}`);
    if (!(endFactor >= 0 && endFactor <= 1)) throw new StrataError('LinearLR', `endFactor must be in [0, 1], got ${endFactor}`);
    positiveInt('LinearLR', 'totalIters', totalIters);
    super(optimizer, (b, t) => b * (startFactor + ((endFactor - startFactor) * Math.min(t, totalIters)) / totalIters));
  }
}

/** Options of `ReduceLROnPlateau` (PyTorch's defaults). */
export interface PlateauOptions {
  /** 'min' for a loss, 'max' for an accuracy. */
  mode?: 'min' | 'max';
  /** lr ← lr·factor on a plateau (default 0.1). */
  factor?: number;
  /** Epochs without improvement before reducing (default 10). */
  patience?: number;
  /** Relative improvement that counts (default 1e-4). */
  threshold?: number;
  /** Epochs to wait after a reduction (default 0). */
  cooldown?: number;
  /** The lr never goes below this (default 0). */
  minLr?: number;
}

/**
 * Reduces the lr when a monitored metric stops improving; `step(metric)` once per epoch.
 *
 * @example const plateau = new ReduceLROnPlateau(opt, { patience: 2 }); plateau.step(valLoss);
 */
export class ReduceLROnPlateau {
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  private readonly o: Required<PlateauOptions>;
  constructor(readonly optimizer: HasParamGroups, opts: PlateauOptions = {}) {
    this.o = { mode: 'min', factor: 0.1, patience: 10, threshold: 1e-4, cooldown: 0, minLr: 0, ...opts };
    if (!(this.o.factor < 1)) throw new StrataError('ReduceLROnPlateau', `factor must be below 1, got ${this.o.factor}`);
    this.best = this.o.mode === 'min' ? Infinity : -Infinity;
  }
  private better(v: number): boolean {
    return this.o.mode === 'min' ? v < this.best * (1 - Math.sign(this.best) * this.o.threshold) : v > this.best * (1 + Math.sign(this.best) * this.o.threshold);
  }
  /** Records this epoch's `metric` and reduces the lr once it has not improved for more than `patience` epochs. */
  step(metric: number): void {
    if (this.better(metric)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else this.numBadEpochs++;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.o.patience) {
      for (const g of this.optimizer.paramGroups) g.lr = Math.max(g.lr * this.o.factor, this.o.minLr);
      this.cooldownCounter = this.o.cooldown;
      this.numBadEpochs = 0;
    }
  }
  /** The best value and counters, to resume from a checkpoint. */
  stateDict(): { best: number; numBadEpochs: number; cooldownCounter: number } {
    return { best: this.best, numBadEpochs: this.numBadEpochs, cooldownCounter: this.cooldownCounter };
  }
  /** Restores `stateDict()`'s values. */
  loadStateDict(s: { best: number; numBadEpochs: number; cooldownCounter: number }): void {
    Object.assign(this, s);
  }
}
