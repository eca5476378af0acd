// SPDX-License-Identifier: MIT
import { StrataError, fmtShape } from '../../core/errors.js';
import { noGrad } from '../../autograd/mode.js';
import type { Tensor } from '../../tensor/tensor.js';

/** Options of `batchNorm`: `training` uses batch statistics and updates the running ones with `momentum`. */
export interface BatchNormOptions {
  training?: boolean;
  momentum?: number;
  eps?: number;
}

/**
 * Batch normalization of `x` [N, C, ...] per channel (axis 1). In training it normalizes with the
 * batch statistics and, when running statistics are given, updates them in place (momentum 0.1,
 * unbiased variance, as PyTorch); in evaluation it uses the running statistics.
 */
export function batchNorm(x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, weight: Tensor | null, bias: Tensor | null, opts: BatchNormOptions = {}): Tensor {
  const { training = false, momentum = 0.1, eps = 1e-5 } = opts;
  if (x.ndim < 2) throw new StrataError('batchNorm', `input must be [N, C, ...], got ${fmtShape(x.shape)}`);
  const c = x.shape[1];
  const axes = x.shape.flatMap((_, i) => (i === 1 ? [] : [i]));
  const bshape = x.shape.map((d, i) => (i === 1 ? c : 1));
  for (const [name, t] of [['runningMean', runningMean], ['runningVar', runningVar], ['weight', weight], ['bias', bias]] as const) {
    if (t && (t.ndim !== 1 || t.shape[0] !== c)) throw new StrataError('batchNorm', `${name} ${fmtShape(t.shape)} does not match the ${c} channels of input ${fmtShape(x.shape)}`);
  }
  let mean: Tensor;
  let variance: Tensor;
  if (training || !runningMean || !runningVar) {
    const count = x.size / c;
    if (training && count < 2) throw new StrataError('batchNorm', `expected more than 1 value per channel when training, got input ${fmtShape(x.shape)}`);
    mean = x.mean(axes, true);
    variance = x.sub(mean).square().mean(axes, true);
    if (training && runningMean && runningVar) {
      noGrad(() => {
        const unbiased = variance.reshape([c]).mul(count / Math.max(count - 1, 1));
        runningMean.set_(runningMean.mul(1 - momentum).add(mean.reshape([c]).mul(momentum)));
        runningVar.set_(runningVar.mul(1 - momentum).add(unbiased.mul(momentum)));
      });
    }
  } else {
    mean = runningMean.reshape(bshape);
    variance = runningVar.reshape(bshape);
  }
  let y = x.sub(mean).div(variance.add(eps).sqrt());
  if (weight) y = y.mul(weight.reshape(bshape));
  if (bias) y = y.add(bias.reshape(bshape));
  return y;
}

/** Normalizes over the trailing dimensions `normalizedShape` (biased variance), then scales and shifts. */
export function layerNorm(x: Tensor, normalizedShape: readonly number[], weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor {
  const k = normalizedShape.length;
  const tail = x.shape.slice(x.ndim - k);
  if (k === 0 || k > x.ndim || tail.join() !== normalizedShape.join()) {
    throw new StrataError('layerNorm', `input ${fmtShape(x.shape)} does not end with the normalized shape ${fmtShape(normalizedShape)}`);
  }
  const axes = Array.from({ length: k }, (_, i) => x.ndim - k + i);
  const mean = x.mean(axes, true);
  const variance = x.sub(mean).square().mean(axes, true);
  let y = x.sub(mean).div(variance.add(eps).sqrt());
  if (weight) y = y.mul(weight);
  if (bias) y = y.add(bias);
  return y;
}
