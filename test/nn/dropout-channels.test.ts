// SPDX-License-Identifier: MIT
// Channel dropout (Dropout1d, Dropout2d): whole channels zeroed together, the rest scaled, the
// identity in evaluation, seeded masks, and the shapes it accepts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';

const F = st.nn.functional;

test('dropout2d zeroes whole channels of each sample and scales the others by 1/(1 − p)', () => {
  const x = st.ones([8, 16, 3, 5]);
  const y = F.dropout2d(x, 0.25, true, new st.Generator(7));
  const v = y.dataSync();
  let dropped = 0;
  for (let nc = 0; nc < 8 * 16; nc++) {
    const plane = Array.from(v.slice(nc * 15, nc * 15 + 15));
    const first = plane[0];
    assert.ok(plane.every((e) => e === first), `channel ${nc} is not uniform: ${plane.join(',')}`);
    assert.ok(first === 0 || Math.abs(first - 1 / 0.75) < 1e-6, `channel ${nc}: ${first}`);
    if (first === 0) dropped++;
  }
  // 128 channels at p = 0.25: 32 expected, well inside [12, 52]
  assert.ok(dropped > 12 && dropped < 52, `${dropped} of 128 channels dropped`);
  assert.deepEqual(F.dropout2d(x, 0.25, true, new st.Generator(7)).toArray(), y.toArray(), 'the same generator seed gives the same mask');
});

test('the layers are the identity in eval mode and take unbatched input; a wrong rank names the op and the shape', () => {
  const d2 = new st.nn.Dropout2d(0.5), d1 = new st.nn.Dropout1d(0.5);
  const img = st.randn([3, 4, 4]), seq = st.randn([2, 3, 6]);
  d2.eval(); d1.eval();
  assert.equal(d2.forward(img), img);
  assert.equal(d1.forward(seq), seq);
  d1.train();
  const y = d1.forward(st.ones([2, 3, 6])).dataSync();
  for (let c = 0; c < 6; c++) assert.equal(new Set(Array.from(y.slice(c * 6, c * 6 + 6))).size, 1);
  assert.throws(() => F.dropout2d(st.ones([2, 3])), /^StrataError: dropout2d: input must be 4-D \[N, C, \.\.\.\] or 3-D \[C, \.\.\.\] \(unbatched\), got \[2,3\]/);
  assert.throws(() => F.dropout1d(st.ones([1, 2, 3, 4])), /^StrataError: dropout1d: input must be 3-D/);
  assert.throws(() => F.dropout2d(img, 1.5), /^StrataError: dropout2d: probability must be in \[0, 1\], got 1\.5/);
  assert.deepEqual(F.dropout2d(st.ones([1, 2, 2, 2]), 1).toArray(), [[[[0, 0], [0, 0]], [[0, 0], [0, 0]]]]);
});
