// SPDX-License-Identifier: MIT
// The FLOPs a piece of work really does, counted from the primitives it applies. Every op in Strata
// is composed from a closed set of primitives (src/ir/prims.ts), and `Tensor._apply` reports each one
// it runs to the primitive observer (src/tensor/trace-hook.ts, the hook ONNX export traces with), the
// backward pass's too: the engine applies the derivative rules' primitives through the same path.
// While an observer is installed the fused shortcuts (the optimizer's one-pass update, the fused
// recurrent cells, conv-bias-ReLU) step aside and their primitives run instead, so what is counted is
// the same arithmetic as the fused kernels do, written out.
//
// Counting (the usual convention, PyTorch's profiler's and the papers'): a multiply-add is 2 FLOPs.
//   GEMM class: matmul 2·batch·M·N·K; conv 2·N·O·(C·kh·kw)·(OH·OW) (the weight's and the input's
//     gradients are matmuls and counted as such).
//   The rest, 1 FLOP per element: elementwise arithmetic and comparisons per output element (a conv's
//     fused bias and ReLU per output element each); reductions, scans and fold (col2im: it sums the
//     overlapping windows) per input element; scatterAdd per added element; max pooling (and its
//     argmax, poolIndex) per element of each window.
//   Zero: data movement (reshape, permute, expand, slice, pad, flip, concat), gather, unfold, cast.
import type { Prim, PrimAttrs } from '../packages/strata-dl/src/ir/prims.js';
import type { Tensor } from '../packages/strata-dl/src/tensor/tensor.js';
import { enableGrad, isGradEnabled } from '../packages/strata-dl/src/autograd/mode.js';
import { observePrims } from '../packages/strata-dl/src/tensor/trace-hook.js';

/** The FLOPs of one primitive application. */
export interface PrimFlops {
  /** Products (matmul, conv): what a GEMM kernel does at the multiply-add rate. */
  gemm: number;
  /** Everything else (elementwise, reductions, pooling). */
  other: number;
}

type Rule<P extends Prim> = (ins: readonly Tensor[], attrs: PrimAttrs[P], out: Tensor) => PrimFlops;

const none = (): PrimFlops => ({ gemm: 0, other: 0 });
const perOutput = (_ins: readonly Tensor[], _a: unknown, out: Tensor): PrimFlops => ({ gemm: 0, other: out.size });
const perInput = (ins: readonly Tensor[]): PrimFlops => ({ gemm: 0, other: ins[0].size });
const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/** The broadcast batch of two operands' leading dimensions (matmul's rule). */
function batchOf(a: readonly number[], b: readonly number[]): number {
  const n = Math.max(a.length, b.length);
  const dims = Array.from({ length: n }, (_, i) => Math.max(a[a.length - n + i] ?? 1, b[b.length - n + i] ?? 1));
  return prod(dims);
}

/** One rule per primitive: a new primitive without one is a compile error here. */
const RULES: { readonly [P in Prim]: Rule<P> } = {
  matmul: ([a, b, bias], { transA, relu }, out) => {
    const k = transA ? a.shape[a.ndim - 2] : a.shape[a.ndim - 1];
    const [m, n] = out.shape.slice(-2);
    // the epilogue (Linear's bias, a following ReLU): one per output element each, as the separate ops
    return { gemm: 2 * batchOf(a.shape.slice(0, -2), b.shape.slice(0, -2)) * m * n * k, other: (bias ? out.size : 0) + (relu ? out.size : 0) };
  },
  conv: ([x, w, bias], { relu }, out) => {
    const [batch, filters, positions] = out.shape;
    return {
      gemm: 2 * batch * filters * w.shape[1] * positions,
      other: (bias ? out.size : 0) + (relu ? out.size : 0),
    };
  },
  // elementwise: one per output element
  neg: perOutput, exp: perOutput, log: perOutput, sqrt: perOutput, sin: perOutput, cos: perOutput,
  tanh: perOutput, sigmoid: perOutput, relu: perOutput, abs: perOutput, sign: perOutput,
  floor: perOutput, ceil: perOutput, round: perOutput, trunc: perOutput, log1p: perOutput, expm1: perOutput,
  atan: perOutput, asin: perOutput, acos: perOutput, atan2: perOutput, fmod: perOutput, log2: perOutput, log10: perOutput,
  add: perOutput, sub: perOutput, mul: perOutput, div: perOutput, pow: perOutput, maximum: perOutput, minimum: perOutput,
  reluGrad: perOutput,
  eq: perOutput, ne: perOutput, lt: perOutput, le: perOutput, gt: perOutput, ge: perOutput,
  where: perOutput,
  cast: none,
  // reductions and scans: one per input element
  sum: perInput, max: perInput, min: perInput, argmax: perInput, argmin: perInput,
  cumsum: perInput, cumprod: perInput, argsort: perInput,
  // data movement
  reshape: none, permute: none, expand: none, slice: none, pad: none, flip: none, concat: none,
  gather: none, unfold: none,
  scatterAdd: (ins) => ({ gemm: 0, other: ins[2].size }),
  fold: perInput,
  // max/min pooling: one comparison per element of each window
  poolIndex: (_ins, { kernel }, out) => ({ gemm: 0, other: out.size * kernel[0] * kernel[1] }),
  pool: (_ins, { kernel }, out) => ({ gemm: 0, other: out.size * kernel[0] * kernel[1] }),
};

/** The FLOPs of applying `prim` to `ins`, giving `out` (see the file's header for the counting). */
export function primFlops<P extends Prim>(prim: P, ins: readonly Tensor[], attrs: PrimAttrs[P], out: Tensor): PrimFlops {
  return RULES[prim](ins, attrs, out);
}

/** What `countFlops` found. */
export interface FlopCount {
  /** All FLOPs: gemm + other. */
  total: number;
  gemm: number;
  other: number;
  /** Per primitive: how many times it ran and its FLOPs. */
  byPrim: Record<string, { calls: number; gemm: number; other: number }>;
}

/**
 * Runs `fn` once and counts the FLOPs of every primitive it applies, the backward pass's included.
 * Gradients are recorded as usual inside `fn` (unlike ONNX export's trace); `fn` may turn them off
 * itself (an inference step's `noGrad`). Not for timed loops: the fused kernels step aside meanwhile.
 */
export function countFlops<T>(fn: () => T): { result: T; flops: FlopCount } {
  const flops: FlopCount = { total: 0, gemm: 0, other: 0, byPrim: {} };
  const recording = isGradEnabled(); // observePrims turns gradients off (export traces inference): as they were
  const result = observePrims((prim, ins, attrs, out) => {
    const f = primFlops(prim, ins, attrs, out);
    const entry = (flops.byPrim[prim] ??= { calls: 0, gemm: 0, other: 0 });
    entry.calls++;
    entry.gemm += f.gemm;
    entry.other += f.other;
    flops.gemm += f.gemm;
    flops.other += f.other;
  }, () => (recording ? enableGrad(fn) : fn()));
  flops.total = flops.gemm + flops.other;
  return { result, flops };
}
