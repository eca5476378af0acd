// SPDX-License-Identifier: MIT
import type { Tensor } from './tensor.js';

/**
 * Converts the leaf tensor `t` in place to `value`'s dtype and memory (same shape), keeping the
 * object: PyTorch's `param.data = param.data.double()`, what `Module.to(dtype)` does to each
 * floating-point parameter and buffer.
 */
export function retype(t: Tensor, value: Tensor): void {
  t._retype(value);
}
