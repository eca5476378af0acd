// SPDX-License-Identifier: MIT
// median and quantile against PyTorch 1.13's answers (torch.median, torch.quantile on the same
// rows, every interpolation), with NaN rows, gradients, and the errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';

const rows = [[3, 1, 4, 1, 5, 9], [2, 6, NaN, 5, 3, 5], [8, 9, 7, 9, 3, 2]];
const qs = [0, 0.25, 0.5, 0.9, 1];
// torch.quantile(x, q, dim=1, interpolation=…), transposed to [q][row]
const TORCH: Record<st.QuantileInterpolation, number[][]> = {
  linear: [[1, NaN, 2], [1.5, NaN, 4], [3.5, NaN, 7.5], [7, NaN, 9], [9, NaN, 9]],
  lower: [[1, NaN, 2], [1, NaN, 3], [3, NaN, 7], [5, NaN, 9], [9, NaN, 9]],
  higher: [[1, NaN, 2], [3, NaN, 7], [4, NaN, 8], [9, NaN, 9], [9, NaN, 9]],
  nearest: [[1, NaN, 2], [1, NaN, 3], [3, NaN, 7], [5, NaN, 9], [9, NaN, 9]],
  midpoint: [[1, NaN, 2], [2, NaN, 5], [3.5, NaN, 7.5], [7, NaN, 9], [9, NaN, 9]],
};

for (const backend of ['js', 'wasm']) {
  const x = st.tensor(rows, { dtype: 'float64', backend });

  test(`median: the lower middle value with its position, NaN rows giving their first NaN (${backend})`, () => {
    const m = x.median(1);
    assert.deepEqual(m.values.toArray(), [3, NaN, 7]);
    assert.deepEqual(m.indices.toArray(), [0, 2, 2]);
    assert.deepEqual(st.median(x, 1, true).values.shape, [3, 1]);
    assert.equal(x.slice(0, 0, 1).median().item(), 3);
    assert.ok(Number.isNaN(x.median().item()));
    const n = st.tensor([[1, NaN, 2, NaN]], { backend }).median(1);
    assert.deepEqual([n.values.toArray(), n.indices.toArray()], [[NaN], [1]]);
    assert.equal(st.tensor([5, 2, 7], { dtype: 'int32', backend }).median().item(), 5);
  });

  test(`quantile: every interpolation as torch.quantile, a list of q on a leading axis, all elements when no dim (${backend})`, () => {
    for (const [how, want] of Object.entries(TORCH)) {
      assert.deepEqual(x.quantile(qs, 1, false, how as st.QuantileInterpolation).toArray(), want, how);
    }
    assert.deepEqual(x.slice(0, 0, 1).quantile(0.3, 1, true).toArray(), [[2]]);
    assert.ok(Math.abs(st.quantile(x.indexSelect(0, [0, 2]), 0.4).item() - 3.4) < 1e-12);
    // nearest rounds a tie to the even position, as torch.round
    assert.deepEqual(st.tensor([1, 2, 3, 4], { dtype: 'float64', backend }).quantile([1 / 6, 0.5, 5 / 6], undefined, false, 'nearest').toArray(), [1, 3, 3]);
  });

  test(`median and quantile are differentiable through the values they pick (${backend})`, () => {
    const v = st.tensor([[0.3, -1.2, 2.5, 0.9], [1.1, 0.4, -0.7, 3.3]], { backend });
    assert.ok(st.gradcheck((t: st.Tensor) => t.median(1).values, [v]).ok);
    assert.ok(st.gradcheck((t: st.Tensor) => t.quantile([0.3, 0.8], 1), [v]).ok);
    assert.ok(st.gradcheck((t: st.Tensor) => t.quantile(0.5, undefined, false, 'midpoint'), [v]).ok);
  });

  test(`quantile refuses integers, q outside [0, 1] and unknown interpolations; both refuse an empty dimension (${backend})`, () => {
    assert.throws(() => st.tensor([1, 2], { dtype: 'int32', backend }).quantile(0.5), /^StrataError: quantile: input must be float32 or float64, got int32 \[2\]/);
    assert.throws(() => x.quantile(1.5), /^StrataError: quantile: q must be in \[0, 1\], got 1\.5/);
    assert.throws(() => x.quantile(0.5, 1, false, 'cubic' as st.QuantileInterpolation), /^StrataError: quantile: interpolation must be one of linear, lower, higher, nearest, midpoint, got 'cubic'/);
    assert.throws(() => st.zeros([2, 0], { backend }).median(1), /^StrataError: median: cannot take it over an empty dimension: input \[2,0\], dim 1/);
    assert.throws(() => st.zeros([0], { backend }).quantile(0.5), /^StrataError: quantile: cannot take it over an empty dimension/);
  });
}
