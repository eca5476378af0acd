// SPDX-License-Identifier: MIT
import { StrataError, fmtShape } from '../../core/errors.js';
import type { Tensor } from '../../tensor/tensor.js';

/** How a loss combines per-element values: their mean (default), their sum, or none (per element). */
export type Reduction = 'mean' | 'sum' | 'none';
/** Options every loss takes: how per-element values are combined (default `'mean'`). */
export interface LossOptions { reduction?: Reduction }

export function reduce(op: string, loss: Tensor, reduction: Reduction = 'mean'): Tensor {
  switch (reduction) {
    case 'mean': return loss.mean();
    case 'sum': return loss.sum();
    case 'none': return loss;
    default: throw new StrataError(op, `reduction must be 'mean', 'sum' or 'none', got '${String(reduction)}'`);
  }
}

export function sameShape(op: string, input: Tensor, target: Tensor): void {
  if (input.shape.join() !== target.shape.join()) throw new StrataError(op, `input ${fmtShape(input.shape)} and target ${fmtShape(target.shape)} must have the same shape`);
}
