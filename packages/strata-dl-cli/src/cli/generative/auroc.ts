// SPDX-License-Identifier: MIT
// The area under the ROC curve of a score that should be higher for the positive (out-of-distribution)
// class, computed exactly as the Mann–Whitney U statistic: the share of (positive, negative) pairs the
// score orders correctly, ties counting one half. O(n log n) by ranking the pooled scores.
import { StrataError } from 'strata-dl';

/**
 * AUROC of `positive` scores against `negative` ones (1 = every positive above every negative, 0.5 =
 * chance).
 *
 * @example
 * auroc([0.9, 0.8], [0.1, 0.8]); // 0.875: pairs (0.9>0.1, 0.9>0.8, 0.8>0.1, 0.8=0.8 → ½) / 4
 */
export function auroc(positive: ArrayLike<number>, negative: ArrayLike<number>): number {
  const np = positive.length, nn = negative.length;
  if (np === 0 || nn === 0) throw new StrataError('auroc', `needs scores of both classes, got ${np} positive and ${nn} negative`);
  const all: [number, boolean][] = [];
  for (let i = 0; i < np; i++) all.push([positive[i], true]);
  for (let i = 0; i < nn; i++) all.push([negative[i], false]);
  for (const [v] of all) if (Number.isNaN(v)) throw new StrataError('auroc', 'a score is NaN');
  all.sort((a, b) => a[0] - b[0]);
  // Sum of the positives' mid-ranks (1-based; tied values share the mean of their ranks).
  let rankSum = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j < all.length && all[j][0] === all[i][0]) j++;
    const midRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (all[k][1]) rankSum += midRank;
    i = j;
  }
  const u = rankSum - (np * (np + 1)) / 2;
  return u / (np * nn);
}
