// SPDX-License-Identifier: MIT
import { StrataError, fmtShape } from '../../core/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { matmul } from '../../tensor/prims.js';

/**
 * y = x·Wᵀ + b with `weight` stored [out, in] (PyTorch). The transpose is a flag of the matmul
 * primitive, so no transposed copy of W is made.
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  if (weight.ndim !== 2) throw new StrataError('linear', `weight must be [out, in], got ${fmtShape(weight.shape)}`);
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== weight.shape[1]) {
    throw new StrataError('linear', `input ${fmtShape(x.shape)} has ${x.shape[x.ndim - 1]} features, weight ${fmtShape(weight.shape)} expects ${weight.shape[1]}`);
  }
  const x2 = x.ndim === 1 ? x.unsqueeze(0) : x;
  let y = matmul(x2, weight, { transB: true });
  if (x.ndim === 1) y = y.squeeze(0);
  return bias ? y.add(bias) : y;
}

/** Rows of `weight` [num, dim] at the int32 `indices` (any shape): output [...indices.shape, dim]. */
export function embedding(indices: Tensor, weight: Tensor): Tensor {
  if (indices.dtype !== 'int32') throw new StrataError('embedding', `indices must be int32, got ${indices.dtype} ${fmtShape(indices.shape)}`);
  return weight.indexSelect(0, indices.reshape([-1])).reshape([...indices.shape, weight.shape[1]]);
}
