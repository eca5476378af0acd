// SPDX-License-Identifier: MIT
// conv2dReluPool, a convolution, its ReLU and MaxPool2d(2) as one fused op for inference (and
// conv2dPool, the same without the ReLU): bit for bit maxPool2d(conv2dRelu(·), 2) on wasm (the
// fused kernel where the convolution runs direct, the conv and pool kernels through a temporary
// elsewhere) and on js, with NaN and ±Inf; the composed ops, and their gradients, where autodiff
// records; what Sequential fuses, and what it leaves apart.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';

const F = st.nn.functional;
const bits = (t: st.Tensor): number[] => Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer));

/** x [n, c, h, w], weights [o, c, kh, kw], bias [o] on `backend`, with some NaN and ±Inf in x when `special`. */
function data(backend: string, [n, c, h, w]: number[], o: number, k: number, seed: number, special = false): [st.Tensor, st.Tensor, st.Tensor] {
  const gen = new st.Generator(seed);
  const r = (shape: number[], edit: (v: number, i: number) => number = (v) => v): st.Tensor =>
    st.tensor(Float32Array.from(st.randn(shape, { generator: gen, backend: 'js' }).dataSync(), edit), { shape, backend, dtype: 'float32' });
  const odd = (v: number, i: number): number => (!special ? v : i % 97 === 5 ? NaN : i % 89 === 7 ? Infinity : i % 83 === 11 ? -Infinity : v);
  return [r([n, c, h, w], odd), r([o, c, k, k]), r([o])];
}

/** Runs `body` with the wasm backend's convReluPool kernel counting its calls (`calls()`), then restores it. */
function countingKernel(body: (calls: () => number) => void): void {
  const kernel = st.getBackend('wasm').fused!.convReluPool!;
  const run = kernel.run;
  let n = 0;
  (kernel as { run: typeof run }).run = (a) => { n++; run(a); };
  try {
    body(() => n);
  } finally {
    (kernel as { run: typeof run }).run = run;
  }
}

// [x shape, filters, kernel, options]: the direct kernel with the pool (W3's second layer, same
// padding, odd sizes that drop a row and a column, one channel); pooled rows narrower than 4, a
// stride, more than 128 filters (the conv and pool kernels apart)
const CASES: [number[], number, number, st.nn.functional.Conv2dOptions][] = [
  [[4, 32, 26, 26], 64, 3, {}], [[3, 3, 17, 19], 5, 3, { padding: 1 }], [[2, 1, 28, 28], 32, 3, {}], [[1, 6, 14, 14], 16, 5, { padding: 'same' }],
  [[2, 2, 9, 9], 7, 3, { stride: 2 }], [[2, 4, 9, 9], 3, 3, {}], [[1, 3, 10, 10], 130, 3, {}],
];

test('conv2dReluPool is maxPool2d(conv2dRelu(·), 2) bit for bit on wasm (1 and 2 threads) and on js, NaN and ±Inf included', async () => {
  const prev = st.getNumThreads();
  try {
    for (const [shape, o, k, opts] of CASES) {
      for (const special of [false, true]) {
        for (const threads of [1, 2]) {
          st.setNumThreads(threads);
          await (st.getBackend('wasm') as st.WasmBackend).ready(threads);
          const [x, w, b] = data('wasm', shape, o, k, shape[2] + o, special);
          const want = st.noGrad(() => F.maxPool2d(F.conv2dRelu(x, w, b, opts), 2));
          const got = st.noGrad(() => F.conv2dReluPool(x, w, b, opts));
          assert.deepEqual(got.shape, want.shape);
          assert.deepEqual(bits(got), bits(want), `wasm [${shape}] x ${o} ${JSON.stringify(opts)}${special ? ' with NaN/Inf' : ''}, ${threads} threads`);
          assert.deepEqual(bits(st.noGrad(() => F.conv2dReluPool(x, w, null, opts))), bits(st.noGrad(() => F.maxPool2d(F.conv2dRelu(x, w, null, opts), 2))), 'no bias');
          assert.deepEqual(bits(st.noGrad(() => F.conv2dPool(x, w, b, opts))), bits(st.noGrad(() => F.maxPool2d(F.conv2d(x, w, b, opts), 2))), `conv2dPool, ${threads} threads`);
          assert.deepEqual(bits(st.noGrad(() => F.conv2dPool(x, w, null, opts))), bits(st.noGrad(() => F.maxPool2d(F.conv2d(x, w, null, opts), 2))), 'conv2dPool, no bias');
        }
        const [xj, wj, bj] = data('js', shape, o, k, shape[2] + o, special);
        assert.deepEqual(bits(F.conv2dReluPool(xj, wj, bj, opts)), bits(F.maxPool2d(F.conv2dRelu(xj, wj, bj, opts), 2)), `js [${shape}]`);
        assert.deepEqual(bits(F.conv2dPool(xj, wj, bj, opts)), bits(F.maxPool2d(F.conv2d(xj, wj, bj, opts), 2)), `js conv2dPool [${shape}]`);
      }
    }
  } finally {
    st.setNumThreads(prev);
  }
});

