// SPDX-License-Identifier: MIT
// Convolution as one product.
import { bind } from './bind.js';
import { isFloat } from '../core/dtype.js';
import { StrataError, fmtShape } from '../core/errors.js';
import { epilogueTangent, plus } from './elementwise.js';
import { type WindowAttrs, windowCounts } from './geometry.js';
import { matmulTo } from './matmul.js';
import type { Records } from './record.js';
import { reluGradOf } from './relu-masked.js';
import type { Tensor } from '../tensor/tensor.js';
import { windowOf } from './window.js';

/**
 * The weight gradient of conv = w·unfold(x): Σ over the batch of g·unfold(x)ᵀ, [O, C·kh·kw]. This is
 * its composed definition; nn/functional/conv.ts installs the fused op (nn/functional/conv-weight-grad.ts)
 * that runs it as one implicit GEMM where a backend has the kernel and nothing differentiates it again.
 */
export const composedConvWeightGrad = (g: Tensor, x: Tensor, w: Tensor, win: WindowAttrs): Tensor =>
  matmulTo(g, bind('unfold', [x], win), false, true, w.shape);
let convWeightGrad = composedConvWeightGrad;
/** Installs the conv rule's weight gradient (dependency inversion, as bind.ts: the fused op lives above). */
export function setConvWeightGrad(f: typeof composedConvWeightGrad): void { convWeightGrad = f; }

/**
 * The input gradient of conv = w·unfold(x): fold(wᵀ·g), [N, C, H, W] for the input x (only its
 * shape is read here). This is its composed definition; nn/functional/conv.ts installs the fused op
 * (nn/functional/conv-input-grad.ts) that runs it as a convolution of g with the flipped,
 * transposed weights where a backend has the kernel and nothing differentiates it again, and that
 * also applies a ReLU's backward at x when one follows (tensor/relu-follows.ts).
 */
export const composedConvInputGrad = (g: Tensor, w: Tensor, x: Tensor, win: WindowAttrs): Tensor =>
  bind('fold', [bind('matmul', [w, g], { transA: true, transB: false })], { ...win, outputSize: [x.shape[2], x.shape[3]] });
let convInputGrad = composedConvInputGrad;
/** Installs the conv rule's input gradient (as setConvWeightGrad). */
export function setConvInputGrad(f: typeof composedConvInputGrad): void { convInputGrad = f; }

export interface ConvAttrs {
  // w [O, C·kh·kw] times the unfolded x [N, C, H, W], giving [N, O, OH·OW] (= matmul(w, unfold(x)),
  // without the column matrix where the backend can: implicit GEMM); an optional third input, a
  // bias [O], is added per channel and `relu` applies ReLU after it, both while the product is
  // still in cache (inference's conv-bias-ReLU in one pass over the output)
  conv: WindowAttrs & { relu?: boolean };
}

export const CONV_RECORDS: Records<ConvAttrs> = {
  conv: {
    shape: ([x, wt, bias], w) => {
      const k = x.shape.length === 4 ? x.shape[1] * w.kernel[0] * w.kernel[1] : -1;
      if (x.shape.length !== 4 || wt.shape.length !== 2 || wt.shape[1] !== k) {
        throw new StrataError('conv', `input ${fmtShape(x.shape)} must be [N, C, H, W] and weight ${fmtShape(wt.shape)} [O, C·${w.kernel[0]}·${w.kernel[1]}]`);
      }
      if (!isFloat(x.dtype) || x.dtype !== wt.dtype) throw new StrataError('conv', `input and weight must share a floating dtype, got ${x.dtype} and ${wt.dtype}`);
      if (bias && (bias.shape.length !== 1 || bias.shape[0] !== wt.shape[0] || bias.dtype !== x.dtype)) {
        throw new StrataError('conv', `bias ${fmtShape(bias.shape)} (${bias.dtype}) must be [${wt.shape[0]}] (${x.dtype}), one per filter of weight ${fmtShape(wt.shape)}`);
      }
      const [oh, ow] = windowCounts('conv', [x.shape[2], x.shape[3]], w);
      return { shape: [x.shape[0], wt.shape[0], oh * ow], dtype: x.dtype };
    },
    cost: 'heavy', differentiable: true,
    // conv = w·unfold(x) (+ bias, then ReLU): the weight's gradient is g·unfold(x)ᵀ summed over the
    // batch (the columns made here, in the backward pass, unless the fused op reads them from the
    // image); the input's is fold(wᵀ·g); the bias's, g summed per channel
    vjp: (g0, [x, w, b], out, attrs, n) => {
      const g = attrs.relu ? reluGradOf(g0, out) : g0;
      const win = windowOf(attrs);
      return [
        n[0] ? convInputGrad(g, w, x, win) : null,
        n[1] ? convWeightGrad(g, x, w, win) : null,
        ...(b ? [n[2] ? bind('reshape', [bind('sum', [g], { axes: [0, 2] })], { shape: [...b.shape] }) : null] : []),
      ];
    },
    jvp: ([tx, tw, tbias], [x, w], out, attrs) => {
      const win = windowOf(attrs);
      return epilogueTangent(plus(tx && bind('conv', [tx, w], win), tw && bind('conv', [x, tw], win), tbias && bind('reshape', [tbias], { shape: [1, tbias.shape[0], 1] })), out, attrs.relu);
    },
  },
};
