// SPDX-License-Identifier: MIT
// Batched matrix products, broadcasting over leading dims, with transposed operands.
import { bind } from './bind.js';
import { isFloat, promote } from '../core/dtype.js';
import { StrataError, fmtShape } from '../core/errors.js';
import { broadcastShapes } from '../core/shape.js';
import { sumTo } from './sum-to.js';
import type { Tensor } from '../tensor/tensor.js';
import { epilogueTangent, plus } from './elementwise.js';
import type { Meta, OutMeta, Records } from './record.js';
import { reluGradOf } from './relu-masked.js';

export interface MatmulAttrs {
  // sumBatch sums the products over the (broadcast) batch, giving [M, N]: a shared weight's gradient
  // in one pass, without the [batch, M, N] products (the adjoint of broadcasting a 2-D operand).
  // An optional third input, a bias [N], is added to every row and `relu` applies ReLU after it,
  // both while each block of the product is in cache (Linear's x·Wᵀ + b, PyTorch's addmm, and a
  // following ReLU); not with sumBatch
  matmul: { transA: boolean; transB: boolean; sumBatch?: boolean; relu?: boolean };
}

function matmulShape([a, b, bias]: readonly Meta[], attrs: MatmulAttrs['matmul']): OutMeta {
  const out = productShape(a, b, attrs);
  if (bias && (attrs.sumBatch || bias.shape.length !== 1 || bias.shape[0] !== out.shape[out.shape.length - 1] || bias.dtype !== out.dtype)) {
    throw new StrataError('matmul', `bias ${fmtShape(bias.shape)} (${bias.dtype}) must be [${out.shape[out.shape.length - 1]}] (${out.dtype}), one per column of the product ${fmtShape(out.shape)}${attrs.sumBatch ? ', and a summed product takes none' : ''}`);
  }
  return out;
}

function productShape(a: Meta, b: Meta, { transA, transB, sumBatch }: MatmulAttrs['matmul']): OutMeta {
  if (a.shape.length < 2 || b.shape.length < 2) {
    throw new StrataError('matmul', `operands must have rank >= 2 here, got a ${fmtShape(a.shape)} and b ${fmtShape(b.shape)}`);
  }
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = transA ? a.shape[ra - 1] : a.shape[ra - 2];
  const ka = transA ? a.shape[ra - 2] : a.shape[ra - 1];
  const kb = transB ? b.shape[rb - 1] : b.shape[rb - 2];
  const n = transB ? b.shape[rb - 2] : b.shape[rb - 1];
  if (ka !== kb) {
    throw new StrataError('matmul', `a ${fmtShape(a.shape)} and b ${fmtShape(b.shape)}: inner dimensions ${ka} != ${kb}`);
  }
  const batch = broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
  const dtype = promote(a.dtype, b.dtype);
  if (!isFloat(dtype)) throw new StrataError('matmul', `expects floating-point operands, got ${a.dtype} and ${b.dtype}`);
  return { shape: sumBatch ? [m, n] : [...batch, m, n], dtype };
}

/**
 * op(x)·op(y) summed down to `shape` (a gradient's matmul): where `shape` is one matrix and the
 * product is batched, a summed matmul, which never makes the [batch, M, N] products.
 */
export function matmulTo(x: Tensor, y: Tensor, transA: boolean, transB: boolean, shape: readonly number[]): Tensor {
  if (shape.length === 2 && (x.ndim > 2 || y.ndim > 2)) return bind('matmul', [x, y], { transA, transB, sumBatch: true });
  return sumTo(bind('matmul', [x, y], { transA, transB }), shape);
}

export const MATMUL_RECORDS: Records<MatmulAttrs> = {
  matmul: {
    shape: matmulShape, cost: 'heavy', differentiable: true,
    vjp: (g0, [a, b, bias], out, { transA, transB, sumBatch, relu }, n) => {
      // summed: every matrix of the batch had the same output gradient
      const g1 = relu ? reluGradOf(g0, out) : g0;
      const g = sumBatch ? bind('expand', [g1], { shape: [...broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2)), ...g1.shape] }) : g1;
      return [
        !n[0] ? null : transA ? matmulTo(b, g, transB, true, a.shape) : matmulTo(g, b, false, !transB, a.shape),
        !n[1] ? null : transB ? matmulTo(g, a, true, transA, b.shape) : matmulTo(a, g, !transA, false, b.shape),
        ...(bias ? [n[2] ? sumTo(g, bias.shape) : null] : []),
      ];
    },
    jvp: ([ta, tb, tbias], [a, b], out, { transA, transB, sumBatch, relu }) => {
      const attrs = { transA, transB, sumBatch };
      return epilogueTangent(plus(ta && bind('matmul', [ta, b], attrs), tb && bind('matmul', [a, tb], attrs), tbias), out, relu);
    },
  },
};
