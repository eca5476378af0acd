// SPDX-License-Identifier: MIT
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';
import { assertClose } from '../helpers.js';

const { Perceptron, trainPerceptron } = st.train;

test("Rosenblatt's rule: one mistake on the first AND sample moves w by η·(y − ŷ)·x", () => {
  const p = new Perceptron(2);
  p.loadStateDict({ 'linear.weight': st.tensor([[0, 0]]), 'linear.bias': st.tensor([0]) });
  // Sample (1, 1) with target 1: ŷ = step(0) = 0, so w ← w + 0.5·(1 − 0)·(1, 1), b ← b + 0.5.
  const r = trainPerceptron(p, st.tensor([[1, 1]]), st.tensor([1]), { lr: 0.5, maxEpochs: 1 });
  assert.deepEqual(r.errors, [1]);
  assertClose(p.linear.weight, [[0.5, 0.5]]);
  assertClose(p.linear.bias!, [0.5]);
});

test('the perceptron learns AND and OR (separable) and never converges on XOR (not separable)', () => {
  const x = st.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
  for (const [name, y] of [['AND', [0, 0, 0, 1]], ['OR', [0, 1, 1, 1]]] as const) {
    const p = new Perceptron(2, 1, { generator: new st.Generator(1) });
    const r = trainPerceptron(p, x, st.tensor([...y]));
    assert.ok(r.converged, `${name} converges`);
    assert.equal(r.errors.at(-1), 0);
    assertClose(p.forward(x).reshape([-1]), [...y]);
  }
  const xor = trainPerceptron(new Perceptron(2, 1, { generator: new st.Generator(1) }), x, st.tensor([0, 1, 1, 0]), { maxEpochs: 30 });
  assert.equal(xor.converged, false);
  assert.ok(xor.errors.every((e) => e > 0));
});

test('several output neurons learn at once (targets [N, out])', () => {
  const x = st.tensor([[6, 4, 5], [1, 0, 2], [0, 3, 1], [4, 1, 0]]);
  const y = st.tensor([[1, 0], [0, 1], [0, 1], [1, 0]]);
  const p = new Perceptron(3, 2, { generator: new st.Generator(2) });
  assert.ok(trainPerceptron(p, x, y, { lr: 0.1 }).converged);
  assertClose(p.forward(x), y);
});
