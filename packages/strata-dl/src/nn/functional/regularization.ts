// SPDX-License-Identifier: MIT
import { StrataError } from '../../core/errors.js';
import type { Tensor } from '../../tensor/tensor.js';

function total(op: string, params: readonly Tensor[], f: (p: Tensor) => Tensor): Tensor {
  if (params.length === 0) throw new StrataError(op, 'needs at least one parameter');
  return params.map((p) => f(p).sum()).reduce((a, b) => a.add(b));
}

/**
 * Explicit L2 penalty λ·Σ w² over the given parameters (the lecture's λ Σₖ Σₗ W²ₖₗ), to add to
 * the loss. Optimizers' `weightDecay` does the same to the gradient without building this term
 * (SGD's weightDecay = 2λ gives identical steps).
 *
 * @example const loss = crossEntropy(out, y).add(l2Penalty(model.parameters(), 1e-3));
 */
export function l2Penalty(params: readonly Tensor[], lambda: number): Tensor {
  return total('l2Penalty', params, (p) => p.square()).mul(lambda);
}

/** L1 penalty λ·Σ|w|, which drives weights to exactly zero (sparsity). */
export function l1Penalty(params: readonly Tensor[], lambda: number): Tensor {
  return total('l1Penalty', params, (p) => p.abs()).mul(lambda);
}
