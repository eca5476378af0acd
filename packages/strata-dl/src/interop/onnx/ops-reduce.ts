// SPDX-License-Identifier: MIT
// Reductions, clipping, erf and the elementwise Max and Min of ONNX (default domain, opsets 13–17):
// what torch.onnx.export writes for LayerNorm (ReduceMean, Pow, Sqrt before opset 17), GELU (Erf),
// ReLU6 (Clip), mean, sum, amax and amin, and what Strata's own export writes for clamp (Max, Min).
import { erf } from '../../nn/functional/activation.js';
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

/** Clip: min and max are optional inputs (in the opsets imported); NaN stays NaN. */
function clip(ctx: OpContext): Value[] {
  const x = ctx.tensor(0);
  const lo = ctx.optionalTensor(1), hi = ctx.optionalTensor(2);
  const low = lo ? x.maximum(lo) : x;
  return [hi ? low.minimum(hi) : low];
}

/** Max and Min: elementwise over any number of inputs, broadcasting; NaN wins, as in PyTorch's maximum. */
function extremum(max: boolean): OpImpl {
  return (ctx) => {
    const n = ctx.node.inputs.length;
    if (n === 0) return ctx.fail('needs an input');
    let y = ctx.tensor(0);
    for (let i = 1; i < n; i++) y = max ? y.maximum(ctx.tensor(i, y)) : y.minimum(ctx.tensor(i, y));
    return [y];
  };
}

export const REDUCE_OPS: Record<string, OpImpl> = {
  Max: extremum(true),
  Min: extremum(false),
  ReduceMean: reduce((x, a, k) => x.mean(a, k), 18),
  ReduceSum: reduce((x, a, k) => x.sum(a, k), 13),
  ReduceMax: reduce((x, a, k) => x.amax(a, k), 18),
  ReduceMin: reduce((x, a, k) => x.amin(a, k), 18),
  Clip: clip,
  Erf: (ctx) => [erf(ctx.tensor(0))],
};
