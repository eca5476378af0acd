// SPDX-License-Identifier: MIT
// The playground pages' DOM-free parts, in Node: the URL state round trips and its fallbacks, the
// seeded data sets, the classifier the training worker runs, and the convolution explorer's
// computation and size formula against F.conv2d / pooling and the closed form.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import * as st from 'strata-dl';
import { DATASETS, makeDataset, splitPoints } from '../../playground/pages/classify/datasets.js';
import { Classifier } from '../../playground/pages/classify/net.js';
import { ACTIVATIONS, type ClassifyState, DEFAULTS, OPTIMIZERS, formatState, parseState } from '../../playground/pages/classify/state.js';
import { explore, sizeFormula } from '../../playground/pages/conv/compute.js';
import { IMAGES, SIZE, makeImage } from '../../playground/pages/conv/images.js';
import { KERNELS } from '../../playground/pages/conv/kernels.js';
import { type ConvState, DEFAULTS as CONV_DEFAULTS, formatState as formatConv, parseState as parseConv } from '../../playground/pages/conv/state.js';

const F = st.nn.functional;

describe('playground: classify state in the URL', () => {
  const state = fc.record<ClassifyState>({
    dataset: fc.constantFrom(...DATASETS),
    layers: fc.array(fc.integer({ min: 1, max: 32 }), { maxLength: 6 }),
    activation: fc.constantFrom(...ACTIVATIONS),
    lr: fc.constantFrom(0.0001, 0.003, 0.03, 1, 3),
    optimizer: fc.constantFrom(...OPTIMIZERS),
    batch: fc.integer({ min: 1, max: 1024 }),
    l1: fc.double({ min: 0, max: 1, noNaN: true }),
    l2: fc.double({ min: 0, max: 1, noNaN: true }),
    dropout: fc.double({ min: 0, max: 0.9, noNaN: true }),
    noise: fc.double({ min: 0, max: 1, noNaN: true }),
    split: fc.double({ min: 0.1, max: 0.9, noNaN: true }),
    points: fc.integer({ min: 20, max: 2000 }),
    seed: fc.integer({ min: 0, max: 2 ** 31 }),
  });
  test('parseState(formatState(s)) is s', () => {
    fc.assert(fc.property(state, (s) => { assert.deepEqual(parseState(formatState(s)), { ...s }); }), { numRuns: 300 });
  });
  test('a missing or malformed value falls back to its default; the others are kept', () => {
    assert.deepEqual(parseState(''), DEFAULTS);
    const s = parseState('#dataset=nope&layers=4,x&lr=-1&batch=abc&dropout=2&activation=tanh&noise=0.5');
    assert.deepEqual(s, { ...DEFAULTS, activation: 'tanh', noise: 0.5 });
    assert.deepEqual(parseState('layers=').layers, []);
    assert.deepEqual(parseState('layers=1,2,3,4,5,6,7').layers, DEFAULTS.layers); // at most 6
  });
});

describe('playground: the 2-D data sets', () => {
  for (const name of DATASETS) {
    test(`${name}: seeded, in [-1, 1]², both classes`, () => {
      const a = makeDataset(name, 200, 0.3, 5);
      assert.deepEqual(makeDataset(name, 200, 0.3, 5), a);
      assert.notDeepEqual(makeDataset(name, 200, 0.3, 6).xy, a.xy);
      assert.ok(a.xy.every((v) => v >= -1 && v <= 1));
      const ones = a.label.reduce((n, l) => n + l, 0);
      assert.ok(ones > 50 && ones < 150, `${ones} of 200 in class 1`);
    });
  }
  test('the split is a seeded partition of the points', () => {
    const p = makeDataset('moons', 101, 0, 3);
    const { train, test: held } = splitPoints(p, 0.3, 3);
    assert.equal(train.label.length, 30);
    assert.equal(held.label.length, 71);
    const key = (xy: Float32Array, i: number): string => `${xy[2 * i]},${xy[2 * i + 1]}`;
    const all = new Set(Array.from({ length: 101 }, (_, i) => key(p.xy, i)));
    const got = [...Array.from({ length: 30 }, (_, i) => key(train.xy, i)), ...Array.from({ length: 71 }, (_, i) => key(held.xy, i))];
    assert.deepEqual(new Set(got), all);
  });
});

