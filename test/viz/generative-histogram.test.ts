// SPDX-License-Identifier: MIT
// histograms: shared equal-width bins, edge values in the upper bin, the maximum in the last one,
// and counts matching a brute-force count against the returned edges.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { histograms } from '../../packages/strata-dl-cli/src/viz/index.js';

describe('histograms', () => {
  test('equal-width bins over the range of the data', () => {
    const h = histograms([[0, 1, 2, 3]], 2);
    assert.deepEqual(h.edges, [0, 1.5, 3]);
    assert.deepEqual(h.counts, [[2, 2]]);
  });

  test('a value on an inner edge goes to the bin above; the maximum to the last bin', () => {
    const h = histograms([[0, 0.25, 0.5, 0.75, 1]], 4);
    assert.deepEqual(h.edges, [0, 0.25, 0.5, 0.75, 1]);
    assert.deepEqual(h.counts, [[1, 1, 1, 2]]);
  });

  test('where the division rounds across an edge, the edges decide', () => {
    // Ranges where (v − lo) / width rounds to the wrong side of an edge: found by search, one each way.
    const cases: [number, number, number][] = [[0.586, 0.6742647943831495, 47], [0.218, 0.8208084252758274, 32], [0.078, 0.3778996990972919, 8], [0.947, 1.9048736208625878, 46]];
    for (const [lo, hi, bins] of cases) {
      const { edges } = histograms([[lo, hi]], bins);
      // Every edge, and the float just below every inner edge.
      const below = edges.slice(1, -1).map((e) => { const b = new Float64Array([e]); new BigInt64Array(b.buffer)[0] -= 1n; return b[0]; });
      const h = histograms([[...edges, ...below]], bins);
      assert.deepEqual(h.counts[0], new Array(bins).fill(2), `${lo}..${hi} in ${bins}`); // each bin: its left edge and the float below its right one
    }
  });

  test('two sets share one range, so their bins line up', () => {
    const h = histograms([[0, 1], [3, 4, 4]], 4);
    assert.deepEqual(h.edges, [0, 1, 2, 3, 4]);
    assert.deepEqual(h.counts, [[1, 1, 0, 0], [0, 0, 0, 3]]);
  });

  test('all values equal: one unit-wide range around them, every value in the middle bin', () => {
    const h = histograms([[2, 2, 2], [2]], 5);
    assert.deepEqual(h.edges.map((e) => Number(e.toFixed(12))), [1.5, 1.7, 1.9, 2.1, 2.3, 2.5]);
    assert.deepEqual(h.counts, [[0, 0, 3, 0, 0], [0, 0, 1, 0, 0]]);
    assert.deepEqual(histograms([[], [5]], 3).counts, [[0, 0, 0], [0, 1, 0]]);
  });

  test('random data: every value counted once, in the bin its edges say', () => {
    let a = 9;
    const r = (): number => { a = (a * 1664525 + 1013904223) >>> 0; return a / 4294967296; };
    const sets = [Array.from({ length: 500 }, () => r() * 0.07), Array.from({ length: 300 }, () => 0.02 + r() * r() * 0.3)];
    const bins = 37;
    const h = histograms(sets.map((s) => Float32Array.from(s)), bins);
    sets.forEach((set, s) => {
      const f = Float32Array.from(set);
      const want = new Array<number>(bins).fill(0);
      for (const v of f) {
        const k = h.edges.findIndex((e, i) => i < bins && v >= e && (v < h.edges[i + 1] || i === bins - 1));
        want[k]++;
      }
      assert.deepEqual(h.counts[s], want, `set ${s}`);
      assert.equal(h.counts[s].reduce((x, y) => x + y, 0), set.length);
    });
  });

  test('bad input names the function and the value', () => {
    assert.throws(() => histograms([[1]], 0), /histograms: bins must be a positive integer, got 0/);
    assert.throws(() => histograms([[1], [2, Infinity]], 3), /histograms: sets\[1\]\[1\] is Infinity/);
    assert.throws(() => histograms([[], []], 3), /histograms: all sets are empty/);
  });
});
