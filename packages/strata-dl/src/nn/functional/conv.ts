// SPDX-License-Identifier: MIT
// Convolutions: conv = W·im2col(x), the `conv` primitive (whose derivative rules are written with
// unfold, fold and matmul), or unfold + matmul for grouped ones; the transposed convolution is the
// adjoint, col2im(Wᵀ·x). Gradients come from those primitives' rules. The graph depends on the
// arguments alone, never on whether autograd is recording: training and inference run the same ops.
import { StrataError, fmtShape } from '../../core/errors.js';
import { fold, unfold } from '../../tensor/functions.js';
import * as prims from '../../tensor/prims.js';
import { setConvInputGrad, setConvWeightGrad } from '../../ir/conv.js';
import { conv2dGeometry } from './conv-geometry.js';
import { convInputGrad } from './conv-input-grad.js';
import { convWeightGrad } from './conv-weight-grad.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type IntPair, type Padding1d, type Padding2d, outSize, pair, padding1dAs2d, resolvePadding2d } from './padding.js';

// The conv rule's weight and input gradients: fused ops (one implicit GEMM or direct convolution on wasm). Installed here, where
// convolutions are made, rather than by importing a module for its side effect, which bundlers
// drop (the package is marked free of side effects).
setConvWeightGrad(convWeightGrad);
setConvInputGrad(convInputGrad);

/** Options of `conv2d` (PyTorch's `F.conv2d` keyword arguments). */
export interface Conv2dOptions {
  stride?: IntPair;
  padding?: Padding2d;
  dilation?: IntPair;
  /** Channels are split into this many groups, each convolved with its own filters. */
  groups?: number;
}
/** Options of `conv1d` (PyTorch's `F.conv1d` keyword arguments). */
export interface Conv1dOptions {
  stride?: number;
  padding?: Padding1d;
  dilation?: number;
  groups?: number;
}

/**
 * 2-D cross-correlation (what deep learning calls convolution) of `x` [N, C, H, W] with `weight`
 * [O, C/groups, kh, kw], plus `bias` [O].
 *
 * @example
 * const x = arange(9).float().reshape([1, 1, 3, 3]);
 * conv2d(x, tensor([[[[0, 1], [2, 3]]]])); // [[[[19, 25], [37, 43]]]]
 */
export function conv2d(x: Tensor, weight: Tensor, bias: Tensor | null = null, opts: Conv2dOptions = {}): Tensor {
  return convolve(x, weight, bias, opts, false);
}

/**
 * `conv2d(x, weight, bias, opts).relu()`. Where the conv primitive runs (one group, one dtype), the
 * bias and ReLU are its epilogue, applied while each block of the output is in cache, so the
 * output is written once instead of three times; `nn.Sequential` uses it for Conv2d then ReLU.
 *
 * @example
 * const x = arange(9).float().reshape([1, 1, 3, 3]);
 * conv2dRelu(x, tensor([[[[0, 1], [2, 3]]]]), tensor([-30])); // [[[[0, 0], [7, 13]]]]
 */
export function conv2dRelu(x: Tensor, weight: Tensor, bias: Tensor | null = null, opts: Conv2dOptions = {}): Tensor {
  return convolve(x, weight, bias, opts, true);
}

function convolve(x: Tensor, weight: Tensor, bias: Tensor | null, opts: Conv2dOptions, relu: boolean): Tensor {
  const { groups = 1 } = opts;
  const { attrs, oh, ow, o, k } = conv2dGeometry(x, weight, bias, opts);
  const [n] = x.shape;
  // The conv primitive, which on wasm never writes the columns (an implicit GEMM) and takes the bias
  // (of the same dtype) and the ReLU as its epilogue; its derivative rule makes the columns in the
  // backward pass where it needs them. Grouped convolutions (and mixed dtypes) are a batched product.
  if (groups === 1 && x.dtype === weight.dtype && (!bias || bias.dtype === x.dtype)) {
    return prims.conv(x, weight.reshape([o, k]), bias ?? null, relu ? { ...attrs, relu } : attrs).reshape([n, o, oh, ow]);
  }
  const y = groups === 1
    ? weight.reshape([o, k]).matmul(unfold(x, attrs))
    : weight.reshape([groups, o / groups, k]).matmul(unfold(x, attrs).reshape([n, groups, k, oh * ow])).reshape([n, o, oh * ow]);
  const out = y.reshape([n, o, oh, ow]);
  const biased = bias ? out.add(bias.reshape([1, o, 1, 1])) : out;
  return relu ? biased.relu() : biased;
}

/** 1-D convolution of `x` `[N, C, L]` with `weight` `[O, C/groups, k]`: a 2-D one of height 1. */
export function conv1d(x: Tensor, weight: Tensor, bias: Tensor | null = null, opts: Conv1dOptions = {}): Tensor {
  return convolve1d(x, weight, bias, opts, false);
}

/**
 * `conv1d(x, weight, bias, opts).relu()`, with the bias and ReLU in the convolution's epilogue
 * where the conv primitive runs (see `conv2dRelu`); `nn.Sequential` uses it for Conv1d then ReLU.
 *
 * @example
 * const x = arange(4).float().reshape([1, 1, 4]);
 * conv1dRelu(x, tensor([[[1, -2]]]), tensor([5])); // [[[3, 2, 1]]]
 */
export function conv1dRelu(x: Tensor, weight: Tensor, bias: Tensor | null = null, opts: Conv1dOptions = {}): Tensor {
  return convolve1d(x, weight, bias, opts, true);
}

