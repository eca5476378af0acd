// SPDX-License-Identifier: MIT
// PyTorch's remainders and the log-domain and distance arithmetic composed on the primitives:
// `torch.fmod` and `torch.remainder` (on the exact fmod primitive), `logaddexp`, `logaddexp2`,
// `xlogy`, `hypot` and `logit`, each with PyTorch's values at ±0, ±∞ and NaN.
import { StrataError, fmtShape } from '../core/errors.js';
import { asFloat } from './math-ops.js';
import type { Tensor } from './tensor.js';
import { customOp } from './transforms.js';

/**
 * Two int32 tensors as float64 for an integer remainder, after refusing a zero divisor as PyTorch
 * does (C's integer % by zero is undefined): float64 holds every int32 exactly, so fmod there is the
 * integer remainder.
 */
function intOperands(op: string, a: Tensor, b: Tensor): [Tensor, Tensor] {
  if (b.eq(0).any().item()) throw new StrataError(op, `integer division by zero: the divisor ${b.dtype} ${fmtShape(b.shape)} holds a 0`);
  return [a.to('float64'), b.to('float64')];
}
const bothInt = (a: Tensor, b: Tensor): boolean => a.dtype === 'int32' && b.dtype === 'int32';
/** Where the remainder r is not 0 and its sign is not the divisor b's: where C's fmod and Python's % part. */
const signsDiffer = (r: Tensor, b: Tensor): Tensor => r.ne(0).logicalAnd(b.lt(0).ne(r.lt(0)));

/** a − trunc(a / b)·b, exactly, with a's sign (C's fmod): the `fmod` primitive; int32 stays int32. */
export function fmod(a: Tensor, b: Tensor): Tensor {
  if (bothInt(a, b)) {
    const [x, y] = intOperands('fmod', a, b);
    return x._p('fmod', [y], {}).to('int32');
  }
  return asFloat(a)._p('fmod', [asFloat(b)], {});
}

/**
 * a − floor(a / b)·b, with b's sign (Python's %): fmod, plus b where the two signs differ and the
 * remainder is not 0, as PyTorch computes it, so it is exact too. The gradient through b is
 * PyTorch's −floor(a / b), which fmod's −trunc(a / b) becomes where b is added; NaN where a is ±∞
 * (PyTorch's floor division goes through fmod(a, b), NaN there), from b·(a − a) with a held constant.
 */
export function remainder(a: Tensor, b: Tensor): Tensor {
  if (bothInt(a, b)) {
    const [x, y] = intOperands('remainder', a, b);
    return remainder(x, y).to('int32');
  }
  const x = asFloat(a), y = asFloat(b);
  const r = fmod(x, y);
  const v = r.add(y).where(signsDiffer(r, y), r);
  // (the value is NaN where a is ±∞ either way)
  const xc = x.detach();
  return v.where(x.isinf().logicalNot(), v.add(y.mul(xc.sub(xc))));
}

/** How a quotient is rounded to an integer: toward zero, or down (`torch.div`'s `rounding_mode`). */
export type RoundingMode = 'trunc' | 'floor';

/**
 * a / b rounded to an integer, as torch.div with a rounding mode: 'trunc' is trunc(a / b); 'floor'
 * is PyTorch's floor division, (a − fmod(a, b)) / b less 1 where the remainder's sign is not b's,
 * then rounded to the nearer integer (so exact where floor(a / b) would round a quotient up to the
 * next integer), with the zero's sign of a / b, and a / b itself where b is 0. Two int32 tensors
 * give int32 (exactly, through float64) and refuse a zero divisor. No gradient flows (PyTorch's is
 * 0), as for floor and trunc.
 */
export function divRounded(a: Tensor, b: Tensor, mode: RoundingMode): Tensor {
  if (mode !== 'trunc' && mode !== 'floor') throw new StrataError('div', `roundingMode must be 'trunc' or 'floor', got '${String(mode)}'`);
  if (bothInt(a, b)) {
    const [x, y] = intOperands('div', a, b);
    return divRounded(x, y, mode).to('int32');
  }
  const x = asFloat(a), y = asFloat(b);
  const q = x.div(y);
  if (mode === 'trunc') return q.trunc();
  const mod = fmod(x, y);
  let d = x.sub(mod).div(y);
  d = d.sub(1).where(signsDiffer(mod, y), d);
  let f = d.floor();
  f = f.add(1).where(d.sub(f).gt(0.5), f);
  // (q·0: a zero with q's sign, for a quotient below 1 in size)
  return f.where(d.ne(0), q.mul(0)).where(y.ne(0), q);
}

/**
 * log(eᵃ + eᵇ) without overflow: max(a, b) + log1p(e^−|a − b|), and a itself where a = b = ±∞
 * (where a − b is NaN), as torch.logaddexp. Its gradient is PyTorch's 1 / (1 + e^(b − a)): the
 * maximum's share of 1 or ½ at a tie, plus the log1p term's.
 */
