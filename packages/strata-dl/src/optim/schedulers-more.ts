// SPDX-License-Identifier: MIT
// More of PyTorch's lr schedulers, each a closed form of the step t as LRScheduler wants:
// `CosineAnnealingWarmRestarts` (SGDR), `PolynomialLR`, `ConstantLR`, `CyclicLR` and
// `SequentialLR` (one schedule after another, the usual warm-up then decay).
import { StrataError } from '../core/errors.js';
import { type HasParamGroups, LRScheduler, type Schedule, positiveInt } from './scheduler.js';

/**
 * Cosine annealing from the base lr to `etaMin` over `t0` steps, then again from the base lr over
 * t0·tMult steps, and so on (SGDR; PyTorch's `CosineAnnealingWarmRestarts`).
 *
 * @example
 * new CosineAnnealingWarmRestarts(opt, { t0: 10, tMult: 2 }); // restarts at steps 10, 30, 70, …
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  constructor(optimizer: HasParamGroups, opts: { t0: number; tMult?: number; etaMin?: number }) {
    const { t0, tMult = 1, etaMin = 0 } = opts;
    positiveInt('CosineAnnealingWarmRestarts', 't0', t0);
    positiveInt('CosineAnnealingWarmRestarts', 'tMult', tMult);
    super(optimizer, (b, t) => {
      // the cycle t falls in: cycle n starts at t0·(tMult^n − 1)/(tMult − 1) and lasts t0·tMult^n
      let start = 0, len = t0;
      while (t >= start + len) { start += len; len *= tMult; }
      return etaMin + ((b - etaMin) * (1 + Math.cos((Math.PI * (t - start)) / len))) / 2;
    });
  }
}

/**
 * The lr times (1 − t/totalIters)^power, reaching 0 at `totalIters` (default 5) and held there
 * (PyTorch's `PolynomialLR`; power 1 is a linear decay to 0).
 *
 * @example
 * new PolynomialLR(opt, { totalIters: 100, power: 2 });
 */
export class PolynomialLR extends LRScheduler {
  constructor(optimizer: HasParamGroups, opts: { totalIters?: number; power?: number } = {}) {
    const { totalIters = 5, power = 1 } = opts;
    positiveInt('PolynomialLR', 'totalIters', totalIters);
    super(optimizer, (b, t) => b * (1 - Math.min(t, totalIters) / totalIters) ** power);
  }
}

/**
 * The lr times `factor` (default 1/3) for the first `totalIters` steps (default 5), then the lr
 * itself (PyTorch's `ConstantLR`: a flat warm-up).
 *
 * @example
 * new ConstantLR(opt, { factor: 0.1, totalIters: 3 });
 */
export class ConstantLR extends LRScheduler {
  constructor(optimizer: HasParamGroups, opts: { factor?: number; totalIters?: number } = {}) {
    const { factor = 1 / 3, totalIters = 5 } = opts;
    if (!(factor >= 0 && factor <= 1)) throw new StrataError('ConstantLR', `factor must be in [0, 1], got ${factor}`);
    positiveInt('ConstantLR', 'totalIters', totalIters);
    super(optimizer, (b, t) => (t < totalIters ? b * factor : b));
  }
}

/** Options of `CyclicLR`. */
export interface CyclicOptions {
  /** The low end of the cycle (the optimizer's own lr is not used). */
  baseLr: number;
  /** The high end of the cycle. */
  maxLr: number;
  /** Steps from baseLr up to maxLr (default 2000). */
  stepSizeUp?: number;
  /** Steps back down (default stepSizeUp). */
  stepSizeDown?: number;
  /** 'triangular' (default), 'triangular2' (the height halves every cycle) or 'expRange' (times gamma^t). */
  mode?: 'triangular' | 'triangular2' | 'expRange';
  /** expRange's factor per step (default 1). */
  gamma?: number;
}

/**
 * The lr cycling linearly between `baseLr` and `maxLr` (Smith's cyclical learning rates, PyTorch's
 * `CyclicLR`), stepped once per batch. The lr only: PyTorch's momentum cycling (`cycle_momentum`)
 * is not done.
 *
 * @example
 * new CyclicLR(opt, { baseLr: 0.001, maxLr: 0.01, stepSizeUp: 500, mode: 'triangular2' });
 */
export class CyclicLR extends LRScheduler {
  constructor(optimizer: HasParamGroups, opts: CyclicOptions) {
    const { baseLr, maxLr, stepSizeUp = 2000, mode = 'triangular', gamma = 1 } = opts;
    const stepSizeDown = opts.stepSizeDown ?? stepSizeUp;
    positiveInt('CyclicLR', 'stepSizeUp', stepSizeUp);
    positiveInt('CyclicLR', 'stepSizeDown', stepSizeDown);
    if (!(baseLr >= 0 && maxLr >= baseLr)) throw new StrataError('CyclicLR', `needs 0 <= baseLr <= maxLr, got ${baseLr} and ${maxLr}`);
    if (mode !== 'triangular' && mode !== 'triangular2' && mode !== 'expRange') throw new StrataError('CyclicLR', `mode must be 'triangular', 'triangular2' or 'expRange', got '${String(mode)}'`);
    const total = stepSizeUp + stepSizeDown, ratio = stepSizeUp / total;
    super(optimizer, (_b, t) => {
      const cycle = Math.floor(1 + t / total);
      const x = 1 + t / total - cycle;
      const height = (maxLr - baseLr) * (x <= ratio ? x / ratio : (x - 1) / (ratio - 1));
      const scale = mode === 'triangular' ? 1 : mode === 'triangular2' ? 1 / 2 ** (cycle - 1) : gamma ** t;
      return baseLr + height * scale;
    });
  }
}

/**
 * Runs `schedulers` one after another: the first until `milestones[0]`, the second from there
 * (its own step count starting again at 0), and so on (PyTorch's `SequentialLR`). Each was made
 * on the same optimizer; only their schedules are used.
 *
 * @example
 * const warm = new LinearLR(opt, { startFactor: 0.1, totalIters: 5 });
 * const decay = new CosineAnnealingLR(opt, { tMax: 95 });
 * const sched = new SequentialLR(opt, [warm, decay], [5]);
 */
export class SequentialLR extends LRScheduler {
  constructor(optimizer: HasParamGroups, schedulers: readonly LRScheduler[], milestones: readonly number[]) {
    if (schedulers.length === 0 || milestones.length !== schedulers.length - 1) {
      throw new StrataError('SequentialLR', `needs one milestone fewer than schedulers, got ${schedulers.length} schedulers and ${milestones.length} milestones`);
    }
    if (!milestones.every((m, i) => Number.isInteger(m) && m > 0 && (i === 0 || m > milestones[i - 1]))) {
      throw new StrataError('SequentialLR', `milestones must be increasing positive integers, got [${milestones.join(', ')}]`);
    }
    const bad = schedulers.findIndex((s) => s.optimizer !== optimizer);
    if (bad >= 0) throw new StrataError('SequentialLR', `scheduler ${bad} was made on another optimizer`);
    // the first one's base lrs: it was made first, before any of them set the groups' lr
    const bases = [...schedulers[0].baseLrs];
    const parts: Schedule[] = schedulers.map((s) => s.schedule);
    super(optimizer, (b, t) => {
      let k = 0;
      while (k < milestones.length && t >= milestones[k]) k++;
      return parts[k](b, k === 0 ? t : t - milestones[k - 1]);
    });
    this.loadStateDict({ t: 0, baseLrs: bases });
  }
}
