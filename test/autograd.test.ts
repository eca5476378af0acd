// SPDX-License-Identifier: MIT
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as st from 'strata-dl';
import { assertClose } from './helpers.js';

const f64 = (v: st.Nested, requiresGrad = false): st.Tensor => st.tensor(v, { dtype: 'float64', backend: 'js', requiresGrad });

describe('the lecture example f(x) = (x1·x2·sin x3 + e^(x1·x2)) / x3 at (1, 2, π/2)', () => {
  const f = (x1: st.Tensor, x2: st.Tensor, x3: st.Tensor): st.Tensor => {
    const x4 = x1.mul(x2);
    return x4.exp().add(x4.mul(x3.sin())).div(x3);
  };
  const p = [1, 2, Math.PI / 2];
  const e2 = Math.exp(2);
  const expected = [(4 + 4 * e2) / Math.PI, (2 + 2 * e2) / Math.PI, (-8 - 4 * e2) / Math.PI ** 2];
  const close = (got: number[]): void => got.forEach((g, i) => assert.ok(Math.abs(g - expected[i]) < 1e-6, `component ${i}: ${g} vs ${expected[i]}`));

  test('backward()', () => {
    const xs = p.map((v) => f64(v, true));
    f(xs[0], xs[1], xs[2]).backward();
    close(xs.map((x) => x.grad!.item()));
  });
  test('grad with argnums', () => {
    close(st.grad(f, { argnums: [0, 1, 2] })(...p.map((v) => f64(v))).map((g) => g.item()));
  });
  test('three jvp calls with unit directions', () => {
    const units = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
    close(units.map((u) => st.jvp(f, p.map((v) => f64(v)), u.map((v) => f64(v)))[1].item()));
  });
});

describe('reverse mode', () => {
  test('gradients accumulate into .grad across backward calls, and a fan-out sums', () => {
    const x = f64([1, 2], true);
    x.mul(x).sum().backward();
    x.mul(3).sum().backward();
    assertClose(x.grad!, [5, 7]);
  });
  test('non-scalar backward needs a gradient; with one it is a VJP', () => {
    const x = f64([1, 2, 3], true);
    const y = x.mul(x);
    assert.throws(() => y.backward(), /backward: gradient can be implicitly created only for scalar outputs, got \[3\]/);
    y.backward(f64([1, 0, 2]));
    assertClose(x.grad!, [2, 0, 12]);
  });
  test('saved tensors are released after backward; a second pass needs retainGraph', () => {
    const x = f64([1, 2], true);
    const y = x.exp().sum();
    y.backward();
    assert.throws(() => y.backward(), /backward: the graph through '\w+' was already freed by an earlier backward\(\); pass \{ retainGraph: true \}/);
    const z = x.exp().sum();
    z.backward(undefined, { retainGraph: true });
    z.backward();
    assertClose(x.grad!, [2 * Math.E + Math.E, 3 * Math.exp(2)], 1e-9, 1e-9);
  });
  test('the saved tensors of a released node are dropped', () => {
    const x = f64([1, 2], true);
    const h = x.exp();
    const y = h.sum();
    assert.ok(h._node!.inputs !== null);
    y.backward();
    assert.equal(h._node!.inputs, null);
    assert.equal(h._node!.out, null);
  });
  test('detach and noGrad cut the tape', () => {
    const x = f64([3], true);
    const y = x.mul(x.detach()).sum();
    y.backward();
    assertClose(x.grad!, [3]);
    const z = st.noGrad(() => x.mul(2));
    assert.equal(z.requiresGrad, false);
    assert.equal(z.gradFn, null);
  });
  test('a 100,000-op chain backpropagates without overflowing the stack', () => {
    const x = f64([1], true);
    let y = x;
    for (let i = 0; i < 100_000; i++) y = y.add(1e-5);
    y.sum().backward();
    assertClose(x.grad!, [1]);
  });
  test('integer tensors cannot require gradients', () => {
    assert.throws(() => st.tensor([1, 2], { dtype: 'int32', requiresGrad: true }), /requiresGrad: only floating-point tensors can require gradients, got int32/);
  });
});

