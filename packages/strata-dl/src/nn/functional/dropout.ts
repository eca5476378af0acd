// SPDX-License-Identifier: MIT
import { StrataError, fmtShape } from '../../core/errors.js';
import type { Generator } from '../../core/rng.js';
import { rand } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';

/** The drop probability must be in [0, 1]. */
function checkP(op: string, p: number): void {
  if (!(p >= 0 && p <= 1)) throw new StrataError(op, `probability must be in [0, 1], got ${p}`);
}

/**
 * Inverted dropout: in training, zeroes each element with probability `p` and scales the rest by
 * 1/(1 − p), so evaluation needs no rescaling. Identity when not training or p = 0.
 */
export function dropout(x: Tensor, p = 0.5, training = true, generator?: Generator): Tensor {
  checkP('dropout', p);
  if (!training || p === 0) return x;
  if (p === 1) return x.mul(0);
  const keep = rand(x.shape, { generator, dtype: x.dtype, backend: x.backend.name }).ge(p);
  return x.mul(keep.to(x.dtype)).div(1 - p);
}

/** Zeroes whole channels: the mask has one value per (sample, channel), shared by the spatial axes. */
function channelDropout(op: string, spatial: number, x: Tensor, p: number, training: boolean, generator: Generator | undefined): Tensor {
  checkP(op, p);
  if (x.ndim !== spatial + 1 && x.ndim !== spatial + 2) {
    throw new StrataError(op, `input must be ${spatial + 2}-D [N, C, ...] or ${spatial + 1}-D [C, ...] (unbatched), got ${fmtShape(x.shape)}`);
  }
  if (!training || p === 0) return x;
  const maskShape = [...x.shape.slice(0, x.ndim - spatial), ...new Array<number>(spatial).fill(1)];
  const keep = rand(maskShape, { generator, dtype: x.dtype, backend: x.backend.name }).ge(p);
  return p === 1 ? x.mul(keep.to(x.dtype)) : x.mul(keep.to(x.dtype)).div(1 - p);
}

/**
 * Channel dropout for [N, C, H, W] (or unbatched [C, H, W]), PyTorch's `F.dropout2d`: in training
 * each channel of each sample is zeroed whole with probability `p`, the rest scaled by 1/(1 − p),
 * which regularizes convolutions whose neighbouring pixels are correlated.
 */
export function dropout2d(x: Tensor, p = 0.5, training = true, generator?: Generator): Tensor {
  return channelDropout('dropout2d', 2, x, p, training, generator);
}

/** Channel dropout for [N, C, L] (or unbatched [C, L]), PyTorch's `F.dropout1d`. */
export function dropout1d(x: Tensor, p = 0.5, training = true, generator?: Generator): Tensor {
  return channelDropout('dropout1d', 1, x, p, training, generator);
}
