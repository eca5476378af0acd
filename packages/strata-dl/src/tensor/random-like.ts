// SPDX-License-Identifier: MIT
// Random tensors shaped like another (PyTorch's rand_like / randn_like).
import { isFloat } from '../core/dtype.js';
import { StrataError } from '../core/errors.js';
import type { Tensor } from './tensor.js';
import { type RandomOptions, rand, randn } from './creation.js';

/**
 * Uniform on [0, 1), with the shape of `x` and, unless given, its dtype and backend.
 *
 * @example randLike(zeros([2, 3])).shape; // [2, 3]
 */
export function randLike(x: Tensor, opts: RandomOptions = {}): Tensor {
  floatOnly('randLike', x, opts);
  return rand(x.shape, { dtype: x.dtype, backend: x.backend.name, ...opts });
}

/**
 * Standard normal, with the shape of `x` and, unless given, its dtype and backend.
 *
 * @example randnLike(zeros([4], { dtype: 'float64' })).dtype; // "float64"
 */
export function randnLike(x: Tensor, opts: RandomOptions = {}): Tensor {
  floatOnly('randnLike', x, opts);
  return randn(x.shape, { dtype: x.dtype, backend: x.backend.name, ...opts });
}

function floatOnly(op: string, x: Tensor, opts: RandomOptions): void {
  const dtype = opts.dtype ?? x.dtype;
  if (!isFloat(dtype)) throw new StrataError(op, `draws floating-point values, got dtype ${dtype}`);
}
