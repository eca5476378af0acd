// SPDX-License-Identifier: MIT
// Ops composed from primitives: they need no derivative or tangent rules of their own.
import type { DType, TypedArray } from '../core/dtype.js';
import { StrataError, fmtShape } from '../core/errors.js';
import { normAxes, normAxis } from '../core/shape.js';
import { GroupedOp } from './grouped-op.js';
import type { Tensor } from './tensor.js';

/** Nested arrays of numbers or booleans: what `tensor` takes and `toArray` returns. */
export type Nested = number | boolean | Nested[];
/** One index per dimension: see `Tensor.index`. */
export type IndexSpec = number | null | string | readonly number[] | Tensor;

export function variance(x: Tensor, axis: number | number[] | undefined, { correction = 1, keepdim = false }: { correction?: number; keepdim?: boolean }): Tensor {
  const axes = normAxes('var', axis, x.ndim);
  const n = axes.reduce((acc, a) => acc * (x.shape[a] ?? 1), 1); // a 0-d tensor's axis 0 has length 1
  const d = x.sub(x.mean(axes, true));
  return d.mul(d).sum(axes, keepdim).div(Math.max(n - correction, 0));
}

export function logsumexp(x: Tensor, axis: number | number[] | undefined, keepdim: boolean): Tensor {
  const axes = normAxes('logsumexp', axis, x.ndim);
  // The shift is a constant for differentiation: the result's gradient does not depend on it.
  const m = x.amax(axes, true).detach();
  const safe = m.zerosLike().where(m.abs().eq(Infinity), m);
  const r = x.sub(safe).exp().sum(axes, true).log().add(safe);
  return keepdim ? r : r.squeeze(axes);
}

/**
 * x - max - log Σ exp(x - max), with the max itself as the shift, not logsumexp's (which replaces
 * an infinite max by 0): PyTorch's log_softmax, whose non-finite rows are NaN: a row holding NaN or
 * +∞ (∞ - ∞), and a row of only -∞; a -∞ among finite values gives -∞ (probability 0).
 */
export function logSoftmax(x: Tensor, axis: number): Tensor {
  const ax = normAxis('logSoftmax', axis, x.ndim);
  // The shift is a constant for differentiation: the result's gradient does not depend on it.
  const d = x.sub(x.amax([ax], true).detach());
  return d.sub(d.exp().sum([ax], true).log());
}

export function softmax(x: Tensor, axis: number): Tensor {
  return logSoftmax(x, axis).exp();
}

export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) throw new StrataError('matmul', `both operands need at least 1 dimension, got a ${fmtShape(a.shape)} and b ${fmtShape(b.shape)}`);
  const a2 = a.ndim === 1 ? a.unsqueeze(0) : a;
  const b2 = b.ndim === 1 ? b.unsqueeze(1) : b;
  if (a.ndim === 1 && a.shape[0] !== b2.shape[b2.ndim - 2]) {
    throw new StrataError('matmul', `a ${fmtShape(a.shape)} and b ${fmtShape(b.shape)}: inner dimensions ${a.shape[0]} != ${b2.shape[b2.ndim - 2]}`);
  }
  let r = a2._p('matmul', [b2], { transA: false, transB: false });
  if (a.ndim === 1) r = r.squeeze(-2);
  if (b.ndim === 1) r = r.squeeze(-1);
  return r;
}

/** Resolves a shape argument (varargs or one array) with at most one -1. */
export function resolveShape(op: string, size: number, args: readonly (number | readonly number[])[]): number[] {
  const shape = args.flat();
  const unknown = shape.filter((d) => d === -1).length;
  if (unknown > 1) throw new StrataError(op, `only one dimension can be -1, got ${fmtShape(shape)}`);
  if (unknown === 1) {
    const known = shape.reduce((acc, d) => (d === -1 ? acc : acc * d), 1);
    if (known === 0 || size % known !== 0) throw new StrataError(op, `cannot infer -1 in ${fmtShape(shape)} for ${size} elements`);
    return shape.map((d) => (d === -1 ? size / known : d));
  }
  return shape;
}

