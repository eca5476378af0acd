// SPDX-License-Identifier: MIT
// Linear's bias and a following ReLU as the matmul primitive's epilogue (PyTorch's addmm): the
// same values as the product, the add and the ReLU one after another (bit for bit on wasm, where
// the epilogue rounds the product to float32 first as the separate ops do), gradients and
// tangents against finite differences in float64, what Sequential fuses, the fallbacks for a
// bias the epilogue does not take, and the shape rule's message.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';
import { gradcheck, gradgradcheck, jvpcheck } from 'strata-dl/testing';

const F = st.nn.functional;
const bits = (t: st.Tensor): number[] => Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer));

/** x, W, b on `backend`: values with zeros and negatives, so the ReLU cuts some and passes some. */
function data(backend: string, n: number, k: number, o: number, seed: number): [st.Tensor, st.Tensor, st.Tensor] {
  const gen = new st.Generator(seed);
  const r = (shape: number[]): st.Tensor => st.tensor(Float32Array.from(st.randn(shape, { generator: gen, backend: 'js' }).dataSync(), (v, i) => (i % 9 === 4 ? 0 : v)), { shape, backend, dtype: 'float32' });
  return [r([n, k]), r([o, k]), r([o])];
}

test('linear and linearRelu on wasm are bit for bit the product, the add and the ReLU done apart, on 1 and 2 threads; on js within float32 rounding', async () => {
  const prev = st.getNumThreads();
  try {
    // shapes that take whole matrices, column blocks and row blocks on 2 threads, ragged tiles
    for (const [n, k, o] of [[1, 5, 3], [7, 13, 9], [128, 784, 256], [300, 64, 10], [64, 256, 128], [33, 40, 77]] as const) {
      for (const threads of [1, 2]) {
        st.setNumThreads(threads);
        await (st.getBackend('wasm') as st.WasmBackend).ready(threads);
        const [x, w, b] = data('wasm', n, k, o, n + k);
        const apart = st.prims.matmul(x, w, { transB: true }).add(b);
        assert.deepEqual(bits(F.linear(x, w, b)), bits(apart), `linear [${n}, ${k}] x [${o}, ${k}], ${threads} threads`);
        assert.deepEqual(bits(F.linearRelu(x, w, b)), bits(apart.relu()), `linearRelu [${n}, ${k}] x [${o}, ${k}], ${threads} threads`);
        assert.deepEqual(bits(F.linearRelu(x, w)), bits(st.prims.matmul(x, w, { transB: true }).relu()), `linearRelu without bias, ${threads} threads`);
      }
      const [xj, wj, bj] = data('js', n, k, o, n + k);
      const want = st.prims.matmul(xj.to('float64'), wj.to('float64'), { transB: true }).add(bj.to('float64')).relu().dataSync();
      const got = F.linearRelu(xj, wj, bj).dataSync();
      for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= 1e-5 * (1 + Math.abs(want[i])) * Math.sqrt(k), `js [${n}, ${k}]: ${got[i]} vs ${want[i]}`);
    }
  } finally {
    st.setNumThreads(prev);
  }
});

test('gradients of linear and linearRelu (input, weight, bias; batched and 1-D inputs) match finite differences in float64, and their tangents the reverse mode', () => {
  // values away from the ReLU's kink (|x·Wᵀ + b| > 0.05 at every output), so differences are smooth
  const x = st.tensor([[0.9, -0.4, 0.3], [-0.7, 0.8, 0.5]], { dtype: 'float64', backend: 'js' });
  const w = st.tensor([[0.5, 0.2, -0.6], [-0.3, 0.9, 0.4], [0.8, -0.5, 0.1], [0.2, 0.3, 0.7]], { dtype: 'float64', backend: 'js' });
  const b = st.tensor([0.13, -0.2, 0.3, -0.36], { dtype: 'float64', backend: 'js' });
  const y = F.linear(x, w, b).dataSync();
  for (const v of y) assert.ok(Math.abs(v) > 0.05, `an output at the kink: ${v}`);
  assert.ok(y.some((v) => v < 0) && y.some((v) => v > 0));
  for (const f of [F.linear, F.linearRelu]) {
    assert.ok(gradcheck((a, ww, bb) => f(a, ww, bb), [x, w, b]).ok);
    assert.ok(gradgradcheck((a, ww, bb) => f(a, ww, bb).pow(2), [x, w, b]).ok);
    jvpcheck((a, ww, bb) => f(a, ww, bb), [x, w, b]);
    // batched [2, 1, 3] and 1-D [3] inputs
    assert.ok(gradcheck((a, ww, bb) => f(a, ww, bb), [x.reshape([2, 1, 3]), w, b]).ok);
    assert.ok(gradcheck((a, ww, bb) => f(a, ww, bb), [st.tensor([0.9, -0.4, 0.3], { dtype: 'float64', backend: 'js' }), w, b]).ok);
    // the bias's tangent alone (x and W held)
    jvpcheck((bb) => f(x, w, bb), [b]);
  }
});

test('Sequential runs Linear + ReLU as one linearRelu: the same outputs and gradients as the layers apart (a hook keeps them apart)', () => {
  st.setBackend('wasm');
  try {
    st.manualSeed(5);
    const net = new st.nn.Sequential(new st.nn.Linear(20, 16), new st.nn.ReLU(), new st.nn.Linear(16, 4));
    assert.notEqual((net.children()[0] as st.nn.Module).fuse(net.children()[1] as st.nn.Module), null);
    const x = st.randn([9, 20], { generator: new st.Generator(2) });
    const run = (): number[][] => {
      net.zeroGrad();
      const out = net.forward(x);
      out.mul(out).sum().backward();
      return [bits(out), ...net.parameters().map((p) => bits(p.grad!))];
    };
    const fused = run();
    // a forward hook on the ReLU stops the fusion
    const relu = net.children()[1] as st.nn.Module;
    let seen = 0;
    const handle = relu.registerForwardHook(() => { seen++; });
    const apart = run();
    handle.remove();
    assert.equal(seen, 1);
    fused.forEach((f, i) => assert.deepEqual(f, apart[i], `output or gradient ${i}`));
  } finally {
    st.setBackend('js');
  }
});

test('a bias the epilogue does not take (another dtype or shape) is added after the product, as before', () => {
  const x = st.tensor([[1, -2]]), w = st.tensor([[1, 1], [2, -1]]);
  assert.deepEqual(F.linear(x, w, st.tensor([[0.5, 0.5]])).toArray(), [[-0.5, 4.5]]);
  assert.deepEqual(F.linearRelu(x, w, st.tensor([0.5, 0.5], { dtype: 'float64' })).toArray(), [[0, 4.5]]);
  assert.equal(F.linear(x, w, st.tensor([0.5, 0.5], { dtype: 'float64' })).dtype, 'float64');
  assert.throws(() => st.prims.bind('matmul', [x, w, st.tensor([1, 2, 3])], { transA: false, transB: true }), /matmul: bias \[3\] \(float32\) must be \[2\] \(float32\), one per column of the product \[1,2\]/);
});
