// SPDX-License-Identifier: MIT
// Group and instance normalization: statistics per sample over groups of channels (and the
// spatial dimensions), biased variance, then an optional per-channel scale and shift.
import { StrataError, fmtShape } from '../../core/errors.js';
import { noGrad } from '../../autograd/mode.js';
import type { Tensor } from '../../tensor/tensor.js';

function affine(y: Tensor, weight: Tensor | null, bias: Tensor | null, op: string): Tensor {
  const c = y.shape[1];
  const bshape = y.shape.map((d, i) => (i === 1 ? c : 1));
  for (const [name, t] of [['weight', weight], ['bias', bias]] as const) {
    if (t && (t.ndim !== 1 || t.shape[0] !== c)) throw new StrataError(op, `${name} ${fmtShape(t.shape)} does not match the ${c} channels of input ${fmtShape(y.shape)}`);
  }
  let r = y;
  if (weight) r = r.mul(weight.reshape(bshape));
  if (bias) r = r.add(bias.reshape(bshape));
  return r;
}

/**
 * Group normalization of `x` `[N, C, ...]`: the C channels are split into `numGroups` groups, and
 * each sample's group is normalized over its channels and spatial positions (biased variance),
 * then scaled and shifted per channel. PyTorch's F.group_norm.
 *
 * @example groupNorm(tensor([[1, 3, 5, 9]]), 2).toArray(); // [[-0.9999950000374997, 0.9999950000374997, -0.9999987500015625, 0.9999987500015625]]
 */
export function groupNorm(x: Tensor, numGroups: number, weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor {
  if (x.ndim < 2) throw new StrataError('groupNorm', `input must be [N, C, ...], got ${fmtShape(x.shape)}`);
  const [n, c] = x.shape;
  if (!Number.isInteger(numGroups) || numGroups < 1 || c % numGroups !== 0) {
    throw new StrataError('groupNorm', `numGroups ${numGroups} must divide the ${c} channels of input ${fmtShape(x.shape)}`);
  }
  // explicit group size, not -1: an empty batch (n = 0) cannot infer it
  const g = x.reshape([n, numGroups, (c / numGroups) * x.shape.slice(2).reduce((a, b) => a * b, 1)]);
  const mean = g.mean(2, true);
  const d = g.sub(mean);
  const y = d.div(d.square().mean(2, true).add(eps).sqrt()).reshape(x.shape);
  return affine(y, weight, bias, 'groupNorm');
}

/** Options of `instanceNorm` (PyTorch's `F.instance_norm`). */
export interface InstanceNormOptions {
  /** Normalize with each instance's own statistics (default true); false uses the running ones. */
  useInputStats?: boolean;
  momentum?: number;
  eps?: number;
}

/**
 * Instance normalization of `x` `[N, C, ...]`: each (sample, channel) is normalized over its spatial
 * positions. With running statistics and `useInputStats`, they are updated in place with the batch
 * mean of the instance means and of the unbiased instance variances (momentum 0.1), as PyTorch's
 * F.instance_norm; with `useInputStats: false` the running statistics normalize instead.
 *
 * @example instanceNorm(tensor([[[1, 3], [2, 2]]])).toArray(); // [[[-0.9999950000374997, 0.9999950000374997], [0, 0]]]
 */
export function instanceNorm(x: Tensor, runningMean: Tensor | null = null, runningVar: Tensor | null = null, weight: Tensor | null = null, bias: Tensor | null = null, opts: InstanceNormOptions = {}): Tensor {
  const { useInputStats = true, momentum = 0.1, eps = 1e-5 } = opts;
  if (x.ndim < 3) throw new StrataError('instanceNorm', `input must be [N, C, ...spatial], got ${fmtShape(x.shape)}`);
  const [n, c] = x.shape;
  for (const [name, t] of [['runningMean', runningMean], ['runningVar', runningVar]] as const) {
    if (t && (t.ndim !== 1 || t.shape[0] !== c)) throw new StrataError('instanceNorm', `${name} ${fmtShape(t.shape)} does not match the ${c} channels of input ${fmtShape(x.shape)}`);
  }
  const bshape = x.shape.map((d, i) => (i === 1 ? c : 1));
  const axes = x.shape.slice(2).map((_, i) => i + 2);
  let y: Tensor;
  if (useInputStats) {
    const count = x.size / (n * c);
    // PyTorch's _verify_spatial_size: one element would normalize to 0 whatever its value.
    if (count < 2) throw new StrataError('instanceNorm', `expected more than 1 spatial element per channel when using input statistics, got input ${fmtShape(x.shape)}`);
    const mean = x.mean(axes, true);
    const d = x.sub(mean);
    const variance = d.square().mean(axes, true);
    y = d.div(variance.add(eps).sqrt());
    noGrad(() => {
      if (runningMean) runningMean.set_(runningMean.mul(1 - momentum).add(mean.reshape([n, c]).mean(0).mul(momentum)));
      if (runningVar) runningVar.set_(runningVar.mul(1 - momentum).add(variance.reshape([n, c]).mul(count / Math.max(count - 1, 1)).mean(0).mul(momentum)));
    });
  } else {
    if (!runningMean || !runningVar) throw new StrataError('instanceNorm', 'useInputStats: false needs runningMean and runningVar');
    y = x.sub(runningMean.reshape(bshape)).div(runningVar.reshape(bshape).add(eps).sqrt());
  }
  return affine(y, weight, bias, 'instanceNorm');
}
