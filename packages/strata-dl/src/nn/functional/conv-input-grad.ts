// SPDX-License-Identifier: MIT
// A convolution's input gradient as a fused op: fold(wᵀ·g), composed (the columns wᵀ·g made, then
// summed back into the image) or, on a backend with the kernel, the same sum as a convolution of g
// with the flipped, transposed weights, at stride 1: grad_x[n, c] = Σ_o g[n, o] ⋆ w[o, c] flipped,
// "full" (padding (k − 1)·d − p), which never writes the columns (wasm: a direct convolution for few
// channels, an implicit GEMM for many). The conv primitive's rule (ir/conv.ts) calls it through
// the hook that conv.ts installs. Where a ReLU's backward follows, the kernel applies it too.
import { differentiated } from '../../ir/bind.js';
import { composedConvInputGrad } from '../../ir/conv.js';
import type { WindowAttrs } from '../../ir/prims.js';
import { markReluMasked } from '../../ir/relu-masked.js';
import { reluFollows } from '../../tensor/relu-follows.js';
import { type Lowered, fusedKernel, fusedOp, kernelOutput } from '../../tensor/fused-op.js';
import type { Tensor } from '../../tensor/tensor.js';

/** The arguments of the fused kernel: out [N, C, H, W] = fold(wᵀ·g). */
export interface ConvInputGradArgs {
  /** Receives the gradient, [N, C, H, W] (a fresh tensor, written in full). */
  readonly out: Tensor;
  /** The output's gradient, [N, O, OH·OW]. */
  readonly g: Tensor;
  /** The convolution's weights, [O, C·kh·kw]. */
  readonly w: Tensor;
  /** The convolution's input's shape, [N, C, H, W]. */
  readonly xShape: readonly [number, number, number, number];
  readonly window: WindowAttrs;
  /** When set, the convolution's input, a ReLU's output: write reluGrad(·, reluOf) of the gradient instead. */
  readonly reluOf: Tensor | null;
}

declare module '../../backend/backend.js' {
  interface FusedKernelArgs {
    convInputGrad: Lowered<ConvInputGradArgs>;
  }
}

/** The input gradient of `conv`: in one kernel where the backend has one and nothing differentiates it again. */
export const convInputGrad = fusedOp({
  composed: composedConvInputGrad,
  fused(g: Tensor, w: Tensor, x: Tensor, window: WindowAttrs): Tensor | null {
    // a recorded backward (or a forward-mode tangent) differentiates the composed definition
    if (differentiated(g, w)) return null;
    const run = fusedKernel<ConvInputGradArgs>('convInputGrad', g);
    if (!run || x.ndim !== 4 || g.ndim !== 3 || w.ndim !== 2) return null;
    const out = kernelOutput(g, x.shape);
    const [n, c, h, wd] = x.shape;
    // where ReLU's backward at x comes next (the previous layer's conv-ReLU), the kernel applies it
    // to each image while it is in cache, and the ReLU's rule skips its pass over x
    const reluOf = reluFollows(x) ? x : null;
    if (!run({ out, g, w, xShape: [n, c, h, wd], window, reluOf })) return null;
    return reluOf ? markReluMasked(out, reluOf) : out;
  },
});
