// SPDX-License-Identifier: MIT
// A convolution, its ReLU (or none) and a 2x2 max pool at stride 2 as one fused op, for inference:
// the most common block of a CNN (LeNet, VGG, W3; without the ReLU, the pooled convolution before a
// BatchNorm of `models.cnnBn`). Composed, the convolution's output, four times the pooled
// one, is written to memory and read back by the pool. On a backend with the kernel, each block of
// filters' output planes for an image stay in the thread's scratch, take the bias and ReLU there
// and are pooled at once, so only the pooled output is written. Where autodiff records (the
// backward needs the convolution's output), and for grouped or mixed-dtype convolutions, the
// composed definition runs.
import { willRecord } from '../../autograd/mode.js';
import type { WindowAttrs } from '../../ir/prims.js';
import { type Lowered, fusedKernel, fusedOp, kernelOutput } from '../../tensor/fused-op.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type Conv2dOptions, conv2d, conv2dRelu } from './conv.js';
import { conv2dGeometry } from './conv-geometry.js';
import { maxPool2d } from './pool.js';

/** The arguments of the fused kernel: out = maxPool2d(relu(conv(x, w) + bias), 2), or without the relu. */
export interface ConvReluPoolArgs {
  /** Receives the pooled output, [N, O, ⌊OH/2⌋, ⌊OW/2⌋] (a fresh tensor, written in full). */
  readonly out: Tensor;
  /** The images, [N, C, H, W]. */
  readonly x: Tensor;
  /** The filters, [O, C, kh, kw] (read as [O, C·kh·kw]). */
  readonly w: Tensor;
  readonly bias: Tensor | null;
  readonly xShape: readonly [number, number, number, number];
  /** The convolution's resolved window (padding top, bottom, left, right). */
  readonly window: WindowAttrs;
  /** Whether the ReLU comes between the convolution and the pool. */
  readonly relu: boolean;
}

declare module '../../backend/backend.js' {
  interface FusedKernelArgs {
    convReluPool: Lowered<ConvReluPoolArgs>;
  }
}

const composed = (x: Tensor, weight: Tensor, bias: Tensor | null, opts: Conv2dOptions, relu: boolean): Tensor =>
  maxPool2d(relu ? conv2dRelu(x, weight, bias, opts) : conv2d(x, weight, bias, opts), 2);

/** `maxPool2d(conv2dRelu(x, weight, bias, opts), 2)` (`conv2d` without `relu`), in one kernel where the backend has one and nothing records it. */
export const convReluPool = fusedOp({
  composed,
  fused(x: Tensor, weight: Tensor, bias: Tensor | null, opts: Conv2dOptions, relu: boolean): Tensor | null {
    if ((opts.groups ?? 1) !== 1 || willRecord(bias ? [x, weight, bias] : [x, weight])) return null;
    const run = fusedKernel<ConvReluPoolArgs>('convReluPool', x);
    if (!run) return null;
    const { attrs, oh, ow, o } = conv2dGeometry(x, weight, bias, opts);
    // too small to pool: the composed definition, which reports it
    if (oh < 2 || ow < 2) return null;
    const [n, c, h, w] = x.shape;
    const out = kernelOutput(x, [n, o, oh >> 1, ow >> 1]);
    if (!run({ out, x, w: weight, bias, xShape: [n, c, h, w], window: attrs, relu })) return null;
    return out;
  },
});

/**
 * `maxPool2d(conv2dRelu(x, weight, bias, opts), 2)`: a convolution, ReLU and 2x2 max pooling at
 * stride 2, the same values. In inference (nothing records gradients) the wasm backend runs it in
 * one pass that never writes the convolution's output, only the pooled one, a quarter of its size;
 * `nn.Sequential` uses it for a Conv2d, a ReLU and a MaxPool2d(2) in a row. While gradients are
 * recorded it is the three ops, whose backward needs the convolution's output.
 *
 * @example
 * const x = arange(16).float().reshape([1, 1, 4, 4]);
 * conv2dReluPool(x, ones([1, 1, 1, 1]), tensor([-5])).toArray(); // [[[[0, 2], [8, 10]]]]
 */
export function conv2dReluPool(x: Tensor, weight: Tensor, bias: Tensor | null = null, opts: Conv2dOptions = {}): Tensor {
  return convReluPool(x, weight, bias, opts, true);
}

/**
 * `maxPool2d(conv2d(x, weight, bias, opts), 2)`: `conv2dReluPool` without the ReLU, in one pass in
 * inference on wasm (a pooled convolution before a BatchNorm; `nn.Sequential` uses it for a Conv2d
 * directly followed by a MaxPool2d(2)).
 *
 * @example
 * const x = arange(16).float().reshape([1, 1, 4, 4]);
 * conv2dPool(x, ones([1, 1, 1, 1]), tensor([-5])).toArray(); // [[[[0, 2], [8, 10]]]]
 */
export function conv2dPool(x: Tensor, weight: Tensor, bias: Tensor | null = null, opts: Conv2dOptions = {}): Tensor {
  return convReluPool(x, weight, bias, opts, false);
}
