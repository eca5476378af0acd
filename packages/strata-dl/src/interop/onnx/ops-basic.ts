// SPDX-License-Identifier: MIT
// Elementwise, activation and shape ops of ONNX (default domain, opsets 9–18).
import { normAxis } from '../../core/shape.js';
import { dropout } from '../../nn/functional/dropout.js';
import { leakyRelu } from '../../nn/functional/activation.js';
import { cat } from '../../tensor/composite.js';
import { full } from '../../tensor/creation.js';
import { Tensor } from '../../tensor/tensor.js';
import { isFloat } from '../../core/dtype.js';
import { HostInts, type OpContext, type OpImpl, type Value, as2d, constantValue, dtypeOfProto } from './values.js';

type Binary = (a: Tensor, b: Tensor) => Tensor;

/**
 * `f` over host integers elementwise, each input of the result's shape or a single value
 * (broadcast): shape arithmetic that stays on the host. Null where the inputs broadcast otherwise
 * ([2, 1] against [3]): the caller computes on int32 tensors instead, which broadcast fully.
 */
export function onHostInts(inputs: readonly HostInts[], f: (...v: number[]) => number): HostInts | null {
  const rank = Math.max(...inputs.map((h) => h.dims.length));
  const dims = Array.from({ length: rank }, (_, i) => Math.max(...inputs.map((h) => h.dims[h.dims.length - rank + i] ?? 1)));
  const same = (h: HostInts): boolean => h.dims.length === rank && h.dims.every((d, i) => d === dims[i]);
  if (inputs.some((h) => h.values.length !== 1 && !same(h))) return null;
  const n = dims.reduce((p, d) => p * d, 1);
  return new HostInts(dims, Array.from({ length: n }, (_, i) => f(...inputs.map((h) => h.values[h.values.length === 1 ? 0 : i]))));
}

/** A binary op on tensors, or on host integers when both inputs are shapes or constants. */
export function binary(onTensors: Binary, onInts: (a: number, b: number) => number): OpImpl {
  return (ctx) => {
    const a = ctx.input(0), b = ctx.input(1);
    const host = a instanceof HostInts && b instanceof HostInts ? onHostInts([a, b], onInts) : null;
    if (host) return [host];
    const ta = a instanceof Tensor ? a : ctx.tensor(0, b instanceof Tensor ? b : undefined);
    return [onTensors(ta, ctx.tensor(1, ta))];
  };
}

const unary = (f: (x: Tensor) => Tensor): OpImpl => (ctx) => [f(ctx.tensor(0))];

function shapeOf(v: Value): number[] {
  return v instanceof Tensor ? [...v.shape] : v.dims;
}

/**
 * An axes list, from input `fromInput` from opset `inputFrom` on (13 for Squeeze, Unsqueeze and
 * ReduceSum, 18 for the other reductions) and from the attribute before; undefined when absent.
 * ONNX axes may be negative, counted against `rank`.
 */
export function axesOf(ctx: OpContext, rank: number, fromInput: number, inputFrom = 13, attr = 'axes'): number[] | undefined {
  const raw = ctx.opset >= inputFrom ? (ctx.input(fromInput) === undefined ? undefined : ctx.ints(fromInput)) : ctx.has(attr) ? ctx.intList(attr, []) : undefined;
  return raw?.map((a) => normAxis(`importOnnx ${ctx.node.opType}`, a, rank));
}

function reshapeTarget(ctx: OpContext, inShape: number[], target: number[]): number[] {
  const allowZero = ctx.int('allowzero', 0) === 1;
  const out = target.map((d, i) => (d === 0 && !allowZero ? inShape[i] : d));
  const known = out.reduce((p, d) => (d === -1 ? p : p * d), 1);
  const size = inShape.reduce((p, d) => p * d, 1);
  return out.map((d) => (d === -1 ? size / known : d));
}

