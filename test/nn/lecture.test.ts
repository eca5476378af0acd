// SPDX-License-Identifier: MIT
// The numbers of lectures 002 and 003, reproduced by the layers and summary().
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';
import { assertClose } from '../helpers.js';

const { nn } = st;
const F = nn.functional;
const quiet = { print: null };

test('summary: a 3-4-2 network has 26 parameters and a 3-4-4-1 network 41 (lecture 17)', () => {
  const small = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 2));
  const s = small.summary([3], quiet);
  assert.equal(s.totalParams, 26);
  assert.deepEqual(s.rows.map((r) => [r.name, r.type, r.outputShape, r.params]), [
    ['0', 'Linear', [-1, 4], 16], ['1', 'ReLU', [-1, 4], 0], ['2', 'Linear', [-1, 2], 10],
  ]);
  const deep = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 4), new nn.ReLU(), new nn.Linear(4, 1));
  assert.equal(deep.summary([3], quiet).totalParams, 41);
  // 9 neurons → 9 biases; 3·4 + 4·4 + 4·1 = 32 weights.
  assert.equal(deep.parameters().filter((p) => p.ndim === 1).reduce((n, p) => n + p.size, 0), 9);
  assert.equal(deep.parameters().filter((p) => p.ndim === 2).reduce((n, p) => n + p.size, 0), 32);
});

test('summary: AlexNet first layer, 227×227×3 input, 96 filters 11×11 stride 4 → 55×55×96 with 34,944 parameters', () => {
  const conv = new nn.Conv2d(3, 96, 11, { stride: 4 });
  const lines: string[] = [];
  const s = conv.summary([3, 227, 227], { print: (l) => lines.push(l) });
  assert.deepEqual(s.rows[0].outputShape, [-1, 96, 55, 55]);
  assert.equal(s.rows[0].params, 34944);
  assert.equal(s.totalParams, (11 * 11 * 3 + 1) * 96);
  assert.match(lines.join('\n'), /34,944/);
});

test('summary: nested models list leaves with their state-dict paths and restore their mode', () => {
  class Net extends nn.Module {
    features = new nn.Sequential(new nn.Conv2d(1, 4, 3, { padding: 'same' }), new nn.ReLU(), new nn.MaxPool2d(2));
    head = new nn.Linear(4 * 4 * 4, 10);
    forward(x: st.Tensor): st.Tensor { return this.head.call(this.features.call(x).flatten(1)); }
  }
  const net = new Net();
  const s = net.summary([1, 8, 8], quiet);
  assert.deepEqual(s.rows.map((r) => r.name), ['features.0', 'features.1', 'features.2', 'head']);
  assert.deepEqual(s.rows[2].outputShape, [-1, 4, 4, 4]);
  assert.equal(s.totalParams, 4 * 9 + 4 + 64 * 10 + 10);
  assert.equal(net.training, true);
  assert.equal(net.head.hasForwardHooks() || net.features.hasForwardHooks(), false, 'the probe leaves no hook behind');
});

test('padding arithmetic (lecture 17): (5 − 3 + 2)/1 + 1 = 5, and with stride 2 → 3', () => {
  const x = st.arange(5).float().reshape([1, 1, 5]);
  const w = st.tensor([[[1, 0, -1]]]); // the lecture's neuron weights [1, 0, −1], bias 0
  const y1 = F.conv1d(x, w, null, { padding: 1 });
  const y2 = F.conv1d(x, w, null, { padding: 1, stride: 2 });
  assert.deepEqual(y1.shape, [1, 1, 5]);
  assert.deepEqual(y2.shape, [1, 1, 3]);
  // x = 0..4 padded with zeros: windows [0,0,1], [0,1,2], … give x[i−1] − x[i+1].
  assertClose(y1, [[[-1, -2, -2, -2, 3]]]);
  assertClose(y2, [[[-1, -2, 3]]]);
});

test('convolution example (lecture 003): input 0..8, kernel [[0,1],[2,3]] → [[19,25],[37,43]]', () => {
  const x = st.arange(9).float().reshape([1, 1, 3, 3]);
  const k = st.tensor([[[[0, 1], [2, 3]]]]);
  assertClose(F.conv2d(x, k), [[[[19, 25], [37, 43]]]]);
  const layer = new nn.Conv2d(1, 1, 2, { bias: false });
  layer.loadStateDict({ weight: k });
  assertClose(layer.forward(x), [[[[19, 25], [37, 43]]]]);
});

test('convolution example (lecture 003) with padding 1 gives the 4×4 result of the slides', () => {
  const x = st.arange(9).float().reshape([1, 1, 3, 3]);
  const k = st.tensor([[[[0, 1], [2, 3]]]]);
  assertClose(F.conv2d(x, k, null, { padding: 1 }), [[[[0, 3, 8, 4], [9, 19, 25, 10], [21, 37, 43, 16], [6, 7, 8, 0]]]]);
  // …and with stride 3 (height) × 2 (width), the next slide: [[0, 8], [6, 8]].
  assertClose(F.conv2d(x, k, null, { padding: 1, stride: [3, 2] }), [[[[0, 8], [6, 8]]]]);
});

test("perceptron example (lecture 003): inputs 6, 4, 5 with the slide's weights", () => {
  // w₀ⱼ is neuron j's bias; wᵢⱼ connects input i to neuron j.
  const layer = new nn.Linear(3, 2);
  layer.loadStateDict({ weight: st.tensor([[-2, 2, 1], [0.5, -3, 1]]), bias: st.tensor([2, 2]) });
  const x = st.tensor([[6, 4, 5]]);
  const z = layer.forward(x);
  assertClose(z, [[2 - 12 + 8 + 5, 2 + 3 - 12 + 5]]); // [3, −2]
  assertClose(new nn.Sequential(layer, new nn.Step()).forward(x), [[1, 0]]);
  assertClose(new nn.Sequential(layer, new nn.Sigmoid()).forward(x), [[1 / (1 + Math.exp(-3)), 1 / (1 + Math.exp(2))]], 1e-6);
  const p = new st.train.Perceptron(3, 2);
  p.loadStateDict({ 'linear.weight': st.tensor([[-2, 2, 1], [0.5, -3, 1]]), 'linear.bias': st.tensor([2, 2]) });
  assertClose(p.forward(x), [[1, 0]]);
});