describe('playground: the classifier the worker trains', () => {
  test('learns XOR with every optimizer, and its grid and weights have the right shapes', () => {
    for (const optimizer of OPTIMIZERS) {
      const s = { ...DEFAULTS, dataset: 'xor' as const, optimizer, lr: optimizer === 'adam' ? 0.03 : 0.3, layers: [8, 8], activation: 'tanh' as const, l2: 1e-4, dropout: 0.05 };
      const { train, test: held } = splitPoints(makeDataset('xor', 200, 0, 1), 0.5, 1);
      const net = new Classifier(s, train, held);
      const before = net.metrics();
      for (let i = 0; i < 300; i++) net.trainStep();
      const m = net.metrics();
      assert.ok(m.trainLoss < before.trainLoss, `${optimizer}: ${m.trainLoss} < ${before.trainLoss}`);
      assert.ok(m.testAcc >= 0.9, `${optimizer}: test accuracy ${m.testAcc}`);
      assert.equal(net.grid(10).length, 100);
      assert.deepEqual(net.weights().map((w) => [w.length, w[0].length]), [[8, 2], [8, 8], [1, 8]]);
    }
  });
});

describe('playground: the convolution explorer', () => {
  test('the size formula is PyTorch\'s and shows its numbers', () => {
    const f = sizeFormula(32, 1, 2, 3, 2, 2);
    assert.equal(f.value, 16);
    assert.equal(f.text, '⌊(32 + 1 + 2 − 2·(3 − 1) − 1) / 2⌋ + 1 = 16');
    assert.equal(F.outSize(32, 1, 2, 3, 2, 2), 16);
  });

  test('explore() is F.conv2d then pooling, its formula the output size, for every padding, stride, dilation and kernel', () => {
    const img = makeImage('scene');
    const x = st.tensor(img, { shape: [1, 1, SIZE, SIZE] });
    for (const padding of ['valid', 'same', 'full'] as const) {
      for (const [stride, dilation] of [[1, 1], [2, 1], [1, 2], [3, 2]]) {
        for (const kernel of ['sharpen', 'gaussian blur 5×5'] as const) {
          for (const pool of ['max', 'min', 'avg'] as const) {
            const s: ConvState = { ...CONV_DEFAULTS, kernel, weights: [...KERNELS[kernel]], padding, stride, dilation, pool, poolSize: 2 };
            const r = explore({ data: img, h: SIZE, w: SIZE }, s);
            const k = kernel === 'sharpen' ? 3 : 5;
            const y = F.conv2d(x, st.tensor(Float32Array.from(KERNELS[kernel]), { shape: [1, 1, k, k] }), null, { padding, stride, dilation });
            const what = `${padding} s${stride} d${dilation} ${kernel}`;
            assert.deepEqual([r.conv.h, r.conv.w], [y.shape[2], y.shape[3]], what);
            assert.deepEqual([r.formula.h.value, r.formula.w.value], [y.shape[2], y.shape[3]], what);
            assert.deepEqual(Array.from(r.conv.data), y.flatten().toArray(), what);
            const p = (pool === 'max' ? F.maxPool2d : pool === 'min' ? F.minPool2d : F.avgPool2d)(y, 2);
            assert.deepEqual(Array.from(r.pooled!.data), p.flatten().toArray(), `${what} ${pool}`);
            assert.deepEqual([r.poolFormula!.h.value, r.poolFormula!.w.value], [p.shape[2], p.shape[3]]);
          }
        }
      }
    }
  });

  test('the built-in images are grey levels in [0, 1] with something in them', () => {
    for (const name of IMAGES) {
      const img = makeImage(name);
      assert.equal(img.length, SIZE * SIZE);
      assert.ok(img.every((v) => v >= 0 && v <= 1));
      const mean = img.reduce((a, b) => a + b, 0) / img.length;
      assert.ok(mean > 0.05 && mean < 0.95, `${name}: mean ${mean}`);
    }
  });

  test('the conv state round-trips through the URL; bad values fall back', () => {
    const s: ConvState = { image: 'checkerboard', kernel: 'custom', weights: Array.from({ length: 25 }, (_, i) => i / 4 - 3), padding: 'full', stride: 3, dilation: 2, pool: 'avg', poolSize: 3 };
    assert.deepEqual(parseConv(formatConv(s)), s);
    assert.deepEqual(parseConv(formatConv({ ...s, kernel: 'sharpen', weights: [...KERNELS.sharpen] })), { ...s, kernel: 'sharpen', weights: [...KERNELS.sharpen] });
    assert.deepEqual(parseConv(''), CONV_DEFAULTS);
    assert.deepEqual(parseConv('stride=0&dilation=1.5&padding=wide&kernel=custom&weights=1,2'), { ...CONV_DEFAULTS, kernel: 'custom', weights: [...KERNELS.identity] });
  });
});
