// SPDX-License-Identifier: MIT
// Resampling layers (no parameters): Upsample, PixelShuffle, PixelUnshuffle.
import type { Tensor } from '../tensor/tensor.js';
import { type InterpolateOptions, interpolate } from './functional/interpolate.js';
import { pixelShuffle, pixelUnshuffle } from './functional/pixel-shuffle.js';
import { Module } from './module.js';

/**
 * Upsamples [N, C, ...spatial] to `size` or by `scaleFactor` (see `interpolate`), as PyTorch's
 * nn.Upsample.
 *
 * @example new Upsample({ scaleFactor: 2, mode: 'bilinear' }).forward(zeros([1, 3, 4, 5])).shape; // [1, 3, 8, 10]
 */
export class Upsample extends Module {
  constructor(readonly options: InterpolateOptions = {}) { super(); }
  forward(x: Tensor): Tensor { return interpolate(x, this.options); }
}

/** [*, C·r², H, W] → [*, C, H·r, W·r]. @example new PixelShuffle(2).forward(zeros([1, 8, 3, 3])).shape; // [1, 2, 6, 6] */
export class PixelShuffle extends Module {
  constructor(readonly upscaleFactor: number) { super(); }
  forward(x: Tensor): Tensor { return pixelShuffle(x, this.upscaleFactor); }
}

/** [*, C, H·r, W·r] → [*, C·r², H, W]. @example new PixelUnshuffle(2).forward(zeros([1, 2, 6, 6])).shape; // [1, 8, 3, 3] */
export class PixelUnshuffle extends Module {
  constructor(readonly downscaleFactor: number) { super(); }
  forward(x: Tensor): Tensor { return pixelUnshuffle(x, this.downscaleFactor); }
}
