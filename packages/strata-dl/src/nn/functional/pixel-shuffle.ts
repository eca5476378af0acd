// SPDX-License-Identifier: MIT
// Sub-pixel rearrangements (Shi et al. 2016): a reshape, a permutation and a reshape.
import { StrataError, fmtShape } from '../../core/errors.js';
import type { Tensor } from '../../tensor/tensor.js';

/**
 * [*, C·r², H, W] → [*, C, H·r, W·r]: output (c, h·r + i, w·r + j) is input (c·r² + i·r + j, h, w),
 * as PyTorch's F.pixel_shuffle.
 *
 * @example pixelShuffle(arange(4).float().reshape([1, 4, 1, 1]), 2).toArray(); // [[[[0, 1], [2, 3]]]]
 */
export function pixelShuffle(x: Tensor, upscaleFactor: number): Tensor {
  const r = upscaleFactor;
  if (!Number.isInteger(r) || r < 1) throw new StrataError('pixelShuffle', `upscaleFactor must be a positive integer, got ${r}`);
  if (x.ndim < 3 || x.shape[x.ndim - 3] % (r * r) !== 0) throw new StrataError('pixelShuffle', `input must be [*, C·${r * r}, H, W], got ${fmtShape(x.shape)}`);
  const lead = x.shape.slice(0, -3);
  const [c, h, w] = x.shape.slice(-3);
  const b = lead.length;
  const y = x.reshape([...lead, c / (r * r), r, r, h, w]);
  const perm = [...lead.map((_, i) => i), b, b + 3, b + 1, b + 4, b + 2];
  return y.permute(perm).reshape([...lead, c / (r * r), h * r, w * r]);
}

/**
 * The inverse of `pixelShuffle`: [*, C, H·r, W·r] → [*, C·r², H, W].
 *
 * @example pixelUnshuffle(arange(4).float().reshape([1, 1, 2, 2]), 2).reshape([4]).toArray(); // [0, 1, 2, 3]
 */
export function pixelUnshuffle(x: Tensor, downscaleFactor: number): Tensor {
  const r = downscaleFactor;
  if (!Number.isInteger(r) || r < 1) throw new StrataError('pixelUnshuffle', `downscaleFactor must be a positive integer, got ${r}`);
  if (x.ndim < 3 || x.shape[x.ndim - 2] % r !== 0 || x.shape[x.ndim - 1] % r !== 0) throw new StrataError('pixelUnshuffle', `input must be [*, C, H, W] with H and W divisible by ${r}, got ${fmtShape(x.shape)}`);
  const lead = x.shape.slice(0, -3);
  const [c, h, w] = x.shape.slice(-3);
  const b = lead.length;
  const y = x.reshape([...lead, c, h / r, r, w / r, r]);
  const perm = [...lead.map((_, i) => i), b, b + 2, b + 4, b + 1, b + 3];
  return y.permute(perm).reshape([...lead, c * r * r, h / r, w / r]);
}
