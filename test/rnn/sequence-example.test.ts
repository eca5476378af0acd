// SPDX-License-Identifier: MIT
// examples/sequence.ts: an LSTM tells noisy sine waves from square waves of varying length.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';
import { WaveClassifier, makeWaves, runSequence } from '../../examples/sequence.js';

test('the waves are padded with zeros past their lengths, labels alternate', () => {
  const w = makeWaves(6, new st.Generator(0), 0, 5, 9);
  assert.deepEqual(w.x.shape, [6, 9, 1]);
  assert.deepEqual(Array.from(w.y.dataSync()), [0, 1, 0, 1, 0, 1]);
  w.lengths.forEach((n, i) => {
    const row = Array.from(w.x.index(i).flatten().dataSync());
    assert.ok(row.slice(n).every((v) => v === 0) && row.slice(0, n).some((v) => v !== 0));
  });
  // Without noise, a square wave only takes the values ±amplitude.
  assert.equal(new Set(Array.from(w.x.index(1).flatten().dataSync()).slice(0, w.lengths[1]).map((v) => Math.abs(v).toFixed(5))).size, 1);
});

test('padding after a sequence does not change its prediction (lengths reach h_n)', () => {
  const g = new st.Generator(1);
  const model = new WaveClassifier(8, g);
  const w = makeWaves(4, g, 0.4, 10, 20);
  const full = model.classify(w.x, w.lengths);
  w.lengths.forEach((n, i) => {
    const alone = model.classify(w.x.index([i]).slice(1, 0, n));
    assert.ok(alone.sub(full.index([i])).abs().max().item() < 1e-5);
  });
});

test('ten epochs of training: held-out accuracy well above chance', () => {
  const { testAccuracy } = runSequence({ epochs: 10, seed: 0 });
  assert.ok(testAccuracy >= 0.8, `test accuracy ${testAccuracy}`);
});