test('conv2dReluPool runs the fused kernel only where nothing records, and its composed ops (with their gradients) where autodiff does', () => {
  countingKernel((calls) => {
    const [x, w, b] = data('wasm', [2, 3, 12, 12], 4, 3, 1);
    st.noGrad(() => F.conv2dReluPool(x, w, b));
    assert.equal(calls(), 1);
    w.requiresGrad = true;
    const y = F.conv2dReluPool(x, w, b);
    assert.equal(calls(), 1, 'recorded: the composed ops');
    y.sum().backward();
    const g = w.grad!.dataSync();
    w.grad = null;
    F.maxPool2d(F.conv2dRelu(x, w, b), 2).sum().backward();
    assert.deepEqual(Array.from(g), Array.from(w.grad!.dataSync()));
    // a weight that requires grad inside noGrad: nothing records, so the kernel runs
    st.noGrad(() => F.conv2dReluPool(x, w, b));
    assert.equal(calls(), 2);
  });
});

test('conv2dReluPool reports bad input as conv2d and maxPool2d do', () => {
  const [x, w] = data('wasm', [1, 3, 8, 8], 2, 3, 2);
  assert.throws(() => F.conv2dReluPool(x, st.zeros([2, 4, 3, 3])), /conv2d: input \[1,3,8,8\] has 3 channels, weight \[2,4,3,3\] expects 4/);
  assert.throws(() => F.conv2dReluPool(x, w, st.zeros([3])), /conv2d: bias \[3\] must be \[2\]/);
  assert.throws(() => st.noGrad(() => F.conv2dReluPool(st.zeros([1, 3, 3, 3]), w)), /maxPool2d/);
});

test('Sequential runs Conv2d, ReLU, MaxPool2d(2) as conv2dReluPool in inference: the same outputs as the layers apart; other pools, hooks and training keep them apart', () => {
  st.setBackend('wasm');
  countingKernel((calls) => {
    st.manualSeed(4);
    const net = st.models.cnn();
    net.eval();
    const x = st.randn([3, 1, 28, 28], { generator: new st.Generator(3) });
    const fused = st.noGrad(() => net.forward(x));
    assert.equal(calls(), 1, 'the second conv block');
    const layers = net.children() as st.nn.Module[];
    const apart = st.noGrad(() => layers.reduce((y, layer) => layer.forward(y), x));
    assert.deepEqual(bits(fused), bits(apart));
    // training: the block records, so the three ops run (the first conv and ReLU still fuse)
    net.train();
    net.forward(x).sum().backward();
    assert.equal(calls(), 1);
    // fuse offers the pool after a ReLU (three layers) or directly after the conv (two), and only
    // MaxPool2d(2) as it comes
    const conv = new st.nn.Conv2d(1, 2, 3), relu = new st.nn.ReLU();
    assert.equal(conv.fuse(relu, new st.nn.MaxPool2d(2))?.layers, 3);
    assert.equal(conv.fuse(relu, new st.nn.MaxPool2d([2, 2], { stride: 2 }))?.layers, 3);
    assert.notEqual(conv.fuse(new st.nn.MaxPool2d(2)), null);
    assert.equal(conv.fuse(new st.nn.MaxPool2d(2))?.layers ?? 2, 2);
    for (const p of [new st.nn.MaxPool2d(2, { stride: 1 }), new st.nn.MaxPool2d(3), new st.nn.MaxPool2d(2, { ceilMode: true }), new st.nn.MaxPool2d(2, { padding: 1 }), new st.nn.AvgPool2d(2)]) {
      assert.equal(conv.fuse(relu, p)?.layers ?? 2, 2);
      assert.equal(conv.fuse(p), null);
    }
    assert.equal(conv.fuse(new st.nn.Tanh(), new st.nn.MaxPool2d(2)), null);
    // a forward hook on the pool keeps it apart (and sees the pool's own output)
    net.eval();
    const pool = layers[4];
    let seen: number[] | null = null;
    const h = pool.registerForwardHook((_m, _in, out) => { seen = (out as st.Tensor).shape.slice(); });
    const hooked = st.noGrad(() => net.forward(x));
    h.remove();
    assert.equal(calls(), 1);
    assert.deepEqual(seen, [3, 64, 12, 12]);
    assert.deepEqual(bits(hooked), bits(fused));
  });
});

test('Sequential runs a Conv2d directly followed by MaxPool2d(2) as conv2dPool in inference (models.cnnBn): the same outputs as the layers apart', () => {
  st.setBackend('wasm');
  countingKernel((calls) => {
    st.manualSeed(6);
    const net = st.models.cnnBn();
    net.eval();
    const x = st.randn([5, 1, 28, 28], { generator: new st.Generator(4) });
    const fused = st.noGrad(() => net.forward(x));
    assert.equal(calls(), 2, 'both conv-pool blocks');
    const apart = st.noGrad(() => (net.children() as st.nn.Module[]).reduce((y, layer) => layer.forward(y), x));
    assert.deepEqual(bits(fused), bits(apart));
    net.train();
    net.forward(x).sum().backward();
    assert.equal(calls(), 2, 'training records: the ops run apart');
  });
});
