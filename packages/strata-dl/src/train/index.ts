// SPDX-License-Identifier: MIT
/**
 * Training: `fit` (Keras-style, with callbacks), `evaluate`, `predict`, the default train step,
 * metrics, checkpoints that resume exactly, and Rosenblatt's perceptron. The hand-written loop
 * (zeroGrad, forward, backward, step) works just as well; `fit` is that loop plus bookkeeping.
 * The terminal progress bar is Node-only: `train/progress-bar.ts`.
 *
 * @packageDocumentation
 */
export { fit } from './fit.js';
export type { FitOptions } from './fit.js';
export { evaluate, predict } from './evaluate.js';
export type { EvaluateOptions } from './evaluate.js';
export { defaultTrainStep } from './step.js';
export type { StepContext, TrainStep } from './step.js';
export { accuracy, topKAccuracy } from './metrics.js';
export type { MetricLike } from './metrics.js';
export type { Callback, Logs, LossLike, Metric, TrainOptimizer, TrainState } from './types.js';
export type { FitData } from './batches.js';
export { History } from './history.js';
export { EarlyStopping } from './early-stopping.js';
export type { EarlyStoppingOptions } from './early-stopping.js';
export { ModelCheckpoint } from './model-checkpoint.js';
export type { ModelCheckpointOptions } from './model-checkpoint.js';
export { LRSchedulerCallback, type Steppable } from './lr-callback.js';
export { trainingCheckpoint, restoreTraining } from './checkpoint.js';
export type { Stateful, TrainingState } from './checkpoint.js';
export { Perceptron, trainPerceptron } from './perceptron.js';
export type { PerceptronFitOptions, PerceptronFitResult } from './perceptron.js';
export { ganStep, ganCheckpoint, restoreGan } from './gan.js';
export type { Gan, GanLosses, GanNetwork } from './gan.js';
