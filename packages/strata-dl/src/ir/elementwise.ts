// SPDX-License-Identifier: MIT
// Elementwise primitives: unary, binary (broadcasting), comparisons, where and cast.
import { bind } from './bind.js';
import { type DType, isFloat, promote } from '../core/dtype.js';
import { StrataError, fmtShape } from '../core/errors.js';
import { broadcastShapes, shapesEqual } from '../core/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Empty } from './prims.js';
import { reluGradOf } from './relu-masked.js';
import type { Cost, JvpRule, Meta, OutMeta, PrimRecord, Records, VjpRule } from './record.js';

/** Elementwise unary: float in, same dtype out (those marked `intOk` also on int32). */
export interface UnaryAttrs {
  neg: Empty; exp: Empty; log: Empty; sqrt: Empty; sin: Empty; cos: Empty;
  tanh: Empty; sigmoid: Empty; relu: Empty; abs: Empty; sign: Empty;
  floor: Empty; ceil: Empty; round: Empty; trunc: Empty; log1p: Empty; expm1: Empty; atan: Empty; asin: Empty; acos: Empty;
  log2: Empty; log10: Empty;
}
/** Elementwise binary with broadcasting. */
export interface BinaryAttrs {
  add: Empty; sub: Empty; mul: Empty; div: Empty; pow: Empty; maximum: Empty; minimum: Empty;
  // ReLU's backward, PyTorch's threshold_backward at 0: reluGrad(g, y) = y <= 0 ? 0 : g (one pass
  // instead of g·sign(y), two)
  reluGrad: Empty;
  // atan2(a, b): the angle of the point (b, a), as C's atan2 (signed zeros and infinities included)
  atan2: Empty;
  // fmod(a, b): a − trunc(a / b)·b computed exactly, with a's sign (C's fmod, torch.fmod)
  fmod: Empty;
}
/** Comparisons: broadcasting, bool out. */
export interface CompareAttrs { eq: Empty; ne: Empty; lt: Empty; le: Empty; gt: Empty; ge: Empty }
/** Selection and conversion. */
export interface SelectAttrs { where: Empty; cast: { dtype: DType } }

export type UnaryPrim = keyof UnaryAttrs;
export type BinaryPrim = keyof BinaryAttrs;
export type ComparePrim = keyof CompareAttrs;

function unaryShape(prim: string, intOk: boolean): (ins: readonly Meta[]) => OutMeta {
  return ([x]) => {
    if (!isFloat(x.dtype) && !(intOk && x.dtype === 'int32')) {
      throw new StrataError(prim, `expects a floating-point tensor, got ${x.dtype} ${fmtShape(x.shape)}`);
    }
    return { shape: x.shape, dtype: x.dtype };
  };
}
const binaryShape = (prim: string) => (ins: readonly Meta[]): OutMeta => {
  const a = ins[0].shape, b = ins[1].shape;
  const shape = shapesEqual(a, b) ? a : broadcastShapes(prim, a, b);
  const dtype = promote(ins[0].dtype, ins[1].dtype);
  if (dtype === 'bool') throw new StrataError(prim, 'arithmetic on two bool tensors; cast one to int32 or float32 first');
  return { shape, dtype };
};
/** A binary op defined on floats only (atan2): the promoted dtype must be a float. */
const floatBinaryShape = (prim: string) => (ins: readonly Meta[]): OutMeta => {
  const out = binaryShape(prim)(ins);
  if (!isFloat(out.dtype)) throw new StrataError(prim, `expects floating-point tensors, got ${ins[0].dtype} ${fmtShape(ins[0].shape)} and ${ins[1].dtype} ${fmtShape(ins[1].shape)}`);
  return out;
};
const compareShape = (prim: string) => (ins: readonly Meta[]): OutMeta => ({ shape: broadcastShapes(prim, ins[0].shape, ins[1].shape), dtype: 'bool' });

/** A differentiable unary record: `f` gives both rules (the VJP's and the JVP's factor are one). */
const unary = <P extends UnaryPrim>(prim: P, f: (g: Tensor, x: Tensor, out: Tensor) => Tensor, flags: { intOk?: boolean; cost?: Cost; domain?: readonly [number, number] } = {}): PrimRecord<P> => ({
  shape: unaryShape(prim, flags.intOk ?? false), intOk: flags.intOk, cost: flags.cost ?? 'light', domain: flags.domain, differentiable: true as const,
  vjp: ((g, [x], out) => [f(g, x, out)]) as VjpRule<P>,
  jvp: (([t], [x], out) => (t ? f(t, x, out) : null)) as JvpRule<P>,
});

