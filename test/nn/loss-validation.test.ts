// SPDX-License-Identifier: MIT
// Bad loss inputs name the function, the argument and the offending value: probabilities
// outside [0, 1] and NaN targets instead of a silent NaN loss, class labels out of range instead of
// gather's out-of-bounds index.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';

const F = st.nn.functional;
const i32 = (v: number[], shape?: number[]): st.Tensor => st.tensor(v, { dtype: 'int32', shape });

test('binaryCrossEntropy: an input outside [0, 1] is an error naming the value and its index', () => {
  const y = st.tensor([1, 0, 1]);
  assert.throws(() => F.binaryCrossEntropy(st.tensor([0.2, 1.5, 0.3]), y), /^StrataError: binaryCrossEntropy: input holds 1\.5 at index 1, expected every value in \[0, 1\] \(probabilities, e\.g\. after a sigmoid; for raw scores use binaryCrossEntropyWithLogits\)$/);
  assert.throws(() => F.binaryCrossEntropy(st.tensor([[0.2, -0.5]]), st.tensor([[1, 0]])), /binaryCrossEntropy: input holds -0\.5 at index \[0,1\]/);
  assert.throws(() => F.binaryCrossEntropy(st.tensor([0.2, NaN]), st.tensor([1, 0])), /binaryCrossEntropy: input holds NaN at index 1/);
  assert.throws(() => new st.nn.BCELoss().forward(st.tensor([3]), st.tensor([1])), /binaryCrossEntropy: input holds 3 at index 0/);
  // the bounds themselves are fine (log clamped at -100, as in PyTorch)
  assert.ok(Number.isFinite(F.binaryCrossEntropy(st.tensor([0, 1]), st.tensor([1, 0])).item()));
});

test('binaryCrossEntropy and binaryCrossEntropyWithLogits: a NaN target is an error', () => {
  assert.throws(() => F.binaryCrossEntropy(st.tensor([0.2, 0.7]), st.tensor([1, NaN])), /^StrataError: binaryCrossEntropy: target holds NaN at index 1$/);
  assert.throws(() => F.binaryCrossEntropyWithLogits(st.tensor([0.2, 0.7]), st.tensor([NaN, 1])), /^StrataError: binaryCrossEntropyWithLogits: target holds NaN at index 0$/);
  assert.throws(() => F.crossEntropy(st.tensor([[1, 2]]), st.tensor([[NaN, 1]])), /^StrataError: crossEntropy: target holds NaN at index \[0,0\]$/);
});

test('every classification loss: an out-of-range class label names the loss, the class, its index and the range', () => {
  const x = st.tensor([[0.1, 0.2, 0.3], [0.3, 0.1, 0.2], [1, 2, 3], [0, 0, 0], [1, 1, 1], [2, 0, 1]]);
  const y = i32([0, 1, 2, 0, 1, 3]);
  const cases: [string, () => unknown][] = [
    ['crossEntropy', () => F.crossEntropy(x, y)],
    ['nllLoss', () => F.nllLoss(x.logSoftmax(1), y)],
    ['multiclassHingeLoss', () => F.multiclassHingeLoss(x, y)],
    ['multiMarginLoss', () => F.multiMarginLoss(x, y)],
    ['crossEntropy', () => new st.nn.CrossEntropyLoss({ labelSmoothing: 0.1 }).forward(x, y)],
    ['nllLoss', () => new st.nn.NLLLoss({ weight: st.tensor([1, 2, 3]) }).forward(x, y)],
  ];
  for (const [name, f] of cases) {
    assert.throws(f, (e: Error) => e.message === `${name}: target holds class 3 at index 5, expected 0 ≤ class < 3`, name);
  }
  assert.throws(() => F.crossEntropy(x, i32([0, 1, -1, 0, 1, 2])), /^StrataError: crossEntropy: target holds class -1 at index 2, expected 0 ≤ class < 3$/);
  assert.throws(() => F.crossEntropy(x, i32([0, 1, -1, 0, 1, 2]), { ignoreIndex: 255 }), /crossEntropy: target holds class -1 at index 2, expected 0 ≤ class < 3 \(or ignoreIndex 255\)/);
  // [N, C, d] scores: the index is printed per dimension
  const seg = st.zeros([2, 3, 2]);
  assert.throws(() => F.crossEntropy(seg, i32([0, 1, 2, 7], [2, 2])), /crossEntropy: target holds class 7 at index \[1,1\], expected 0 ≤ class < 3/);
});

test('classification losses: float labels are named, non-integer ones by value and index', () => {
  const x = st.tensor([[0.1, 0.2, 0.3], [0.3, 0.1, 0.2]]);
  assert.throws(() => F.crossEntropy(x, st.tensor([0, 1.5])), /^StrataError: crossEntropy: target holds 1\.5 at index 1, not a class index: expected integers 0 ≤ class < 3 in an int32 tensor$/);
  assert.throws(() => F.nllLoss(x, st.tensor([0, 2])), /nllLoss: target must hold int32 class indices, got float32 \[2\]; pass tensor\(labels, \{ dtype: 'int32' \}\)/);
  assert.throws(() => F.multiMarginLoss(x, st.tensor([0.25, 2])), /multiMarginLoss: target holds 0\.25 at index 0, not a class index/);
});

test('class weight must be [C]', () => {
  const x = st.tensor([[0.1, 0.2, 0.3]]);
  assert.throws(() => F.crossEntropy(x, i32([1]), { weight: st.tensor([1, 2]) }), /crossEntropy: weight must be a 1-D tensor of 3 class weights, got \[2\]/);
});
