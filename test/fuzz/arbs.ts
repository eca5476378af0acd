// SPDX-License-Identifier: MIT
// Random shapes, dtypes, values and attributes for the differential fuzzer.
import fc from 'fast-check';
import type { DT, TS } from './harness.js';

export const FLOAT: DT[] = ['float32', 'float64'];
export const NUM: DT[] = ['float32', 'float64', 'int32'];
export const ALL: DT[] = ['float32', 'float64', 'int32', 'bool'];

/** Value domains: 'any' [-3, 3]; 'pos' > 0; 'nonzero' away from 0; 'unit' inside (0, 1). */
export type Dom = 'any' | 'pos' | 'nonzero' | 'unit';

/**
 * A dimension: usually 1-4, sometimes 0 (empty tensors), now and then 5-40 so that the wasm kernels'
 * SIMD loops, their tails and the blocked GEMM paths run too.
 */
export const dim = fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 7, arbitrary: fc.integer({ min: 1, max: 4 }) }, { weight: 1, arbitrary: fc.integer({ min: 5, max: 40 }) });
/** Big dims shrink until the shape has at most `max` elements. */
const capped = (s: number[], max: number): number[] => {
  const out = [...s];
  while (out.reduce((a, b) => a * b, 1) > max) out[out.indexOf(Math.max(...out))] = Math.min(4, Math.max(...out) - 1);
  return out;
};
/**
 * A shape of rank `minRank` to `maxRank` with at most `maxSize` elements: 5,000 by default, so that
 * the js reference with gradients stays quick. Ops whose cost grows with the square of the input
 * (jacobian, hessian: one sweep per element, each over every element) take a smaller cap.
 */
export const shape = (minRank = 0, maxRank = 4, maxSize = 5000): fc.Arbitrary<number[]> =>
  fc.array(dim, { minLength: minRank, maxLength: maxRank }).map((s) => capped(s, maxSize));
export const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

export function value(dtype: DT, dom: Dom): fc.Arbitrary<number> {
  if (dtype === 'bool') return dom === 'any' ? fc.integer({ min: 0, max: 1 }) : fc.constant(1);
  if (dtype === 'int32') {
    if (dom === 'pos' || dom === 'unit') return fc.integer({ min: 1, max: 5 });
    if (dom === 'nonzero') return fc.integer({ min: 1, max: 5 }).chain((v) => fc.constantFrom(v, -v));
    return fc.integer({ min: -5, max: 5 });
  }
  // Hundredths, so ties (max, argmax, relu at 0) happen often enough to be tested.
  const h = (lo: number, hi: number): fc.Arbitrary<number> => fc.integer({ min: lo, max: hi }).map((v) => v / 100);
  if (dom === 'pos') return h(5, 300);
  if (dom === 'unit') return h(2, 98);
  if (dom === 'nonzero') return h(5, 300).chain((v) => fc.constantFrom(v, -v));
  return h(-300, 300);
}

export function tsOf(s: readonly number[], dtype: DT, dom: Dom = 'any'): fc.Arbitrary<TS> {
  const n = size(s);
  return fc.array(value(dtype, dom), { minLength: n, maxLength: n }).map((values): TS => ({ t: true, shape: [...s], dtype, values }));
}

/** A tensor spec of a random shape (from `shapes`) and one of `dtypes`. */
export function ts(shapes: fc.Arbitrary<number[]> = shape(), dtypes: readonly DT[] = FLOAT, dom: Dom = 'any'): fc.Arbitrary<TS> {
  return fc.tuple(shapes, fc.constantFrom(...dtypes)).chain(([s, d]) => tsOf(s, d, dom));
}

/** An axis for rank `r`, sometimes out of range on either side. */
export const axis = (r: number): fc.Arbitrary<number> => fc.integer({ min: -r - 1, max: Math.max(r, 0) });
/** An axis argument for reductions: none, one, or a list. */
export const axes = (r: number): fc.Arbitrary<number | number[] | undefined> =>
  fc.oneof(fc.constant(undefined), axis(r), fc.array(axis(r), { maxLength: Math.max(r, 1) }));

/** A shape that broadcasts against `s` (a suffix with some dims set to 1), or now and then one that may not. */
export function broadcastShape(s: readonly number[]): fc.Arbitrary<number[]> {
  const compatible = fc.tuple(fc.integer({ min: 0, max: s.length }), fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }), fc.array(fc.constant(1), { maxLength: 1 }))
    .map(([k, ones, lead]) => [...lead, ...s.slice(s.length - k).map((d, i) => (ones[s.length - k + i] ? 1 : d))]);
  return fc.oneof({ weight: 6, arbitrary: compatible }, { weight: 1, arbitrary: shape(0, 3) });
}

/** Image-like [N, C, H, W] (or [N, C, L] for 1-D) with small sizes. */
export const nchw = fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }));
export const ncl = fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 8 }));
/** A kernel/stride/dilation entry: mostly valid, sometimes 0 or negative. */
export const small = (lo: number, hi: number): fc.Arbitrary<number> => fc.oneof({ weight: 8, arbitrary: fc.integer({ min: lo, max: hi }) }, { weight: 1, arbitrary: fc.integer({ min: -1, max: 0 }) });
