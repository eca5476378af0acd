// SPDX-License-Identifier: MIT
import type { Generator } from '../core/rng.js';
import type { Module } from '../nn/module.js';
import type { OptimizerStateDict } from '../optim/optimizer.js';
import type { Tensor } from '../tensor/tensor.js';

/** Numbers logged per batch or epoch: `loss`, metric names, and `val`-prefixed validation ones. */
export type Logs = Record<string, number>;

/** What `fit` needs of an optimizer (every optimizer in optim/ is one). */
export interface TrainOptimizer {
  /** Clears the gradients of the parameters. */
  zeroGrad(): void;
  /** Applies one update from the accumulated gradients. */
  step(): void;
  /** Parameter groups; their `lr` is what schedulers set and `fit` logs. */
  readonly paramGroups: { lr: number }[];
  /** The optimizer's state, for checkpoints. */
  stateDict(): OptimizerStateDict;
  /** Restores `stateDict()`'s state. */
  loadStateDict(state: OptimizerStateDict): void;
}

/** A loss: a function or a loss module (`forward(input, target)`). */
export type LossLike = ((input: Tensor, target: Tensor) => Tensor) | {
  /** The loss of `input` (predictions) against `target`. */
  forward(input: Tensor, target: Tensor): Tensor;
};

/** A batch metric: its mean over the batch (epoch values are sample-weighted means of these). */
export interface Metric {
  /** Key of the metric in the logs. */
  readonly name: string;
  /** The metric's value on a batch (its mean over the batch). */
  compute(pred: Tensor, target: Tensor): number;
}

/**
 * The training run as callbacks see it. Setting `stopTraining` ends the run after the current batch
 * (the epoch is then closed early: its logs cover the batches done, and validation still runs).
 */
export interface TrainState {
  model: Module;
  optimizer: TrainOptimizer;
  generator: Generator;
  epochs: number;
  /** Batches per epoch, when known. */
  steps: number | null;
  /** Training samples per epoch, when known. */
  samples: number | null;
  epoch: number;
  stopTraining: boolean;
}

/** Lifecycle hooks (Keras' callbacks). Every hook may be async; `fit` awaits it. */
export interface Callback {
  /** Before the first epoch. */
  onTrainBegin?(state: TrainState): void | Promise<void>;
  /** After the last epoch, with its logs. */
  onTrainEnd?(state: TrainState, logs: Logs): void | Promise<void>;
  /** Before epoch `epoch` (0-based). */
  onEpochBegin?(epoch: number, state: TrainState): void | Promise<void>;
  /** After epoch `epoch`, with its training and validation logs. */
  onEpochEnd?(epoch: number, logs: Logs, state: TrainState): void | Promise<void>;
  /** Before batch `batch` (0-based within the epoch). */
  onBatchBegin?(batch: number, state: TrainState): void | Promise<void>;
  /** `logs` holds this batch's values and `size`, its number of samples. */
  onBatchEnd?(batch: number, logs: Logs, state: TrainState): void | Promise<void>;
}

export function lossFn(loss: LossLike): (input: Tensor, target: Tensor) => Tensor {
  return typeof loss === 'function' ? loss : (a, b) => loss.forward(a, b);
}
