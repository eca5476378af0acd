// SPDX-License-Identifier: MIT
// The layers of issues 21 and 23 against PyTorch's own numbers (test/fixtures/layers-torch.json,
// made by layers-torch.py with PyTorch 1.13): values and gradients, including the gradient at every
// activation's breakpoints, ceil-mode pooling, interpolate's coordinate mapping in float32 and
// float64, transposed convolution's outputPadding, and the accurate tails of logSigmoid/softplus.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import * as st from 'strata-dl';
import { assertClose } from '../helpers.js';

const F = st.nn.functional;
interface Case { name: string; inputs: number[][]; dtype: 'float32' | 'float64'; shape: number[]; y: number[]; grads: number[][] }
const fx = JSON.parse(readFileSync(new URL('../fixtures/layers-torch.json', import.meta.url), 'utf8')) as {
  points: number[];
  activations: Record<string, { y: number[]; dy: number[] }>;
  cases: Case[];
  instanceRunning: { mean: number[]; var: number[] };
  logSigmoidTails: { x: number[]; y: number[]; y32: number[] };
  softplusTails: { x: number[]; y: number[]; y32: number[] };
};

const count = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
const ramp = (shape: number[], dtype: st.DType, backend: string): st.Tensor =>
  st.tensor(Array.from({ length: count(shape) }, (_, i) => Math.sin(i * 0.7 + 0.3) * 3), { shape, dtype, backend });
const weights = (shape: readonly number[], dtype: st.DType, backend: string): st.Tensor =>
  st.tensor(Array.from({ length: count(shape) }, (_, i) => Math.cos(i * 0.37)), { shape: [...shape], dtype, backend });

type Fn = (...xs: st.Tensor[]) => st.Tensor;
const ACTIVATIONS: Record<string, (x: st.Tensor) => st.Tensor> = {
  hardtanh: (x) => F.hardtanh(x, -1, 2), relu6: F.relu6, hardsigmoid: F.hardsigmoid, hardswish: F.hardswish, selu: F.selu,
  celu: (x) => F.celu(x, 1.5), logSigmoid: F.logSigmoid, softsign: F.softsign, softplus: (x) => F.softplus(x),
  softplusBeta: (x) => F.softplus(x, 2, 3), silu: F.silu, mish: F.mish, elu: (x) => F.elu(x), leakyRelu: (x) => F.leakyRelu(x, 0.1),
};
const bilinear = (o: st.nn.functional.InterpolateOptions): Fn => (x) => F.interpolate(x, o);
const CASES: Record<string, Fn> = {
  'prelu per channel': (x, w) => F.prelu(x, w),
  'prelu 1-D input': (x, w) => F.prelu(x, w),
  'groupNorm 3 groups affine': (x, w, b) => F.groupNorm(x, 3, w, b, 1e-5),
  'instanceNorm affine': (x, w, b) => F.instanceNorm(x, null, null, w, b),
  'maxPool2d k3 s2 p1 ceil': (x) => F.maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }),
  'avgPool2d k3 s2 p1 ceil': (x) => F.avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }),
  'avgPool2d k2 s2 ceil no pad': (x) => F.avgPool2d(x, 2, { ceilMode: true }),
  'avgPool2d k3x2 s2 p1 ceil countIncludePad false': (x) => F.avgPool2d(x, [3, 2], { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }),
  'avgPool2d k2 s1 p1 divisorOverride 3': (x) => F.avgPool2d(x, 2, { stride: 1, padding: 1, divisorOverride: 3 }),
  'maxPool1d k2 ceil': (x) => F.maxPool1d(x, 2, { ceilMode: true }),
  'avgPool1d k3 s2 p1 ceil': (x) => F.avgPool1d(x, 3, { stride: 2, padding: 1, ceilMode: true }),
  'maxPool2d k2 s2 p1 ceil (a last window starting in the right padding is dropped)': (x) => F.maxPool2d(x, 2, { padding: 1, ceilMode: true }),
  'avgPool2d k2 s2 p1 ceil (a last window starting in the right padding is dropped)': (x) => F.avgPool2d(x, 2, { padding: 1, ceilMode: true }),
  'interpolate bilinear scale 1.7': bilinear({ scaleFactor: 1.7, mode: 'bilinear', alignCorners: false }),
  'interpolate bilinear scale 1.7 alignCorners': bilinear({ scaleFactor: 1.7, mode: 'bilinear', alignCorners: true }),
  'interpolate bilinear size 5x3': bilinear({ size: [5, 3], mode: 'bilinear' }),
  'interpolate bilinear size 5x3 alignCorners': bilinear({ size: [5, 3], mode: 'bilinear', alignCorners: true }),
  'interpolate nearest scale 1.5': bilinear({ scaleFactor: 1.5 }),
  'interpolate nearest size 7x2': bilinear({ size: [7, 2], mode: 'nearest' }),
  'interpolate nearest-exact scale 2.5': bilinear({ scaleFactor: 2.5, mode: 'nearest-exact' }),
  'interpolate linear scale 0.6': bilinear({ scaleFactor: 0.6, mode: 'linear' }),
  'convTranspose2d s2 p1 op1': (x, w, b) => F.convTranspose2d(x, w, b, { stride: 2, padding: 1, outputPadding: 1 }),
  'convTranspose2d s3 p1 op2': (x, w) => F.convTranspose2d(x, w, null, { stride: 3, padding: 1, outputPadding: 2 }),
  'convTranspose2d d2 op1': (x, w) => F.convTranspose2d(x, w, null, { dilation: 2, outputPadding: 1 }),
  'convTranspose2d s2 p2 op1 d2 groups 2': (x, w) => F.convTranspose2d(x, w, null, { stride: 2, padding: 2, outputPadding: 1, dilation: 2, groups: 2 }),
  'pad reflect': (x) => F.pad(x, [2, 1, 1, 2], 'reflect'),
  'pad replicate': (x) => F.pad(x, [2, 1, 1, 2], 'replicate'),
  'pad circular': (x) => F.pad(x, [2, 1, 1, 2], 'circular'),
  'pixelShuffle 2': (x) => F.pixelShuffle(x, 2),
  normalize: (x) => F.normalize(x),
  'normalize p1 dim0 eps': (x) => F.normalize(x, { p: 1, dim: 0, eps: 1e-3 }),
  cosineSimilarity: (a, b) => F.cosineSimilarity(a, b.div(2).neg().add(1)),
  'cosineSimilarity broadcast dim -1': (a, b) => F.cosineSimilarity(a, b.div(2).neg().add(1), { dim: -1 }),
  pairwiseDistance: (a, b) => F.pairwiseDistance(a, b.div(2).neg().add(1)),
  'pairwiseDistance p1 keepdim': (a, b) => F.pairwiseDistance(a, b.div(2).neg().add(1), { p: 1, keepdim: true }),
  'pixelUnshuffle 2': (x) => F.pixelUnshuffle(x, 2),
};

