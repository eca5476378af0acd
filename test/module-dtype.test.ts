// SPDX-License-Identifier: MIT
// Module.to(dtype), double() and float() (PyTorch's module.double()): floating-point parameters,
// buffers and gradients convert in place, integer buffers stay, identities stay, and a converted
// model passes gradcheck in float64 and trains with an optimizer made afterwards.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';

const { nn } = st;

/** Parameters and buffers by state-dict key. */
const tensorsOf = (m: st.nn.Module): [string, st.Tensor][] => [...m.namedParameters(), ...m.namedBuffers()];

class Net extends nn.Module {
  conv = new nn.Conv2d(1, 2, 3, { padding: 1 });
  bn = new nn.BatchNorm2d(2);
  head = new nn.Linear(2 * 4 * 4, 3);
  forward(x: st.Tensor): st.Tensor {
    return this.head.forward(this.bn.forward(this.conv.forward(x).tanh()).reshape([-1, 32]));
  }
}

for (const backend of ['js', 'wasm']) {
  test(`double() converts every float parameter, buffer and gradient in place, integer buffers stay (${backend})`, () => {
    st.manualSeed(1);
    const m = new Net().to(backend);
    const x = st.randn([2, 1, 4, 4], { backend });
    m.forward(x).sum().backward();
    const before = new Map(tensorsOf(m));
    const values = new Map([...before].map(([k, t]) => [k, Array.from(t.dataSync())]));
    assert.equal(m.double(), m);
    for (const [k, t] of tensorsOf(m)) {
      assert.equal(t, before.get(k), `${k}: the same tensor object`);
      const wasFloat = k !== 'bn.num_batches_tracked';
      assert.equal(t.dtype, wasFloat ? 'float64' : 'int32', k);
      assert.equal(t.backend.name, backend, k);
      // float32 values are exact in float64
      assert.deepEqual(Array.from(t.dataSync()), values.get(k), k);
      if (t.requiresGrad) assert.equal(t.grad!.dtype, 'float64', `${k}.grad`);
    }
    assert.equal(m.forward(x.double()).dtype, 'float64');
    m.float();
    for (const [k, t] of tensorsOf(m)) assert.equal(t.dtype, k === 'bn.num_batches_tracked' ? 'int32' : 'float32', k);
  });
}

test('a model made in float32 passes gradcheck once converted with double(), and its weight gradient matches central differences', () => {
  st.manualSeed(2);
  // on the default backend (wasm): gradcheck copies its inputs to float64 where they are
  const m = new nn.Sequential(new nn.Linear(3, 4), new nn.Tanh(), new nn.Linear(4, 2)).double();
  const x = st.randn([5, 3]).double();
  assert.equal(x.backend.name, m.parameters()[0].backend.name);
  assert.ok(st.gradcheck((v: st.Tensor) => m.forward(v).square().sum(), [x.detach().requiresGrad_()]));
  const w = m.parameters()[0];
  m.forward(x).square().sum().backward();
  const analytic = w.grad!.dataSync()[5];
  const base = Array.from(w.dataSync());
  const at = (d: number): number => {
    const v = base.slice();
    v[5] += d;
    w.set_(st.tensor(v, { shape: w.shape, dtype: 'float64', backend: w.backend.name }));
    return st.noGrad(() => m.forward(x).square().sum().item());
  };
  const h = 1e-6, numeric = (at(h) - at(-h)) / (2 * h);
  assert.ok(Math.abs(analytic - numeric) <= 1e-7 * Math.max(1, Math.abs(numeric)), `${analytic} against ${numeric}`);
});

test('an optimizer made after double() trains in float64; to(\'float32\') is float()', () => {
  st.manualSeed(3);
  const m = new nn.Linear(2, 1).to('float64');
  const opt = new st.optim.Adam(m.parameters(), { lr: 0.1 });
  const x = st.randn([8, 2]).double(), y = x.sum(1, true);
  const loss = (): number => m.forward(x).sub(y).square().mean().item();
  const first = loss();
  for (let i = 0; i < 30; i++) {
    opt.zeroGrad();
    m.forward(x).sub(y).square().mean().backward();
    opt.step();
  }
  assert.ok(loss() < first / 10, `${first} -> ${loss()}`);
  assert.equal(m.weight.dtype, 'float64');
  assert.equal(m.to('float32').weight.dtype, 'float32');
});
