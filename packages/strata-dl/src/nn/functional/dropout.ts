// SPDX-License-Identifier: MIT
import { StrataError } from '../../core/errors.js';
import type { Generator } from '../../core/rng.js';
import { rand } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';

/**
 * Inverted dropout: in training, zeroes each element with probability `p` and scales the rest by
 * 1/(1 − p), so evaluation needs no rescaling. Identity when not training or p = 0.
 */
export function dropout(x: Tensor, p = 0.5, training = true, generator?: Generator): Tensor {
  if (!(p >= 0 && p <= 1)) throw new StrataError('dropout', `probability must be in [0, 1], got ${p}`);
  if (!training || p === 0) return x;
  if (p === 1) return x.mul(0);
  const keep = rand(x.shape, { generator, dtype: x.dtype, backend: x.backend.name }).ge(p);
  return x.mul(keep.to(x.dtype)).div(1 - p);
}
