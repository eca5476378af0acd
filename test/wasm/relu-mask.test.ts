// SPDX-License-Identifier: MIT
// A ReLU's backward folded into the kernel that makes its gradient (ir/relu-masked.ts,
// tensor/relu-follows.ts): max pooling's backward after conv-ReLU (MaxPool2d(2) in its own pass,
// other windows by a pass after the scatter) and a convolution's input gradient after the previous
// layer's conv-ReLU (GEMM mode FOLD image by image, or a pass after the direct convolution). Every
// gradient is bit for bit what the unfused passes give, on 1 and 2 threads, with zeros, -0, NaN and
// windows whose maximum is <= 0; the ReLU rule's own pass (the reluGrad primitive) no longer runs
// for those layers; nothing changes where the backward is itself differentiated.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';
import { setReluMasking } from '../../packages/strata-dl/src/ir/relu-masked.js';
import { onThreads } from './on-build.js';

const nn = st.nn;
const F = st.nn.functional;

const bits = (t: st.Tensor): number[] => Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer), (u) =>
  ((u & 0x7f800000) === 0x7f800000 && (u & 0x7fffff) !== 0 ? 0x7fc00000 : u));

interface Net { name: string; input: number[]; shared?: boolean; build(): st.nn.Module; forward?(m: st.nn.Module, x: st.Tensor): st.Tensor }

