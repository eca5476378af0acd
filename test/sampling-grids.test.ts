// SPDX-License-Identifier: MIT
// randperm, multinomial and bernoulli (seeded draws on the host: frequencies, PyTorch's rules and
// errors) and meshgrid, logspace and tensordot (shapes, values against einsum, gradients).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';

const gen = (seed: number): st.Generator => new st.Generator(seed);
const counts = (xs: number[], n: number): number[] => xs.reduce((c, k) => { c[k]++; return c; }, new Array<number>(n).fill(0));

test('randperm is a permutation, the same for a seed, int32 unless asked otherwise', () => {
  const p = st.randperm(50, { generator: gen(1) });
  assert.equal(p.dtype, 'int32');
  assert.deepEqual([...p.dataSync()].sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
  assert.deepEqual(st.randperm(50, { generator: gen(1) }).toArray(), p.toArray());
  assert.notDeepEqual(st.randperm(50, { generator: gen(2) }).toArray(), p.toArray());
  assert.equal(st.randperm(3, { dtype: 'float32' }).dtype, 'float32');
  assert.deepEqual(st.randperm(0).shape, [0]);
  // every position uniform: each value's mean position is (n − 1) / 2
  const pos = new Array<number>(4).fill(0);
  for (let s = 0; s < 4000; s++) st.randperm(4, { generator: gen(100 + s) }).dataSync().forEach((v, i) => { pos[v] += i; });
  for (const q of pos) assert.ok(Math.abs(q / 4000 - 1.5) < 0.06, `${pos}`);
  assert.throws(() => st.randperm(-1), /^StrataError: randperm: n must be a non-negative integer, got -1/);
});

test('multinomial draws in proportion to the weights, never a zero weight, and without replacement distinct', () => {
  const w = st.tensor([1, 0, 3, 6]);
  const c = counts(st.multinomial(w, 40_000, { replacement: true, generator: gen(3) }).toArray() as number[], 4);
  [0.1, 0, 0.3, 0.6].forEach((p, k) => assert.ok(Math.abs(c[k] / 40_000 - p) < 0.01, `${c}`));
  const rows = st.multinomial(st.tensor([[0, 2, 0, 2], [5, 0, 0, 1]]), 2, { generator: gen(4) });
  assert.deepEqual(rows.shape, [2, 2]);
  for (const r of rows.toArray() as number[][]) assert.notEqual(r[0], r[1]);
  assert.deepEqual([...(rows.toArray() as number[][])[0]].sort(), [1, 3]);
  // without replacement the first draw follows the weights, the later ones what is left
  const first = counts(Array.from({ length: 6000 }, (_, s) => (st.multinomial(w, 3, { generator: gen(200 + s) }).toArray() as number[])[0]), 4);
  [0.1, 0, 0.3, 0.6].forEach((p, k) => assert.ok(Math.abs(first[k] / 6000 - p) < 0.025, `${first}`));
  assert.deepEqual(st.multinomial(st.tensor([0, 0, 1]), 3, { replacement: true }).toArray(), [2, 2, 2]);
  const bad = (x: st.Tensor, n: number, re: RegExp, replacement = false): void => assert.throws(() => st.multinomial(x, n, { replacement }), re);
  bad(st.tensor([1, -1]), 1, /^StrataError: multinomial: weights must be finite and non-negative, got -1 at row 0, category 1/);
  bad(st.tensor([[1, 1], [0, 0]]), 1, /row 1 of the weights is all zero/);
  bad(st.tensor([1, NaN]), 1, /got NaN at row 0, category 1/);
  bad(st.tensor([1, 0, 1]), 3, /row 0 has 2 non-zero weights, fewer than the 3 samples/);
  bad(st.tensor([1, 1]), 3, /cannot draw 3 samples from 2 categories without replacement/);
  bad(st.tensor([1, 1], { dtype: 'int32' }), 1, /weights must be a 1-D or 2-D floating-point tensor, got int32 \[2\]/);
  bad(st.tensor([1, 1]), 0, /numSamples must be a positive integer, got 0/, true);
});

test('bernoulli: 1 with probability p, in p\'s dtype and shape; p outside [0, 1] is an error', () => {
  const x = st.bernoulli(st.full([2, 20_000], 0.3, { dtype: 'float64' }), { generator: gen(5) });
  assert.deepEqual([x.shape, x.dtype], [[2, 20_000], 'float64']);
  assert.ok(Math.abs(x.mean().item() - 0.3) < 0.01);
  assert.deepEqual(st.bernoulli(st.tensor([0, 1, 1, 0])).toArray(), [0, 1, 1, 0]);
  assert.throws(() => st.bernoulli(st.tensor([0.5, 1.5])), /^StrataError: bernoulli: probabilities must be in \[0, 1\], got 1.5 at element 1/);
  assert.throws(() => st.bernoulli(st.tensor([1], { dtype: 'int32' })), /probs must be a floating-point tensor, got int32 \[1\]/);
});

test('meshgrid in matrix and Cartesian order, with gradients summed back; logspace', () => {
  const [i, j] = st.meshgrid([st.tensor([1, 2]), st.tensor([10, 20, 30])]);
  assert.deepEqual(i.toArray(), [[1, 1, 1], [2, 2, 2]]);
  assert.deepEqual(j.toArray(), [[10, 20, 30], [10, 20, 30]]);
  const [x, y, z] = st.meshgrid([st.tensor([1, 2]), st.tensor([3, 4, 5]), st.tensor(7)], { indexing: 'xy' });
  assert.deepEqual([x.shape, y.shape, z.shape], [[3, 2, 1], [3, 2, 1], [3, 2, 1]]);
  assert.deepEqual(x.toArray(), [[[1], [2]], [[1], [2]], [[1], [2]]]);
  assert.deepEqual(st.grad((a: st.Tensor) => st.meshgrid([a, st.tensor([0, 0, 0])])[0].sum())(st.tensor([1, 2])).toArray(), [3, 3]);
  assert.throws(() => st.meshgrid([st.ones([2, 2])]), /^StrataError: meshgrid: expects 0-D or 1-D tensors, got \[2,2\] at 0/);
  assert.throws(() => st.meshgrid([], { indexing: 'yx' as 'xy' }), /indexing must be 'ij' or 'xy', got 'yx'/);
  assert.deepEqual(st.logspace(-1, 2, 4).toArray(), [0.1, 1, 10, 100].map(Math.fround));
  assert.deepEqual(st.logspace(0, 4, 3, 2, { dtype: 'float64' }).toArray(), [1, 4, 16]);
});

test('tensordot matches einsum for counted and named axes, and its gradients pass gradcheck', () => {
  const g = gen(6);
  const a = st.randn([2, 3, 4], { generator: g, dtype: 'float64' }), b = st.randn([4, 3, 5], { generator: g, dtype: 'float64' });
  const named = st.tensordot(a, b, [[1, 2], [1, 0]]);
  assert.deepEqual(named.shape, [2, 5]);
  assert.ok(named.sub(st.einsum('ijk,kjl->il', a, b)).abs().max().item() < 1e-12);
  const c = st.randn([4, 5], { generator: g, dtype: 'float64' });
  assert.ok(st.tensordot(a, c, 1).sub(st.einsum('ijk,kl->ijl', a, c)).abs().max().item() < 1e-12);
  assert.deepEqual(st.tensordot(st.tensor([1, 2]), st.tensor([3, 4, 5]), 0).shape, [2, 3]);
  st.gradcheck((p: st.Tensor, q: st.Tensor) => st.tensordot(p, q, [[1, 2], [1, 0]]), [a, b]);
  assert.throws(() => st.tensordot(a, b, 4), /^StrataError: tensordot: dims must be an integer from 0 to 3, got 4/);
  assert.throws(() => st.tensordot(a, b, [[0], [0]]), /axis 0 of a \[2,3,4\] and axis 0 of b \[4,3,5\] differ in size/);
  assert.throws(() => st.tensordot(a, b, [[1, 2], [1]]), /dims must pair as many axes of a as of b/);
});
