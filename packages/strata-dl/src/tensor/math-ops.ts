// SPDX-License-Identifier: MIT
// Elementwise maths composed from primitives (the rounding, log1p/expm1 and inverse trigonometric
// primitives are in ir/elementwise.ts), and the logical ops and their reductions, PyTorch's
// `torch.tan`, `rsqrt`, `frac`, `round(decimals)`, `logical_*`, `any` and `all`.
import { isFloat } from '../core/dtype.js';
import type { Tensor } from './tensor.js';

/** An integer input as float32 (PyTorch's integer-to-float promotion for these ops); floats as they are. */
const asFloat = (x: Tensor): Tensor => (isFloat(x.dtype) ? x : x.to('float32'));

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
