// SPDX-License-Identifier: MIT
// fit's guards against NaN: the stop on a non-finite loss (on by default, Keras' TerminateOnNaN),
// and the anomaly-detection context (module frame, position) around each step.
import { AnomalyError, type TrainPosition, anomalyOn, formatPosition, inFrame, setTrainPosition } from '../autograd/anomaly.js';
import type { Module } from '../nn/module.js';
import '../nn/anomaly-path.js';

/**
 * Throws when a batch's loss is NaN or ±Inf. `before` says whether the weights were updated: the
 * default train step checks before `optimizer.step()`, so the model keeps its last finite weights.
 */
export function stopIfNonFinite(loss: number | undefined, pos: TrainPosition, before: boolean): void {
  if (loss === undefined || Number.isFinite(loss)) return;
  const weights = before
    ? 'training stopped before the optimizer step, so the weights hold their last finite values'
    : 'training stopped after the train step (a custom trainStep that does not call ctx.checkLoss before updating may have changed the weights)';
  throw new AnomalyError('fit', `the loss is ${loss} at ${formatPosition(pos)}; ${weights}. ` +
    'Find the op that made it with detectAnomaly(() => fit(…)); pass stopOnNonFinite: false to train on regardless', {
    phase: 'loss', value: String(loss), calls: [], module: null, moduleType: null, inputShapes: [], outputShape: null, epoch: pos.epoch, batch: pos.batch, step: pos.step,
  });
}

/** Runs one step; under anomaly detection, with the model as the root frame and `pos` as the position. */
export function inStep<T>(model: Module, pos: TrainPosition, fn: () => T): T {
  if (!anomalyOn) return fn();
  const prev = setTrainPosition({ ...pos });
  try {
    return inFrame(model, fn);
  } finally {
    setTrainPosition(prev);
  }
}