function convolve1d(x: Tensor, weight: Tensor, bias: Tensor | null, opts: Conv1dOptions, relu: boolean): Tensor {
  const { stride = 1, padding = 0, dilation = 1, groups = 1 } = opts;
  if (x.ndim !== 3) throw new StrataError('conv1d', `input must be [N, C, L], got ${fmtShape(x.shape)}`);
  if (weight.ndim !== 3) throw new StrataError('conv1d', `weight must be [out, in/groups, k], got ${fmtShape(weight.shape)}`);
  const y = convolve(x.unsqueeze(2), weight.unsqueeze(2), bias, { stride: [1, stride], dilation: [1, dilation], groups, padding: padding1dAs2d(padding) }, relu);
  return y.squeeze(2);
}

/** Options of `convTranspose2d` (PyTorch's `F.conv_transpose2d` keyword arguments). */
export interface ConvTranspose2dOptions {
  stride?: IntPair;
  /**
   * Zero-padding removed from each side of the output (PyTorch), or 'valid' (none), 'same'
   * (output = input·stride) or 'full' (the adjoint of a 'full' convolution: dilation·(k − 1) removed
   * from each side, output (H − 1)·stride − dilation·(k − 1) + 1).
   */
  padding?: IntPair | 'valid' | 'same' | 'full';
  /** Extra rows/columns added to one side of the output, to pick among the sizes a stride allows. */
  outputPadding?: IntPair;
  dilation?: IntPair;
  groups?: number;
}

/**
 * Transposed convolution (the gradient of conv2d with respect to its input) of `x` [N, Cin, H, W]
 * with `weight` [Cin, Cout/groups, kh, kw] (PyTorch's layout). Output size per dimension:
 * (H − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1.
 */
export function convTranspose2d(x: Tensor, weight: Tensor, bias: Tensor | null = null, opts: ConvTranspose2dOptions = {}): Tensor {
  const { stride = 1, padding = 0, outputPadding = 0, dilation = 1, groups = 1 } = opts;
  if (x.ndim !== 4) throw new StrataError('convTranspose2d', `input must be [N, C, H, W], got ${fmtShape(x.shape)}`);
  if (weight.ndim !== 4) throw new StrataError('convTranspose2d', `weight must be [in, out/groups, kh, kw], got ${fmtShape(weight.shape)}`);
  const [n, cin, h, w] = x.shape;
  const [wc, og, kh, kw] = weight.shape;
  if (wc !== cin) throw new StrataError('convTranspose2d', `input ${fmtShape(x.shape)} has ${cin} channels, weight ${fmtShape(weight.shape)} expects ${wc}`);
  if (!Number.isInteger(groups) || groups < 1 || cin % groups !== 0) throw new StrataError('convTranspose2d', `groups ${groups} must divide the ${cin} input channels`);
  const o = og * groups;
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== o)) throw new StrataError('convTranspose2d', `bias ${fmtShape(bias.shape)} must be [${o}]`);
  const s = pair('convTranspose2d', 'stride', stride, 1);
  const d = pair('convTranspose2d', 'dilation', dilation, 1);
  let pads: [number, number, number, number];
  let size: [number, number];
  let extra = [0, 0];
  if (padding === 'same') {
    // The adjoint of a 'same' convolution from the output size input·stride back to the input size.
    size = [h * s[0], w * s[1]];
    pads = resolvePadding2d('convTranspose2d', 'same', size, [kh, kw], s, d);
  } else {
    const p = padding === 'valid' ? [0, 0] : padding === 'full' ? [d[0] * (kh - 1), d[1] * (kw - 1)] : pair('convTranspose2d', 'padding', padding);
    const op = pair('convTranspose2d', 'outputPadding', outputPadding);
    if (op[0] >= Math.max(s[0], d[0]) || op[1] >= Math.max(s[1], d[1])) throw new StrataError('convTranspose2d', `outputPadding [${op.join(',')}] must be smaller than the stride or the dilation`);
    // outputPadding adds op rows (columns) at the end. The windows reach p of them (they would be
    // the bottom padding without it): fold into the size plus min(op, p), with p − min(op, p) bottom
    // padding, so the fold sees exactly H windows; the rest lie past every window and are zeros
    // appended after. Folding into the full size instead would count extra windows once
    // outputPadding ≥ stride (allowed when the dilation is larger).
    const inner = (i: number): number => Math.min(op[i], p[i]);
    size = [(h - 1) * s[0] - 2 * p[0] + d[0] * (kh - 1) + 1 + inner(0), (w - 1) * s[1] - 2 * p[1] + d[1] * (kw - 1) + 1 + inner(1)];
    pads = [p[0], p[0] - inner(0), p[1], p[1] - inner(1)];
    extra = [op[0] - inner(0), op[1] - inner(1)];
  }
  if (size[0] < 1 || size[1] < 1) throw new StrataError('convTranspose2d', `output size ${size.join('x')} is empty for input ${fmtShape(x.shape)}`);
  const k = og * kh * kw;
  const wt = weight.reshape([groups, cin / groups, k]).transpose(1, 2); // [g, K, Cin/g]
  const cols = wt.matmul(x.reshape([n, groups, cin / groups, h * w])).reshape([n, o * kh * kw, h * w]);
  const folded = fold(cols, { kernel: [kh, kw], stride: s, padding: pads, dilation: d, outputSize: size });
  const y = extra[0] || extra[1] ? folded.pad([0, extra[1], 0, extra[0]]) : folded;
  return bias ? y.add(bias.reshape([1, o, 1, 1])) : y;
}
