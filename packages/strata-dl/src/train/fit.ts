// SPDX-License-Identifier: MIT
import { type Generator, defaultGenerator } from '../core/rng.js';
import type { TrainPosition } from '../autograd/anomaly.js';
import type { Module } from '../nn/module.js';
import { scoped } from '../tensor/scope.js';
import { type FitData, planEpoch, xy } from './batches.js';
import { evaluate } from './evaluate.js';
import { History } from './history.js';
import { inStep, stopIfNonFinite } from './non-finite.js';
import { Averager, type MetricLike, resolveMetric } from './metrics.js';
import { type StepContext, type TrainStep, defaultTrainStep } from './step.js';
import { validationSplit } from './validation-split.js';
import { type Callback, type Logs, type LossLike, type TrainOptimizer, type TrainState, lossFn } from './types.js';

/** Options of `fit`. */
export interface FitOptions {
  /** Updates the parameters (any optimizer in `optim`). */
  optimizer: TrainOptimizer;
  /** The training loss: a function or a loss module. */
  loss: LossLike;
  /** Passes over the data (default 1). */
  epochs?: number;
  /** Samples per batch for tensor data (default 32); loaders bring their own. */
  batchSize?: number;
  /** Reshuffle tensor data every epoch (default true), from `generator`. */
  shuffle?: boolean;
  metrics?: MetricLike[];
  /**
   * Hold out this fraction of tensor data for validation: the last samples, unshuffled, as Keras'
   * `validation_split` does. When those hold classes the training part lacks, or the labels look
   * ordered by class, `fit` warns once (through `log`, else `console.warn`); `validationShuffle`
   * draws the validation samples at random instead.
   */
  validationSplit?: number;
  /**
   * Draw `validationSplit`'s samples at random (from `generator`, once, before training) instead
   * of taking the last ones, like `shuffle=True` in `keras.utils.split_dataset` or scikit-learn's
   * `train_test_split`. Default false: Keras' `fit` behaviour.
   *
   * @example
   * await fit(model, { x, y }, { optimizer, loss: crossEntropy, validationSplit: 0.2, validationShuffle: true });
   */
  validationShuffle?: boolean;
  validationData?: FitData;
  callbacks?: Callback[];
  /** Shuffling source (default: the global generator, which `manualSeed` sets). */
  generator?: Generator;
  /** Replaces the default zeroGrad/forward/loss/backward/step. */
  trainStep?: TrainStep;
  /** Epochs already done (to resume from a checkpoint). */
  initialEpoch?: number;
  /** Give the event loop a turn every this many batches (default 50), so UIs stay responsive. */
  yieldEvery?: number;
  /** Prints one line per epoch through this function (e.g. console.log). */
  log?: (line: string) => void;
  /**
   * Stop with an `AnomalyError` naming the epoch and batch when a batch's loss is NaN or ±Inf
   * (default true: Keras' `TerminateOnNaN`, on by default, and throwing, since such a run is broken).
   * The default train step checks before the optimizer step, so the weights keep their last finite
   * values and no checkpoint is written from them.
   */
  stopOnNonFinite?: boolean;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Trains `model` on `data` for `epochs` epochs (Keras' `fit`), returning the history of epoch logs:
 * `loss` and each metric, and `valLoss`, `valAccuracy`, … when there is validation data. Each step
 * runs inside `scoped`, so memory stays flat however long training runs.
 *
 * @example
 * const history = await fit(model, { x, y }, {
 *   optimizer: new SGD(model.parameters(), { lr: 0.1 }), loss: crossEntropy, epochs: 10,
 *   metrics: ['accuracy'], validationSplit: 0.2, callbacks: [new EarlyStopping({ patience: 2 })],
 * });
 */
export async function fit(model: Module, data: FitData, opts: FitOptions): Promise<History> {
  const { epochs = 1, batchSize = 32, shuffle = true, initialEpoch = 0, yieldEvery = 50, generator = defaultGenerator() } = opts;
  const split = opts.validationSplit
    ? validationSplit(data, opts.validationSplit, { shuffle: opts.validationShuffle ?? false, generator, warn: opts.log ?? console.warn })
    : { train: data, validation: opts.validationData };
  const stopOnNonFinite = opts.stopOnNonFinite ?? true;
  const pos: TrainPosition = { epoch: initialEpoch, epochs, batch: 0, steps: null, step: 0 };
  const ctx: StepContext = { model, optimizer: opts.optimizer, loss: lossFn(opts.loss), metrics: (opts.metrics ?? []).map(resolveMetric) };
  if (stopOnNonFinite) ctx.checkLoss = (v) => stopIfNonFinite(v, pos, true);
  const trainStep = opts.trainStep ?? defaultTrainStep;
  const history = new History();
  const callbacks: Callback[] = [history, ...(opts.callbacks ?? [])];
  const state: TrainState = { model, optimizer: opts.optimizer, generator, epochs, steps: null, samples: null, epoch: initialEpoch, stopTraining: false };
  let logs: Logs = {};

  for (const cb of callbacks) await cb.onTrainBegin?.(state);
  for (let epoch = initialEpoch; epoch < epochs && !state.stopTraining; epoch++) {
    state.epoch = epoch;
    model.train();
    const plan = planEpoch(split.train, { batchSize, shuffle, generator });
    state.steps = plan.steps;
    state.samples = plan.samples;
    for (const cb of callbacks) await cb.onEpochBegin?.(epoch, state);
    const avg = new Averager();
    let batch = 0;
    for (const load of plan.batches) {
      for (const cb of callbacks) await cb.onBatchBegin?.(batch, state);
      Object.assign(pos, { epoch, batch, steps: plan.steps });
      const batchLogs = inStep(model, pos, () => scoped(() => {
        const [x, y] = xy(load());
        return { ...trainStep(ctx, x, y), size: x.shape[0] };
      }));
      if (stopOnNonFinite) stopIfNonFinite((batchLogs as Logs).loss, pos, false);
      pos.step++;
      const { size, ...values } = batchLogs;
      avg.add(values, size);
      for (const cb of callbacks) await cb.onBatchEnd?.(batch, batchLogs, state);
      batch++;
      if (state.stopTraining) break;
      if (yieldEvery > 0 && batch % yieldEvery === 0) await yieldToEventLoop();
    }
    logs = avg.mean();
    if (split.validation) {
      const val = evaluate(model, split.validation, { loss: opts.loss, metrics: opts.metrics, batchSize: Math.max(batchSize, 256) });
      for (const [k, v] of Object.entries(val)) logs[`val${k[0].toUpperCase()}${k.slice(1)}`] = v;
    }
    for (const cb of callbacks) await cb.onEpochEnd?.(epoch, logs, state);
    opts.log?.(`epoch ${epoch + 1}/${epochs} ${Object.entries(logs).map(([k, v]) => `${k} ${v.toPrecision(4)}`).join(' ')}`);
  }
  for (const cb of callbacks) await cb.onTrainEnd?.(state, logs);
  return history;
}
