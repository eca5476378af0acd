// SPDX-License-Identifier: MIT
import { noGrad } from '../autograd/mode.js';
import { defaultGenerator } from '../core/rng.js';
import type { Module } from '../nn/module.js';
import { cat } from '../tensor/composite.js';
import { scoped } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';
import { type FitData, planEpoch, xy } from './batches.js';
import { Averager, type MetricLike, resolveMetric } from './metrics.js';
import { metricLogs } from './step.js';
import { type LossLike, type Logs, lossFn } from './types.js';

/** Options of `evaluate`. */
export interface EvaluateOptions {
  /** The loss to report as `loss`. */
  loss?: LossLike;
  /** Metrics to report, by name or object. */
  metrics?: MetricLike[];
  /** Samples per batch for tensor data (default 256). */
  batchSize?: number;
}

/** Runs `fn` in evaluation mode and restores the module's previous mode afterwards. */
function inEvalMode<T>(model: Module, fn: () => T): T {
  const was = model.training;
  model.eval();
  try {
    return fn();
  } finally {
    model.train(was);
  }
}

/**
 * Loss and metrics over a data set, in evaluation mode and without gradients (sample-weighted
 * means over batches).
 *
 * @example evaluate(model, { x: xTest, y: yTest }, { loss: crossEntropy, metrics: ['accuracy'] }); // { loss, accuracy }
 */
export function evaluate(model: Module, data: FitData, opts: EvaluateOptions = {}): Logs {
  const metrics = (opts.metrics ?? []).map(resolveMetric);
  const loss = opts.loss ? lossFn(opts.loss) : null;
  const avg = new Averager();
  inEvalMode(model, () => noGrad(() => {
    for (const load of planEpoch(data, { batchSize: opts.batchSize ?? 256, shuffle: false, generator: defaultGenerator() }).batches) {
      scoped(() => {
        const [x, y] = xy(load());
        const pred = model.call(x);
        avg.add({ ...(loss ? { loss: loss(pred, y).item() } : {}), ...metricLogs(metrics, pred, y) }, x.shape[0]);
      });
    }
  }));
  return avg.mean();
}

/**
 * The model's outputs for `x`, batch by batch, in evaluation mode without gradients.
 *
 * @example const probs = predict(model, xTest).softmax(1);
 */
export function predict(model: Module, x: Tensor, opts: { batchSize?: number } = {}): Tensor {
  const n = x.shape[0];
  const bs = opts.batchSize ?? 256;
  return inEvalMode(model, () => noGrad(() => scoped(() => {
    const outs: Tensor[] = [];
    for (let i = 0; i < n; i += bs) outs.push(model.call(x.slice(0, i, Math.min(i + bs, n))));
    return cat(outs, 0);
  })));
}