function gather(ctx: OpContext): Value[] {
  const data = ctx.input(0);
  const idx = ctx.input(1);
  if (data === undefined || idx === undefined) return ctx.fail('needs data and indices');
  const axis = normAxis('importOnnx Gather', ctx.int('axis', 0), shapeOf(data).length);
  if (data instanceof HostInts) {
    if (data.dims.length !== 1 || !(idx instanceof HostInts)) return ctx.fail('gathers from integer data of rank other than 1');
    const n = data.values.length;
    return [new HostInts(idx.dims, idx.values.map((i) => data.values[i < 0 ? i + n : i]))];
  }
  const n = data.shape[axis];
  if (idx instanceof HostInts) {
    const pos = idx.values.map((i) => (i < 0 ? i + n : i));
    const picked = data.indexSelect(axis, pos);
    const shape = [...data.shape.slice(0, axis), ...idx.dims, ...data.shape.slice(axis + 1)];
    return [picked.reshape(shape)];
  }
  const flat = idx.reshape([-1]).to('int32');
  const shape = [...data.shape.slice(0, axis), ...idx.shape, ...data.shape.slice(axis + 1)];
  return [data.indexSelect(axis, flat).reshape(shape)];
}

/**
 * The indices that Slice keeps along an axis of `n`: from `start` towards `end` (not included) by
 * `step`, after ONNX's rules: negative start and end count from the end, then both are clamped to
 * [0, n] (step > 0) or [-1, n - 1] (step < 0), so torch.flip's (-1, -2^63, -1) is n − 1 down to 0.
 */
export function sliceIndices(n: number, start: number, end: number, step: number): number[] {
  const fix = (i: number, lo: number, hi: number): number => Math.min(Math.max(i < 0 ? i + n : i, lo), hi);
  const [s, e] = step > 0 ? [fix(start, 0, n), fix(end, 0, n)] : [fix(start, -1, n - 1), fix(end, -1, n - 1)];
  const out: number[] = [];
  for (let i = s; step > 0 ? i < e : i > e; i += step) out.push(i);
  return out;
}

/** The elements of host integers at the given indices along each axis (row-major, as a gather per axis). */
function hostSelect(h: HostInts, keep: number[][]): HostInts {
  const dims = keep.map((k) => k.length);
  const strides = h.dims.map((_, a) => h.dims.slice(a + 1).reduce((p, d) => p * d, 1));
  const values: number[] = [];
  const at = dims.map(() => 0);
  for (let n = dims.reduce((p, d) => p * d, 1), i = 0; i < n; i++) {
    values.push(h.values[at.reduce((off, j, a) => off + keep[a][j] * strides[a], 0)]);
    for (let a = dims.length - 1; a >= 0 && ++at[a] === dims[a]; a--) at[a] = 0;
  }
  return new HostInts(dims, values);
}

function slice(ctx: OpContext): Value[] {
  const data = ctx.input(0);
  if (data === undefined) return ctx.fail('needs data');
  const shape = shapeOf(data);
  // before opset 10, starts, ends and axes are attributes (and there are no steps)
  const legacy = ctx.opset < 10;
  const starts = legacy ? ctx.intList('starts', []) : ctx.ints(1), ends = legacy ? ctx.intList('ends', []) : ctx.ints(2);
  const axesIn = legacy ? (ctx.has('axes') ? ctx.intList('axes', []) : undefined) : ctx.input(3) === undefined ? undefined : ctx.ints(3);
  const axes = (axesIn ?? starts.map((_, i) => i)).map((a) => normAxis('importOnnx Slice', a, shape.length));
  const steps = legacy || ctx.input(4) === undefined ? starts.map(() => 1) : ctx.ints(4);
  if (steps.some((s) => s === 0)) return ctx.fail(`steps ${steps.join(',')} must not be 0`);
  if (data instanceof HostInts) {
    const keep = shape.map((n) => Array.from({ length: n }, (_, i) => i));
    axes.forEach((a, i) => { keep[a] = sliceIndices(shape[a], starts[i], ends[i], steps[i]); });
    return [hostSelect(data, keep)];
  }
  let y = data;
  axes.forEach((a, i) => {
    // a step of 1 is a view; others gather the indices (torch.flip exports a step of -1)
    y = steps[i] === 1 ? y.slice(a, Math.max(starts[i], -Number.MAX_SAFE_INTEGER), Math.min(ends[i], Number.MAX_SAFE_INTEGER))
      : y.indexSelect(a, sliceIndices(y.shape[a], starts[i], ends[i], steps[i]));
  });
  return [y];
}

