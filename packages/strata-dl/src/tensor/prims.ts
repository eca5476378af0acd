// SPDX-License-Identifier: MIT
/**
 * The public primitive layer, like JAX's `lax`: one typed function per primitive that the layers
 * above (nn, optim, io, the tests) call when they need a primitive's own form rather than the
 * PyTorch-style method built on it (a transposed operand, conv with its fused bias and ReLU, a
 * reversed scan). Each applies the primitive once: shape inference, kernel, tape and tangents, as
 * `Tensor`'s methods do. `bind` applies any primitive by name, for code that walks the primitive
 * table (op tests, graph replay).
 *
 * @example
 * import { prims } from 'strata-dl';
 * const y = prims.matmul(x, w, { transB: true }); // x·wᵀ without a transposed copy of w
 *
 * @packageDocumentation
 */
import type { Prim, PrimAttrs, WindowAttrs } from '../ir/prims.js';
import { Tensor } from './tensor.js';

/** Applies primitive `prim` to `inputs` (at least one) with its attributes. */
export function bind<P extends Prim>(prim: P, inputs: readonly Tensor[], attrs: PrimAttrs[P]): Tensor {
  return Tensor._apply(prim, inputs, attrs);
}

/** Options of `matmul`: transposed operands (their last two axes swapped), and the batch summed. */
export type MatmulOptions = Partial<Pick<PrimAttrs['matmul'], 'transA' | 'transB' | 'sumBatch'>>;

/** a·b over the last two axes, batched and broadcast over the leading ones, with `transA`/`transB` reading an operand transposed. */
export function matmul(a: Tensor, b: Tensor, opts: MatmulOptions = {}): Tensor {
  const attrs: PrimAttrs['matmul'] = { transA: opts.transA ?? false, transB: opts.transB ?? false };
  if (opts.sumBatch) attrs.sumBatch = true;
  return Tensor._apply('matmul', [a, b], attrs);
}

/**
 * Convolution as one product: w [O, C·kh·kw] with the windows of x [N, C, H, W], giving
 * [N, O, OH·OW]; an optional bias [O] is added per channel, and `relu` applies ReLU after it.
 */
export function conv(x: Tensor, w: Tensor, bias: Tensor | null, attrs: PrimAttrs['conv']): Tensor {
  return Tensor._apply('conv', bias ? [x, w, bias] : [x, w], attrs);
}

/** The sliding windows of x [N, C, H, W] as columns [N, C·kh·kw, OH·OW] (im2col). */
export function unfold(x: Tensor, attrs: WindowAttrs): Tensor { return Tensor._apply('unfold', [x], attrs); }

/** `unfold`'s adjoint: columns summed back into [N, C, H, W] (col2im). */
export function fold(cols: Tensor, attrs: PrimAttrs['fold']): Tensor { return Tensor._apply('fold', [cols], attrs); }

/** Where each window's max (or min) is: int32 [N, C, OH, OW] flat indices within each plane. */
export function poolIndex(x: Tensor, attrs: PrimAttrs['poolIndex']): Tensor { return Tensor._apply('poolIndex', [x], attrs); }

/** Each window's max (or min). */
export function pool(x: Tensor, attrs: PrimAttrs['pool']): Tensor { return Tensor._apply('pool', [x], attrs); }

/** Running sums along `axis`, from the end when `reverse`. */
export function cumsum(x: Tensor, axis: number, reverse = false): Tensor { return Tensor._apply('cumsum', [x], { axis, reverse }); }

/** Running products along `axis`. */
export function cumprod(x: Tensor, axis: number): Tensor { return Tensor._apply('cumprod', [x], { axis }); }

/** The stable sorting permutation along `axis` (int32). */
export function argsort(x: Tensor, axis: number, descending = false): Tensor { return Tensor._apply('argsort', [x], { axis, descending }); }

/** ReLU's backward: g where y > 0, else 0 (PyTorch's threshold_backward at 0). */
export function reluGrad(g: Tensor, y: Tensor): Tensor { return Tensor._apply('reluGrad', [g, y], {}); }
