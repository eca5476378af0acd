// SPDX-License-Identifier: MIT
// A convolution's weight gradient as a fused op: Σ over the batch of g·unfold(x)ᵀ, composed (the
// columns made, then one product summed over the batch) or, on a backend with the kernel, one
// implicit GEMM that reads the columns from the image and never writes them (wasm: 85 MB fewer
// written and read per step for W3's second layer at batch 128). The conv primitive's rule
// (ir/conv.ts) calls it through the hook that conv.ts installs.
import { differentiated } from '../../ir/bind.js';
import { composedConvWeightGrad } from '../../ir/conv.js';
import type { WindowAttrs } from '../../ir/prims.js';
import { type Lowered, fusedKernel, fusedOp, kernelOutput } from '../../tensor/fused-op.js';
import type { Tensor } from '../../tensor/tensor.js';

/** The arguments of the fused kernel: out [O, C·kh·kw] = Σ_n g[n]·unfold(x[n])ᵀ. */
export interface ConvWeightGradArgs {
  /** Receives the gradient, [O, C·kh·kw] (a fresh tensor, written in full). */
  readonly out: Tensor;
  /** The output's gradient, [N, O, OH·OW]. */
  readonly g: Tensor;
  /** The convolution's input, [N, C, H, W]. */
  readonly x: Tensor;
  readonly xShape: readonly [number, number, number, number];
  readonly window: WindowAttrs;
}

declare module '../../backend/backend.js' {
  interface FusedKernelArgs {
    convWeightGrad: Lowered<ConvWeightGradArgs>;
  }
}

/** The weight gradient of `conv`: in one kernel where the backend has one and nothing differentiates it again. */
export const convWeightGrad = fusedOp({
  composed: composedConvWeightGrad,
  fused(g: Tensor, x: Tensor, w: Tensor, window: WindowAttrs): Tensor | null {
    // a recorded backward (or a forward-mode tangent) differentiates the composed definition
    if (differentiated(g, x)) return null;
    const run = fusedKernel<ConvWeightGradArgs>('convWeightGrad', g);
    if (!run || x.ndim !== 4 || g.ndim !== 3) return null;
    const out = kernelOutput(g, w.shape);
    const [n, c, h, wd] = x.shape;
    return run({ out, g, x, xShape: [n, c, h, wd], window }) ? out : null;
  },
});
