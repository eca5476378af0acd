// SPDX-License-Identifier: MIT
import { StrataError, fmtShape } from '../../core/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { promote } from '../../core/dtype.js';
import { bind } from '../../tensor/prims.js';

/**
 * y = x·Wᵀ + b with `weight` stored [out, in] (PyTorch). The transpose is a flag of the matmul
 * primitive, so no transposed copy of W is made, and a bias [out] of the product's dtype is the
 * primitive's epilogue (PyTorch's addmm: added to each block of the product while it is in cache).
 *
 * @example
 * linear(ones([2, 3]), ones([4, 3]), zeros([4])).shape; // [2, 4], every value 3
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  return _affine('linear', x, weight, bias, false);
}

/**
 * `linear(x, weight, bias).relu()` with the ReLU in the product's epilogue too: one pass instead of
 * three, and in the backward pass ReLU's and the bias's gradients without recording two more ops.
 * What `Sequential` runs for a Linear layer followed by a ReLU.
 *
 * @example
 * linearRelu(tensor([[1, -1]]), tensor([[1, 0], [0, 1]])).toArray(); // [[1, 0]]
 */
export function linearRelu(x: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  return _affine('linearRelu', x, weight, bias, true);
}

// the leading underscore keeps this helper out of anomaly messages' op chains (autograd/anomaly-trace.ts)
function _affine(op: string, x: Tensor, weight: Tensor, bias: Tensor | null, relu: boolean): Tensor {
  if (weight.ndim !== 2) throw new StrataError(op, `weight must be [out, in], got ${fmtShape(weight.shape)}`);
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== weight.shape[1]) {
    throw new StrataError(op, `input ${fmtShape(x.shape)} has ${x.shape[x.ndim - 1]} features, weight ${fmtShape(weight.shape)} expects ${weight.shape[1]}`);
  }
  const x2 = x.ndim === 1 ? x.unsqueeze(0) : x;
  // the epilogue takes a bias [out] of the product's dtype; any other bias broadcasts through add
  const inPrim = bias !== null && bias.ndim === 1 && bias.shape[0] === weight.shape[0] && bias.dtype === promote(x.dtype, weight.dtype);
  const attrs = relu && (inPrim || bias === null) ? { transA: false, transB: true, relu: true } : { transA: false, transB: true };
  let y = bind('matmul', inPrim ? [x2, weight, bias] : [x2, weight], attrs);
  if (x.ndim === 1) y = y.squeeze(0);
  if (bias && !inPrim) y = y.add(bias);
  return relu && !attrs.relu ? y.relu() : y;
}

/** Rows of `weight` [num, dim] at the int32 `indices` (any shape): output [...indices.shape, dim]. */
export function embedding(indices: Tensor, weight: Tensor): Tensor {
  if (indices.dtype !== 'int32') throw new StrataError('embedding', `indices must be int32, got ${indices.dtype} ${fmtShape(indices.shape)}`);
  return weight.indexSelect(0, indices.reshape([-1])).reshape([...indices.shape, weight.shape[1]]);
}
