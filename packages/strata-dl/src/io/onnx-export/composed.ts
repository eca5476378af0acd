// SPDX-License-Identifier: MIT
// Elementwise primitives that ONNX has no operator for, as short compositions of its operators. The
// obvious formulas lose what these primitives exist for: log(1 + x) is 0 for |x| below half an ulp of
// 1, where log1p(x) is x, and log(x) / ln 2 is not exactly −125 at 2⁻¹²⁵. So each one uses a form
// that keeps the primitive's accuracy (a few ulps) and its special values (±0, ±∞, NaN) as Strata
// computes them.
import type { GraphBuilder } from './graph.js';

/** The primitives lowered here. */
export const COMPOSED: ReadonlySet<string> = new Set(['log1p', 'expm1', 'trunc', 'log2', 'log10', 'atan2']);

/** Emits `op` (one of COMPOSED) on the float32 input names `x` and returns the output's name. */
export function lowerComposed(g: GraphBuilder, op: string, x: readonly string[]): string {
  const c = (v: number): string => g.float32(v);
  const n = (opType: string, ...inputs: string[]): string => g.node(opType, inputs);
  const where = (cond: string, a: string, b: string): string => n('Where', cond, a, b);
  const [a] = x;
  switch (op) {
    case 'trunc': return where(n('Less', a, c(0)), n('Ceil', a), n('Floor', a)); // exact; −0 stays −0
    case 'log1p': {
      // Goldberg: with u = 1 + x rounded, log(u) · x / (u − 1) is log1p(x) to a few ulps. u = 1 means
      // x is below half an ulp of 1 (log1p(x) = x); u = x means 1 is below half an ulp of x, ∞ included.
      const u = n('Add', a, c(1));
      const r = n('Mul', n('Log', u), n('Div', a, n('Sub', u, c(1))));
      return where(n('Equal', u, c(1)), a, where(n('Equal', u, a), n('Log', u), r));
    }
    case 'expm1': {
      // Kahan: with u = eˣ rounded, (u − 1) · x / log(u) is expm1(x) to a few ulps. u = 1: expm1(x) = x;
      // u − 1 = −1 (x ≤ −17 in float32, −∞ included): −1; u − 1 = u (u ≥ 2²⁴, ∞ included): u.
      const u = n('Exp', a);
      const d = n('Sub', u, c(1));
      const r = n('Mul', d, n('Div', a, n('Log', u)));
      return where(n('Equal', u, c(1)), a, where(n('Equal', d, c(-1)), c(-1), where(n('Equal', d, u), u, r)));
    }
    case 'log2': case 'log10': {
      // log(x) / ln b, replaced by the nearest integer k where bᵏ is x (exact powers of the base,
      // 0 and ∞ included, as Strata's own log2 and log10)
      const base = op === 'log2' ? 2 : 10;
      const r = n('Mul', n('Log', a), c(1 / Math.log(base)));
      const k = n('Round', r);
      return where(n('Equal', n('Pow', c(base), k), a), k, r);
    }
    case 'atan2': {
      // atan(y / x), moved by ±π to the left half-plane (x < 0 or x = −0, by the sign of y, −0
      // included), as C's atan2. Where y / x has no sign to give (both zero) x becomes ±1, and where
      // it has no value (both infinite) both become ±1: atan2(±0, −0) = ±π, atan2(±∞, −∞) = ±3π/4.
      const [y, xx] = x;
      const signBit = (v: string): string => n('Or', n('Less', v, c(0)), n('Less', n('Div', c(1), v), c(0)));
      const negX = signBit(xx);
      const bothInf = n('And', n('IsInf', y), n('IsInf', xx));
      const bothZero = n('And', n('Equal', y, c(0)), n('Equal', xx, c(0)));
      const y1 = where(bothInf, n('Sign', y), y);
      const x1 = where(n('Or', bothInf, bothZero), where(negX, c(-1), c(1)), xx);
      const t = n('Atan', n('Div', y1, x1));
      return where(negX, where(signBit(y), n('Sub', t, c(Math.PI)), n('Add', t, c(Math.PI))), t);
    }
    default:
      throw new Error(`unreachable: ${op} is not in COMPOSED`);
  }
}
