// SPDX-License-Identifier: MIT
// truncNormal, orthogonal, eye and dirac (PyTorch's trunc_normal_, orthogonal_, eye_, dirac_): the
// distribution's bounds and moments, orthonormality, the identity they start layers as, seeds, and errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';

const { init } = st.nn;
const gen = (seed: number): st.Generator => new st.Generator(seed);

/** The mean and variance of a standard normal restricted to [lo, hi], by the trapezoid rule on its density. */
function truncatedMoments(lo: number, hi: number): [number, number] {
  const n = 200_000, h = (hi - lo) / n;
  let z = 0, m1 = 0, m2 = 0;
  for (let i = 0; i <= n; i++) {
    const x = lo + i * h, w = (i === 0 || i === n ? 0.5 : 1) * Math.exp(-x * x / 2);
    z += w; m1 += w * x; m2 += w * x * x;
  }
  const mean = m1 / z;
  return [mean, m2 / z - mean * mean];
}

test('truncNormal stays in [a, b] and has the truncated normal\'s mean and variance, around 0 and in a tail', () => {
  // each sampler: a wide interval around 0 (normal draws), a narrower one (uniform, e^(−z²/2)), a
  // short interval in a tail (uniform, e^((lo² − z²)/2)), tails (exponential), mirrored, and a long one
  for (const [mean, std, a, b] of [[0, 1, -2, 2], [1, 0.5, 0.4, 1.6], [0, 1, 3, 3.3], [0, 1, 4, 6], [0, 2, -30, -8], [0, 1, 1, Infinity]]) {
    const x = Array.from(init.truncNormal([40_000], mean, std, a, b, { dtype: 'float64', generator: gen(3) }).dataSync());
    assert.ok(x.every((v) => v >= a && v <= b), `[${a}, ${b}]`);
    const [m, v] = truncatedMoments((a - mean) / std, Math.min((b - mean) / std, 40));
    const em = x.reduce((p, q) => p + q, 0) / x.length;
    const ev = x.reduce((p, q) => p + (q - em) ** 2, 0) / x.length;
    // the sample mean's standard error is sd/√40000 = sd/200: within 5 of them
    assert.ok(Math.abs(em - (mean + std * m)) < (5 * std * Math.sqrt(v)) / 200, `mean on [${a}, ${b}]: ${em} against ${mean + std * m}`);
    assert.ok(Math.abs(ev / (std * std * v) - 1) < 0.05, `variance on [${a}, ${b}]: ${ev} against ${std * std * v}`);
  }
  const w = init.truncNormal([5], 0, 1, -2, 2, { generator: gen(9) });
  assert.deepEqual(init.truncNormal([5], 0, 1, -2, 2, { generator: gen(9) }).toArray(), w.toArray());
  assert.throws(() => init.truncNormal([2], 0, 1, 2, -2), /^StrataError: truncNormal: needs std > 0 and a < b, got mean 0, std 1, \[2, -2\]/);
  assert.throws(() => init.truncNormal([2], 0, 0), /needs std > 0/);
});

test('orthogonal gives orthonormal rows or columns times the gain, for tall, wide and conv shapes', () => {
  const check = (q: st.Tensor, gain: number, tol = 1e-12): void => {
    const m = q.reshape([q.shape[0], -1]);
    const [r, c] = m.shape;
    const gram = r <= c ? m.matmul(m.t()) : m.t().matmul(m);
    const k = Math.min(r, c);
    const want = st.eye(k, k, { dtype: q.dtype }).mul(gain * gain);
    assert.ok(gram.sub(want).abs().max().item() < tol, `${q.shape}`);
  };
  for (const shape of [[4, 4], [6, 3], [3, 7], [8, 2, 3, 3]]) check(init.orthogonal(shape, { dtype: 'float64', generator: gen(2) }), 1);
  check(init.orthogonal([5, 4], { gain: 2, dtype: 'float64', generator: gen(4) }), 2);
  const lin = new st.nn.Linear(6, 4);
  assert.equal(init.orthogonal_(lin.weight, { generator: gen(5) }), lin.weight);
  check(lin.weight, 1, 1e-6);
  assert.throws(() => init.orthogonal([3]), /^StrataError: orthogonal: needs at least 2 dimensions, got \[3\]/);
});

test('eye and dirac start a layer as the identity', () => {
  assert.deepEqual(init.eye([3, 2]).toArray(), [[1, 0], [0, 1], [0, 0]]);
  const conv = new st.nn.Conv2d(3, 3, 3, { padding: 'same', bias: false });
  init.dirac_(conv.weight);
  const x = st.randn([2, 3, 5, 5], { generator: gen(6) });
  assert.deepEqual(st.noGrad(() => conv.forward(x)).toArray(), x.toArray());
  // grouped: each group's first channels pass; with more outputs than inputs the rest are zero
  const w = init.dirac([4, 1, 3], { groups: 2 });
  assert.deepEqual(w.toArray(), [[[0, 1, 0]], [[0, 0, 0]], [[0, 1, 0]], [[0, 0, 0]]]);
  const lin = new st.nn.Linear(3, 3, { bias: false });
  init.eye_(lin.weight);
  assert.deepEqual(st.noGrad(() => lin.forward(st.tensor([[1, 2, 3]]))).toArray(), [[1, 2, 3]]);
  assert.throws(() => init.eye([2, 2, 2]), /^StrataError: eye: needs a 2-D shape, got \[2,2,2\]/);
  assert.throws(() => init.dirac([3, 3]), /^StrataError: dirac: needs a 3-, 4- or 5-D weight, got \[3,3\]/);
  assert.throws(() => init.dirac([3, 1, 3], { groups: 2 }), /^StrataError: dirac: the 3 output channels must split into groups = 2/);
});