describe('functional transforms', () => {
  test('grad returns one gradient, or an array with argnums', () => {
    const g = st.grad((x: st.Tensor) => x.pow(3).sum())(f64([1, 2]));
    assertClose(g, [3, 12]);
    const [ga, gb] = st.grad((a: st.Tensor, b: st.Tensor) => a.mul(b).sum(), { argnums: [0, 1] })(f64([1, 2]), f64([3, 4]));
    assertClose(ga, [3, 4]);
    assertClose(gb, [1, 2]);
  });
  test('valueAndGrad, and the inputs keep their .grad untouched', () => {
    const x = f64([2], true);
    const [v, g] = st.valueAndGrad((t: st.Tensor) => t.square().sum())(x);
    assert.equal(v.item(), 4);
    assertClose(g, [4]);
    assert.equal(x.grad, null);
  });
  test('grad of a function that ignores its input is zero', () => {
    assertClose(st.grad((_x: st.Tensor) => f64(5))(f64([1, 2])), [0, 0]);
  });
  test('grad rejects non-scalar outputs with a clear error', () => {
    assert.throws(() => st.grad((x: st.Tensor) => x.mul(2))(f64([1, 2])), /grad: f must return a floating-point scalar tensor, got float64 \[2\]/);
  });
  test('vjp returns the value and a reusable pullback', () => {
    const [y, pull] = st.vjp((a: st.Tensor, b: st.Tensor) => a.mul(b), f64([1, 2]), f64([3, 4]));
    assertClose(y, [3, 8]);
    const [ga, gb] = pull(f64([1, 1]));
    assertClose(ga, [3, 4]);
    assertClose(gb, [1, 2]);
    assertClose(pull(f64([2, 0]))[0], [6, 0]);
  });
  test('jvp returns value and directional derivative', () => {
    const [y, t] = st.jvp((x: st.Tensor) => x.sin().mul(x), [f64([0.5, 1])], [f64([1, 2])]);
    assertClose(y, [0.5 * Math.sin(0.5), Math.sin(1)], 1e-12, 1e-12);
    assertClose(t, [Math.sin(0.5) + 0.5 * Math.cos(0.5), 2 * (Math.sin(1) + Math.cos(1))], 1e-12, 1e-12);
  });
});

describe('higher order', () => {
  const f = (x: st.Tensor): st.Tensor => x.pow(3).sum().add(x.index(0).mul(x.index(1)).exp()); // x0³+x1³+exp(x0·x1)
  const x0 = [0.5, -0.3];
  const hess = (a: number, b: number): number[][] => {
    const e = Math.exp(a * b);
    return [[6 * a + b * b * e, e + a * b * e], [e + a * b * e, 6 * b + a * a * e]];
  };
  const v = [0.7, -1.2];
  const H = hess(x0[0], x0[1]);
  const Hv = [H[0][0] * v[0] + H[0][1] * v[1], H[1][0] * v[0] + H[1][1] * v[1]];

  test('grad of grad (reverse over reverse)', () => {
    const d2 = st.grad((x: st.Tensor) => st.grad(f)(x).mul(f64(v)).sum())(f64(x0));
    assertClose(d2, Hv, 1e-10, 1e-10);
  });
  test('jvp of grad (forward over reverse): hvp', () => {
    assertClose(st.hvp(f, f64(x0), f64(v)), Hv, 1e-10, 1e-10);
  });
  test('grad of jvp (reverse over forward)', () => {
    const d2 = st.grad((x: st.Tensor) => st.jvp(f, [x], [f64(v)])[1])(f64(x0));
    assertClose(d2, Hv, 1e-10, 1e-10);
  });
  test('jvp of jvp (forward over forward) gives uᵀHv', () => {
    const u = [0.3, 0.9];
    const [, t] = st.jvp((x: st.Tensor) => st.jvp(f, [x], [f64(v)])[1], [f64(x0)], [f64(u)]);
    assert.ok(Math.abs(t.item() - (u[0] * Hv[0] + u[1] * Hv[1])) < 1e-10);
  });
  test('backward with createGraph gives a differentiable gradient', () => {
    const x = f64([2], true);
    const y = x.pow(4).sum();
    y.backward(undefined, { createGraph: true });
    const g = x.grad!;
    assertClose(g, [32]);
    x.grad = null;
    g.sum().backward();
    assertClose(x.grad!, [48]);
  });
  test('third derivative of sin by nested grad', () => {
    const d = (h: (x: st.Tensor) => st.Tensor) => (x: st.Tensor): st.Tensor => st.grad((y: st.Tensor) => h(y).sum())(x);
    const d3 = d(d(d((x) => x.sin())));
    assertClose(d3(f64([0.3])), [-Math.cos(0.3)], 1e-12, 1e-12);
  });
});

