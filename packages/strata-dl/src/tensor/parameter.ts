// SPDX-License-Identifier: MIT
import { isFloat } from '../core/dtype.js';
import { Tensor } from './tensor.js';

/**
 * A tensor a module learns. It is a subclass (not a marker) so that the module walker can find
 * parameters with `instanceof`, and so types say which fields are learned. It shares the data of
 * the tensor it wraps, requires gradients by default, and survives `scoped` blocks.
 * Optimizers update it in place with `set_`, so its identity never changes.
 * (It lives beside `Tensor` because it is built from another tensor's memory; `nn` exports it.)
 *
 * @example
 * const w = new Parameter(randn([4, 3]));
 * w.requiresGrad; // true
 */
export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    super(data._storage.share(), data.shape, data.dtype);
    this.keep();
    if (requiresGrad && isFloat(data.dtype)) this.requiresGrad = true;
  }
}