const NETS: Net[] = [
  // W3's shape: conv-ReLU, conv-ReLU (input gradient of the second by FOLD: 32 filters on 10x10 maps), MaxPool2d(2)
  { name: 'W3-like', input: [5, 1, 12, 12], build: () => new nn.Sequential(new nn.Conv2d(1, 6, 3), new nn.ReLU(), new nn.Conv2d(6, 32, 3), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(32 * 16, 10)) },
  // LeNet's: the second conv's input gradient runs as a direct full convolution (16 filters), then the ReLU's pass
  { name: 'LeNet-like', input: [3, 1, 16, 16], build: () => new nn.Sequential(new nn.Conv2d(1, 6, 5, { padding: 'same' }), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(64, 10)) },
  // a 'same' conv of 12 filters after conv-ReLU: its input gradient is a direct full convolution, then the ReLU's pass
  { name: 'direct input gradient', input: [3, 1, 12, 12], build: () => new nn.Sequential(new nn.Conv2d(1, 6, 3), new nn.ReLU(), new nn.Conv2d(6, 12, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(12 * 25, 4)) },
  // stride 2 after a ReLU (FOLD), odd sizes for MaxPool2d(2) (a row and a column without windows)
  { name: 'strided, odd', input: [4, 2, 15, 21], build: () => new nn.Sequential(new nn.Conv2d(2, 8, 3), new nn.ReLU(), new nn.Conv2d(8, 24, 3, { stride: 2 }), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(24 * 3 * 4, 3)) },
  // the relu primitive (unfused) before an overlapping 3x3 max pool: the scatter, then the ReLU's pass
  {
    name: 'relu primitive, 3x3 pool', input: [3, 2, 13, 13],
    build: () => new nn.Sequential(new nn.Conv2d(2, 7, 3)),
    forward: (m, x) => F.maxPool2d(m.forward(x).relu(), 3, { stride: 2 }),
  },
  // a ReLU output with three consumers: each pooling's gradient is masked, the sum is not (the rule's pass runs)
  {
    name: 'shared ReLU output', input: [3, 2, 13, 13], shared: true,
    build: () => new nn.Sequential(new nn.Conv2d(2, 7, 3)),
    forward: (m, x) => {
      const r = m.forward(x).relu();
      const minPool = st.prims.pool(r.neg(), { kernel: [2, 2], stride: [2, 2], padding: [0, 0, 0, 0], dilation: [1, 1], mode: 'min' });
      return F.maxPool2d(r, 3, { stride: 2 }).sum().add(F.maxPool2d(r, 2).mul(0.5).sum()).add(minPool.sum());
    },
  },
];

/** Inputs with zeros, -0, ties and a NaN, and weights that leave many windows at or below 0. */
function inputOf(net: Net): st.Tensor {
  const gen = new st.Generator(11);
  const v = Float32Array.from(st.randn(net.input, { generator: gen, backend: 'js' }).dataSync(), (r, i) =>
    (i % 97 === 13 ? NaN : i % 5 === 0 ? 0 : i % 7 === 0 ? -0 : Math.round(r * 4) / 4));
  return st.tensor(v, { shape: net.input, backend: 'wasm', dtype: 'float32' });
}

/** Every parameter's gradient and the input's, after one backward, and the calls of the reluGrad kernel. */
function gradients(net: Net, masking: boolean): { grads: number[][]; reluGrads: number } {
  const was = setReluMasking(masking);
  st.manualSeed(3);
  st.setBackend('wasm');
  const model = net.build();
  const x = inputOf(net).requiresGrad_();
  const kernels = st.getBackend('wasm').kernels as unknown as Record<string, (...a: unknown[]) => void>;
  const reluGrad = kernels.reluGrad;
  let reluGrads = 0;
  kernels.reluGrad = (...a) => { reluGrads++; reluGrad(...a); };
  try {
    const y = net.forward ? net.forward(model, x) : model.forward(x);
    // a cotangent with zeros and negatives, so gradients reach windows of every kind
    const g = st.tensor(Float32Array.from({ length: y.size }, (_, i) => (i % 4 === 0 ? 0 : ((i * 7) % 11) - 5)), { shape: y.shape, backend: 'wasm', dtype: 'float32' });
    y.backward(g);
    return { grads: [...model.parameters().map((p) => bits(p.grad!)), bits(x.grad!)], reluGrads };
  } finally {
    kernels.reluGrad = reluGrad;
    setReluMasking(was);
    st.setBackend('js');
  }
}

test('gradients with the ReLU\'s backward folded into pooling\'s and the next conv\'s are bit for bit the unfused ones, on 1 and 2 threads', async () => {
  const prev = st.getNumThreads();
  const prevBackend = st.getBackend().name;
  try {
    for (const net of NETS) {
      let first: number[][] | null = null;
      for (const threads of [1, 2]) {
        await onThreads(threads);
        const folded = gradients(net, true), plain = gradients(net, false);
        if (!net.shared) assert.ok(folded.reluGrads < plain.reluGrads, `${net.name}: reluGrad ran ${folded.reluGrads} times folded, ${plain.reluGrads} unfolded`);
        assert.equal(folded.grads.length, plain.grads.length);
        folded.grads.forEach((gf, i) => assert.deepEqual(gf, plain.grads[i], `${net.name}, ${threads} threads: gradient ${i} differs`));
        if (first) folded.grads.forEach((gf, i) => assert.deepEqual(gf, first![i], `${net.name}: 2 threads differ from 1`));
        first = folded.grads;
      }
    }
  } finally {
    await onThreads(prev);
    st.setBackend(prevBackend);
  }
});

test('the folded ReLU backward zeroes what the ReLU cut: a pooled window at or below 0 passes no gradient to the conv', () => {
  st.setBackend('wasm');
  try {
    // one image, one filter whose output is negative everywhere but one pixel: ReLU makes the
    // window's maximum 0 (the gradient goes to the ReLU's zeros and stops there) except in one window
    const x = st.tensor(Float32Array.from({ length: 36 }, (_, i) => (i === 7 ? 5 : -1)), { shape: [1, 1, 6, 6], backend: 'wasm', dtype: 'float32' });
    const w = st.tensor([[[[1]]]], { backend: 'wasm', dtype: 'float32' }).requiresGrad_();
    const b = st.tensor([0], { backend: 'wasm', dtype: 'float32' }).requiresGrad_();
    F.maxPool2d(F.conv2dRelu(x, w, b), 2).sum().backward();
    // only pixel 7 (value 5) passes: dw = 5, db = 1 (the other 8 windows' maxima are ReLU's zeros)
    assert.deepEqual(Array.from(w.grad!.dataSync()), [5]);
    assert.deepEqual(Array.from(b.grad!.dataSync()), [1]);
  } finally {
    st.setBackend('js');
  }
});

test('a recorded backward (second order) through conv-ReLU-pool is the same with and without the fold, as on js', () => {
  const second = (backend: string, masking: boolean): number[] => {
    const was = setReluMasking(masking);
    try {
      const gen = new st.Generator(4);
      const x = st.randn([2, 1, 8, 8], { generator: gen, backend });
      const w0 = st.randn([3, 1, 3, 3], { generator: gen, backend });
      const gw = (w: st.Tensor): st.Tensor => st.grad((ww: st.Tensor) => F.maxPool2d(F.conv2dRelu(x, ww), 2).pow(2).sum())(w);
      return Array.from(st.grad((w: st.Tensor) => gw(w).pow(2).sum())(w0).dataSync());
    } finally {
      setReluMasking(was);
    }
  };
  const wasm = second('wasm', true);
  assert.deepEqual(wasm, second('wasm', false));
  const js = second('js', true);
  wasm.forEach((v, i) => assert.ok(Math.abs(v - js[i]) <= 1e-3 * (1 + Math.abs(js[i])), `element ${i}: wasm ${v}, js ${js[i]}`));
});
