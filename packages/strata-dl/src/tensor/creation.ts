// SPDX-License-Identifier: MIT
import { type DType, type TypedArray, dtypeOfArray, isDType } from '../core/dtype.js';
import { StrataError, fmtShape } from '../core/errors.js';
import { type Generator, defaultGenerator } from '../core/rng.js';
import { checkShape, sizeOf } from '../core/shape.js';
import { getBackend } from '../backend/registry.js';
import type { Nested } from './composite.js';
import { Tensor } from './tensor.js';

/** Options of the creation functions: dtype (default float32), `requiresGrad`, backend. */
export interface CreateOptions {
  /** Element type (default float32, or what the values imply for `tensor`). */
  dtype?: DType;
  /** Whether the new tensor is a leaf that accumulates gradients. */
  requiresGrad?: boolean;
  /** Backend name; defaults to the current one (`setBackend`). */
  backend?: string;
}
/** Options of the random creation functions: a `generator` (default the global one that `manualSeed` seeds). */
export interface RandomOptions extends CreateOptions {
  /** The random stream to draw from (default: the global generator). */
  generator?: Generator;
}
/** A shape: a list of dimension sizes, or one number for a 1-D shape. */
export type ShapeArg = number | readonly number[];

function make(values: ArrayLike<number>, shape: readonly number[], opts: CreateOptions, dtype: DType, op = 'tensor'): Tensor {
  checkShape(op, shape);
  if (sizeOf(shape) !== values.length) throw new StrataError(op, `shape ${fmtShape(shape)} needs ${sizeOf(shape)} values, got ${values.length}`);
  const t = Tensor._fromValues(getBackend(opts.backend), values, shape, dtype);
  if (opts.requiresGrad) t.requiresGrad = true;
  return t;
}

function shapeOf(arg: ShapeArg): number[] {
  return typeof arg === 'number' ? [arg] : [...arg];
}

/**
 * A tensor from nested arrays, a typed array or a number. The dtype is inferred (float32 for
 * numbers, bool for booleans) unless given.
 *
 * @example
 * const x = tensor([[1, 2], [3, 4]]);            // float32 [2,2]
 * const i = tensor([0, 2], { dtype: 'int32' });
 */
export function tensor(data: Nested | TypedArray, opts: CreateOptions & { shape?: readonly number[] } = {}): Tensor {
  if (ArrayBuffer.isView(data)) {
    const arr = data as TypedArray;
    const shape = opts.shape ?? [arr.length];
    if (sizeOf(shape) !== arr.length) throw new StrataError('tensor', `shape ${fmtShape(shape)} needs ${sizeOf(shape)} values, got ${arr.length}`);
    return make(arr, shape, opts, opts.dtype ?? dtypeOfArray(arr));
  }
  const shape: number[] = [];
  let probe: Nested = data;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  const flat: number[] = [];
  let sawBool = false;
  // `at` is the index path of `v`, so a ragged or empty entry is reported where it is (data[2][0]).
  const at: number[] = [];
  const where = (): string => `data${at.map((i) => `[${i}]`).join('')}`;
  const walk = (v: Nested, dim: number): void => {
    if (Array.isArray(v)) {
      if (dim >= shape.length) throw new StrataError('tensor', `ragged nested array: ${where()} is a list where a number was expected (as data${'[0]'.repeat(dim)})`);
      if (v.length !== shape[dim]) {
        const first = `data${'[0]'.repeat(dim)}`;
        throw new StrataError('tensor', `ragged nested array: ${where()} has ${v.length} entries, expected ${shape[dim]} (as ${first})`);
      }
      for (let i = 0; i < v.length; i++) {
        at.push(i);
        walk(v[i], dim + 1);
        at.pop();
      }
    } else {
      if (dim !== shape.length) throw new StrataError('tensor', `ragged nested array: ${where()} is a number where a list of ${shape[dim]} was expected`);
      if (typeof v === 'boolean') sawBool = true;
      else if (typeof v !== 'number') throw new StrataError('tensor', `expects numbers or booleans, got ${typeof v} at ${where()}`);
      flat.push(Number(v));
    }
  };
  walk(data, 0);
  return make(flat, opts.shape ?? shape, opts, opts.dtype ?? (sawBool ? 'bool' : 'float32'));
}

/**
 * A tensor of `shape` filled with `value` (float32 unless `opts.dtype`), as `torch.full`.
 *
 * @example
 * full([2, 2], 7).toArray(); // [[7, 7], [7, 7]]
 */
