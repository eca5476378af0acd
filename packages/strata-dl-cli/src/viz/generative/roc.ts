// SPDX-License-Identifier: MIT
// The ROC curve and its area for anomaly detection by a score (higher = more anomalous): the
// out-of-distribution data are the positives. Tied scores move the curve diagonally in one step, so
// the area counts a tied (positive, negative) pair as half a correct ordering, which makes AUROC
// equal the Mann–Whitney U statistic divided by the number of pairs.
import { StrataError } from 'strata-dl';

export interface Roc {
  /** False-positive rates (in-distribution flagged), from 0 to 1, one point per distinct threshold. */
  fpr: number[];
  /** True-positive rates (out-of-distribution flagged), matching fpr. */
  tpr: number[];
  /** Area under the curve: P(out score > in score) + ½ P(equal). */
  auroc: number;
}

function checked(name: string, scores: ArrayLike<number>): void {
  if (scores.length === 0) throw new StrataError('rocCurve', `${name} is empty: both score sets need at least one value`);
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i])) throw new StrataError('rocCurve', `${name}[${i}] is NaN: scores must be numbers`);
  }
}

/**
 * The ROC curve of telling `outScores` (positives) from `inScores` (negatives) by thresholding.
 *
 * @example
 * rocCurve([0.1, 0.2], [0.3, 0.4]).auroc; // 1: every anomaly scores higher
 */
export function rocCurve(inScores: ArrayLike<number>, outScores: ArrayLike<number>): Roc {
  checked('inScores', inScores);
  checked('outScores', outScores);
  const all: [number, boolean][] = [];
  for (let i = 0; i < inScores.length; i++) all.push([inScores[i], false]);
  for (let i = 0; i < outScores.length; i++) all.push([outScores[i], true]);
  all.sort((a, b) => b[0] - a[0]);
  const nNeg = inScores.length;
  const nPos = outScores.length;
  const fpr = [0];
  const tpr = [0];
  let tp = 0;
  let fp = 0;
  let area = 0; // in units of (positive, negative) pairs
  for (let i = 0; i < all.length;) {
    // One threshold per distinct score: the whole tie group crosses it together.
    let dTp = 0;
    let dFp = 0;
    const s = all[i][0];
    for (; i < all.length && all[i][0] === s; i++) {
      if (all[i][1]) dTp++;
      else dFp++;
    }
    area += dFp * (tp + dTp / 2); // trapezoid: the tied pairs count half
    tp += dTp;
    fp += dFp;
    fpr.push(fp / nNeg);
    tpr.push(tp / nPos);
  }
  return { fpr, tpr, auroc: area / (nNeg * nPos) };
}
