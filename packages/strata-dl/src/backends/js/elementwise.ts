// SPDX-License-Identifier: MIT
import { broadcastStrides, shapesEqual, sizeOf } from '../../core/shape.js';
import type { Kernel, View } from '../../backend/backend.js';
import type { TypedArray } from '../../core/dtype.js';
import type { BinaryPrim, ComparePrim, UnaryPrim } from '../../ir/prims.js';
import { arr } from './buf.js';
import { forEachOffset } from './iter.js';
import { floatsToInt32 } from '../../core/cast.js';
import { roundHalfEven } from '../../core/round.js';

type F1 = (x: number) => number;
type F2 = (a: number, b: number) => number;

/**
 * C's pow (PyTorch's): pow(1, y) = 1 and pow(-1, ±∞) = 1 for every y, NaN included, where
 * Math.pow gives NaN; everything else (pow(x, 0) = 1 for NaN x too) is Math.pow's.
 */
export const powC: F2 = (a, b) => (a === 1 || (a === -1 && (b === Infinity || b === -Infinity)) ? 1 : Math.pow(a, b));

const sigmoid: F1 = (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

export const UNARY_FNS: Record<UnaryPrim, F1> = {
  neg: (x) => -x,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  sigmoid,
  // x < 0 ? 0 : x, not x > 0 ? x : 0: NaN passes through and -0 stays -0, as torch.relu
  relu: (x) => (x < 0 ? 0 : x),
  abs: Math.abs,
  // sign(NaN) = 0, as torch.sign (pytorch/pytorch#41245: NumPy gives NaN, PyTorch keeps 0)
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0),
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfEven,
  trunc: Math.trunc,
  log1p: Math.log1p,
  expm1: Math.expm1,
  atan: Math.atan,
  log2: Math.log2,
  log10: Math.log10,
  asin: Math.asin,
  acos: Math.acos,
};

export const BINARY_FNS: Record<BinaryPrim | ComparePrim, F2> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: powC,
  // NOTE: NaN propagates through maximum/minimum as in PyTorch (Math.max does so too).
  maximum: Math.max,
  minimum: Math.min,
  // NaN in y passes g through, as PyTorch's threshold_backward (y <= 0 is false for NaN)
  reluGrad: (g, y) => (y <= 0 ? 0 : g),
  atan2: Math.atan2,
  // JavaScript's % on numbers is C's fmod, exact
  fmod: (a, b) => a % b,
  eq: (a, b) => +(a === b),
  ne: (a, b) => +(a !== b),
  lt: (a, b) => +(a < b),
  le: (a, b) => +(a <= b),
  gt: (a, b) => +(a > b),
  ge: (a, b) => +(a >= b),
};

export function unaryKernel<P extends UnaryPrim>(op: P): Kernel<P> {
  const f = UNARY_FNS[op];
  return (out, [x]) => {
    const o = arr(out);
    const a = arr(x);
    for (let i = 0; i < o.length; i++) o[i] = f(a[i]);
  };
}

type Loop = (o: TypedArray, a: TypedArray, b: TypedArray) => void;
/**
 * The same-shape loops of the commonest ops written out, so that the operation is inlined rather
 * than called through `f` per element (a call site shared by every op, which V8 cannot inline).
 * Each computes exactly what `BINARY_FNS` does: the same double arithmetic, the same store.
 */
const SAME_SHAPE: Partial<Record<BinaryPrim | ComparePrim, Loop>> = {
  add: (o, a, b) => { for (let i = 0; i < o.length; i++) o[i] = a[i] + b[i]; },
  sub: (o, a, b) => { for (let i = 0; i < o.length; i++) o[i] = a[i] - b[i]; },
  mul: (o, a, b) => { for (let i = 0; i < o.length; i++) o[i] = a[i] * b[i]; },
  div: (o, a, b) => { for (let i = 0; i < o.length; i++) o[i] = a[i] / b[i]; },
};

export function binaryKernel<P extends BinaryPrim | ComparePrim>(op: P): Kernel<P> {
  const f = BINARY_FNS[op];
  const same = SAME_SHAPE[op] ?? null;
  return (out, [x, y]) => binaryInto(out, x, y, f, same);
}

function binaryInto(out: View, x: View, y: View, f: F2, same: Loop | null): void {
  const o = arr(out);
  const a = arr(x);
  const b = arr(y);
  const n = o.length;
  if (shapesEqual(x.shape, out.shape) && shapesEqual(y.shape, out.shape)) {
    if (same !== null) same(o, a, b);
    else for (let i = 0; i < n; i++) o[i] = f(a[i], b[i]);
  } else if (sizeOf(y.shape) === 1 && shapesEqual(x.shape, out.shape)) {
    const s = b[0];
    for (let i = 0; i < n; i++) o[i] = f(a[i], s);
  } else if (sizeOf(x.shape) === 1 && shapesEqual(y.shape, out.shape)) {
    const s = a[0];
    for (let i = 0; i < n; i++) o[i] = f(s, b[i]);
  } else {
    const sa = broadcastStrides(x.shape, out.shape);
    const sb = broadcastStrides(y.shape, out.shape);
    forEachOffset(out.shape, [sa, sb], (i, [pa, pb]) => { o[i] = f(a[pa], b[pb]); });
  }
}

export const whereKernel: Kernel<'where'> = (out, [c, x, y]) => {
  const o = arr(out);
  const cc = arr(c);
  const a = arr(x);
  const b = arr(y);
  const strides = [c, x, y].map((v) => broadcastStrides(v.shape, out.shape));
  forEachOffset(out.shape, strides, (i, [pc, pa, pb]) => { o[i] = cc[pc] ? a[pa] : b[pb]; });
};

export const castKernel: Kernel<'cast'> = (out, [x], { dtype }) => {
  const o = arr(out);
  const a = arr(x);
  if (dtype === 'bool') for (let i = 0; i < o.length; i++) o[i] = a[i] !== 0 ? 1 : 0;
  else if (dtype === 'int32') floatsToInt32(a, o);
  else o.set(a);
};