export function flatten(x: Tensor, startDim: number, endDim: number): Tensor {
  if (x.ndim === 0) return x.reshape([1]);
  const s = normAxis('flatten', startDim, x.ndim);
  const e = normAxis('flatten', endDim, x.ndim);
  if (s > e) throw new StrataError('flatten', `startDim ${startDim} comes after endDim ${endDim}`);
  const mid = x.shape.slice(s, e + 1).reduce((a, b) => a * b, 1);
  return x.reshape([...x.shape.slice(0, s), mid, ...x.shape.slice(e + 1)]);
}

export function slice(x: Tensor, dim: number, start: number, end?: number): Tensor {
  const d = normAxis('slice', dim, x.ndim);
  const n = x.shape[d];
  const clampIdx = (i: number): number => Math.min(Math.max(i < 0 ? i + n : i, 0), n);
  const s = clampIdx(start);
  const e = Math.max(clampIdx(end ?? n), s);
  const starts = x.shape.map((_, i) => (i === d ? s : 0));
  const ends = x.shape.map((len, i) => (i === d ? e : len));
  return x._p('slice', [], { starts, ends });
}

function toIndex(x: Tensor, index: Tensor | readonly number[]): Tensor {
  if (!Array.isArray(index)) return index as Tensor;
  return x._make(index as readonly number[], [(index as readonly number[]).length], 'int32');
}

export function indexSelect(x: Tensor, dim: number, index: Tensor | readonly number[]): Tensor {
  const d = normAxis('indexSelect', dim, x.ndim);
  const idx = toIndex(x, index);
  if (idx.ndim !== 1) throw new StrataError('indexSelect', `index must be 1-D, got ${fmtShape(idx.shape)}`);
  const n = x.shape[d];
  // Negative positions count from the end.
  const pos = idx.add(idx.lt(0).to('int32').mul(n));
  const shape = x.shape.map((len, i) => (i === d ? idx.shape[0] : 1));
  const full = x.shape.map((len, i) => (i === d ? idx.shape[0] : len));
  return x.gather(d, pos.reshape(shape).expand(full));
}

export function index(x: Tensor, specs: readonly IndexSpec[]): Tensor {
  if (specs.length > x.ndim) throw new StrataError('index', `${specs.length} indices for a tensor of rank ${x.ndim} ${fmtShape(x.shape)}`);
  let r = x;
  let dim = 0;
  for (const s of specs) {
    if (s === null) dim++;
    else if (typeof s === 'number') {
      const n = r.shape[dim];
      const i = s < 0 ? s + n : s;
      if (i < 0 || i >= n) throw new StrataError('index', `index ${s} is out of range for dimension ${dim} of size ${n}`);
      r = slice(r, dim, i, i + 1).squeeze(dim);
    } else if (typeof s === 'string') {
      r = sliceSpec(r, dim, s);
      dim++;
    } else {
      r = indexSelect(r, dim, s as Tensor | readonly number[]);
      dim++;
    }
  }
  return r;
}

/** Python-style `'start:end:step'` along one dimension (any part may be empty; negative counts from the end). */
function sliceSpec(x: Tensor, dim: number, spec: string): Tensor {
  const parts = spec.split(':');
  const num = (p: string | undefined): number | undefined => (p === undefined || p.trim() === '' ? undefined : Number(p));
  const [a, b, c] = [num(parts[0]), num(parts[1]), num(parts[2])];
  if (parts.length < 2 || parts.length > 3 || [a, b, c].some((v) => v !== undefined && !Number.isInteger(v)) || c === 0) {
    throw new StrataError('index', `'${spec}' is not a slice like '1:3', ':', '::2' or '::-1'`);
  }
  const n = x.shape[dim];
  const step = c ?? 1;
  if (step === 1) return slice(x, dim, a ?? 0, b ?? n);
  // Python semantics for the bounds of a stepped slice.
  const norm = (v: number | undefined, dflt: number, lo: number, hi: number): number => (v === undefined ? dflt : Math.min(Math.max(v < 0 ? v + n : v, lo), hi));
  const start = step > 0 ? norm(a, 0, 0, n) : norm(a, n - 1, -1, n - 1);
  const end = step > 0 ? norm(b, n, 0, n) : norm(b, -1, -1, n - 1);
  const picks: number[] = [];
  for (let i = start; step > 0 ? i < end : i > end; i += step) picks.push(i);
  return indexSelect(x, dim, picks);
}

