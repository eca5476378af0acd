// SPDX-License-Identifier: MIT
// Max/min pooling's input gradient as a fused op: composed, each window's extremum found again
// (poolIndex) and the output's gradient scattered there onto zeros (scatterAdd), which on wasm
// fills a zero tensor, copies it and scatters into the copy on one thread; with the kernel, one
// pass shared out by planes. For MaxPool2d(2)'s geometry it searches each 2x2 window again and
// writes the gradient's rows whole (no zeros, no index tensor); elsewhere it runs the composed
// steps' kernels (same bits). Pool's rule (ir/pooling.ts) calls it through the hook that pool.ts
// installs. Where a ReLU's backward follows (conv-ReLU-pool), the kernel applies it too.
import { differentiated } from '../../ir/bind.js';
import { composedPoolGrad, type PoolingAttrs } from '../../ir/pooling.js';
import { markReluMasked } from '../../ir/relu-masked.js';
import { reluFollows } from '../../tensor/relu-follows.js';
import { type Lowered, fusedKernel, fusedOp, kernelOutput } from '../../tensor/fused-op.js';
import type { Tensor } from '../../tensor/tensor.js';

/** The arguments of the fused kernel: out [N, C, H, W] = g [N, C, OH, OW] scattered onto zeros at x's window extrema. */
export interface PoolGradArgs {
  /** Receives the input's gradient, [N, C, H, W] (a fresh tensor, written in full). */
  readonly out: Tensor;
  /** The pooled output's gradient, [N, C, OH, OW]. */
  readonly g: Tensor;
  /** The pooling's input, [N, C, H, W]. */
  readonly x: Tensor;
  readonly xShape: readonly [number, number, number, number];
  readonly attrs: PoolingAttrs['pool'];
  /** Whether to write reluGrad(·, x) of the gradient instead (x is a ReLU's output whose backward follows). */
  readonly relu: boolean;
}

declare module '../../backend/backend.js' {
  interface FusedKernelArgs {
    poolGrad: Lowered<PoolGradArgs>;
  }
}

/** The input gradient of `pool`: in one kernel where the backend has one and nothing differentiates it again. */
export const poolGrad = fusedOp({
  composed: composedPoolGrad,
  fused(g: Tensor, x: Tensor, attrs: PoolingAttrs['pool']): Tensor | null {
    // a recorded backward (or a forward-mode tangent) differentiates the composed definition
    if (differentiated(g, x)) return null;
    const run = fusedKernel<PoolGradArgs>('poolGrad', g);
    if (!run || x.ndim !== 4 || g.ndim !== 4) return null;
    const out = kernelOutput(g, x.shape);
    const [n, c, h, w] = x.shape;
    // where ReLU's backward at x comes next, the kernel applies it (the window's extremum is x at
    // the tap that takes the gradient) and the ReLU's rule skips its pass over x
    const relu = reluFollows(x);
    if (!run({ out, g, x, xShape: [n, c, h, w], attrs, relu })) return null;
    return relu ? markReluMasked(out, x) : out;
  },
});
