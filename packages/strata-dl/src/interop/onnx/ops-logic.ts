// SPDX-License-Identifier: MIT
// Comparisons, logic, selection, sorting and indexing ops of ONNX (default domain, opsets 9–18):
// what torch.onnx.export writes for masks (Equal, Less, Not, Where), broadcasting (Expand), gathers
// along an axis, cumulative sums, argmax, top-k and splits, and what Strata's own export writes
// for sort, cumprod and scatterAdd. Comparisons of host integers (shape arithmetic) stay on the host.
import { broadcastShapes, normAxis } from '../../core/shape.js';
import { cumsum as cumsumPrim } from '../../tensor/prims.js';
import { where } from '../../tensor/composite.js';
import { Tensor } from '../../tensor/tensor.js';
import { binary, onHostInts } from './ops-basic.js';
import { HostInts, type OpContext, type OpImpl, type Value } from './values.js';

const flag = (b: boolean): number => (b ? 1 : 0);

/** Where(cond, a, b), broadcasting; on host integers when all three are. */
function select(ctx: OpContext): Value[] {
  const c = ctx.input(0), a = ctx.input(1), b = ctx.input(2);
  const host = c instanceof HostInts && a instanceof HostInts && b instanceof HostInts ? onHostInts([c, a, b], (p, q, r) => (p ? q : r)) : null;
  if (host) return [host];
  const like = a instanceof Tensor ? a : b instanceof Tensor ? b : undefined;
  const ta = ctx.tensor(1, like);
  return [where(ctx.tensor(0).to('bool'), ta, ctx.tensor(2, ta))];
}

/** Expand: x broadcast against `shape` (ONNX's broadcasting goes both ways: a 1 in shape keeps x's size). */
function expand(ctx: OpContext): Value[] {
  const x = ctx.tensor(0);
  return [x.expand(broadcastShapes('importOnnx Expand', x.shape, ctx.ints(1)))];
}

/**
 * ArgMax/ArgMin along `axis`, keepdims 1 by default: the first index of the extremum, or with
 * select_last_index 1 the last (the first of the reversed axis, counted back from the end).
 */
function arg(max: boolean): OpImpl {
  return (ctx) => {
    const x = ctx.tensor(0);
    const axis = normAxis(`importOnnx ${ctx.node.opType}`, ctx.int('axis', 0), x.ndim);
    const keep = ctx.int('keepdims', 1) === 1;
    const last = ctx.int('select_last_index', 0) === 1;
    const src = last ? x.flip(axis) : x;
    const i = max ? src.argmax(axis, keep) : src.argmin(axis, keep);
    return [last ? i.neg().add(x.shape[axis] - 1) : i];
  };
}

/** CumSum along the axis input, from the end with reverse=1; exclusive=1 is refused. */
function cumsum(ctx: OpContext): Value[] {
  if (ctx.int('exclusive', 0) !== 0) return ctx.fail('exclusive=1 is not supported');
  const x = ctx.tensor(0);
  return [cumsumPrim(x, normAxis('importOnnx CumSum', ctx.ints(1)[0], x.ndim), ctx.int('reverse', 0) === 1)];
}

/**
 * Split along `axis` into the sizes of the `split` input (an attribute before opset 13), or into as
 * many equal parts as outputs; from opset 18 `num_outputs` parts of ceil(size / num_outputs), the
 * last one smaller.
 */
function split(ctx: OpContext): Value[] {
  const x = ctx.tensor(0);
  const axis = normAxis('importOnnx Split', ctx.int('axis', 0), x.ndim);
  const n = ctx.node.outputs.length, dim = x.shape[axis];
  const parts = ctx.int('num_outputs', 0);
  if (parts && parts !== n) return ctx.fail(`num_outputs ${parts} differs from the node's ${n} outputs`);
  const chunk = Math.ceil(dim / n);
  const given = ctx.opset < 13 ? (ctx.has('split') ? ctx.intList('split', []) : undefined) : ctx.input(1) !== undefined ? ctx.ints(1) : undefined;
  const sizes = given !== undefined ? given
    : parts ? Array.from({ length: n }, (_, i) => Math.max(0, Math.min(chunk, dim - i * chunk)))
      : Array.from({ length: n }, (_, i) => Math.floor((dim + n - 1 - i) / n));
  if (sizes.length !== n || sizes.reduce((p, d) => p + d, 0) !== x.shape[axis]) {
    return ctx.fail(`sizes [${sizes.join(', ')}] do not split dimension ${axis} of ${x.shape[axis]} into ${n} outputs`);
  }
  return x.split(sizes, axis);
}

