// SPDX-License-Identifier: MIT
// The epoch loop of the generative commands: shuffled mini-batches, a progress bar, a checkpoint after
// every epoch and on Ctrl-C (mid-epoch: the batches done are recorded), and an exact resume. Each
// epoch's order comes from its own generator seeded by (seed, epoch), so a resumed run draws the
// same batches without carrying a shuffle state; the global generator (noise, sampling) is saved in
// the checkpoint by the caller.
import * as st from 'strata-dl';
import { ProgressBar } from '../../progress-bar.js';
import type { GenerativeEpochMetrics } from './run-folder.js';

/** Where training stands: what a checkpoint records besides the weights and optimizers. */
export interface LoopState {
  /** The epoch under way (0-based); equals the epochs done when `batchesDone` is 0. */
  epoch: number;
  /** Batches of `epoch` already done (a checkpoint taken mid-epoch). */
  batchesDone: number;
  /** Running loss sums (each batch's mean loss × its size) and the samples seen in `epoch`. */
  sums: Record<string, number>;
  seen: number;
  /** Seconds spent so far in `epoch` (resumed epochs add up). */
  epochSeconds: number;
  history: GenerativeEpochMetrics[];
}

export const freshState = (): LoopState => ({ epoch: 0, batchesDone: 0, sums: {}, seen: 0, epochSeconds: 0, history: [] });

export interface LoopSpec {
  n: number;
  batchSize: number;
  epochs: number;
  seed: number;
  /** One optimization step on the samples `idx`; returns its mean losses. */
  step(idx: number[]): Record<string, number>;
  /** After each epoch: extra per-epoch figures (test loss) and side effects (a grid of samples). */
  afterEpoch(epoch: number): Record<string, number>;
  /** Writes a checkpoint of the state (and the caller's networks, optimizers and global generator). */
  checkpoint(state: LoopState): Promise<void>;
  /** For the progress bar's TrainState: the (main) model and optimizer. */
  model: st.nn.Module;
  optimizer: st.train.TrainOptimizer;
  quiet: boolean;
  /** Tests: behave as if Ctrl-C were pressed after this many batches of this process. */
  interruptAfter?: number;
}

/** The sample order of epoch `epoch`: a permutation from a generator seeded by (seed, epoch). */
export function epochOrder(n: number, seed: number, epoch: number): number[] {
  return st.data.permutation(n, new st.Generator(seed * 100_003 + epoch + 1));
}

/** Runs the epochs from `state` on; returns whether it stopped early (Ctrl-C). */
export async function runEpochs(spec: LoopSpec, state: LoopState): Promise<boolean> {
  let interrupted = false;
  const onSignal = (): void => { interrupted = true; };
  process.on('SIGINT', onSignal);
  const steps = Math.ceil(spec.n / spec.batchSize);
  const bar = spec.quiet ? null : new ProgressBar();
  let batchesThisProcess = 0;
  try {
    while (state.epoch < spec.epochs) {
      const e = state.epoch;
      const order = epochOrder(spec.n, spec.seed, e);
      const trainState: st.train.TrainState = {
        model: spec.model, optimizer: spec.optimizer, generator: st.defaultGenerator(), epochs: spec.epochs,
        steps, samples: spec.n, epoch: e, stopTraining: false,
      };
      bar?.onEpochBegin(e, trainState);
      let t0 = performance.now();
      for (let b = state.batchesDone; b < steps; b++) {
        const idx = order.slice(b * spec.batchSize, (b + 1) * spec.batchSize);
        const losses = spec.step(idx);
        for (const [k, v] of Object.entries(losses)) state.sums[k] = (state.sums[k] ?? 0) + v * idx.length;
        state.seen += idx.length;
        state.batchesDone = b + 1;
        batchesThisProcess++;
        const logs: st.train.Logs = { size: idx.length };
        for (const k of Object.keys(state.sums)) logs[k] = state.sums[k] / state.seen;
        bar?.onBatchEnd(b, logs, trainState);
        if (spec.interruptAfter !== undefined && batchesThisProcess >= spec.interruptAfter) interrupted = true;
        // Let a pending SIGINT handler run between batches.
        if (b % 5 === 4) await new Promise((r) => setImmediate(r));
        if (interrupted && state.batchesDone < steps) break;
      }
      state.epochSeconds += (performance.now() - t0) / 1000;
      if (state.batchesDone < steps) {
        bar?.onEpochEnd(e, {});
        await spec.checkpoint(state);
        return true;
      }
      const row: GenerativeEpochMetrics = { epoch: e + 1, seconds: state.epochSeconds };
      for (const k of Object.keys(state.sums)) row[k] = state.sums[k] / state.seen;
      t0 = performance.now();
      Object.assign(row, spec.afterEpoch(e));
      row.seconds += (performance.now() - t0) / 1000;
      const logs: st.train.Logs = {};
      for (const [k, v] of Object.entries(row)) if (k !== 'epoch' && k !== 'seconds') logs[k] = v;
      bar?.onEpochEnd(e, logs);
      state.history.push(row);
      Object.assign(state, { epoch: e + 1, batchesDone: 0, sums: {}, seen: 0, epochSeconds: 0 });
      await spec.checkpoint(state);
      if (interrupted && state.epoch < spec.epochs) return true;
    }
    return false;
  } finally {
    process.off('SIGINT', onSignal);
  }
}
