// SPDX-License-Identifier: MIT
// Elementwise maths composed from primitives (the rounding, log1p/expm1 and inverse trigonometric
// primitives are in ir/elementwise.ts), and the logical ops and their reductions, PyTorch's
// `torch.tan`, `rsqrt`, `frac`, `round(decimals)`, the hyperbolic functions, `logical_*`, `any`
// and `all`.
import { isFloat } from '../core/dtype.js';
import type { Tensor } from './tensor.js';

/** An integer input as float32 (PyTorch's integer-to-float promotion for these ops); floats as they are. */
export const asFloat = (x: Tensor): Tensor => (isFloat(x.dtype) ? x : x.to('float32'));

/** sin(x) / cos(x); its gradient, 1/cos²(x), follows from the two. */
export const tan = (x: Tensor): Tensor => {
  const f = asFloat(x);
  return f.sin().div(f.cos());
};

/** 2ˣ as pow(2, x), exact at integers (integers promoted, as torch.exp2 does). */
export const exp2 = (x: Tensor): Tensor => {
  const f = asFloat(x);
  return f._lift(2).pow(f);
};

/** atan2 of `y` and `x` (integers promoted to float32, as torch.atan2 does). */
export const atan2 = (y: Tensor, x: Tensor): Tensor => asFloat(y)._p('atan2', [asFloat(x)], {});

/** 1 / √x, as torch.rsqrt computes it (so rsqrt(0) = ∞ and rsqrt(-1) = NaN). */
export const rsqrt = (x: Tensor): Tensor => asFloat(x).sqrt().reciprocal();

/** x − trunc(x), the fractional part with x's sign (NaN for ±∞, as torch.frac); gradient 1. */
export const frac = (x: Tensor): Tensor => x.sub(x.trunc());

/**
 * Rounds half to even at `decimals` decimal places, as torch.round: x·10ᵈ rounded, divided by 10ᵈ
 * (d < 0 rounds to tens, hundreds: x / 10⁻ᵈ rounded, times 10⁻ᵈ).
 */
export function roundTo(x: Tensor, decimals: number): Tensor {
  if (decimals === 0) return x.round();
  const f = asFloat(x);
  const p = 10 ** Math.abs(decimals);
  return decimals > 0 ? f.mul(p).round().div(p) : f.div(p).round().mul(p);
}

// The hyperbolic functions. Where a formula has two forms (small and large arguments), each form
// gets an input that is safe for it where the other form is taken (0, 1 or 2), so that the unused
// form's gradient, multiplied by zero, never makes NaN from an infinity.

/** |x| from which asinh and acosh are ln(2|x|): the rest of the series, 1/(4x²), is below float64's ulp. */
const LARGE = 2 ** 28;

/**
 * e^(±x) / 2 as h·(h/2) with h = e^(±x/2): x/2 and h/2 are exact, so it is as accurate as exp, and
 * it overflows exactly where e^|x| / 2 does (e^x / 2 would overflow where e^x does, earlier).
 */
const halfExp = (x: Tensor): Tensor => {
  const h = x.div(2).exp();
  return h.mul(h.div(2));
};

/**
 * sinh: (expm1(x) − expm1(−x)) / 2 for |x| < 1 (no cancellation: the two have opposite signs), else
 * e^x / 2 − e^−x / 2 (halfExp).
 */
export const sinh = (x: Tensor): Tensor => {
  const f = asFloat(x);
  const small = f.abs().lt(1);
  const xs = f.where(small, 0), xl = f.where(small.logicalNot(), 1);
  const near = xs.expm1().sub(xs.neg().expm1()).div(2);
  return near.where(small, halfExp(xl).sub(halfExp(xl.neg())));
};

/** cosh: e^x / 2 + e^−x / 2 (halfExp), a sum of positives. */
export const cosh = (x: Tensor): Tensor => {
  const f = asFloat(x);
  return halfExp(f).add(halfExp(f.neg()));
};

