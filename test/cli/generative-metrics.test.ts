// SPDX-License-Identifier: MIT
// The figures that judge generative models: the AUROC (Mann–Whitney) against hand-computed values and
// a brute-force count of pairs, and the classifier-based Inception Score and sample judgement against
// hand-computed values.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { auroc } from '../../packages/strata-dl-cli/src/cli/generative/auroc.js';
import { inceptionScore, judgeSamples } from '../../packages/strata-dl-cli/src/cli/generative/inception.js';

const close = (a: number, b: number, tol = 1e-9): void => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

describe('auroc', () => {
  test('hand-computed cases: perfect, reversed, ties count one half', () => {
    assert.equal(auroc([3, 4], [1, 2]), 1);
    assert.equal(auroc([1, 2], [3, 4]), 0);
    // pairs: 0.9>0.1, 0.9>0.8, 0.8>0.1, 0.8=0.8 (½) → 3.5 / 4
    assert.equal(auroc([0.9, 0.8], [0.1, 0.8]), 0.875);
    assert.equal(auroc([5, 5, 5], [5, 5]), 0.5);
  });

  test('equals the share of correctly ordered pairs, counted one by one', () => {
    let s = 7;
    const rnd = (): number => { s = (s * 16807) % 2147483647; return Math.round((s / 2147483647) * 20) / 4; }; // many ties
    const pos = Array.from({ length: 57 }, rnd), neg = Array.from({ length: 43 }, () => rnd() - 1);
    let pairs = 0;
    for (const p of pos) for (const n of neg) pairs += p > n ? 1 : p === n ? 0.5 : 0;
    close(auroc(pos, neg), pairs / (pos.length * neg.length), 1e-12);
  });

  test('refuses empty classes and NaN', () => {
    assert.throws(() => auroc([], [1]), /auroc: needs scores of both classes, got 0 positive and 1 negative/);
    assert.throws(() => auroc([NaN], [1]), /auroc: a score is NaN/);
  });
});

describe('inception score', () => {
  test('a hand-computed value: rows (½, ½) and (1, 0)', () => {
    // p(y) = (¾, ¼); KL1 = ½ ln(½/¾) + ½ ln(½/¼), KL2 = ln(1/¾); IS = exp((KL1 + KL2) / 2)
    const kl1 = 0.5 * Math.log(0.5 / 0.75) + 0.5 * Math.log(0.5 / 0.25), kl2 = Math.log(1 / 0.75);
    close(inceptionScore([0.5, 0.5, 1, 0], 2), Math.exp((kl1 + kl2) / 2));
    close(inceptionScore([0.5, 0.5, 1, 0], 2), 1.2408064788027995, 1e-12);
  });

  test('bounds: one class for all is 1; k certain, equally frequent classes is k', () => {
    close(inceptionScore([0, 1, 0, 0, 1, 0], 3), 1);
    const eye = [1, 0, 0, 0, 1, 0, 0, 0, 1];
    close(inceptionScore(eye, 3), 3);
    close(inceptionScore(new Array(12).fill(0.25), 4), 1);
  });

  test('a ragged matrix is an error', () => {
    assert.throws(() => inceptionScore([0.5, 0.5, 1], 2), /inceptionScore: 3 probabilities are not a whole number/);
  });

  test('judgeSamples: confident share, histogram of the confident ones, requested accuracy', () => {
    const probs = [0.95, 0.05, 0, /**/ 0.1, 0.85, 0.05, /**/ 0, 0.02, 0.98, /**/ 0.9, 0.1, 0];
    const j = judgeSamples(probs, 3, [0, 1, 1, 0]);
    assert.equal(j.count, 4);
    assert.equal(j.confidentShare, 0.75); // 0.95, 0.98 and exactly 0.9
    assert.deepEqual(j.classHistogram, [2, 0, 1]);
    assert.equal(j.requestedAccuracy, 0.75); // argmax 0,1,2,0 vs 0,1,1,0
    close(j.inceptionScore, inceptionScore(probs, 3));
    assert.equal(judgeSamples(probs, 3).requestedAccuracy, undefined);
  });
});
