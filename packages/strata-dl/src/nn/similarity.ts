// SPDX-License-Identifier: MIT
import type { Tensor } from '../tensor/tensor.js';
import { cosineSimilarity, pairwiseDistance } from './functional/similarity.js';
import { Module } from './module.js';

/**
 * `cosineSimilarity` of two inputs along `dim` (default 1) as a layer, PyTorch's `nn.CosineSimilarity`.
 *
 * @example
 * new CosineSimilarity().call(tensor([[1, 0]]), tensor([[1, 1]])).shape; // [1]
 */
export class CosineSimilarity extends Module {
  constructor(readonly options: { dim?: number; eps?: number } = {}) { super(); }
  forward(x1: Tensor, x2: Tensor): Tensor { return cosineSimilarity(x1, x2, this.options); }
}

/**
 * `pairwiseDistance` of two inputs (the p-norm of their difference along the last axis) as a
 * layer, PyTorch's `nn.PairwiseDistance`.
 *
 * @example
 * new PairwiseDistance({ eps: 0 }).call(tensor([[0, 0]]), tensor([[3, 4]])).toArray(); // [5]
 */
export class PairwiseDistance extends Module {
  constructor(readonly options: { p?: number; eps?: number; keepdim?: boolean } = {}) { super(); }
  forward(x1: Tensor, x2: Tensor): Tensor { return pairwiseDistance(x1, x2, this.options); }
}