describe('custom ops', () => {
  // log(1 + e^x) written so that it neither overflows nor loses precision, with the stable derivative σ(x).
  const softplus = st.customOp({
    name: 'softplus',
    forward: (x) => x.maximum(0).add(x.abs().neg().exp().add(1).log()),
    backward: (g, { inputs: [x] }) => [g.mul(x.sigmoid())],
  });
  test('forward, backward and gradcheck', () => {
    const y = softplus(f64([-1000, 0, 1000]));
    assertClose(y, [0, Math.log(2), 1000], 1e-12, 1e-12);
    st.gradcheck((x) => softplus(x), [f64([-2, 0.3, 4])]);
  });
  test('the user backward is differentiable (second derivative σ(1-σ))', () => {
    const d2 = st.grad((x: st.Tensor) => st.grad((y: st.Tensor) => softplus(y).sum())(x).sum())(f64([0.4]));
    const s = 1 / (1 + Math.exp(-0.4));
    assertClose(d2, [s * (1 - s)], 1e-12, 1e-12);
  });
  test('forward mode goes through forward() unless a jvp rule is given', () => {
    const [, t] = st.jvp((x: st.Tensor) => softplus(x), [f64([0.4])], [f64([2])]);
    assertClose(t, [2 / (1 + Math.exp(-0.4))], 1e-12, 1e-12);
    const withRule = st.customOp({
      name: 'double', forward: (x) => x.mul(2), backward: (g) => [g.mul(2)], jvp: ([t0]) => t0!.mul(2),
    });
    assertClose(st.jvp((x: st.Tensor) => withRule(x), [f64([1])], [f64([3])])[1], [6]);
  });
});

describe('gradcheck reports the worst element', () => {
  test('a wrong derivative is caught, with both values', () => {
    const wrong = st.customOp({ name: 'wrongSquare', forward: (x) => x.mul(x), backward: (g, { inputs: [x] }) => [g.mul(x).mul(3)] });
    const report = st.gradcheck((x) => wrong(x), [f64([1, 2])], { raise: false });
    assert.equal(report.ok, false);
    assert.ok(report.worst);
    assert.ok(Math.abs(report.worst.analytic - report.worst.numeric) > 0.1);
    assert.throws(() => st.gradcheck((x) => wrong(x), [f64([1, 2])]), /gradcheck: input 0 \[2\] at \[\d\]: analytic .* vs numeric/);
  });
});

describe('split and unbind share one backward (the pieces\' gradients are concatenated once)', () => {
  const x0 = [[1, 2, 3], [4, 5, 6]];
  // each piece used in its own way; the middle column unused, the first used twice
  const f = (x: st.Tensor): st.Tensor => {
    const [a, , c] = x.unbind(1);
    return a.mul(a).sum().add(c.sin().sum()).add(a.mul(c).sum());
  };
  test('values: each piece gets its own gradient, unused pieces zero', () => {
    const x = f64(x0, true);
    f(x).backward();
    const expected = x0.map(([a, , c]) => [2 * a + c, 0, Math.cos(c) + a]);
    assertClose(x.grad!, expected, 1e-12);
    assert.equal(x.split(1, 1)[0].gradFn, 'split');
  });
  test('agrees with finite differences, to second order, and with forward mode', () => {
    assert.ok(st.gradcheck(f, [f64(x0)]));
    assert.ok(st.gradgradcheck(f, [f64(x0)]));
    assert.ok(st.jvpcheck((x) => st.stack(x.unbind(0).map((r) => r.sin()), 0), [f64(x0)]));
  });
  test('retainGraph runs the shared backward twice; grad() through a split; uneven split sizes', () => {
    const x = f64(x0, true);
    const y = f(x);
    y.backward(undefined, { retainGraph: true });
    y.backward();
    const once = x0.map(([a, , c]) => [2 * a + c, 0, Math.cos(c) + a]);
    assertClose(x.grad!, once.map((r) => r.map((v) => 2 * v)), 1e-12);
    const g = st.grad((t: st.Tensor) => { const [p, q] = t.split([1, 2], 1); return p.sum().add(q.mul(q).sum()); })(f64(x0));
    assertClose(g, [[1, 4, 6], [1, 10, 12]], 1e-12);
  });
});

test('gradcheck, gradgradcheck and jvpcheck evaluate on their inputs\' backends, in float64', () => {
  for (const backend of ['js', 'wasm']) {
    const seen = new Set<string>();
    const f = (v: st.Tensor): st.Tensor => { seen.add(`${v.backend.name} ${v.dtype}`); return v.sin().mul(v).sum(); };
    const x = st.randn([3], { backend, generator: new st.Generator(4) });
    assert.ok(st.gradcheck(f, [x]).ok);
    assert.ok(st.gradgradcheck(f, [x]).ok);
    st.jvpcheck(f, [x]);
    assert.deepEqual([...seen], [`${backend} float64`]);
  }
});