/** Index tensor `i` as int32, its negative entries counted from the end of a dimension of `n` (ONNX's). */
export function positions(ctx: OpContext, i: number, n: number): Tensor {
  const idx = ctx.tensor(i).to('int32');
  return where(idx.lt(0), idx.add(n), idx);
}

/** TopK: the k largest (or smallest) along `axis`, in order, ties to the lower index (Strata's stable order). */
function topk(ctx: OpContext): Value[] {
  const x = ctx.tensor(0);
  // k is an attribute before opset 10
  const k = ctx.opset < 10 ? ctx.int('k', 0) : ctx.ints(1)[0];
  const r = x.topk(k, normAxis('importOnnx TopK', ctx.int('axis', -1), x.ndim), ctx.int('largest', 1) === 1);
  return [r.values, r.indices];
}

/**
 * ScatterElements into a copy of the data: the updates added (reduction add, in update order) or
 * written in place of the data (none; ONNX leaves repeated indices undefined, and here their updates
 * add up). Reductions mul, max and min are refused.
 */
function scatterElements(ctx: OpContext): Value[] {
  const reduction = ctx.string('reduction', 'none');
  if (reduction !== 'add' && reduction !== 'none') return ctx.fail(`reduction '${reduction}' is not supported (only 'none' and 'add')`);
  const x = ctx.tensor(0);
  const axis = normAxis('importOnnx ScatterElements', ctx.int('axis', 0), x.ndim);
  const idx = positions(ctx, 1, x.shape[axis]), upd = ctx.tensor(2, x);
  return [reduction === 'add' ? x.scatterAdd(axis, idx, upd) : scatterWrite(x, axis, idx, upd)];
}

/**
 * x with the updates written at `idx` along `axis` (scatterAdd's indexing) instead of added: where a
 * position is written, the sum of its updates (never 0·x, so NaN and ±Inf in x stay out of it).
 */
export function scatterWrite(x: Tensor, axis: number, idx: Tensor, upd: Tensor): Tensor {
  const written = x.zerosLike().scatterAdd(axis, idx, upd.onesLike()).gt(0);
  return where(written, x.zerosLike().scatterAdd(axis, idx, upd), x);
}

export const LOGIC_OPS: Record<string, OpImpl> = {
  IsNaN: (ctx) => [ctx.tensor(0).isnan()],
  TopK: topk,
  ScatterElements: scatterElements,
  // ScatterElements' name before opset 11
  Scatter: scatterElements,
  Equal: binary((a, b) => a.eq(b), (a, b) => flag(a === b)),
  Less: binary((a, b) => a.lt(b), (a, b) => flag(a < b)),
  LessOrEqual: binary((a, b) => a.le(b), (a, b) => flag(a <= b)),
  Greater: binary((a, b) => a.gt(b), (a, b) => flag(a > b)),
  GreaterOrEqual: binary((a, b) => a.ge(b), (a, b) => flag(a >= b)),
  And: binary((a, b) => a.logicalAnd(b), (a, b) => flag(a !== 0 && b !== 0)),
  Or: binary((a, b) => a.logicalOr(b), (a, b) => flag(a !== 0 || b !== 0)),
  Xor: binary((a, b) => a.logicalXor(b), (a, b) => flag((a !== 0) !== (b !== 0))),
  Not: (ctx) => {
    const x = ctx.input(0);
    return [x instanceof HostInts ? new HostInts(x.dims, x.values.map((v) => flag(v === 0))) : ctx.tensor(0).logicalNot()];
  },
  Where: select,
  Expand: expand,
  GatherElements: (ctx) => {
    const x = ctx.tensor(0);
    const axis = normAxis('importOnnx GatherElements', ctx.int('axis', 0), x.ndim);
    return [x.gather(axis, positions(ctx, 1, x.shape[axis]))];
  },
  ArgMax: arg(true),
  ArgMin: arg(false),
  CumSum: cumsum,
  Split: split,
};
