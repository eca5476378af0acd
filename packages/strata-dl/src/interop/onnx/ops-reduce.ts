// SPDX-License-Identifier: MIT
// Reductions, clipping, erf and the elementwise Max, Min, Sum and Mean of ONNX (default domain,
// opsets 9–18): what torch.onnx.export writes for LayerNorm (ReduceMean, Pow, Sqrt before opset
// 17), GELU (Erf), ReLU6 (Clip), mean, sum, amax, amin, prod, logsumexp and normalize (ReduceL2),
// Einsum, and what Strata's own export writes for clamp (Max, Min).
import { erf } from '../../nn/functional/activation.js';
import { einsum } from '../../tensor/einsum.js';
import { prod } from '../../tensor/scan.js';
import type { Tensor } from '../../tensor/tensor.js';
import { axesOf } from './ops-basic.js';
import type { OpContext, OpImpl, Value } from './values.js';

type Reduction = (x: Tensor, axes: number[], keep: boolean) => Tensor;

/**
 * ReduceMean, ReduceMax, ...: over `axes` (all when none, unless noop_with_empty_axes), keeping
 * them as size 1 unless keepdims is 0. The axes are an attribute before opset `inputFrom` (18 for
 * most, 13 for ReduceSum) and the second input from it on.
 */
function reduce(f: Reduction, inputFrom: number): OpImpl {
  return (ctx: OpContext): Value[] => {
    const x = ctx.tensor(0);
    const axes = axesOf(ctx, x.ndim, 1, inputFrom) ?? [];
    if (axes.length === 0 && ctx.int('noop_with_empty_axes', 0) === 1) return [x];
    return [f(x, axes.length === 0 ? x.shape.map((_, i) => i) : axes, ctx.int('keepdims', 1) === 1)];
  };
}

/** The product over several axes, one axis at a time (from the last), each kept until the end. */
function prodOver(x: Tensor, axes: number[], keep: boolean): Tensor {
  const y = [...axes].sort((a, b) => b - a).reduce((t, a) => prod(t, a, true), x);
  return keep ? y : y.squeeze(axes);
}

/** Clip: min and max are optional inputs (attributes before opset 11); NaN stays NaN. */
function clip(ctx: OpContext): Value[] {
  const x = ctx.tensor(0);
  const bound = (name: string): number | null => (ctx.has(name) ? ctx.float(name, 0) : null);
  if (ctx.opset < 11) return [x.clamp(bound('min'), bound('max'))];
  const lo = ctx.optionalTensor(1), hi = ctx.optionalTensor(2);
  const low = lo ? x.maximum(lo) : x;
  return [hi ? low.minimum(hi) : low];
}

/**
 * An elementwise op over any number of inputs, broadcasting, folded in input order: Max and Min
 * (NaN wins, as in PyTorch's maximum), Sum, and Mean (the sum divided by the count).
 */
function variadic(f: (a: Tensor, b: Tensor) => Tensor, mean = false): OpImpl {
  return (ctx) => {
    const n = ctx.node.inputs.length;
    if (n === 0) return ctx.fail('needs an input');
    let y = ctx.tensor(0);
    for (let i = 1; i < n; i++) y = f(y, ctx.tensor(i, y));
    return [mean ? y.div(n) : y];
  };
}

export const REDUCE_OPS: Record<string, OpImpl> = {
  Max: variadic((a, b) => a.maximum(b)),
  Min: variadic((a, b) => a.minimum(b)),
  ReduceMean: reduce((x, a, k) => x.mean(a, k), 18),
  ReduceSum: reduce((x, a, k) => x.sum(a, k), 13),
  ReduceMax: reduce((x, a, k) => x.amax(a, k), 18),
  ReduceMin: reduce((x, a, k) => x.amin(a, k), 18),
  ReduceProd: reduce(prodOver, 18),
  // the norms, whose gradient at a zero vector is 0 as PyTorch's (not NaN, as √Σx² would give)
  ReduceL1: reduce((x, a, k) => x.norm(1, a, k), 18),
  ReduceL2: reduce((x, a, k) => x.norm(2, a, k), 18),
  ReduceSumSquare: reduce((x, a, k) => x.square().sum(a, k), 18),
  ReduceLogSumExp: reduce((x, a, k) => x.logsumexp(a, k), 18),
  // Einsum: torch.einsum's subscripts (ONNX's are the same notation)
  Einsum: (ctx) => {
    const eq = ctx.string('equation', '');
    if (!eq) return ctx.fail('needs an equation');
    return [einsum(eq, ...ctx.node.inputs.map((_, i) => ctx.tensor(i)))];
  },
  Sum: variadic((a, b) => a.add(b)),
  Mean: variadic((a, b) => a.add(b), true),
  Clip: clip,
  Erf: (ctx) => [erf(ctx.tensor(0))],
};