export function full(shape: ShapeArg, value: number, opts: CreateOptions = {}): Tensor {
  const s = shapeOf(shape);
  checkShape('full', s);
  const t = Tensor._full(getBackend(opts.backend), value, s, opts.dtype ?? 'float32');
  if (opts.requiresGrad) t.requiresGrad = true;
  return t;
}
/**
 * A tensor of zeros (`torch.zeros`).
 *
 * @example
 * zeros([2, 3]).shape; // [2, 3]
 */
export function zeros(shape: ShapeArg, opts: CreateOptions = {}): Tensor { return full(shape, 0, opts); }
/** A tensor of ones (`torch.ones`). */
export function ones(shape: ShapeArg, opts: CreateOptions = {}): Tensor { return full(shape, 1, opts); }

/**
 * Values from `start` to `end` (exclusive) by `step`; `arange(n)` counts from 0.
 * Integer arguments give int32, like PyTorch.
 */
export function arange(start: number, end?: number, step = 1, opts: CreateOptions = {}): Tensor {
  const [a, b] = end === undefined ? [0, start] : [start, end];
  if (step === 0) throw new StrataError('arange', 'step must be non-zero');
  const n = Math.max(0, Math.ceil((b - a) / step));
  const values = Array.from({ length: n }, (_, i) => a + i * step);
  const ints = [a, b, step].every(Number.isInteger);
  return make(values, [n], opts, opts.dtype ?? (ints ? 'int32' : 'float32'));
}

/** `steps` evenly spaced values from `start` to `end` inclusive. */
export function linspace(start: number, end: number, steps: number, opts: CreateOptions = {}): Tensor {
  if (!(Number.isInteger(steps) && steps >= 0)) throw new StrataError('linspace', `steps must be a non-negative integer, got ${steps}`);
  const values = Array.from({ length: steps }, (_, i) => (steps === 1 ? start : start + ((end - start) * i) / (steps - 1)));
  return make(values, [steps], opts, opts.dtype ?? 'float32');
}

/** Identity matrix (n×m, m defaulting to n). */
export function eye(n: number, m = n, opts: CreateOptions = {}): Tensor {
  checkShape('eye', [n, m]);
  const values = new Array<number>(n * m).fill(0);
  for (let i = 0; i < Math.min(n, m); i++) values[i * m + i] = 1;
  return make(values, [n, m], opts, opts.dtype ?? 'float32');
}

function random(op: string, shape: ShapeArg, opts: RandomOptions, draw: (g: Generator) => number): Tensor {
  const s = shapeOf(shape);
  checkShape(op, s);
  const g = opts.generator ?? defaultGenerator();
  const values = new Float64Array(sizeOf(s));
  for (let i = 0; i < values.length; i++) values[i] = draw(g);
  return make(values, s, opts, opts.dtype ?? 'float32', op);
}

/** Uniform on [0, 1). */
export function rand(shape: ShapeArg, opts: RandomOptions = {}): Tensor { return random('rand', shape, opts, (g) => g.random()); }
/** Standard normal. */
export function randn(shape: ShapeArg, opts: RandomOptions = {}): Tensor { return random('randn', shape, opts, (g) => g.normal()); }
/** Uniform integers in [low, high), int32 by default. */
export function randint(low: number, high: number, shape: ShapeArg, opts: RandomOptions = {}): Tensor {
  if (!(high > low)) throw new StrataError('randint', `high (${high}) must be greater than low (${low})`);
  return random('randint', shape, { dtype: 'int32', ...opts }, (g) => g.int(low, high));
}

/** Zeros of `x`'s shape, dtype and backend unless `opts` says otherwise (`torch.zeros_like`). */
export function zerosLike(x: Tensor, opts: CreateOptions = {}): Tensor { return full(x.shape, 0, { dtype: x.dtype, backend: x.backend.name, ...opts }); }
/** Ones of `x`'s shape, dtype and backend unless `opts` says otherwise (`torch.ones_like`). */
export function onesLike(x: Tensor, opts: CreateOptions = {}): Tensor { return full(x.shape, 1, { dtype: x.dtype, backend: x.backend.name, ...opts }); }
/** `value` in `x`'s shape, dtype and backend unless `opts` says otherwise (`torch.full_like`). */
export function fullLike(x: Tensor, value: number, opts: CreateOptions = {}): Tensor { return full(x.shape, value, { dtype: x.dtype, backend: x.backend.name, ...opts }); }

/** Whether `x` is a `Tensor` (`torch.is_tensor`). */
export function isTensor(x: unknown): x is Tensor {
  return x instanceof Tensor;
}

/** Converts numbers and nested arrays to tensors; passes tensors through. */
export function asTensor(x: Tensor | Nested, dtype?: DType): Tensor {
  if (x instanceof Tensor) return dtype ? x.to(dtype) : x;
  return tensor(x, dtype && isDType(dtype) ? { dtype } : {});
}