export const UNARY_RECORDS: Records<UnaryAttrs> = {
  neg: unary('neg', (g) => g.neg(), { intOk: true }),
  exp: unary('exp', (g, _x, out) => g.mul(out), { cost: 'heavy', domain: [-30, 30] }),
  log: unary('log', (g, x) => g.div(x), { cost: 'heavy', domain: [-0.5, 50] }),
  sqrt: unary('sqrt', (g, _x, out) => g.div(out.mul(2)), { domain: [-0.5, 50] }),
  sin: unary('sin', (g, x) => g.mul(x.cos()), { cost: 'heavy' }),
  cos: unary('cos', (g, x) => g.mul(x.sin()).neg(), { cost: 'heavy' }),
  tanh: unary('tanh', (g, _x, out) => g.mul(out.mul(out).neg().add(1)), { cost: 'heavy', domain: [-30, 30] }),
  sigmoid: unary('sigmoid', (g, _x, out) => g.mul(out.mul(out.neg().add(1))), { cost: 'heavy', domain: [-30, 30] }),
  // g where relu(x) > 0: one pass (reluGrad) instead of g·sign(relu(x)), two
  relu: unary('relu', (g, _x, out) => reluGradOf(g, out), { intOk: true }),
  abs: unary('abs', (g, x) => g.mul(x.sign()), { intOk: true }),
  // a step function: zero gradient almost everywhere
  sign: { shape: unaryShape('sign', true), intOk: true, cost: 'light', differentiable: false },
  // Rounding (round: half to even, as torch.round): steps, so no gradient, as sign. On int32 the
  // identity, as PyTorch's on integer tensors.
  floor: { shape: unaryShape('floor', true), intOk: true, cost: 'light', differentiable: false },
  ceil: { shape: unaryShape('ceil', true), intOk: true, cost: 'light', differentiable: false },
  round: { shape: unaryShape('round', true), intOk: true, cost: 'light', differentiable: false },
  trunc: { shape: unaryShape('trunc', true), intOk: true, cost: 'light', differentiable: false },
  // log(1 + x) and eˣ − 1 accurate near 0, where the composed forms lose every digit
  log1p: unary('log1p', (g, x) => g.div(x.add(1)), { cost: 'heavy', domain: [-1.5, 50] }),
  expm1: unary('expm1', (g, _x, out) => g.mul(out.add(1)), { cost: 'heavy', domain: [-30, 30] }),
  // exact at powers of the base, which log(x) / ln b is not in float32 (log2(2⁻¹²⁵) ≠ -125)
  log2: unary('log2', (g, x) => g.div(x.mul(Math.LN2)), { cost: 'heavy', domain: [-0.5, 50] }),
  log10: unary('log10', (g, x) => g.div(x.mul(Math.LN10)), { cost: 'heavy', domain: [-0.5, 50] }),
  atan: unary('atan', (g, x) => g.div(x.mul(x).add(1)), { cost: 'heavy' }),
  // 1/√(1 − x²), written (1 − x)(1 + x) so that it stays accurate near ±1 (∞ at ±1, as PyTorch's)
  asin: unary('asin', (g, x) => g.div(x.neg().add(1).mul(x.add(1)).sqrt()), { cost: 'heavy', domain: [-1.2, 1.2] }),
  acos: unary('acos', (g, x) => g.div(x.neg().add(1).mul(x.add(1)).sqrt()).neg(), { cost: 'heavy', domain: [-1.2, 1.2] }),
};

/** Adds tangent terms, treating null as zero. */
export function plus(...terms: (Tensor | null)[]): Tensor | null {
  let acc: Tensor | null = null;
  for (const t of terms) if (t) acc = acc ? acc.add(t) : t;
  return acc;
}

/**
 * The tangent of a product with a bias and ReLU epilogue (conv, matmul): `t`, the sum of the terms'
 * tangents, expanded to `out`'s shape where it is the bias's alone, then passed through ReLU's
 * derivative at `out` when `relu`.
 */
export function epilogueTangent(t: Tensor | null, out: Tensor, relu: boolean | undefined): Tensor | null {
  if (t && !shapesEqual(t.shape, out.shape)) t = bind('expand', [t], { shape: [...out.shape] });
  return t && relu ? bind('reluGrad', [t, out], {}) : t;
}
/**
 * The share of maximum's gradient that goes to `a`: 0 where a < b, 0.5 at ties, 1 elsewhere, NaN
 * included (PyTorch's maximum backward: where(a == b, g/2, g) with 0 where a < b, so a NaN on
 * either side passes all of g to both inputs).
 */
const share = (a: Tensor, b: Tensor): Tensor => a.lt(b).add(a.eq(b).mul(0.5)).to(a.dtype).neg().add(1);
const powDb = (g: Tensor, a: Tensor, b: Tensor, out: Tensor): Tensor => {
  // d(a^b)/db = a^b·log a; where a == 0 and b >= 0 it is 0 (PyTorch's pow_backward_exponent), so
  // log(0) = -∞ is kept out of 0·(-∞); for b < 0 it stays a^b·log a = ∞·(-∞) = -∞, as PyTorch.
  // log(1) = 0 stands in there; out is 0 or 1, so the product is 0
  const zero = a.eq(0).to(a.dtype).mul(b.ge(0)).to('bool');
  return g.mul(out).mul(a.onesLike().where(zero, a).log());
};
/** d(a^b)/da = b·a^(b-1), and 0 where b == 0 (PyTorch's pow_backward_self: NaN·0 for a = 0 or NaN). */
const powDa = (g: Tensor, a: Tensor, b: Tensor): Tensor => g.mul(b.mul(a.pow(b.sub(1))).where(b.ne(0), 0));

