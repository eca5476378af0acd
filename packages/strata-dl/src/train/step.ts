// SPDX-License-Identifier: MIT
import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Logs, Metric, TrainOptimizer } from './types.js';

/** What a training step works with. */
export interface StepContext {
  /** The model being trained. */
  model: Module;
  /** Its optimizer. */
  optimizer: TrainOptimizer;
  /** The loss, as a function. */
  loss: (input: Tensor, target: Tensor) => Tensor;
  /** The batch metrics to compute. */
  metrics: readonly Metric[];
  /**
   * Called with the batch's loss before the backward pass and the optimizer step; throws to stop
   * training with the weights untouched (fit's `stopOnNonFinite` sets it). Custom steps should call it too.
   */
  checkLoss?: (loss: number) => void;
}

/**
 * One optimization step on a batch, the loop every framework has: zero the gradients, forward,
 * loss, backward, update. Returns the batch's loss and metrics as numbers. `fit` runs it inside
 * `scoped`, so every tensor made here is freed when it returns. Replace it (`fit(…, { trainStep })`)
 * for GANs, gradient accumulation, or extra loss terms.
 *
 * @example
 * const withL2: TrainStep = (ctx, x, y) => defaultTrainStep({ ...ctx, loss: (p, t) => ctx.loss(p, t).add(l2Penalty(ctx.model.parameters(), 1e-4)) }, x, y);
 */
export function defaultTrainStep(ctx: StepContext, x: Tensor, y: Tensor): Logs {
  ctx.optimizer.zeroGrad();
  const pred = ctx.model.call(x);
  const loss = ctx.loss(pred, y);
  const value = loss.item();
  ctx.checkLoss?.(value);
  loss.backward();
  ctx.optimizer.step();
  return { loss: value, ...metricLogs(ctx.metrics, pred.detach(), y) };
}

/** A training step: `defaultTrainStep` or a replacement passed as `fit(…, { trainStep })`. */
export type TrainStep = (ctx: StepContext, x: Tensor, y: Tensor) => Logs;

export function metricLogs(metrics: readonly Metric[], pred: Tensor, y: Tensor): Logs {
  const out: Logs = {};
  for (const m of metrics) out[m.name] = m.compute(pred, y);
  return out;
}
