// SPDX-License-Identifier: MIT
import { type FileSystem, type Json, saveCheckpoint } from '../io/checkpoint.js';
import { type Stateful, trainingCheckpoint } from './checkpoint.js';
import type { Callback, Logs, TrainState } from './types.js';

/** Options of `ModelCheckpoint`. */
export interface ModelCheckpointOptions {
  /** File to write, or a function of the epoch and its logs (`ckpt-${epoch}.safetensors`). */
  path: string | ((epoch: number, logs: Logs) => string);
  /** Where files go: `nodeFileSystem` in Node, or any object with writeFile/readFile/rename. */
  fs: FileSystem;
  /** With `saveBestOnly`, the logged value that decides (default 'valLoss'). */
  monitor?: string;
  mode?: 'min' | 'max' | 'auto';
  /** Write only when the monitored value improves. */
  saveBestOnly?: boolean;
  /** Write every `every` epochs (default 1). */
  every?: number;
  /** Schedulers whose state should resume too. */
  schedulers?: Stateful<Json>[];
  /** Write weights holding NaN or ±Inf (default false: saving them throws and the file keeps its last good state). */
  allowNonFinite?: boolean;
}

/**
 * Writes a full training checkpoint (weights, optimizer state, generator states, epoch) at the end
 * of epochs, atomically. `restoreTraining` + `fit(…, { initialEpoch })` resumes from it exactly.
 * A state holding NaN or ±Inf is never written (saving throws, and the file keeps the last good one)
 * unless `allowNonFinite` is set.
 *
 * @example callbacks: [new ModelCheckpoint({ path: 'runs/last.safetensors', fs: nodeFileSystem })]
 */
export class ModelCheckpoint implements Callback {
  best = NaN;
  /** Paths written so far. */
  readonly saved: string[] = [];
  private readonly mode: 'min' | 'max';
  constructor(readonly opts: ModelCheckpointOptions) {
    const monitor = opts.monitor ?? 'valLoss';
    const mode = opts.mode ?? 'auto';
    this.mode = mode === 'auto' ? (/acc/i.test(monitor) ? 'max' : 'min') : mode;
  }

  /** Writes the checkpoint when this epoch is due (and, with `saveBestOnly`, improved the monitored value). */
  async onEpochEnd(epoch: number, logs: Logs, state: TrainState): Promise<void> {
    if ((epoch + 1) % (this.opts.every ?? 1) !== 0) return;
    if (this.opts.saveBestOnly) {
      const v = logs[this.opts.monitor ?? 'valLoss'];
      if (v === undefined) return;
      const better = Number.isNaN(this.best) || (this.mode === 'min' ? v < this.best : v > this.best);
      if (!better) return;
      this.best = v;
    }
    const path = typeof this.opts.path === 'function' ? this.opts.path(epoch, logs) : this.opts.path;
    const ckpt = trainingCheckpoint({ model: state.model, optimizer: state.optimizer, generator: state.generator, schedulers: this.opts.schedulers }, epoch + 1, { logs });
    await saveCheckpoint(path, ckpt, this.opts.fs, { allowNonFinite: this.opts.allowNonFinite });
    this.saved.push(path);
  }
}
