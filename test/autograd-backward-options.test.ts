// SPDX-License-Identifier: MIT
// backward's options may come alone (`loss.backward({ retainGraph: true })`) or after the seed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';

test('backward({ retainGraph: true }) keeps the graph for a second backward', () => {
  const x = st.tensor([2, 3], { requiresGrad: true });
  const y = x.mul(x).sum();
  y.backward({ retainGraph: true });
  y.backward();
  assert.deepEqual(x.grad?.toArray(), [8, 12]);
  // without it, the second call says the graph was freed
  const z = x.mul(x).sum();
  z.backward();
  assert.throws(() => z.backward(), /backward: the graph through '.*' was already freed/);
});

test('backward(grad, options) still works, and a wrong first argument is named', () => {
  const x = st.tensor([1, 2], { requiresGrad: true });
  const y = x.mul(3);
  y.backward(st.tensor([1, 1]), { retainGraph: true });
  y.backward(st.tensor([1, 0]));
  assert.deepEqual(x.grad?.toArray(), [6, 3]);
  const s = x.sum();
  assert.throws(() => s.backward(5 as never), /^StrataError: backward: the first argument must be the seed gradient \(a Tensor\) or the options \(\{ retainGraph, createGraph \}\), got number$/);
});

test('backward({ createGraph: true }) records the backward pass (second derivative)', () => {
  const x = st.tensor([3], { requiresGrad: true });
  const y = x.mul(x).mul(x).sum();
  y.backward({ createGraph: true });
  const g = x.grad as st.Tensor;
  assert.deepEqual(g.toArray(), [27]);
  x.grad = null;
  g.sum().backward();
  assert.deepEqual((x.grad as st.Tensor | null)?.toArray(), [18]);
});

test('tensor(): a ragged or empty entry is named by its index', () => {
  assert.throws(() => st.tensor([[1, 2], [], [3, 4]]), /^StrataError: tensor: ragged nested array: data\[1\] has 0 entries, expected 2 \(as data\[0\]\)$/);
  assert.throws(() => st.tensor([[[1, 2], [3, 4]], [[1, 2], [3]]]), /tensor: ragged nested array: data\[1\]\[1\] has 1 entries, expected 2 \(as data\[0\]\[0\]\)/);
  assert.throws(() => st.tensor([[1, 2], 3] as never), /tensor: ragged nested array: data\[1\] is a number where a list of 2 was expected/);
});
