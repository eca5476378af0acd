// SPDX-License-Identifier: MIT
// oneHot and the similarity layers (values and gradients against PyTorch are in layers-torch).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';

const F = st.nn.functional;
const labels = (v: st.Nested): st.Tensor => st.tensor(v, { dtype: 'int32' });

test('oneHot: rows of int32, any leading shape, numClasses given or the largest label + 1', () => {
  assert.deepEqual(F.oneHot(labels([2, 0, 1]), 4).toArray(), [[0, 0, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0]]);
  const y = F.oneHot(labels([[1], [3]]));
  assert.deepEqual(y.shape, [2, 1, 4]);
  assert.equal(y.dtype, 'int32');
  assert.deepEqual(F.oneHot(labels([]), 3).shape, [0, 3]);
  // one-hot targets for an MSE-trained perceptron, as float
  assert.deepEqual(F.oneHot(labels([1]), 2).to('float32').toArray(), [[0, 1]]);
});

test('oneHot refuses float labels, negative labels and labels not below numClasses, naming the value and where', () => {
  assert.throws(() => F.oneHot(st.tensor([1.5])), /^StrataError: oneHot: labels must be int32 class indices, got float32 \[1\]/);
  assert.throws(() => F.oneHot(labels([0, -1])), /^StrataError: oneHot: labels hold -1 at flat index 1; class indices are >= 0/);
  assert.throws(() => F.oneHot(labels([0, 3, 1]), 3), /^StrataError: oneHot: labels hold 3 at flat index 1, not below numClasses 3/);
  assert.throws(() => F.oneHot(labels([0]), 0), /numClasses must be a positive integer/);
  assert.throws(() => F.oneHot(labels([])), /^StrataError: oneHot: cannot infer numClasses from no labels/);
});

test('normalize leaves a zero vector at zero; cosineSimilarity of zero vectors is 0, not NaN', () => {
  assert.deepEqual(F.normalize(st.tensor([[0, 0], [3, 4]]), { p: 1 }).toArray(), [[0, 0], [3 / 7, 4 / 7].map(Math.fround)]);
  assert.deepEqual(F.cosineSimilarity(st.zeros([2, 3]), st.zeros([2, 3])).toArray(), [0, 0]);
  assert.deepEqual(F.cosineSimilarity(st.tensor([[1, 2, 3]]), st.tensor([[-2, -4, -6]])).toArray(), [-1]);
});

test('the layers call the functions with their options and take two inputs', () => {
  const a = st.randn([4, 5]), b = st.randn([4, 5]);
  assert.deepEqual(new st.nn.CosineSimilarity({ dim: 1 }).call(a, b).toArray(), F.cosineSimilarity(a, b).toArray());
  assert.deepEqual(new st.nn.PairwiseDistance({ p: 1, keepdim: true }).call(a, b).toArray(), F.pairwiseDistance(a, b, { p: 1, keepdim: true }).toArray());
  assert.deepEqual(new st.nn.PairwiseDistance().call(a, b).shape, [4]);
});
