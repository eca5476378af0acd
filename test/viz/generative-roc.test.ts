// SPDX-License-Identifier: MIT
// rocCurve: known cases, and the area against a brute-force Mann–Whitney count over every
// (out, in) pair on random scores with many ties.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { rocCurve } from '../../packages/strata-dl-cli/src/viz/index.js';

/** P(out > in) + ½ P(out = in), by counting every pair. */
function mannWhitney(inS: number[], outS: number[]): number {
  let u = 0;
  for (const o of outS) for (const i of inS) u += o > i ? 1 : o === i ? 0.5 : 0;
  return u / (inS.length * outS.length);
}

/** The trapezoid area under the returned points: the curve and the area must agree. */
function trapezoid(fpr: number[], tpr: number[]): number {
  let a = 0;
  for (let k = 1; k < fpr.length; k++) a += (fpr[k] - fpr[k - 1]) * (tpr[k] + tpr[k - 1]) / 2;
  return a;
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a * 1664525 + 1013904223) >>> 0;
    return a / 4294967296;
  };
}

describe('rocCurve', () => {
  test('known cases: separated 1, reversed 0, identical 0.5, all tied 0.5', () => {
    assert.equal(rocCurve([0.1, 0.2, 0.3], [0.5, 0.9]).auroc, 1);
    assert.equal(rocCurve([0.5, 0.9], [0.1, 0.2, 0.3]).auroc, 0);
    assert.equal(rocCurve([1, 2, 3, 4], [1, 2, 3, 4]).auroc, 0.5);
    assert.equal(rocCurve([7, 7, 7], [7, 7]).auroc, 0.5);
    // One pair ordered, one tied, two reversed: (1 + 0.5) / 4.
    assert.equal(rocCurve([1, 3], [2, 1]).auroc, 0.375);
  });

  test('the curve: from (0, 0) to (1, 1), one point per distinct score, a tie group as one diagonal step', () => {
    const r = rocCurve([1, 2, 2, 4], [2, 3, 5]);
    assert.deepEqual(r.fpr, [0, 0, 0.25, 0.25, 0.75, 1]);
    assert.deepEqual(r.tpr.map((v) => Math.round(v * 3)), [0, 1, 1, 2, 3, 3]);
    assert.ok(Math.abs(trapezoid(r.fpr, r.tpr) - r.auroc) < 1e-15);
    assert.ok(Math.abs(r.auroc - mannWhitney([1, 2, 2, 4], [2, 3, 5])) < 1e-15);
  });

  test('random scores with ties: AUROC equals the Mann–Whitney count, and the area under the curve', () => {
    const r = rng(42);
    for (let trial = 0; trial < 200; trial++) {
      const levels = 1 + Math.floor(r() * 8); // few distinct values: many ties
      const shift = r() * 3;
      const inS = Array.from({ length: 1 + Math.floor(r() * 40) }, () => Math.floor(r() * levels));
      const outS = Array.from({ length: 1 + Math.floor(r() * 40) }, () => Math.floor(r() * levels + shift));
      const roc = rocCurve(Float32Array.from(inS), Float32Array.from(outS));
      const want = mannWhitney(inS, outS);
      assert.ok(Math.abs(roc.auroc - want) < 1e-12, `trial ${trial}: ${roc.auroc} vs ${want}`);
      assert.ok(Math.abs(trapezoid(roc.fpr, roc.tpr) - want) < 1e-12, `trial ${trial}: curve area`);
      assert.equal(roc.fpr.at(-1), 1);
      assert.equal(roc.tpr.at(-1), 1);
      for (let k = 1; k < roc.fpr.length; k++) assert.ok(roc.fpr[k] >= roc.fpr[k - 1] && roc.tpr[k] >= roc.tpr[k - 1]);
    }
  });

  test('continuous random scores: no ties, still the pair count', () => {
    const r = rng(5);
    const inS = Array.from({ length: 300 }, () => r());
    const outS = Array.from({ length: 200 }, () => r() + 0.3);
    assert.ok(Math.abs(rocCurve(inS, outS).auroc - mannWhitney(inS, outS)) < 1e-12);
  });

  test('bad input names the function and the argument', () => {
    assert.throws(() => rocCurve([], [1]), /rocCurve: inScores is empty/);
    assert.throws(() => rocCurve([1], []), /rocCurve: outScores is empty/);
    assert.throws(() => rocCurve([1, NaN], [1]), /rocCurve: inScores\[1\] is NaN/);
  });
});
