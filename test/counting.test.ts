// SPDX-License-Identifier: MIT
// unique and bincount: sorted distinct values with their inverse and counts, and bins of
// occurrences or weights, on both backends, with the errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';

for (const backend of ['js', 'wasm']) {
  test(`unique: sorted distinct values of all elements, the inverse in the input's shape, the counts; NaNs as one value, last (${backend})`, () => {
    const x = st.tensor([[3, 1, NaN], [3, 2, NaN]], { backend });
    assert.deepEqual(x.unique().toArray(), [1, 2, 3, NaN]);
    const r = st.unique(x, { returnInverse: true, returnCounts: true });
    assert.deepEqual(r.inverse!.toArray(), [[2, 0, 3], [2, 1, 3]]);
    assert.deepEqual(r.counts!.toArray(), [1, 1, 2, 2]);
    assert.equal(r.inverse!.dtype, 'int32');
    // the inverse rebuilds the input
    assert.deepEqual(r.values.indexSelect(0, r.inverse!.reshape([-1])).reshape(x.shape).toArray(), x.toArray());
    const i = st.tensor([5, -1, 5, 0], { dtype: 'int32', backend }).unique({ returnCounts: true });
    assert.deepEqual([i.values.toArray(), i.values.dtype, i.inverse], [[-1, 0, 5], 'int32', null]);
    assert.deepEqual(st.tensor([true, false, true], { dtype: 'bool', backend }).unique().toArray(), [false, true]);
    assert.deepEqual(st.zeros([0], { backend }).unique().shape, [0]);
  });

  test(`bincount: occurrences of 0, 1, 2, ... or summed weights, at least minlength bins (${backend})`, () => {
    const x = st.tensor([1, 3, 1, 0], { dtype: 'int32', backend });
    assert.deepEqual(x.bincount().toArray(), [1, 2, 0, 1]);
    assert.deepEqual(st.bincount(x, { minlength: 6 }).toArray(), [1, 2, 0, 1, 0, 0]);
    const w = st.bincount(x, { weights: st.tensor([0.5, 1, 2, 4], { dtype: 'float64', backend }) });
    assert.deepEqual([w.toArray(), w.dtype], [[4, 2.5, 0, 1], 'float64']);
    assert.deepEqual(st.bincount(st.tensor([], { dtype: 'int32', backend })).shape, [0]);
    assert.throws(() => st.bincount(st.tensor([1.5], { backend })), /^StrataError: bincount: input must be a 1-D int32 tensor, got float32 \[1\]/);
    assert.throws(() => st.bincount(st.tensor([2, -1], { dtype: 'int32', backend })), /^StrataError: bincount: input holds -1 at index 1; the values must be >= 0/);
    assert.throws(() => st.bincount(x, { weights: st.ones([3], { backend }) }), /^StrataError: bincount: weights \[3\] must be 1-D with one weight per input element \[4\]/);
    assert.throws(() => st.bincount(x, { minlength: -1 }), /minlength must be a non-negative integer, got -1/);
  });
}
