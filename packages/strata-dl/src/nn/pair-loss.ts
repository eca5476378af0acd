// SPDX-License-Identifier: MIT
// Loss modules over pairs and triplets: `forward` takes the two or three inputs (and the target).
import type { Tensor } from '../tensor/tensor.js';
import * as E from './functional/embedding-loss.js';
import type { LossOptions } from './functional/reduction.js';
import { Module } from './module.js';


/**
 * PyTorch's `MarginRankingLoss`: max(0, −y·(x1 − x2) + margin).
 *
 * @example
 * const loss = new MarginRankingLoss({ margin: 0.2 });
 * loss.forward(tensor([0.8, 0.1]), tensor([0.3, 0.5]), tensor([1, -1])).item(); // 0
 */
export class MarginRankingLoss extends Module {
  constructor(readonly options: LossOptions & { margin?: number } = {}) { super(); }
  forward(x1: Tensor, x2: Tensor, target: Tensor): Tensor { return E.marginRankingLoss(x1, x2, target, this.options); }
}

/**
 * PyTorch's `CosineEmbeddingLoss`: 1 − cos(x1, x2) for target 1, max(0, cos − margin) for −1.
 *
 * @example
 * new CosineEmbeddingLoss().forward(tensor([[1, 0]]), tensor([[1, 1]]), tensor([1])).item(); // 0.2929
 */
export class CosineEmbeddingLoss extends Module {
  constructor(readonly options: LossOptions & { margin?: number } = {}) { super(); }
  forward(x1: Tensor, x2: Tensor, target: Tensor): Tensor { return E.cosineEmbeddingLoss(x1, x2, target, this.options); }
}

/**
 * PyTorch's `TripletMarginLoss`: max(0, d(a, p) − d(a, n) + margin), d the p-norm distance.
 *
 * @example
 * new TripletMarginLoss({ margin: 0.5 }).forward(tensor([[0, 0]]), tensor([[0, 1]]), tensor([[3, 0]])).item(); // 0
 */
export class TripletMarginLoss extends Module {
  constructor(readonly options: LossOptions & { margin?: number; p?: number; eps?: number; swap?: boolean } = {}) { super(); }
  forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor { return E.tripletMarginLoss(anchor, positive, negative, this.options); }
}
