// SPDX-License-Identifier: MIT
import { StrataError } from '../core/errors.js';
import type { Callback, Logs } from './types.js';

/** A per-step scheduler (LRScheduler and its subclasses) or a metric-driven one (ReduceLROnPlateau). */
export type Steppable = {
  /** Advances the schedule; metric-driven schedulers get the monitored value. */
  step(metric?: number): void;
};

/**
 * Steps an lr scheduler from `fit`: once per epoch (default) or once per batch (`perBatch`, for
 * one-cycle), passing the monitored value to metric-driven schedulers such as ReduceLROnPlateau.
 * The current lr is added to the epoch logs as `lr`.
 *
 * @example callbacks: [new LRSchedulerCallback(new ReduceLROnPlateau(opt), { monitor: 'valLoss' })]
 */
export class LRSchedulerCallback implements Callback {
  constructor(readonly scheduler: Steppable & { optimizer: { paramGroups: { lr: number }[] } }, readonly opts: { perBatch?: boolean; monitor?: string } = {}) {}

  /** Steps the scheduler when it runs per batch. */
  onBatchEnd(): void {
    if (this.opts.perBatch) this.stepWith(undefined);
  }

  /** Logs the current lr as `lr`, then steps the scheduler unless it runs per batch. */
  onEpochEnd(_epoch: number, logs: Logs): void {
    logs.lr = this.scheduler.optimizer.paramGroups[0].lr;
    if (!this.opts.perBatch) this.stepWith(logs);
  }

  private stepWith(logs: Logs | undefined): void {
    if (this.opts.monitor === undefined) {
      this.scheduler.step();
      return;
    }
    const v = logs?.[this.opts.monitor];
    if (v === undefined) throw new StrataError('LRSchedulerCallback', `monitor '${this.opts.monitor}' is not in the epoch logs`);
    this.scheduler.step(v);
  }
}