/**
 * A differentiable binary record from the partial terms: `da(g, a, b, out)` is the gradient (and,
 * applied to a tangent, the tangent term) through a, `db` through b. Broadcast gradients are summed
 * back to the inputs' shapes by the engine.
 */
type Term = (g: Tensor, a: Tensor, b: Tensor, out: Tensor) => Tensor;
const binary = <P extends BinaryPrim>(prim: P, da: Term, db: Term | null, cost: Cost = 'light', domain?: readonly [number, number], floatOnly = false): PrimRecord<P> => ({
  shape: floatOnly ? floatBinaryShape(prim) : binaryShape(prim), intOk: !floatOnly, cost, domain, differentiable: true as const,
  vjp: ((g, [a, b], out, _at, n) => [n[0] ? da(g, a, b, out) : null, n[1] && db ? db(g, a, b, out) : null]) as VjpRule<P>,
  jvp: (([ta, tb], [a, b], out) => plus(ta && da(ta, a, b, out), tb && db ? db(tb, a, b, out) : null)) as JvpRule<P>,
});

export const BINARY_RECORDS: Records<BinaryAttrs> = {
  add: binary('add', (g) => g, (g) => g),
  sub: binary('sub', (g) => g, (g) => g.neg()),
  mul: binary('mul', (g, _a, b) => g.mul(b), (g, a) => g.mul(a)),
  div: binary('div', (g, _a, b) => g.div(b), (g, _a, b, out) => g.mul(out).div(b).neg()),
  pow: binary('pow', (g, a, b) => powDa(g, a, b), (g, a, b, out) => powDb(g, a, b, out), 'heavy', [0.1, 3]),
  maximum: binary('maximum', (g, a, b) => g.mul(share(a, b)), (g, a, b) => g.mul(share(b, a))),
  minimum: binary('minimum', (g, a, b) => g.mul(share(b, a)), (g, a, b) => g.mul(share(a, b))),
  // a step function of y: no gradient into y (zero almost everywhere), as for sign
  reluGrad: binary('reluGrad', (g, _a, b) => bind('reluGrad', [g, b], {}), null),
  // d/da = b / (a² + b²), d/db = −a / (a² + b²): PyTorch's atan2_backward (NaN at the origin, as there)
  atan2: binary('atan2', (g, a, b) => g.mul(b).div(a.mul(a).add(b.mul(b))), (g, a, b) => g.mul(a).div(a.mul(a).add(b.mul(b))).neg(), 'heavy', undefined, true),
  // d/da = 1, d/db = −trunc(a / b): PyTorch's fmod backward (float only: integers go through
  // float64 in the method, which refuses a zero divisor as PyTorch does)
  fmod: binary('fmod', (g) => g, (g, a, b) => g.mul(a.div(b).trunc()).neg(), 'light', [0.5, 3], true),
};

const compare = <P extends ComparePrim>(prim: P): PrimRecord<P> => ({ shape: compareShape(prim), cost: 'light' as const, differentiable: false as const });
export const COMPARE_RECORDS: Records<CompareAttrs> = {
  eq: compare('eq'), ne: compare('ne'), lt: compare('lt'), le: compare('le'), gt: compare('gt'), ge: compare('ge'),
};

export const SELECT_RECORDS: Records<SelectAttrs> = {
  where: {
    shape: (ins) => {
      if (ins[0].dtype !== 'bool') throw new StrataError('where', `condition must be bool, got ${ins[0].dtype}`);
      return { shape: broadcastShapes('where', ins[0].shape, ins[1].shape, ins[2].shape), dtype: promote(ins[1].dtype, ins[2].dtype) };
    },
    cost: 'light',
    differentiable: true,
    vjp: (g, [c], _o, _at, n) => {
      const z = g.zerosLike();
      return [null, n[1] ? g.where(c, z) : null, n[2] ? z.where(c, g) : null];
    },
    jvp: ([, ta, tb], [c, a, b]) => (ta || tb ? (ta ?? a.zerosLike()).where(c, tb ?? b.zerosLike()) : null),
  },
  cast: {
    shape: ([x], { dtype }) => ({ shape: [...x.shape], dtype }),
    cost: 'light',
    differentiable: true,
    vjp: (g, [x]) => [isFloat(x.dtype) ? g.to(x.dtype) : null],
    jvp: ([t], _i, out) => (t && isFloat(out.dtype) ? t.to(out.dtype) : null),
  },
};
