// SPDX-License-Identifier: MIT
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/**
 * Flattens dimensions `startDim`..`endDim` (default: all but the batch), turning conv features into
 * the vector a fully connected layer takes.
 *
 * @example new Flatten().forward(zeros([8, 16, 5, 5])).shape; // [8, 400]
 */
export class Flatten extends Module {
  constructor(readonly startDim = 1, readonly endDim = -1) { super(); }
  forward(x: Tensor): Tensor { return x.flatten(this.startDim, this.endDim); }
}
