// SPDX-License-Identifier: MIT
// Pooling layers (no parameters): thin wrappers over nn/functional/pool.ts.
import type { Tensor } from '../tensor/tensor.js';
import type { IntPair } from './functional/padding.js';
import * as P from './functional/pool.js';
import { Module } from './module.js';

abstract class Pool2d extends Module {
  constructor(readonly kernelSize: IntPair, readonly options: P.Pool2dOptions = {}) { super(); }
}
abstract class Pool1d extends Module {
  constructor(readonly kernelSize: number, readonly options: P.Pool1dOptions = {}) { super(); }
}

/** Max pooling layer (options as `maxPool2d`). @example new MaxPool2d(2, { ceilMode: true }).forward(zeros([1, 3, 7, 7])).shape; // [1, 3, 4, 4] */
export class MaxPool2d extends Pool2d { forward(x: Tensor): Tensor { return P.maxPool2d(x, this.kernelSize, this.options); } }
/** Min pooling layer over [N, C, H, W] (options as `minPool2d`). */
export class MinPool2d extends Pool2d { forward(x: Tensor): Tensor { return P.minPool2d(x, this.kernelSize, this.options); } }
/** Average pooling layer over [N, C, H, W] (options as `avgPool2d`; PyTorch's `nn.AvgPool2d`). */
export class AvgPool2d extends Pool2d { forward(x: Tensor): Tensor { return P.avgPool2d(x, this.kernelSize, this.options); } }
/** Max pooling layer over [N, C, L] (options as `maxPool1d`; PyTorch's `nn.MaxPool1d`). */
export class MaxPool1d extends Pool1d { forward(x: Tensor): Tensor { return P.maxPool1d(x, this.kernelSize, this.options); } }
/** Min pooling layer over [N, C, L] (options as `minPool1d`). */
export class MinPool1d extends Pool1d { forward(x: Tensor): Tensor { return P.minPool1d(x, this.kernelSize, this.options); } }
/** Average pooling layer over [N, C, L] (options as `avgPool1d`; PyTorch's `nn.AvgPool1d`). */
export class AvgPool1d extends Pool1d { forward(x: Tensor): Tensor { return P.avgPool1d(x, this.kernelSize, this.options); } }

/** Average pooling to a fixed output size, whatever the input size. */
export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: IntPair) { super(); }
  forward(x: Tensor): Tensor { return P.adaptiveAvgPool2d(x, this.outputSize); }
}
export class AdaptiveMaxPool2d extends Module {
  constructor(readonly outputSize: IntPair) { super(); }
  forward(x: Tensor): Tensor { return P.adaptiveMaxPool2d(x, this.outputSize); }
}
export class AdaptiveAvgPool1d extends Module {
  constructor(readonly outputSize: number) { super(); }
  forward(x: Tensor): Tensor { return P.adaptiveAvgPool1d(x, this.outputSize); }
}
export class AdaptiveMaxPool1d extends Module {
  constructor(readonly outputSize: number) { super(); }
  forward(x: Tensor): Tensor { return P.adaptiveMaxPool1d(x, this.outputSize); }
}
/** Mean over all spatial axes: [N, C, ...] → [N, C]. */
export class GlobalAvgPool extends Module { forward(x: Tensor): Tensor { return P.globalAvgPool(x); } }
/** Max over all spatial axes: [N, C, ...] → [N, C]. */
export class GlobalMaxPool extends Module { forward(x: Tensor): Tensor { return P.globalMaxPool(x); } }