/**
 * asinh, odd: for a = |x| (its sign kept apart, so the gradient at 0 is 1), log1p(a + a² / (1 +
 * √(1 + a²))) below LARGE and ln a + ln 2 from there (a² would overflow float32 from 2⁶⁴).
 */
export const asinh = (x: Tensor): Tensor => {
  const f = asFloat(x);
  const neg = f.lt(0);
  const a = f.neg().where(neg, f);
  const small = a.lt(LARGE);
  const as = a.where(small, 0), al = a.where(small.logicalNot(), LARGE);
  // a·(1 + a / (1 + √(1 + a²))) = a + a² / (1 + √(1 + a²)), written so that −0 stays −0
  const r = as.mul(as.div(as.square().add(1).sqrt().add(1)).add(1)).log1p().where(small, al.log().add(Math.LN2));
  return r.neg().where(neg, r);
};

/**
 * acosh: log1p((x − 1) + √((x − 1)(x + 1))) below LARGE, ln x + ln 2 from there; NaN below 1. The
 * root is √(x − 1)·√(x + 1) from 1 on and √(1 − x)·√(−1 − x) below, so that its infinite slope at
 * ±1 meets no zero factor: the gradient is PyTorch's 1/√(x² − 1), +∞ at ±1, and finite below −1
 * where the value is NaN.
 */
export const acosh = (x: Tensor): Tensor => {
  const f = asFloat(x);
  const small = f.lt(LARGE);
  // 2 and −2 where the other form is taken: the near forms' gradients are infinite at ±1
  const xs = f.where(small, 2), xl = f.where(small.logicalNot(), LARGE);
  const on = xs.ge(1);
  const xa = xs.where(on, 2), xb = xs.where(on.logicalNot(), -2);
  const ma = xa.sub(1), mb = xb.sub(1);
  // (−x − 1, not −(x + 1): +0 at −1, where a −0 would turn the slope to −∞)
  const u = ma.add(ma.sqrt().mul(xa.add(1).sqrt())).where(on, mb.add(mb.neg().sqrt().mul(xb.neg().sub(1).sqrt())));
  return u.log1p().where(small, xl.log().add(Math.LN2));
};

/** atanh: (log1p(x) − log1p(−x)) / 2; ±∞ at ±1 with an infinite gradient there, NaN beyond. */
export const atanh = (x: Tensor): Tensor => {
  const f = asFloat(x);
  return f.log1p().sub(f.neg().log1p()).div(2);
};

/** x ≠ 0 as bool (NaN counts as true, as in PyTorch); a bool tensor as it is. */
const truth = (x: Tensor): Tensor => (x.dtype === 'bool' ? x : x.ne(0));
const constant = (like: Tensor, v: boolean): Tensor => like._make([+v], [], 'bool');

/** True where x is 0 (torch.logical_not). */
export const logicalNot = (x: Tensor): Tensor => x.eq(0);
/** True where both are non-zero, broadcasting (torch.logical_and). */
export const logicalAnd = (a: Tensor, b: Tensor): Tensor => truth(b).where(truth(a), constant(a, false));
/** True where either is non-zero, broadcasting (torch.logical_or). */
export const logicalOr = (a: Tensor, b: Tensor): Tensor => constant(a, true).where(truth(a), truth(b));
/** True where exactly one is non-zero, broadcasting (torch.logical_xor). */
export const logicalXor = (a: Tensor, b: Tensor): Tensor => truth(a).ne(truth(b));

/** Whether any element along `axis` (all when omitted) is non-zero; false for none (torch.any). */
export const any = (x: Tensor, axis: number | number[] | undefined, keepdim: boolean): Tensor =>
  truth(x).to('int32').sum(axis, keepdim).gt(0);
/** Whether every element along `axis` (all when omitted) is non-zero; true for none (torch.all). */
export const all = (x: Tensor, axis: number | number[] | undefined, keepdim: boolean): Tensor =>
  logicalNot(x).to('int32').sum(axis, keepdim).eq(0);
