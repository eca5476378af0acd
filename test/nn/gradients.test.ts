// SPDX-License-Identifier: MIT
// Every layer's gradients (input and parameters) against finite differences in float64.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';
import { checkModule, distinct64, f64, rand64 } from './module-gradcheck.js';

const { nn } = st;
const F = nn.functional;
const opts = { ...f64, generator: new st.Generator(3) };

test('Linear', () => checkModule(new nn.Linear(3, 2, opts), rand64([4, 3])));
test('Conv2d: stride, padding, dilation', () => checkModule(new nn.Conv2d(2, 3, [3, 2], { ...opts, stride: [2, 1], padding: [1, 0], dilation: [1, 2] }), rand64([2, 2, 5, 6])));
test("Conv2d: groups and 'same' padding with stride 2 (asymmetric)", () => checkModule(new nn.Conv2d(4, 2, 3, { ...opts, groups: 2, stride: 2, padding: 'same' }), rand64([1, 4, 6, 5])));
test("Conv2d: 'full' padding", () => checkModule(new nn.Conv2d(1, 2, 2, { ...opts, padding: 'full' }), rand64([1, 1, 3, 3])));
test('Conv1d: stride, dilation, groups', () => checkModule(new nn.Conv1d(4, 2, 3, { ...opts, stride: 2, dilation: 2, groups: 2, padding: 2 }), rand64([2, 4, 9])));
test('ConvTranspose2d: stride 2, padding, output padding', () => checkModule(new nn.ConvTranspose2d(2, 3, 3, { ...opts, stride: 2, padding: 1, outputPadding: 1 }), rand64([1, 2, 3, 3])));
test("ConvTranspose2d: groups, dilation, 'same'", () => checkModule(new nn.ConvTranspose2d(4, 2, 2, { ...opts, groups: 2, stride: 2, padding: 'same' }), rand64([1, 4, 2, 3])));
test('BatchNorm1d and BatchNorm2d in training mode (batch statistics)', () => {
  checkModule(new nn.BatchNorm1d(3, opts), rand64([5, 3]));
  checkModule(new nn.BatchNorm2d(2, opts), rand64([2, 2, 3, 3]));
});
test('BatchNorm2d in evaluation mode (running statistics)', () => checkModule(new nn.BatchNorm2d(2, opts).eval(), rand64([2, 2, 2, 2])));
test('LayerNorm', () => checkModule(new nn.LayerNorm([2, 3], opts), rand64([4, 2, 3])));
test('Embedding (weight gradient through gather, repeated indices)', () => {
  checkModule(new nn.Embedding(5, 3, opts), st.tensor([[0, 2, 2], [4, 0, 1]], { dtype: 'int32', backend: 'js' }), { input: false });
});

test('pooling: max, min, avg (with padding, both divisors), 1-D and 2-D', () => {
  const x = distinct64([2, 2, 5, 5]);
  st.gradcheck((a) => F.maxPool2d(a, 3, { stride: 2, padding: 1 }), [x]);
  st.gradcheck((a) => F.minPool2d(a, 2, { padding: 'same' }), [x]);
  st.gradcheck((a) => F.avgPool2d(a, [2, 3], { stride: [1, 2], padding: 1 }), [x]);
  st.gradcheck((a) => F.avgPool2d(a, 3, { stride: 2, padding: 'same', countIncludePad: false }), [x]);
  const x1 = distinct64([2, 3, 7]);
  st.gradcheck((a) => F.maxPool1d(a, 2), [x1]);
  st.gradcheck((a) => F.minPool1d(a, 3, { stride: 2, padding: 1 }), [x1]);
  st.gradcheck((a) => F.avgPool1d(a, 3, { stride: 1 }), [x1]);
});

test('max/min pooling: second derivatives and forward mode through the window selection', () => {
  const x = distinct64([1, 2, 5, 5]);
  // Squared so that the second derivative is not zero; padding and overlapping windows.
  st.gradgradcheck((a) => F.maxPool2d(a, 3, { stride: 2, padding: 1 }).square(), [x], { atol: 1e-4, rtol: 1e-3 });
  st.jvpcheck((a) => F.minPool2d(a, [2, 3], { stride: 1, padding: [1, 0], dilation: [2, 1] }).square(), [x]);
});

test("a tied window's whole gradient goes to its first extremum (PyTorch), on every backend", () => {
  for (const backend of st.listBackends()) {
    const x = st.tensor([[[[1, 3, 3, 0], [3, 2, 0, 0], [5, 5, 7, 7], [5, 5, 7, 7]]]], { backend });
    assert.deepEqual(st.grad((a) => F.maxPool2d(a, 2).sum())(x).toArray(), [[[[0, 1, 1, 0], [0, 0, 0, 0], [1, 0, 1, 0], [0, 0, 0, 0]]]], backend);
    assert.deepEqual(st.grad((a) => F.minPool2d(a, 2).sum())(x).toArray(), [[[[1, 0, 0, 1], [0, 0, 0, 0], [1, 0, 1, 0], [0, 0, 0, 0]]]], backend);
    // Overlapping windows over a constant image: each picks its top-left element, and they add up.
    const c = st.ones([1, 1, 3, 3], { backend });
    assert.deepEqual(st.grad((a) => F.maxPool2d(a, 2, { stride: 1 }).sum())(c).toArray(), [[[[1, 1, 0], [1, 1, 0], [0, 0, 0]]]], backend);
  }
});

test('adaptive and global pooling (equal and unequal bins)', () => {
  const x = distinct64([1, 2, 5, 6]);
  st.gradcheck((a) => F.adaptiveAvgPool2d(a, [2, 3]), [x]);
  st.gradcheck((a) => F.adaptiveMaxPool2d(a, [3, 4]), [x]);
  st.gradcheck((a) => F.adaptiveAvgPool1d(a, 3), [distinct64([2, 2, 7])]);
  st.gradcheck((a) => F.adaptiveMaxPool1d(a, 2), [distinct64([2, 2, 6])]);
  st.gradcheck((a) => F.globalAvgPool(a), [x]);
  st.gradcheck((a) => F.globalMaxPool(a), [x]);
});

test('activations: LeakyReLU, ELU, GELU (exact and tanh), Softplus, Sigmoid, Tanh, ReLU, Softmax, LogSoftmax, Identity', () => {
  // Away from the kink at 0, where the derivative is undefined.
  const x = st.tensor([-2.1, -0.7, -0.2, 0.3, 0.9, 2.4], f64);
  const mods = [new nn.LeakyReLU(0.1), new nn.ELU(0.7), new nn.GELU(), new nn.GELU('tanh'), new nn.Softplus(), new nn.Sigmoid(), new nn.Tanh(), new nn.ReLU(), new nn.Identity()];
  for (const m of mods) st.gradcheck((a) => m.forward(a), [x]);
  const x2 = rand64([3, 4]);
  st.gradcheck((a) => new nn.Softmax(1).forward(a), [x2]);
  st.gradcheck((a) => new nn.LogSoftmax(0).forward(a), [x2]);
});

test('Dropout: the gradient is the (seeded) mask scaled by 1/(1 − p)', () => {
  const x = rand64([4, 5]);
  st.gradcheck((a) => F.dropout(a, 0.3, true, new st.Generator(5)), [x]);
});

test('Flatten', () => checkModule(new nn.Sequential(new nn.Flatten(), new nn.Linear(6, 2, opts)), rand64([3, 2, 3])));
