// SPDX-License-Identifier: MIT
// Smaller ops of ONNX (default domain, opsets 9–18) that other exporters and older models use:
// IsInf, Mod, Size, EyeLike, Shrink, Hardmax, LRN (AlexNet's and GoogLeNet's local response
// normalization), LpNormalization, GlobalLpPool and MeanVarianceNormalization, composed from
// Strata's ops so that gradients flow through them.
import { normAxis } from '../../core/shape.js';
import { where } from '../../tensor/composite.js';
import { tensor } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { HostInts, type OpContext, type OpImpl, type Value, as2d, dtypeOfProto, positionsAlong } from './values.js';

/** IsInf: +∞ and −∞ (either can be left out with detect_positive or detect_negative 0). */
function isInf(ctx: OpContext): Value[] {
  const x = ctx.tensor(0);
  const pos = ctx.int('detect_positive', 1) === 1, neg = ctx.int('detect_negative', 1) === 1;
  if (pos && neg) return [x.isinf()];
  if (pos) return [x.eq(Infinity)];
  if (neg) return [x.eq(-Infinity)];
  return [x.isinf().logicalAnd(x.isnan())]; // neither: all false
}

/**
 * Mod: the remainder with the divisor's sign (fmod 0: integers, Python's %, `remainder`) or with the
 * dividend's (fmod 1, C's fmod, `fmod`), exact either way; an integer zero divisor is an error.
 */
function mod(ctx: OpContext): Value[] {
  const a = ctx.input(0), b = ctx.input(1);
  const fmod = ctx.int('fmod', 0) === 1;
  if (a instanceof HostInts && b instanceof HostInts && a.values.length === 1 && b.values.length === 1) {
    const [p, q] = [a.values[0], b.values[0]];
    return [new HostInts(a.dims, [fmod ? p % q : p - Math.floor(p / q) * q])];
  }
  const x = ctx.tensor(0), y = ctx.tensor(1, x);
  return [(fmod ? x.fmod(y) : x.remainder(y)).to(x.dtype)];
}

/** LRN over channels: x / (bias + alpha/size · Σ x² over the `size` channels around each)^beta. */
function lrn(ctx: OpContext): Value[] {
  const x = ctx.tensor(0);
  const size = ctx.int('size', 0);
  if (x.ndim < 3 || !(size >= 1)) return ctx.fail(`needs an input [N, C, D1, ...] and a size >= 1, got rank ${x.ndim} and size ${size}`);
  const c = x.shape[1];
  const before = Math.floor((size - 1) / 2), after = Math.ceil((size - 1) / 2);
  const sq = x.square();
  let sum: Tensor | null = null;
  for (let k = -before; k <= after; k++) {
    // channel i + k (zero outside [0, C)), added in window order
    const lo = Math.max(0, -k), hi = Math.min(c, c - k);
    if (lo >= hi) continue;
    const part = sq.slice(1, lo + k, hi + k).pad([...new Array<number>(2 * (x.ndim - 2)).fill(0), lo, c - hi]);
    sum = sum ? sum.add(part) : part;
  }
  const scale = sum!.mul(ctx.float('alpha', 1e-4) / size).add(ctx.float('bias', 1)).pow(ctx.float('beta', 0.75));
  return [x.div(scale)];
}

/** Hardmax: 1 at the first largest element along `axis` (default -1 from opset 13, else 1 over the 2-D view), 0 elsewhere. */
function hardmax(ctx: OpContext): Value[] {
  const x = ctx.tensor(0);
  const legacy = ctx.opset < 13;
  const axis = normAxis('importOnnx Hardmax', ctx.int('axis', legacy ? 1 : -1), x.ndim);
  const v = legacy ? as2d(x, axis) : x;
  const a = legacy ? 1 : axis;
  return [v.argmax(a, true).eq(positionsAlong(v.shape[a], a, v.ndim, v.backend.name)).to(x.dtype).reshape(x.shape)];
}

/** Shrink: x − bias above lambd, x + bias below −lambd, else 0 (PyTorch's hardshrink and softshrink). */
function shrink(ctx: OpContext): Value[] {
  const x = ctx.tensor(0);
  const lambd = ctx.float('lambd', 0.5), bias = ctx.float('bias', 0);
  return [where(x.lt(-lambd), x.add(bias), where(x.gt(lambd), x.sub(bias), 0))];
}

/** The p-norm (1 or 2) along `axes`, kept. */
function pNorm(ctx: OpContext, x: Tensor, axes: number[]): Tensor {
  const p = ctx.int('p', 2);
  if (p !== 1 && p !== 2) return ctx.fail(`p ${p} is not supported (1 or 2)`);
  return x.norm(p, axes, true);
}

export const MISC_OPS: Record<string, OpImpl> = {
  IsInf: isInf,
  Mod: mod,
  Size: (ctx) => {
    const x = ctx.input(0);
    if (x === undefined) return ctx.fail('needs data');
    return [new HostInts([], [x instanceof HostInts ? x.values.length : x.size])];
  },
  EyeLike: (ctx) => {
    const x = ctx.tensor(0);
    if (x.ndim !== 2) return ctx.fail(`input must be 2-D, got rank ${x.ndim}`);
    const k = ctx.int('k', 0);
    const [n, m] = x.shape;
    const values = Array.from({ length: n * m }, (_, i) => ((i % m) - Math.floor(i / m) === k ? 1 : 0));
    const dtype = ctx.has('dtype') ? dtypeOfProto(ctx.int('dtype', 1)) : x.dtype;
    return [tensor(values, { shape: [n, m], dtype, backend: x.backend.name })];
  },
  Shrink: shrink,
  Hardmax: hardmax,
  LRN: lrn,
  LpNormalization: (ctx) => {
    const x = ctx.tensor(0);
    return [x.div(pNorm(ctx, x, [normAxis('importOnnx LpNormalization', ctx.int('axis', -1), x.ndim)]))];
  },
  GlobalLpPool: (ctx) => {
    const x = ctx.tensor(0);
    return [pNorm(ctx, x, Array.from({ length: x.ndim - 2 }, (_, i) => i + 2))];
  },
  // (x − E[x]) / (√(E[x²] − E[x]²) + 1e-9) over `axes` (default N, H, W): ONNX's function body
  MeanVarianceNormalization: (ctx) => {
    const x = ctx.tensor(0);
    const axes = ctx.intList('axes', [0, 2, 3]).map((a) => normAxis('importOnnx MeanVarianceNormalization', a, x.ndim));
    const mean = x.mean(axes, true);
    return [x.sub(mean).div(x.square().mean(axes, true).sub(mean.square()).sqrt().add(1e-9))];
  },
};