export function logaddexp(a: Tensor, b: Tensor): Tensor {
  const x = asFloat(a), y = asFloat(b);
  return same(x, y, x.maximum(y).add(x.sub(y).abs().neg().exp().log1p()));
}

/** log₂(2ᵃ + 2ᵇ) without overflow: max(a, b) + log1p(2^−|a − b|) / ln 2, as torch.logaddexp2. */
export function logaddexp2(a: Tensor, b: Tensor): Tensor {
  const x = asFloat(a), y = asFloat(b);
  const d = x.sub(y).abs().neg();
  return same(x, y, x.maximum(y).add(d._lift(2).pow(d).log1p().mul(1 / Math.LN2)));
}

/** `v`, but a where a = b = ±∞ (logaddexp's inf − inf). */
const same = (a: Tensor, b: Tensor, v: Tensor): Tensor => a.where(a.isinf().logicalAnd(a.eq(b)), v);

/** x·log(y) with 0 where x = 0 (unless y is NaN), differentiated as composed: xlogy's value, and its gradients' own. */
function xlogyValue(x: Tensor, y: Tensor): Tensor {
  const keep = x.ne(0).logicalOr(y.isnan());
  return x.mul(y.log()).where(keep, 0);
}
/** xlogy(t, y), 0 where x = 0 and y <= 0: PyTorch's derivative through x, applied to t. */
const xlogyDx = (t: Tensor, x: Tensor, y: Tensor): Tensor => xlogyValue(t, y).where(x.eq(0).logicalAnd(y.le(0)).logicalNot(), 0);

/**
 * x·log(y), but 0 where x = 0 (even where log y is ±∞) and NaN where y is NaN, as torch.xlogy,
 * with PyTorch's gradients: xlogy(g, y) through x (0 where x = 0 and y <= 0) and g·x / y through y.
 */
export function xlogy(a: Tensor, b: Tensor): Tensor {
  const op = customOp({
    name: 'xlogy',
    forward: xlogyValue,
    backward: (g, { inputs: [x, y], needs }) => [needs[0] ? xlogyDx(g, x, y) : null, needs[1] ? g.mul(x).div(y) : null],
    jvp: ([tx, ty], { inputs: [x, y] }) => {
      const dx = tx ? xlogyDx(tx, x, y) : null;
      const dy = ty ? ty.mul(x).div(y) : null;
      return dx && dy ? dx.add(dy) : (dx ?? dy ?? x.zerosLike());
    },
  });
  return op(asFloat(a), asFloat(b));
}

/**
 * √(a² + b²) without overflow or underflow in the squares, and +∞ where either is infinite (even
 * beside NaN), as C's hypot and torch.hypot. Computed as s·√((a/s)² + (b/s)²) for s the power of
 * two at or below max(|a|, |b|) (so the scalings are exact), held constant (1 where the maximum is
 * 0, ∞ or NaN): the same function for any s, so its derivatives of every order are PyTorch's
 * a / hypot and b / hypot, NaN at the origin (0/0) as there.
 */
export function hypot(a: Tensor, b: Tensor): Tensor {
  const x = asFloat(a), y = asFloat(b);
  const ax = x.abs(), ay = y.abs();
  const m = ax.maximum(ay).detach();
  const ok = m.gt(0).logicalAnd(m.isfinite());
  const s = m._lift(2).pow(m.where(ok, 1).log2().floor());
  const h = x.div(s).square().add(y.div(s).square()).sqrt().mul(s);
  return h.where(ax.isinf().logicalOr(ay.isinf()).logicalNot(), Infinity);
}

/**
 * log(x / (1 − x)), the inverse of the sigmoid, as torch.logit: ±∞ at 1 and 0, NaN outside [0, 1];
 * with `eps`, x is clamped to [eps, 1 − eps] first. The gradient is PyTorch's: 1 / (x(1 − x)),
 * NaN outside [0, 1], or 0 outside [eps, 1 − eps].
 */
export function logit(x: Tensor, eps?: number): Tensor {
  // the slope 1 / (x(1 − x)) inside [lo, hi] (or at NaN), PyTorch's logit_backward's value outside
  const [lo, hi, outside] = eps === undefined ? [0, 1, NaN] : [eps, 1 - eps, 0];
  const slope = (v: Tensor): Tensor => v.mul(v.neg().add(1)).reciprocal().where(v.ge(lo).logicalAnd(v.le(hi)).logicalOr(v.isnan()), outside);
  const op = customOp({
    name: 'logit',
    forward: (v) => {
      const c = eps === undefined ? v : v.clamp(lo, hi);
      return c.log().sub(c.neg().log1p());
    },
    backward: (g, { inputs: [v] }) => [g.mul(slope(v))],
    jvp: ([t], { inputs: [v] }) => (t ?? v.zerosLike()).mul(slope(v)),
  });
  return op(asFloat(x));
}
