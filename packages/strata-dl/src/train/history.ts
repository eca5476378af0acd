// SPDX-License-Identifier: MIT
import type { Callback, Logs } from './types.js';

/**
 * Records every epoch's logs; `fit` always adds one and returns it.
 *
 * @example const h = await fit(model, data, opts); h.history.valLoss; // one number per epoch
 */
export class History implements Callback {
  readonly epochs: number[] = [];
  readonly history: Record<string, number[]> = {};
  /** Appends the epoch and each logged value. */
  onEpochEnd(epoch: number, logs: Logs): void {
    this.epochs.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }
  /** The last recorded value of `key`. */
  last(key: string): number | undefined {
    return this.history[key]?.at(-1);
  }
}
