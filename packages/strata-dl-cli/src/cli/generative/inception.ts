// SPDX-License-Identifier: MIT
// Judging generated images with a classifier: the share it classifies confidently, the histogram of
// the confident classes, the share of the class asked for (conditional models), and the
// classifier-based Inception Score exp(E_x KL(p(y|x) ‖ p(y))) — high when each image is clearly one
// class (low entropy of p(y|x)) and the classes are varied (high entropy of the marginal p(y)).
import { StrataError } from 'strata-dl';

/** What `judgeSamples` finds (the report's SampleScores without the classifier's name). */
export interface Judgement {
  count: number;
  confidentShare: number;
  classHistogram: number[];
  inceptionScore: number;
  requestedAccuracy?: number;
}

/**
 * The Inception Score of class probabilities `probs` (n rows of `classes`, row-major; each row sums to 1).
 *
 * @example
 * inceptionScore(new Float32Array([1, 0, 0, 1]), 2); // 2: two certain, different classes
 */
export function inceptionScore(probs: ArrayLike<number>, classes: number): number {
  const n = probs.length / classes;
  if (!Number.isInteger(n) || n === 0) throw new StrataError('inceptionScore', `${probs.length} probabilities are not a whole number (≥ 1) of rows of ${classes}`);
  const marginal = new Float64Array(classes);
  for (let i = 0; i < n; i++) for (let c = 0; c < classes; c++) marginal[c] += probs[i * classes + c] / n;
  let kl = 0;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < classes; c++) {
      const p = probs[i * classes + c];
      if (p > 0) kl += p * (Math.log(p) - Math.log(marginal[c]));
    }
  }
  return Math.exp(kl / n);
}

/**
 * Scores class probabilities of generated images: confident = max p ≥ `threshold` (0.9);
 * `requested` (conditional models) the class each image was generated as.
 */
export function judgeSamples(probs: ArrayLike<number>, classes: number, requested?: ArrayLike<number>, threshold = 0.9): Judgement {
  const n = probs.length / classes;
  const classHistogram = new Array<number>(classes).fill(0);
  let confident = 0, asked = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[i * classes + c] > probs[i * classes + best]) best = c;
    if (probs[i * classes + best] >= threshold) { confident++; classHistogram[best]++; }
    if (requested && requested[i] === best) asked++;
  }
  return {
    count: n, confidentShare: confident / n, classHistogram, inceptionScore: inceptionScore(probs, classes),
    ...(requested ? { requestedAccuracy: asked / n } : {}),
  };
}
