// SPDX-License-Identifier: MIT
// Randomized wasm-vs-js cases for the scan primitives and argsort.
import type { Case } from './cases.js';
import { EXACT, type Input, randomInput } from './helpers.js';

const SPECIALS = [0, -0, 1, -1, NaN, Infinity, -Infinity, 1e-40, -1e-40, 1e30, -1e30, NaN, 0.5];

export function scanCases(r: () => number): Case[] {
  const cases: Case[] = [];
  const f = (shape: number[], lo = -2, hi = 2): Input => randomInput(r, shape, 'float32', lo, hi);
  const layouts: [number[], number][] = [[[], 0], [[1], 0], [[7], 0], [[1031], 0], [[3, 5], 0], [[3, 5], 1], [[2, 3, 4], 1], [[5, 1, 9], 2], [[4, 33, 7], 1], [[0, 3], 1]];
  for (const [s, axis] of layouts) {
    // float64 accumulation rounded per element on both sides: bit-identical
    for (const reverse of [false, true]) cases.push({ name: `cumsum [${s}] axis ${axis}${reverse ? ' reverse' : ''}`, prim: 'cumsum', inputs: [f(s)], attrs: { axis, reverse }, tol: EXACT });
    cases.push({ name: `cumprod [${s}] axis ${axis}`, prim: 'cumprod', inputs: [f(s, 0.5, 1.5)], attrs: { axis }, tol: EXACT });
    for (const descending of [false, true]) {
      const ties = randomInput(r, s, 'int32', -3, 3);
      cases.push({ name: `argsort [${s}] axis ${axis} ties${descending ? ' descending' : ''}`, prim: 'argsort', inputs: [{ ...ties, dtype: 'float32', data: Float32Array.from(ties.data) }], attrs: { axis, descending }, tol: EXACT });
      cases.push({ name: `argsort [${s}] axis ${axis}${descending ? ' descending' : ''}`, prim: 'argsort', inputs: [f(s)], attrs: { axis, descending }, tol: EXACT });
    }
  }
  const special = (): Input => {
    const x = f([2, SPECIALS.length]);
    SPECIALS.forEach((v, i) => { x.data[i] = v; x.data[SPECIALS.length + SPECIALS.length - 1 - i] = v; });
    return x;
  };
  for (const descending of [false, true]) cases.push({ name: `argsort NaN, ±0, ±∞${descending ? ' descending' : ''}`, prim: 'argsort', inputs: [special()], attrs: { axis: 1, descending }, tol: EXACT });
  cases.push({ name: 'cumsum NaN and ∞', prim: 'cumsum', inputs: [special()], attrs: { axis: 1, reverse: false }, tol: EXACT });
  cases.push({ name: 'cumprod NaN and ∞', prim: 'cumprod', inputs: [special()], attrs: { axis: 1 }, tol: EXACT });
  cases.push({ name: 'cumsum int32', prim: 'cumsum', inputs: [randomInput(r, [3, 6], 'int32', -9, 9)], attrs: { axis: 1, reverse: false }, tol: EXACT });
  cases.push({ name: 'cumsum bool', prim: 'cumsum', inputs: [randomInput(r, [3, 6], 'bool')], attrs: { axis: 0, reverse: true }, tol: EXACT });
  cases.push({ name: 'argsort int32', prim: 'argsort', inputs: [randomInput(r, [3, 6], 'int32', -3, 3)], attrs: { axis: 1, descending: true }, tol: EXACT });
  return cases;
}
