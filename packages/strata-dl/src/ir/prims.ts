// SPDX-License-Identifier: MIT
import type { DType } from '../core/dtype.js';

/**
 * The closed set of primitive operations. Each has exactly one shape rule (infer.ts), one derivative
 * rule and one tangent rule (autograd/rules.ts), and one kernel per backend. Everything else in Strata
 * is composed from these, so it is differentiable in both modes and runs on every backend for free.
 *
 * Attributes are plain data; the map below gives each primitive its attribute type, so the rule
 * tables and kernel tables are checked for completeness by the compiler.
 */
export interface PrimAttrs {
  // elementwise unary (float in, same dtype out; neg/abs/sign also on int32)
  neg: Empty; exp: Empty; log: Empty; sqrt: Empty; sin: Empty; cos: Empty;
  tanh: Empty; sigmoid: Empty; relu: Empty; abs: Empty; sign: Empty;
  // elementwise binary with broadcasting
  add: Empty; sub: Empty; mul: Empty; div: Empty; pow: Empty; maximum: Empty; minimum: Empty;
  // ReLU's backward, PyTorch's threshold_backward at 0: reluGrad(g, y) = y <= 0 ? 0 : g (one pass
  // instead of g·sign(y), two)
  reluGrad: Empty;
  // comparisons (bool out) and selection
  eq: Empty; ne: Empty; lt: Empty; le: Empty; gt: Empty; ge: Empty;
  where: Empty;
  cast: { dtype: DType };
  // reductions: the output keeps the reduced axes with size 1 (keepdim is a reshape on top)
  sum: { axes: number[] }; max: { axes: number[] }; min: { axes: number[] };
  argmax: { axis: number }; argmin: { axis: number };
  // movement
  reshape: { shape: number[] };
  permute: { perm: number[] };
  expand: { shape: number[] };
  slice: { starts: number[]; ends: number[] };
  pad: { before: number[]; after: number[]; value: number };
  flip: { axes: number[] };
  concat: { axis: number };
  gather: { axis: number };
  scatterAdd: { axis: number };
  // linear algebra: batched, broadcasting over leading dims, with transposed operands; sumBatch sums
  // the products over the (broadcast) batch, giving [M, N]: a shared weight's gradient in one pass,
  // without the [batch, M, N] products (the adjoint of broadcasting a 2-D operand)
  matmul: { transA: boolean; transB: boolean; sumBatch?: boolean };
  // sliding windows (im2col) and its adjoint (col2im): convolution and pooling compose from these
  unfold: WindowAttrs;
  fold: WindowAttrs & { outputSize: [number, number] };
  // max/min pooling's selection: where each window's extremum is (its gradient is a gather's)
  poolIndex: WindowAttrs & { mode: 'max' | 'min' };
  // max/min pooling's values: the input at poolIndex's positions (its gradient scatters there)
  pool: WindowAttrs & { mode: 'max' | 'min' };
  // convolution as one product: w [O, C·kh·kw] times the unfolded x [N, C, H, W], giving [N, O, OH·OW]
  // (= matmul(w, unfold(x)), without the column matrix where the backend can: implicit GEMM); an
  // optional third input, a bias [O], is added per channel and `relu` applies ReLU after it, both
  // while the product is still in cache (inference's conv-bias-ReLU in one pass over the output)
  conv: WindowAttrs & { relu?: boolean };
  // scans along one axis (issue 21): running sums (from the end when `reverse`: cumsum's own
  // adjoint) and running products; one pass each, where a composite would be O(n²) or lose accuracy
  cumsum: { axis: number; reverse: boolean };
  cumprod: { axis: number };
  // the stable sorting permutation along one axis, int32 (NaN sorts above +∞, as in PyTorch): sort,
  // topk and max/min with indices gather with it, so their gradients are gather's
  argsort: { axis: number; descending: boolean };
}

/**
 * Sliding 2-D windows over [N, C, H, W]: `unfold` gives [N, C·kh·kw, OH·OW] (rows ordered c, ki, kj
 * as PyTorch's F.unfold); `fold` sums such columns back into [N, C, H, W]. Padding is zeros,
 * given as [top, bottom, left, right] so that asymmetric 'same' padding needs no copy.
 * `poolIndex` (float or int32 input) gives int32 [N, C, OH, OW]: the flat index ih·W + iw, within
 * its (n, c) plane, of each window's max (or min). Padding is never chosen, ties go to the first in
 * (ki, kj) order, and a NaN wins, the last one if several (PyTorch's max_pool2d loop:
 * `val > max || isnan(val)`).
 */
export interface WindowAttrs {
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number, number, number];
  dilation: [number, number];
}

/** The attributes of a primitive that has none. */
export type Empty = Record<string, never>;
/** Name of a primitive operation: the kernels a backend implements and the autodiff rules cover. */
export type Prim = keyof PrimAttrs;

export const UNARY = ['neg', 'exp', 'log', 'sqrt', 'sin', 'cos', 'tanh', 'sigmoid', 'relu', 'abs', 'sign'] as const;
export const BINARY = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'reluGrad'] as const;
export const COMPARE = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const;

export type UnaryPrim = (typeof UNARY)[number];
export type BinaryPrim = (typeof BINARY)[number];
export type ComparePrim = (typeof COMPARE)[number];

/** Primitives whose outputs carry no gradient (integer or boolean results). */
export const NON_DIFFERENTIABLE: ReadonlySet<Prim> = new Set<Prim>([...COMPARE, 'argmax', 'argmin', 'sign', 'poolIndex', 'argsort']);