function concat(ctx: OpContext): Value[] {
  const inputs = ctx.node.inputs.map((_, i) => ctx.input(i)).filter((v): v is Value => v !== undefined);
  // vectors of host integers (shapes) stay on the host; higher ranks concatenate as int32 tensors
  if (inputs.every((v) => v instanceof HostInts && v.dims.length === 1)) {
    const values = (inputs as HostInts[]).flatMap((h) => h.values);
    return [new HostInts([values.length], values)];
  }
  const like = inputs.find((v): v is Tensor => v instanceof Tensor);
  const ts = inputs.map((_, i) => ctx.tensor(i, like));
  return [cat(ts, ctx.int('axis', 0))];
}

function unsqueeze(ctx: OpContext): Value[] {
  const x = ctx.input(0);
  if (x === undefined) return ctx.fail('needs data');
  const rank = shapeOf(x).length;
  const raw = ctx.opset >= 13 ? ctx.ints(1) : ctx.intList('axes', []);
  const axes = raw.map((a) => normAxis('importOnnx Unsqueeze', a, rank + raw.length)).sort((p, q) => p - q);
  if (x instanceof HostInts) {
    const dims = [...x.dims];
    for (const a of axes) dims.splice(a, 0, 1);
    return [new HostInts(dims, x.values)];
  }
  return [axes.reduce((y, a) => y.unsqueeze(a), x)];
}

function squeeze(ctx: OpContext): Value[] {
  const x = ctx.input(0);
  if (x === undefined) return ctx.fail('needs data');
  const shape = shapeOf(x);
  const axes = axesOf(ctx, shape.length, 1) ?? shape.flatMap((d, i) => (d === 1 ? [i] : []));
  if (x instanceof HostInts) return [new HostInts(x.dims.filter((_, i) => !axes.includes(i)), x.values)];
  return [x.reshape(shape.filter((_, i) => !axes.includes(i)))];
}

function cast(ctx: OpContext): Value[] {
  const x = ctx.input(0);
  const to = ctx.int('to', 1);
  if (x === undefined) return ctx.fail('needs data');
  const dtype = dtypeOfProto(to);
  if (x instanceof HostInts) return isFloat(dtype) ? [ctx.tensor(0).to(dtype)] : [dtype === 'bool' ? new HostInts(x.dims, x.values.map((v) => (v ? 1 : 0))) : x];
  return [x.to(dtype)];
}

/** CastLike: input 0 in the dtype of input 1 (host integers stay on the host against integers). */
function castLike(ctx: OpContext): Value[] {
  const x = ctx.input(0), like = ctx.input(1);
  if (x === undefined || like === undefined) return ctx.fail('needs data and a tensor to take the type of');
  if (like instanceof HostInts) return [x instanceof HostInts ? x : x.to('int32')];
  return [ctx.tensor(0, like).to(like.dtype)];
}

function constant(ctx: OpContext): Value[] {
  const t = ctx.tensorAttr('value');
  if (t) return [constantValue(t, ctx.backend)];
  const a = ctx.node.attributes;
  if (typeof a.value_int === 'number') return [new HostInts([], [a.value_int])];
  if (Array.isArray(a.value_ints)) return [new HostInts([a.value_ints.length], a.value_ints as number[])];
  if (typeof a.value_float === 'number') return [full([], a.value_float, { backend: ctx.backend })];
  if (Array.isArray(a.value_floats)) return [constantValue({ name: '', dims: [a.value_floats.length], type: 'float', values: Float32Array.from(a.value_floats as number[]) }, ctx.backend)];
  return ctx.fail(`has none of the supported value attributes (value, value_int(s), value_float(s)); got ${Object.keys(a).join(', ')}`);
}

function constantOfShape(ctx: OpContext): Value[] {
  const shape = ctx.ints(0);
  const t = ctx.tensorAttr('value');
  const v = t ? Number(t.values[0]) : 0;
  if (t && !(t.values instanceof Float32Array || t.values instanceof Float64Array)) {
    return [new HostInts(shape, new Array<number>(shape.reduce((p, d) => p * d, 1)).fill(v))];
  }
  return [full(shape, v, { backend: ctx.backend, dtype: t?.values instanceof Float64Array ? 'float64' : 'float32' })];
}

/**
 * Softmax and LogSoftmax along `axis` (default -1); before opset 13 the input is seen as 2-D,
 * [the axes before `axis`, the rest] (default axis 1), and normalized over all of the rest.
 */
