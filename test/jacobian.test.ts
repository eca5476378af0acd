// SPDX-License-Identifier: MIT
// jacobian and hessian (torch.autograd.functional's): layout, both modes, against closed forms, and
// differentiable again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';

const close = (a: st.Tensor, b: st.Tensor, tol = 1e-10): void => {
  assert.deepEqual(a.shape, b.shape);
  const d = a.sub(b).abs().max().item();
  assert.ok(d <= tol, `largest difference ${d}`);
};

for (const backend of ['js', 'wasm']) {
  const o = { backend, dtype: 'float64' as const };

  test(`jacobian of a linear map is its matrix, in both modes, laid out [...f(x).shape, ...x.shape] (${backend})`, () => {
    const W = st.randn([3, 4], { ...o, generator: new st.Generator(1) });
    const x = st.randn([4], { ...o, generator: new st.Generator(2) });
    close(st.jacobian((v) => W.matmul(v), x), W);
    close(st.jacobian((v) => W.matmul(v), x, { mode: 'forward' }), W);
    // elementwise: a diagonal, here of 1 − tanh², for a [2, 2] input: shape [2, 2, 2, 2]
    const m = st.randn([2, 2], { ...o, generator: new st.Generator(3) });
    const J = st.jacobian((v) => v.tanh(), m);
    assert.deepEqual(J.shape, [2, 2, 2, 2]);
    const d = m.tanh().square().neg().add(1).dataSync();
    const flat = J.reshape([4, 4]).dataSync();
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) assert.ok(Math.abs(flat[i * 4 + j] - (i === j ? d[i] : 0)) < 1e-12, `(${i}, ${j})`);
  });

  test(`hessian is the symmetric matrix of second derivatives; it equals the jacobian of the jacobian (${backend})`, () => {
    // f(x) = x₀³ + x₀x₁² + sin(x₁): H = [[6x₀, 2x₁], [2x₁, 2x₀ − sin x₁]]
    const f = (v: st.Tensor): st.Tensor => v.index(0).pow(3).add(v.index(0).mul(v.index(1).square())).add(v.index(1).sin());
    const x = st.tensor([0.5, -1.5], o);
    const want = st.tensor([[3, -3], [-3, 1 - Math.sin(-1.5)]], o);
    close(st.hessian(f, x), want, 1e-12);
    close(st.jacobian((v) => st.jacobian(f, v), x), want, 1e-12);
    close(st.jacobian((v) => st.jacobian(f, v, { mode: 'forward' }), x, { mode: 'forward' }), want, 1e-12);
  });

  test(`empty inputs and outputs give empty jacobians; bad arguments are errors naming the call (${backend})`, () => {
    assert.deepEqual(st.jacobian((v) => v.sum(0, true).slice(0, 0, 0), st.ones([3], o)).shape, [0, 3]);
    assert.deepEqual(st.jacobian((v) => v.mul(2), st.ones([0], o), { mode: 'forward' }).shape, [0, 0]);
    assert.throws(() => st.jacobian((v) => v, st.tensor([1], { backend, dtype: 'int32' })), /^StrataError: jacobian: x must be floating-point, got int32 \[1\]/);
    assert.throws(() => st.jacobian((v) => v, st.ones([1], o), { mode: 'sideways' as 'forward' }), /^StrataError: jacobian: mode must be 'reverse' or 'forward', got 'sideways'/);
    assert.throws(() => st.hessian((v) => v.mul(2), st.ones([2], o)), /^StrataError: hessian: f must return one value, got \[2\]/);
  });
}
