// SPDX-License-Identifier: MIT
import { StrataError } from '../core/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { linear, linearRelu } from './functional/linear.js';
import { defaultBias, defaultWeight } from './init.js';
import { type Fused, Module } from './module.js';
import type { LayerOptions } from './options.js';
import { Parameter } from './parameter.js';

/**
 * Fully connected layer y = x·Wᵀ + b, with W stored [out, in] and PyTorch's default initialization
 * U(±1/√in) for both W and b. Parameters: in·out + out.
 *
 * @example
 * const fc = new Linear(3, 4);   // 16 parameters
 * fc.forward(randn([8, 3]));     // [8, 4]
 */
export class Linear extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  constructor(readonly inFeatures: number, readonly outFeatures: number, opts: LayerOptions & { bias?: boolean } = {}) {
    super();
    if (!(Number.isInteger(inFeatures) && inFeatures > 0 && Number.isInteger(outFeatures) && outFeatures > 0)) {
      throw new StrataError('Linear', `feature counts must be positive integers, got in ${inFeatures}, out ${outFeatures}`);
    }
    this.weight = new Parameter(defaultWeight([outFeatures, inFeatures], opts));
    this.bias = opts.bias === false ? null : new Parameter(defaultBias(outFeatures, inFeatures, opts));
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }

  /**
   * The explicit fusion step (`Module.fuse`): for a following ReLU, `forwardRelu`, unless this
   * layer's forward has been replaced (a subclass that computes something else).
   *
   * @example
   * new Linear(2, 3).fuse(new ReLU()) !== null; // true
   */
  override fuse(next: Module): Fused | null {
    return next.epilogue === 'relu' && this.forward === Linear.prototype.forward ? (x) => this.forwardRelu(x) : null;
  }

  /** `forward(x).relu()` in one pass (see `linearRelu`); what `fuse` gives for a following ReLU. */
  forwardRelu(x: Tensor): Tensor {
    return linearRelu(x, this.weight, this.bias);
  }
}