export function split(x: Tensor, size: number | readonly number[], dim: number): Tensor[] {
  const d = normAxis('split', dim, x.ndim);
  const n = x.shape[d];
  let sizes: number[];
  if (typeof size === 'number') {
    if (size <= 0) throw new StrataError('split', `size must be positive, got ${size}`);
    sizes = [];
    for (let i = 0; i < n; i += size) sizes.push(Math.min(size, n - i));
  } else {
    sizes = [...size];
    const total = sizes.reduce((a, b) => a + b, 0);
    if (total !== n) throw new StrataError('split', `sizes [${sizes.join(',')}] sum to ${total}, but dimension ${d} of ${fmtShape(x.shape)} has ${n}`);
  }
  let start = 0;
  const pieces = sizes.map((s) => {
    const piece = slice(x, d, start, start + s);
    start += s;
    return piece;
  });
  if (pieces.length > 1 && pieces.every((p) => p._node)) shareBackward(pieces, d);
  return pieces;
}

/**
 * Gives the pieces of one split a shared backward: their gradients are concatenated into the
 * input's gradient in one op. With a backward per piece, each piece's gradient would be padded to
 * the input's full size and summed, so iterating over T steps (an unrolled RNN) would cost O(T²).
 */
function shareBackward(pieces: readonly Tensor[], dim: number): void {
  const op = new GroupedOp({ name: 'split', size: pieces.length, backward: (grads) => [cat(grads.map((g, i) => g ?? pieces[i].zerosLike()), dim)] });
  pieces.forEach((p, index) => op.join(p, index, { deferred: [0] }));
}

/** The slices of `x` along `dim`, with that dimension removed (PyTorch's `unbind`). */
export function unbind(x: Tensor, dim: number): Tensor[] {
  const d = normAxis('unbind', dim, x.ndim);
  return split(x, 1, d).map((p) => p.squeeze(d));
}

export function pad(x: Tensor, pads: readonly number[], value: number): Tensor {
  if (pads.length % 2 !== 0 || pads.length / 2 > x.ndim) {
    throw new StrataError('pad', `pads must hold a (before, after) pair for up to ${x.ndim} dimensions, got ${pads.length} values`);
  }
  const before = x.shape.map(() => 0);
  const after = x.shape.map(() => 0);
  for (let i = 0; i < pads.length / 2; i++) {
    before[x.ndim - 1 - i] = pads[2 * i];
    after[x.ndim - 1 - i] = pads[2 * i + 1];
  }
  return x._p('pad', [], { before, after, value });
}

/** Concatenates along an existing dimension. */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new StrataError('cat', 'expects a non-empty list of tensors');
  const axis = normAxis('cat', dim, tensors[0].ndim);
  for (const t of tensors) {
    if (t.ndim !== tensors[0].ndim) throw new StrataError('cat', `tensors ${tensors.map((u) => fmtShape(u.shape)).join(', ')} have different ranks`);
  }
  if (tensors.length === 1) return tensors[0];
  return tensors[0]._p('concat', tensors.slice(1), { axis });
}

/** Joins tensors of one shape along a new dimension. */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new StrataError('stack', 'expects a non-empty list of tensors');
  const d = normAxis('stack', dim, tensors[0].ndim + 1);
  for (const t of tensors) {
    if (t.shape.join() !== tensors[0].shape.join()) throw new StrataError('stack', `all tensors must have the same shape, got ${tensors.map((u) => fmtShape(u.shape)).join(', ')}`);
  }
  return cat(tensors.map((t) => t.unsqueeze(d)), d);
}

/** `condition ? a : b` elementwise, with broadcasting. */
export function where(condition: Tensor, a: Tensor | number, b: Tensor | number): Tensor {
  if (typeof a === 'number') {
    if (typeof b === 'number') return condition._make([a], [], 'float32').where(condition, b);
    return b._lift(a).where(condition, b);
  }
  return a.where(condition, b);
}

export function nest(data: TypedArray, shape: readonly number[], dtype: DType): Nested {
  const conv = (v: number): number | boolean => (dtype === 'bool' ? v !== 0 : v);
  if (shape.length === 0) return conv(data[0]);
  const build = (dim: number, off: number): Nested[] => {
    const n = shape[dim];
    const stride = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
    const out: Nested[] = [];
    for (let i = 0; i < n; i++) out.push(dim === shape.length - 1 ? conv(data[off + i]) : build(dim + 1, off + i * stride));
    return out;
  };
  return build(0, 0);
}

