// SPDX-License-Identifier: MIT
// Tensor.to(backend) and Module.to(backend): PyTorch's .to(device) between the js and wasm backends.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';

test('to(backend) copies values, shape and dtype to the other backend, for every dtype; to its own backend it is the tensor itself', () => {
  const cases: [st.DType, number[]][] = [['float32', [1.5, -2, NaN, Infinity, -0, 3]], ['float64', [1e-300, 2, -3, 4, 5, 6]], ['int32', [1, -2, 3, 2147483647, 0, -7]], ['bool', [1, 0, 0, 1, 1, 0]]];
  for (const [dtype, values] of cases) {
    for (const [from, to] of [['js', 'wasm'], ['wasm', 'js']]) {
      const x = st.tensor(values, { dtype, backend: from }).reshape([2, 3]);
      const y = x.to(to);
      assert.equal(y.backend.name, to);
      assert.equal(y.dtype, dtype);
      assert.deepEqual(y.shape, [2, 3]);
      assert.deepEqual(Array.from(y.dataSync()), Array.from(x.dataSync()), `${dtype} ${from} -> ${to}`);
      assert.ok(Object.is(y.dataSync()[4], x.dataSync()[4]), 'the sign of zero survives');
      assert.equal(x.to(from), x);
    }
  }
  // a dtype still casts
  assert.equal(st.tensor([2.7], { backend: 'wasm' }).to('int32').item(), 2);
});

test('to(backend) is differentiable: the gradient comes back to the source backend, through higher-order backward too', () => {
  const x = st.tensor([1, -2, 3], { backend: 'wasm', requiresGrad: true });
  const y = x.to('js');
  assert.equal(y.gradFn, 'to');
  y.mul(y).sum().backward();
  assert.equal(x.grad!.backend.name, 'wasm');
  assert.deepEqual(Array.from(x.grad!.dataSync()), [2, -4, 6]);
  // d²/dx² of Σ x³ moved between backends: 6x
  const [g] = st.grad((a: st.Tensor) => st.grad((b: st.Tensor) => b.to('js').pow(3).sum())(a).sum(), { argnums: [0] })(st.tensor([1, 2], { backend: 'wasm' }));
  assert.equal(g.backend.name, 'wasm');
  assert.deepEqual(Array.from(g.dataSync()), [6, 12]);
  // no gradient recorded for an integer tensor or without requiresGrad
  assert.equal(st.tensor([1, 2], { backend: 'wasm' }).to('js').gradFn, null);
});

test('to(backend) carries forward-mode tangents', () => {
  const [out, tangent] = st.jvp((a: st.Tensor) => a.to('js').mul(3).sum(), [st.tensor([1, 2, 3], { backend: 'wasm' })], [st.tensor([1, 0, 2], { backend: 'wasm' })]);
  assert.equal(out.item(), 18);
  assert.equal(tangent.item(), 9);
});

test('to() with a name that is neither a dtype nor a registered backend is an error naming both kinds', () => {
  assert.throws(() => st.tensor([1]).to('webgpu'), (e: Error) => /to: 'webgpu' is neither a dtype \(float32, float64, int32, bool\) nor a registered backend \(.*js.*wasm.*\)/.test(e.message));
});

test('Module.to(backend) moves parameters, buffers and gradients in place: same tensors, same values, and training goes on there', () => {
  st.manualSeed(3);
  const m = new st.nn.Sequential(new st.nn.Linear(4, 3), new st.nn.BatchNorm1d(3), new st.nn.ReLU(), new st.nn.Linear(3, 2));
  const x = st.randn([5, 4]);
  const moveTo = x.backend.name === 'wasm' ? 'js' : 'wasm';
  m.call(x).sum().backward();
  const params = m.parameters();
  const before = m.namedParameters().map(([k, p]) => [k, Array.from(p.dataSync()), Array.from(p.grad!.dataSync())] as const);
  const buffers = m.namedBuffers().map(([k, b]) => [k, Array.from(b.dataSync())] as const);
  assert.equal(m.to(moveTo), m);
  assert.deepEqual(m.parameters(), params, 'the same Parameter objects');
  for (const [k, values, grad] of before) {
    const p = m.namedParameters().find(([n]) => n === k)![1];
    assert.equal(p.backend.name, moveTo, k);
    assert.equal(p.grad!.backend.name, moveTo, `${k}.grad`);
    assert.deepEqual(Array.from(p.dataSync()), values, k);
    assert.deepEqual(Array.from(p.grad!.dataSync()), grad, `${k}.grad`);
    assert.ok(p.requiresGrad, k);
  }
  for (const [k, values] of buffers) {
    const b = m.namedBuffers().find(([n]) => n === k)![1];
    assert.equal(b.backend.name, moveTo, k);
    assert.deepEqual(Array.from(b.dataSync()), values, k);
  }
  // an optimizer made after the move trains on the new backend
  m.zeroGrad();
  const opt = new st.optim.SGD(m.parameters(), { lr: 0.1, momentum: 0.9 });
  const xm = x.to(moveTo);
  const loss0 = m.call(xm).pow(2).mean();
  loss0.backward();
  opt.step();
  assert.equal(m.parameters()[0].backend.name, moveTo);
  assert.ok(Number.isFinite(m.call(xm).pow(2).mean().item()));
  assert.throws(() => m.to('int32'), /^StrataError: Module\.to: 'int32' is not a floating-point dtype/);
  assert.throws(() => m.to('gpu'), /gpu/);
});

test('an op on tensors of two backends names both and says how to move one', () => {
  const a = st.tensor([1, 2], { backend: 'wasm' }), b = st.tensor([3, 4], { backend: 'js' });
  assert.throws(() => a.add(b), /inputs live on different backends \('wasm' and 'js'\); move one to the other's with \.to\('wasm'\)/);
  assert.deepEqual(a.add(b.to('wasm')).toArray(), [4, 6]);
});

test('to(backend) while an ONNX export traces the forward pass is an error: the copy is no primitive, and the graph would take it for a constant', () => {
  const m = new st.nn.Linear(3, 2);
  const home = m.weight.backend.name, other = home === 'wasm' ? 'js' : 'wasm';
  const via = (mod: st.nn.Module, x: st.Tensor): st.Tensor => (mod as st.nn.Linear).forward(x.to(other).to(home));
  assert.throws(() => st.io.exportOnnx(m, { inputShape: [3], forward: via }), /to: cannot move a tensor from '\w+' to '\w+' while primitives are traced \(ONNX export\)/);
  // to its own backend it is the tensor itself, so tracing goes on
  assert.ok(st.io.exportOnnx(m, { inputShape: [3], forward: (mod, x) => (mod as st.nn.Linear).forward(x.to(home)) }).length > 0);
});