function softmaxLike(ctx: OpContext, log: boolean): Value[] {
  const x = ctx.tensor(0);
  const f = (t: Tensor, a: number): Tensor => (log ? t.logSoftmax(a) : t.softmax(a));
  if (ctx.opset >= 13) return [f(x, ctx.int('axis', -1))];
  const axis = x.ndim === 0 ? 0 : normAxis(`importOnnx ${ctx.node.opType}`, ctx.int('axis', 1), x.ndim);
  return [f(as2d(x, axis), 1).reshape(x.shape)];
}

export const BASIC_OPS: Record<string, OpImpl> = {
  Add: binary((a, b) => a.add(b), (a, b) => a + b),
  Sub: binary((a, b) => a.sub(b), (a, b) => a - b),
  Mul: binary((a, b) => a.mul(b), (a, b) => a * b),
  Div: binary((a, b) => a.div(b), (a, b) => Math.trunc(a / b)),
  Pow: binary((a, b) => a.pow(b), (a, b) => a ** b),
  Relu: unary((x) => x.relu()),
  LeakyRelu: (ctx) => [leakyRelu(ctx.tensor(0), ctx.float('alpha', 0.01))],
  Sigmoid: unary((x) => x.sigmoid()),
  Tanh: unary((x) => x.tanh()),
  Neg: unary((x) => x.neg()),
  Exp: unary((x) => x.exp()),
  Log: unary((x) => x.log()),
  Sqrt: unary((x) => x.sqrt()),
  Abs: unary((x) => x.abs()),
  Reciprocal: unary((x) => x.reciprocal()),
  Sign: unary((x) => x.sign()),
  Sin: unary((x) => x.sin()),
  Cos: unary((x) => x.cos()),
  Tan: unary((x) => x.tan()),
  Atan: unary((x) => x.atan()),
  Asin: unary((x) => x.asin()),
  Acos: unary((x) => x.acos()),
  Sinh: unary((x) => x.sinh()),
  Cosh: unary((x) => x.cosh()),
  Asinh: unary((x) => x.asinh()),
  Acosh: unary((x) => x.acosh()),
  Atanh: unary((x) => x.atanh()),
  Floor: unary((x) => x.floor()),
  Ceil: unary((x) => x.ceil()),
  Round: unary((x) => x.round()),
  Softmax: (ctx) => softmaxLike(ctx, false),
  LogSoftmax: (ctx) => softmaxLike(ctx, true),
  Identity: (ctx) => [ctx.input(0) ?? ctx.fail('needs an input')],
  Dropout: (ctx) => {
    if (ctx.node.outputs.length > 1 && ctx.node.outputs[1]) return ctx.fail('the mask output is not supported');
    const ratio = ctx.input(1) === undefined ? ctx.float('ratio', 0.5) : ctx.numbers(1)[0];
    return [dropout(ctx.tensor(0), ratio, ctx.training)];
  },
  Flatten: (ctx) => {
    const x = ctx.tensor(0);
    const axis = ctx.int('axis', 1);
    const a = axis < 0 ? axis + x.ndim : axis;
    const lead = x.shape.slice(0, a).reduce((p, d) => p * d, 1);
    return [x.reshape([lead, x.size / lead])];
  },
  Reshape: (ctx) => {
    const x = ctx.input(0);
    if (x === undefined) return ctx.fail('needs data');
    const target = reshapeTarget(ctx, shapeOf(x), ctx.ints(1));
    return [x instanceof HostInts ? new HostInts(target, x.values) : x.reshape(target)];
  },
  Transpose: (ctx) => {
    const x = ctx.tensor(0);
    const perm = ctx.intList('perm', x.shape.map((_, i) => x.ndim - 1 - i));
    return [x.permute(perm)];
  },
  Shape: (ctx) => {
    const x = ctx.input(0);
    if (x === undefined) return ctx.fail('needs data');
    const shape = shapeOf(x);
    const clamp = (i: number): number => Math.min(Math.max(i < 0 ? i + shape.length : i, 0), shape.length);
    const values = shape.slice(clamp(ctx.int('start', 0)), clamp(ctx.int('end', shape.length)));
    return [new HostInts([values.length], values)];
  },
  Gather: gather,
  Slice: slice,
  Concat: concat,
  Unsqueeze: unsqueeze,
  Squeeze: squeeze,
  Cast: cast,
  CastLike: castLike,
  Constant: constant,
  ConstantOfShape: constantOfShape,
  MatMul: (ctx) => [ctx.tensor(0).matmul(ctx.tensor(1))],
};
