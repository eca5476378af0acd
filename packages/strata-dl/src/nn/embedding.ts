// SPDX-License-Identifier: MIT
import type { Tensor } from '../tensor/tensor.js';
import { embedding } from './functional/linear.js';
import { normal } from './init.js';
import { Module } from './module.js';
import type { LayerOptions } from './options.js';
import { Parameter } from './parameter.js';

/**
 * A lookup table of `numEmbeddings` vectors of size `embeddingDim`, initialized N(0, 1) as in PyTorch.
 *
 * @example new Embedding(28, 16).forward(tensor([[1, 2]], { dtype: 'int32' })).shape; // [1, 2, 16]
 */
export class Embedding extends Module {
  readonly weight: Parameter;
  constructor(readonly numEmbeddings: number, readonly embeddingDim: number, opts: LayerOptions = {}) {
    super();
    this.weight = new Parameter(normal([numEmbeddings, embeddingDim], 0, 1, opts));
  }
  forward(indices: Tensor): Tensor { return embedding(indices, this.weight); }
}
