// SPDX-License-Identifier: MIT
import { StrataError } from '../core/errors.js';
import { noGrad } from '../autograd/mode.js';
import type { StateDict } from '../nn/module.js';
import type { Callback, Logs, TrainState } from './types.js';

/** Options of `EarlyStopping` (Keras' arguments). */
export interface EarlyStoppingOptions {
  /** Logged value to watch (default 'valLoss'). */
  monitor?: string;
  /** 'min' for losses, 'max' for accuracies; 'auto' picks 'max' when the name contains 'acc'. */
  mode?: 'min' | 'max' | 'auto';
  /** Epochs without improvement after which training stops (default 0: stop at the first, as 1). */
  patience?: number;
  /** Smallest change that counts as an improvement. */
  minDelta?: number;
  /** At the end, load the weights of the best epoch back into the model. */
  restoreBestWeights?: boolean;
}

/**
 * Stops training when a monitored value has not improved for `patience` epochs, and optionally
 * restores the best weights (Keras' EarlyStopping).
 *
 * @example await fit(model, data, { ..., validationSplit: 0.2, callbacks: [new EarlyStopping({ patience: 3, restoreBestWeights: true })] });
 */
export class EarlyStopping implements Callback {
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  best = NaN;
  bestEpoch = -1;
  /** The epoch training stopped at, or -1 if it ran to the end. */
  stoppedEpoch = -1;
  private wait = 0;
  private snapshot: StateDict | null = null;
  private readonly o: Required<Omit<EarlyStoppingOptions, 'monitor' | 'mode'>>;

  constructor(opts: EarlyStoppingOptions = {}) {
    this.monitor = opts.monitor ?? 'valLoss';
    const mode = opts.mode ?? 'auto';
    this.mode = mode === 'auto' ? (/acc/i.test(this.monitor) ? 'max' : 'min') : mode;
    this.o = { patience: opts.patience ?? 0, minDelta: Math.abs(opts.minDelta ?? 0), restoreBestWeights: opts.restoreBestWeights ?? false };
  }

  private improved(v: number): boolean {
    if (Number.isNaN(this.best)) return true;
    return this.mode === 'min' ? v < this.best - this.o.minDelta : v > this.best + this.o.minDelta;
  }

  /** Resets the best value and counters, so one instance can serve several runs. */
  onTrainBegin(): void {
    this.best = NaN;
    this.bestEpoch = -1;
    this.stoppedEpoch = -1;
    this.wait = 0;
  }

  /** Compares the monitored value with the best so far and stops training after `patience` epochs without improvement. */
  onEpochEnd(epoch: number, logs: Logs, state: TrainState): void {
    const v = logs[this.monitor];
    if (v === undefined) throw new StrataError('EarlyStopping', `monitor '${this.monitor}' is not logged; available: ${Object.keys(logs).join(', ')}`);
    if (this.improved(v)) {
      this.best = v;
      this.bestEpoch = epoch;
      this.wait = 0;
      if (this.o.restoreBestWeights) this.takeSnapshot(state);
      return;
    }
    this.wait++;
    if (this.wait >= Math.max(this.o.patience, 1)) {
      this.stoppedEpoch = epoch;
      state.stopTraining = true;
    }
  }

  /** With `restoreBestWeights`, loads the weights of the best epoch back into the model. */
  onTrainEnd(state: TrainState): void {
    if (this.o.restoreBestWeights && this.snapshot) state.model.loadStateDict(this.snapshot);
  }

  private takeSnapshot(state: TrainState): void {
    const old = this.snapshot;
    // Copies, not views: later steps replace the parameters' data.
    this.snapshot = noGrad(() => Object.fromEntries(Object.entries(state.model.stateDict()).map(([k, t]) => [k, t.clone().keep()])));
    if (old) for (const t of Object.values(old)) t.dispose();
  }
}