test('the fixture holds every case this file names, and nothing else', () => {
  const names = new Set(fx.cases.map((c) => c.name.replace(/ \((float32|float64)\)$/, '')));
  assert.deepEqual([...names].sort(), Object.keys(CASES).sort());
  assert.deepEqual(Object.keys(fx.activations).sort(), Object.keys(ACTIVATIONS).sort());
});

describe('activations at and between their breakpoints: values and gradients as PyTorch', () => {
  for (const [name, f] of Object.entries(ACTIVATIONS)) {
    test(name, () => {
      const x = st.tensor(fx.points, { dtype: 'float64', backend: 'js' });
      const [y, g] = st.valueAndGrad((t: st.Tensor) => f(t).sum())(x);
      assertClose(f(x), st.tensor(fx.activations[name].y, { dtype: 'float64', backend: 'js' }), 1e-12, 1e-12, `${name} value`);
      assert.ok(Number.isFinite(y.item()));
      // rtol 1e-7: PyTorch's hardsigmoid gradient is float32's 1/6 even in float64; a wrong side
      // of a breakpoint is off by O(1).
      assertClose(g, st.tensor(fx.activations[name].dy, { dtype: 'float64', backend: 'js' }), 1e-12, 1e-7, `${name} gradient`);
    });
  }
});

for (const backend of st.listBackends()) {
  describe(`layers against PyTorch on ${backend}`, () => {
    for (const c of fx.cases) {
      // float64 runs on the reference backend; float32 cases run on every backend.
      if (c.dtype === 'float64' && backend !== 'js') continue;
      const f = CASES[c.name.replace(/ \((float32|float64)\)$/, '')];
      const tol = c.dtype === 'float64' ? 1e-10 : 2e-5;
      test(`${c.name}: value and gradients`, () => {
        const xs = c.inputs.map((s) => ramp(s, c.dtype, backend));
        const [y, back] = st.vjp(f, ...xs);
        assertClose(y, st.tensor(c.y, { shape: c.shape, dtype: 'float64', backend: 'js' }), tol, tol, `${c.name} value`);
        const gs = back(weights(y.shape, c.dtype, backend));
        gs.forEach((g, i) => assertClose(g, st.tensor(c.grads[i], { shape: c.inputs[i], dtype: 'float64', backend: 'js' }), tol, 10 * tol, `${c.name} gradient ${i}`));
      });
    }
  });
}

test('instanceNorm updates running statistics as PyTorch (batch mean of instance stats, unbiased variance)', () => {
  const x = ramp([3, 2, 5], 'float64', 'js');
  const rm = st.tensor([0.5, -0.5], { dtype: 'float64', backend: 'js' });
  const rv = st.tensor([2, 0.5], { dtype: 'float64', backend: 'js' });
  F.instanceNorm(x, rm, rv, null, null, { momentum: 0.3 });
  assertClose(rm, fx.instanceRunning.mean, 1e-12, 1e-12, 'running mean');
  assertClose(rv, fx.instanceRunning.var, 1e-12, 1e-12, 'running var');
});

/** Relative agreement: the tails are tiny numbers that an absolute tolerance would wave through. */
function assertRelative(actual: st.Tensor, expected: number[], rtol: number, what: string): void {
  const a = actual.dataSync();
  expected.forEach((e, i) => assert.ok(a[i] === e || Math.abs(a[i] - e) <= rtol * Math.abs(e), `${what} element ${i}: got ${a[i]}, PyTorch ${e}`));
}

for (const backend of st.listBackends()) {
  test(`logSigmoid and softplus keep their tails to full relative precision on ${backend}`, () => {
    const ls = fx.logSigmoidTails;
    const sp = fx.softplusTails;
    assertRelative(F.logSigmoid(st.tensor(ls.x, { backend })), ls.y32, 1e-6, 'logSigmoid float32');
    assertRelative(F.softplus(st.tensor(sp.x, { backend }), 1, 1000), sp.y32, 1e-6, 'softplus float32');
    if (backend === 'js') {
      assertRelative(F.logSigmoid(st.tensor(ls.x, { backend, dtype: 'float64' })), ls.y, 1e-14, 'logSigmoid float64');
      assertRelative(F.softplus(st.tensor(sp.x, { backend, dtype: 'float64' }), 1, 1000), sp.y, 1e-14, 'softplus float64');
    }
  });
}
