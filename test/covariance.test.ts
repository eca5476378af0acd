// SPDX-License-Identifier: MIT
// cov, corrcoef and trapezoid against PyTorch 1.13's values for the same inputs (printed by torch,
// float64), their edge cases (one variable, one observation, a constant row), gradients, errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';

const t64 = (v: st.Nested): st.Tensor => st.tensor(v, { dtype: 'float64' });
const near = (got: st.Tensor, want: number | number[] | number[][], tol = 1e-12): void => {
  const g = [got.toArray()].flat(2) as number[], w = [want].flat(2) as number[];
  assert.equal(g.length, w.length);
  g.forEach((v, i) => assert.ok(Number.isNaN(w[i]) ? Number.isNaN(v) : Math.abs(v - w[i]) < tol, `element ${i}: ${v} against PyTorch's ${w[i]}`));
};

test('cov and corrcoef are PyTorch\'s, NaN for a constant row and for too few observations', () => {
  const x = t64([[0, 1, 2, 4], [1, 0, 3, -1], [2, 2, 2, 2]]);
  near(st.cov(x), [[2.9166666666666665, -1.0833333333333333, 0], [-1.0833333333333333, 2.9166666666666665, 0], [0, 0, 0]]);
  near(st.cov(x, 0), [[2.1875, -0.8125, 0], [-0.8125, 2.1875, 0], [0, 0, 0]]);
  near(st.corrcoef(x), [[1, -0.37142857142857144, NaN], [-0.37142857142857144, 1, NaN], [NaN, NaN, NaN]]);
  near(st.cov(t64([1, 2, 4])), 2.3333333333333335);
  assert.equal(st.corrcoef(t64([1, 2, 4])).item(), 1);
  assert.ok(Number.isNaN(st.corrcoef(t64([3, 3, 3])).item())); // 0/0, as PyTorch's c / c
  near(st.cov(t64([[1], [2]])), [[NaN, NaN], [NaN, NaN]]);
  assert.equal(st.cov(st.tensor([[1, 2], [3, 5]], { dtype: 'int32' })).dtype, 'float32');
  // d cov[0][1] / dx[0] = (x[1] − mean x[1]) / (N − 1)
  const g = st.grad((v: st.Tensor) => st.cov(v).narrow(0, 0, 1).narrow(1, 1, 1).sum())(t64([[0, 1, 2], [2, 1, 6]]));
  near(g.narrow(0, 0, 1), [[(2 - 3) / 2, (1 - 3) / 2, (6 - 3) / 2]]);
  assert.throws(() => st.cov(st.ones([2, 2, 2])), /^StrataError: cov: expects \[variables, observations\] or one variable, got \[2,2,2\]/);
  assert.throws(() => st.cov(x, -1), /correction must be a non-negative integer, got -1/);
});

test('trapezoid with unit, given and per-row spacing, along any dim', () => {
  near(st.trapezoid(t64([1, 2, 4])), 4.5);
  near(st.trapezoid(t64([1, 2, 4]), { dx: 0.5 }), 2.25);
  near(st.trapezoid(t64([[1, 2, 4], [0, 1, 0]]), { x: t64([0, 1, 3]) }), [7.5, 1.5]);
  near(st.trapezoid(t64([[1, 2, 4], [0, 1, 0]]), { dim: 0 }), [0.5, 1.5, 2]);
  near(st.trapezoid(t64([[1, 2], [3, 4]]), { x: t64([[0, 1], [0, 2]]) }), [1.5, 7]);
  assert.equal(st.trapezoid(t64([])).item(), 0);
  near(st.grad((y: st.Tensor) => st.trapezoid(y, { x: t64([0, 1, 3]) }))(t64([1, 2, 4])), [0.5, 1.5, 1]);
  assert.throws(() => st.trapezoid(t64([1, 2]), { x: t64([0, 1, 2]) }), /^StrataError: trapezoid: x \[3\] must have 2 points, or y's shape \[2\]/);
});
