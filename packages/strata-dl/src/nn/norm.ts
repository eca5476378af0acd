// SPDX-License-Identifier: MIT
import { StrataError, fmtShape } from '../core/errors.js';
import { full } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { batchNorm, layerNorm } from './functional/normalization.js';
import { Module } from './module.js';
import type { LayerOptions } from './options.js';
import { Parameter } from './parameter.js';

export interface BatchNormOptions extends LayerOptions {
  eps?: number;
  momentum?: number;
  /** Learn a per-channel scale and shift (default true). */
  affine?: boolean;
}

/**
 * Batch normalization per channel. State dict: `weight`, `bias`, `running_mean`, `running_var`,
 * `num_batches_tracked`, as in PyTorch.
 */
abstract class BatchNorm extends Module {
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;
  readonly runningMean: Tensor;
  readonly runningVar: Tensor;
  readonly numBatchesTracked: Tensor;
  readonly eps: number;
  readonly momentum: number;

  constructor(readonly numFeatures: number, private readonly ranks: readonly number[], opts: BatchNormOptions = {}) {
    super();
    const { eps = 1e-5, momentum = 0.1, affine = true, dtype = 'float32', backend } = opts;
    const make = (v: number): Tensor => full([numFeatures], v, { dtype, backend }).keep();
    this.weight = affine ? new Parameter(make(1)) : null;
    this.bias = affine ? new Parameter(make(0)) : null;
    this.runningMean = make(0);
    this.runningVar = make(1);
    this.numBatchesTracked = full([], 0, { dtype: 'int32', backend }).keep();
    this.eps = eps;
    this.momentum = momentum;
  }

  forward(x: Tensor): Tensor {
    if (!this.ranks.includes(x.ndim) || x.shape[1] !== this.numFeatures) {
      throw new StrataError(this.typeName, `expects input of rank ${this.ranks.join(' or ')} with ${this.numFeatures} channels, got ${fmtShape(x.shape)}`);
    }
    if (this.training) this.numBatchesTracked.set_(this.numBatchesTracked.add(1));
    return batchNorm(x, this.runningMean, this.runningVar, this.weight, this.bias, { training: this.training, momentum: this.momentum, eps: this.eps });
  }
}

/** Batch norm over [N, C] or [N, C, L]. @example new BatchNorm1d(64) */
export class BatchNorm1d extends BatchNorm {
  constructor(numFeatures: number, opts: BatchNormOptions = {}) { super(numFeatures, [2, 3], opts); }
}
/** Batch norm over [N, C, H, W]. @example new BatchNorm2d(32) */
export class BatchNorm2d extends BatchNorm {
  constructor(numFeatures: number, opts: BatchNormOptions = {}) { super(numFeatures, [4], opts); }
}

/**
 * Layer normalization over the trailing `normalizedShape` of every sample.
 * @example new LayerNorm([128]).forward(x) // x [..., 128]
 */
export class LayerNorm extends Module {
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;
  readonly normalizedShape: readonly number[];

  constructor(normalizedShape: number | readonly number[], readonly opts: LayerOptions & { eps?: number; elementwiseAffine?: boolean } = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    const { elementwiseAffine = true, dtype = 'float32', backend } = opts;
    this.weight = elementwiseAffine ? new Parameter(full(this.normalizedShape, 1, { dtype, backend })) : null;
    this.bias = elementwiseAffine ? new Parameter(full(this.normalizedShape, 0, { dtype, backend })) : null;
  }

  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, this.weight, this.bias, this.opts.eps ?? 1e-5);
  }
}
