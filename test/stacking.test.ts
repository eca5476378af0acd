// SPDX-License-Identifier: MIT
// hstack, vstack, dstack, columnStack, blockDiag, cartesianProd, triuIndices, trilIndices and rot90:
// PyTorch 1.13's outputs for the same inputs (printed by torch), gradients through the compositions,
// and the errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';

const t = (v: st.Nested): st.Tensor => st.tensor(v);

test('the stacks lay tensors out as PyTorch\'s do', () => {
  assert.deepEqual(st.hstack([t([1, 2]), t(3)]).toArray(), [1, 2, 3]);
  assert.deepEqual(st.hstack([t([[1], [2]]), t([[3], [4]])]).toArray(), [[1, 3], [2, 4]]);
  assert.deepEqual(st.vstack([t([1, 2]), t([[3, 4], [5, 6]])]).toArray(), [[1, 2], [3, 4], [5, 6]]);
  assert.deepEqual(st.dstack([t([1, 2]), t([3, 4])]).toArray(), [[[1, 3], [2, 4]]]);
  assert.deepEqual(st.dstack([t([[1], [2]]), t([[3], [4]])]).shape, [2, 1, 2]);
  assert.deepEqual(st.columnStack([t([1, 2]), t([[3, 4], [5, 6]])]).toArray(), [[1, 3, 4], [2, 5, 6]]);
  for (const f of [st.hstack, st.vstack, st.dstack, st.columnStack, st.blockDiag, st.cartesianProd]) {
    assert.throws(() => f([]), /StrataError: \w+: expects a non-empty list of tensors/);
  }
});

test('blockDiag and cartesianProd, with gradients back to each block', () => {
  assert.deepEqual(st.blockDiag([t([[1, 2]]), t(3), t([4, 5])]).toArray(), [[1, 2, 0, 0, 0], [0, 0, 3, 0, 0], [0, 0, 0, 4, 5]]);
  const mixed = st.blockDiag([st.tensor([[1]], { dtype: 'int32' }), t([[0.5]])]);
  assert.equal(mixed.dtype, 'float32');
  const [ga, gb] = st.grad((a: st.Tensor, b: st.Tensor) => st.blockDiag([a, b]).mul(st.arange(0, 6).reshape([2, 3])).sum(), { argnums: [0, 1] })(t([[1, 1]]), t(2)) as st.Tensor[];
  assert.deepEqual([ga.toArray(), gb.toArray()], [[[0, 1]], 5]);
  assert.deepEqual(st.cartesianProd([t([1, 2]), t([3, 4]), t([5])]).toArray(), [[1, 3, 5], [1, 4, 5], [2, 3, 5], [2, 4, 5]]);
  assert.deepEqual(st.cartesianProd([t([7, 8])]).toArray(), [7, 8]);
  assert.throws(() => st.blockDiag([st.ones([1, 1, 1])]), /^StrataError: blockDiag: expects tensors of at most 2 dimensions, got \[1,1,1\] at 0/);
  assert.throws(() => st.cartesianProd([t([1]), t([[1]])]), /^StrataError: cartesianProd: expects 1-D tensors, got \[1,1\] at 1/);
});

test('triangle indices and rot90 as PyTorch\'s', () => {
  assert.deepEqual(st.triuIndices(3, 4, 1).toArray(), [[0, 0, 0, 1, 1, 2], [1, 2, 3, 2, 3, 3]]);
  assert.deepEqual(st.trilIndices(3, 3, -1).toArray(), [[1, 2, 2], [0, 0, 1]]);
  assert.equal(st.triuIndices(2, 2).dtype, 'int32');
  assert.deepEqual(st.triuIndices(0, 3).shape, [2, 0]);
  assert.throws(() => st.trilIndices(-1, 2), /^StrataError: trilIndices: rows must be a non-negative integer, got -1/);
  const x = t([[1, 2], [3, 4]]);
  assert.deepEqual(st.rot90(x).toArray(), [[2, 4], [1, 3]]);
  assert.deepEqual(st.rot90(x, 3).toArray(), [[3, 1], [4, 2]]);
  assert.deepEqual(st.rot90(x, -1).toArray(), [[3, 1], [4, 2]]);
  assert.deepEqual(st.rot90(x, 2).toArray(), [[4, 3], [2, 1]]);
  assert.deepEqual(st.rot90(x, 4).toArray(), [[1, 2], [3, 4]]);
  assert.deepEqual(st.rot90(st.arange(0, 8).reshape([2, 2, 2]), 1, [1, 2]).toArray(), [[[1, 3], [0, 2]], [[5, 7], [4, 6]]]);
  assert.deepEqual(st.grad((v: st.Tensor) => st.rot90(v).mul(t([[1, 2], [3, 4]])).sum())(x).toArray(), [[3, 1], [4, 2]]);
  assert.throws(() => st.rot90(t([1, 2])), /^StrataError: rot90: expects at least 2 dimensions, got \[2\]/);
  assert.throws(() => st.rot90(x, 1, [1, -1]), /dims must be two different axes, got \[1, -1\]/);
  assert.throws(() => st.rot90(x, 0.5), /k must be an integer, got 0.5/);
});
