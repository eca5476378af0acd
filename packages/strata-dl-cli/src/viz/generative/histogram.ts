// SPDX-License-Identifier: MIT
// Equal-width histograms over one shared range, so two distributions (in- and out-of-distribution
// reconstruction errors) can be overlaid bin for bin.
import { StrataError } from 'strata-dl';

export interface Histogram {
  /** bins + 1 increasing edges; bin k holds edges[k] ≤ v < edges[k + 1], the last bin also its right edge. */
  edges: number[];
  /** One count per bin, per input set. */
  counts: number[][];
}

/**
 * Histograms of each set over the range spanned by all of them, `bins` equal-width bins.
 *
 * @example
 * histograms([[0, 1, 2, 3]], 2).counts; // [[2, 2]]
 */
export function histograms(sets: ArrayLike<number>[], bins: number): Histogram {
  if (!Number.isInteger(bins) || bins < 1) throw new StrataError('histograms', `bins must be a positive integer, got ${bins}`);
  let lo = Infinity;
  let hi = -Infinity;
  sets.forEach((set, s) => {
    for (let i = 0; i < set.length; i++) {
      const v = set[i];
      if (!Number.isFinite(v)) throw new StrataError('histograms', `sets[${s}][${i}] is ${v}: values must be finite`);
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  });
  if (lo === Infinity) throw new StrataError('histograms', 'all sets are empty: nothing to bin');
  // All values equal: one unit-wide range around them, so every value lands in the middle bin.
  if (hi === lo) {
    lo -= 0.5;
    hi += 0.5;
  }
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, k) => (k === bins ? hi : lo + k * width));
  const counts = sets.map((set) => {
    const c = new Array<number>(bins).fill(0);
    for (let i = 0; i < set.length; i++) {
      const v = set[i];
      let k = Math.min(bins - 1, Math.floor((v - lo) / width));
      // The division can round across an edge: settle by the edges themselves, so the rule above holds exactly.
      if (k > 0 && v < edges[k]) k--;
      else if (k < bins - 1 && v >= edges[k + 1]) k++;
      c[k]++;
    }
    return c;
  });
  return { edges, counts };
}
