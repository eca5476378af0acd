// SPDX-License-Identifier: MIT
// GroupNorm and InstanceNorm layers; state-dict names as PyTorch (weight, bias, running_mean,
// running_var, num_batches_tracked), present only where PyTorch has them.
import { StrataError, fmtShape } from '../core/errors.js';
import { full } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { groupNorm, instanceNorm } from './functional/group-norm.js';
import { Module } from './module.js';
import type { LayerOptions } from './options.js';
import { Parameter } from './parameter.js';

export interface GroupNormOptions extends LayerOptions {
  eps?: number;
  /** Learn a per-channel scale (`weight`, ones) and shift (`bias`, zeros); default true. */
  affine?: boolean;
}

/**
 * Group normalization over [N, C, ...] with `numGroups` groups of `numChannels / numGroups` channels.
 *
 * @example
 * const gn = new GroupNorm(2, 4);              // state dict: weight [4], bias [4]
 * gn.forward(randn([3, 4, 5, 5])).shape;     // [3, 4, 5, 5]
 */
export class GroupNorm extends Module {
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;
  readonly eps: number;

  constructor(readonly numGroups: number, readonly numChannels: number, opts: GroupNormOptions = {}) {
    super();
    if (!Number.isInteger(numGroups) || numGroups < 1 || !Number.isInteger(numChannels) || numChannels % numGroups !== 0) {
      throw new StrataError('GroupNorm', `numChannels (${numChannels}) must be divisible by numGroups (${numGroups})`);
    }
    const { eps = 1e-5, affine = true, dtype = 'float32', backend } = opts;
    this.eps = eps;
    this.weight = affine ? new Parameter(full([numChannels], 1, { dtype, backend })) : null;
    this.bias = affine ? new Parameter(full([numChannels], 0, { dtype, backend })) : null;
  }

  forward(x: Tensor): Tensor {
    if (x.ndim < 2 || x.shape[1] !== this.numChannels) throw new StrataError('GroupNorm', `expects input [N, ${this.numChannels}, ...], got ${fmtShape(x.shape)}`);
    return groupNorm(x, this.numGroups, this.weight, this.bias, this.eps);
  }
}

export interface InstanceNormOptions extends LayerOptions {
  eps?: number;
  momentum?: number;
  /** Learn a per-channel scale and shift (default false, as PyTorch). */
  affine?: boolean;
  /** Keep running statistics and use them in evaluation (default false, as PyTorch). */
  trackRunningStats?: boolean;
}

abstract class InstanceNorm extends Module {
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;
  readonly runningMean: Tensor | null;
  readonly runningVar: Tensor | null;
  readonly numBatchesTracked: Tensor | null;
  readonly eps: number;
  readonly momentum: number;

  constructor(readonly numFeatures: number, private readonly rank: number, opts: InstanceNormOptions) {
    super();
    const { eps = 1e-5, momentum = 0.1, affine = false, trackRunningStats = false, dtype = 'float32', backend } = opts;
    const make = (v: number): Tensor => full([numFeatures], v, { dtype, backend }).keep();
    this.weight = affine ? new Parameter(make(1)) : null;
    this.bias = affine ? new Parameter(make(0)) : null;
    this.runningMean = trackRunningStats ? make(0) : null;
    this.runningVar = trackRunningStats ? make(1) : null;
    this.numBatchesTracked = trackRunningStats ? full([], 0, { dtype: 'int32', backend }).keep() : null;
    this.eps = eps;
    this.momentum = momentum;
  }

  forward(x: Tensor): Tensor {
    // Unbatched input [C, ...] is one sample, as PyTorch.
    const batched = x.ndim === this.rank;
    if (!batched && x.ndim !== this.rank - 1) throw new StrataError(this.typeName, `expects input of rank ${this.rank - 1} or ${this.rank}, got ${fmtShape(x.shape)}`);
    const xb = batched ? x : x.unsqueeze(0);
    if (xb.shape[1] !== this.numFeatures && (this.weight || this.runningMean)) {
      throw new StrataError(this.typeName, `expects ${this.numFeatures} channels, got input ${fmtShape(x.shape)}`);
    }
    const useInputStats = this.training || !this.runningMean;
    if (this.training && this.numBatchesTracked) this.numBatchesTracked.set_(this.numBatchesTracked.add(1));
    // Running statistics exist only with trackRunningStats: updated in training, used in evaluation.
    const y = instanceNorm(xb, this.runningMean, this.runningVar, this.weight, this.bias, { useInputStats, momentum: this.momentum, eps: this.eps });
    return batched ? y : y.squeeze(0);
  }
}

/**
 * Instance normalization over [N, C, L] (or unbatched [C, L]).
 * @example new InstanceNorm1d(3, { affine: true }).forward(randn([2, 3, 8])).shape; // [2, 3, 8]
 */
export class InstanceNorm1d extends InstanceNorm {
  constructor(numFeatures: number, opts: InstanceNormOptions = {}) { super(numFeatures, 3, opts); }
}
/**
 * Instance normalization over [N, C, H, W] (or unbatched [C, H, W]).
 * @example new InstanceNorm2d(3).forward(randn([2, 3, 4, 4])).shape; // [2, 3, 4, 4]
 */
export class InstanceNorm2d extends InstanceNorm {
  constructor(numFeatures: number, opts: InstanceNormOptions = {}) { super(numFeatures, 4, opts); }
}
