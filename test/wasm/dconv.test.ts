// SPDX-License-Identifier: MIT
// The direct convolution (assembly/dconv.ts): the conv primitive on wasm where it runs direct, and
// the conv rule's input gradient (nn/functional/conv-input-grad.ts), which runs as the direct full
// convolution of g with the flipped weights. Against the js reference (float64, with a bound from
// the products' magnitudes), NaN and ±Inf as the reference, and bit for bit on 1, 2 and 3 threads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';
import { gradcheck } from 'strata-dl/testing';
import { directInputGrad, fullConvShape } from '../../packages/strata-dl/src/backends/wasm/conv-input-grad.js';
import { type DconvShape, useDirect } from '../../packages/strata-dl/src/backends/wasm/dconv.js';
import { windowCounts } from '../../packages/strata-dl/src/ir/geometry.js';
import { convInputGrad } from '../../packages/strata-dl/src/nn/functional/conv-input-grad.js';
import { rng } from './helpers.js';
import { onThreads } from './on-build.js';

type Win = st.WindowAttrs;
interface Case { name: string; x: [number, number, number, number]; o: number; win: Win }

const win = (kernel: [number, number], stride: [number, number], padding: [number, number, number, number], dilation: [number, number]): Win => ({ kernel, stride, padding, dilation });

/**
 * Random geometries: channels 1..20, filters 1..20, kernels 1..7, stride 1 or 2, dilation 1 or 2,
 * padding valid, same, full or asymmetric, batch 1..5, widths 1..33 (rows up to 12, to keep the
 * reference quick); the image grows where the window would not fit. Names are unique per seed.
 */
function randomCases(count: number, seed: number, strideOne = false): Case[] {
  const r = rng(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const out: Case[] = [];
  for (let i = 0; i < count; i++) {
    const k: [number, number] = [int(1, 7), int(1, 7)];
    const s: [number, number] = strideOne ? [1, 1] : [int(1, 2), int(1, 2)];
    const d: [number, number] = [int(1, 2), int(1, 2)];
    const ext = [(k[0] - 1) * d[0], (k[1] - 1) * d[1]];
    const mode = ['valid', 'same', 'full', 'asymmetric'][int(0, 3)];
    const pad = (e: number): [number, number] =>
      mode === 'valid' ? [0, 0] : mode === 'same' ? [e >> 1, e - (e >> 1)] : mode === 'full' ? [e, e] : [int(0, e), int(0, e)];
    const [pt, pb] = pad(ext[0]), [pl, pr] = pad(ext[1]);
    const h = Math.max(int(1, 12), ext[0] + 1 - pt - pb), w = Math.max(int(1, 33), ext[1] + 1 - pl - pr);
    const x: [number, number, number, number] = [int(1, 5), int(1, 20), h, w];
    out.push({ name: `#${seed % 100}.${i} ${mode} x${x.join('x')} o${0} k${k} s${s} d${d} p${[pt, pb, pl, pr]}`, x, o: int(1, 20), win: win(k, s, [pt, pb, pl, pr], d) });
    out[i].name = out[i].name.replace(' o0 ', ` o${out[i].o} `);
  }
  return out;
}

// LeNet's layers, W3's first, a few with more filters (the direct kernel's range is up to 128), and
// ones big enough to be shared out over threads
const FIXED: Case[] = [
  { name: 'LeNet conv1', x: [8, 1, 28, 28], o: 6, win: win([5, 5], [1, 1], [2, 2, 2, 2], [1, 1]) },
  { name: 'LeNet conv2', x: [8, 6, 14, 14], o: 16, win: win([5, 5], [1, 1], [0, 0, 0, 0], [1, 1]) },
  { name: 'W3 conv1', x: [4, 1, 28, 28], o: 32, win: win([3, 3], [1, 1], [0, 0, 0, 0], [1, 1]) },
  { name: '40 filters, same', x: [3, 9, 13, 17], o: 40, win: win([3, 3], [1, 1], [1, 1, 1, 1], [1, 1]) },
  { name: 'one image, 3 filters, big', x: [1, 12, 30, 31], o: 3, win: win([5, 3], [1, 1], [2, 2, 1, 1], [1, 1]) },
  { name: 'stride 2, dilation 2, wide', x: [3, 5, 21, 33], o: 11, win: win([3, 4], [2, 2], [2, 1, 3, 0], [2, 2]) },
  { name: 'batch 16: whole images per item on 2 and 3 threads', x: [16, 8, 12, 12], o: 20, win: win([3, 3], [1, 1], [0, 0, 0, 0], [1, 1]) },
  { name: 'padding past the window (full padding < 0)', x: [2, 3, 6, 7], o: 5, win: win([2, 3], [1, 1], [3, 2, 4, 3], [1, 1]) },
];
// (and 24 more at stride 1, whose input gradients can run direct)
const CASES = [...FIXED, ...randomCases(48, 20261206), ...randomCases(24, 1206, true)];

const dshape = (c: Case): DconvShape => {
  const [oh, ow] = windowCounts('conv', [c.x[2], c.x[3]], c.win);
  return { n: c.x[0], c: c.x[1], h: c.x[2], w: c.x[3], o: c.o, oh, ow, window: c.win };
};

/** Data on `backend`, the same values on every backend (drawn on js in float64, then cast). */
function data(c: Case, backend: string, dtype: 'float32' | 'float64', seed: number): { x: st.Tensor; w: st.Tensor; b: st.Tensor; g: st.Tensor } {
  const gen = new st.Generator(seed);
  const k = c.x[1] * c.win.kernel[0] * c.win.kernel[1];
  const [oh, ow] = windowCounts('conv', [c.x[2], c.x[3]], c.win);
  const mk = (shape: number[]): st.Tensor => {
    const v = Float32Array.from(st.randn(shape, { generator: gen, backend: 'js', dtype: 'float64' }).dataSync());
    return st.tensor(Array.from(v), { shape, backend, dtype });
  };
  return { x: mk([...c.x]), w: mk([c.o, k]), b: mk([c.o]), g: mk([c.x[0], c.o, oh * ow]) };
}

/**
 * |got − want| within float32 rounding of a sum of `k` products whose magnitudes sum to `mag`
 * (√k roundings, as a random walk, with room: the bound is ~30x the typical error).
 */
function close(name: string, got: ArrayLike<number>, want: ArrayLike<number>, mag: ArrayLike<number>, k: number): void {
  assert.equal(got.length, want.length, `${name}: length`);
  for (let i = 0; i < want.length; i++) {
    const bound = 1.2e-7 * (4 + 2 * Math.sqrt(k)) * mag[i];
    assert.ok(Math.abs(got[i] - want[i]) <= bound, `${name}: element ${i} is ${got[i]}, want ${want[i]} (bound ${bound})`);
  }
}

const abs = (t: st.Tensor): st.Tensor => t.abs();
const bits = (t: st.Tensor): Uint32Array => new Uint32Array(Float32Array.from(t.dataSync()).buffer);

test('every case runs the direct kernel forward, and the input gradients of many (LeNet\'s second layer\'s among them)', () => {
  for (const c of CASES) assert.ok(useDirect(dshape(c)), `${c.name}: not direct`);
  const direct = CASES.filter((c) => c.win.stride[0] === 1 && c.win.stride[1] === 1 && directInputGrad(fullConvShape(c.x, c.o, c.win)));
  assert.ok(direct.length >= 25, `only ${direct.length} input gradients run direct`);
  assert.ok(direct.includes(FIXED[1]));
});

test('conv with bias and ReLU on wasm (direct) matches the js reference in float64', () => {
  for (const c of CASES) {
    const a = data(c, 'wasm', 'float32', 1), r = data(c, 'js', 'float64', 1);
    const attrs = { ...c.win, relu: true };
    const got = st.noGrad(() => st.prims.conv(a.x, a.w, a.b, attrs)).dataSync();
    const want = st.noGrad(() => st.prims.conv(r.x, r.w, r.b, attrs)).dataSync();
    const mag = st.noGrad(() => st.prims.conv(abs(r.x), abs(r.w), abs(r.b), c.win)).dataSync();
    close(`${c.name} forward`, got, want, mag, c.x[1] * c.win.kernel[0] * c.win.kernel[1]);
    // and without the epilogue: the sum alone (negative values kept)
    const plain = st.noGrad(() => st.prims.conv(a.x, a.w, null, c.win)).dataSync();
    const plainRef = st.noGrad(() => st.prims.conv(r.x, r.w, null, c.win)).dataSync();
    close(`${c.name} forward, no bias`, plain, plainRef, mag, c.x[1] * c.win.kernel[0] * c.win.kernel[1]);
  }
});

test('the input gradient on wasm (direct full convolution, or product + fold) matches the composed one on js in float64', () => {
  let strided = 0;
  for (const c of CASES) {
    const a = data(c, 'wasm', 'float32', 2), r = data(c, 'js', 'float64', 2);
    const fused = convInputGrad.fused(a.g, a.w, a.x, c.win);
    assert.ok(fused, `${c.name}: the wasm kernel did not run`);
    assert.deepEqual(fused.shape, [...c.x]);
    const want = convInputGrad.composed(r.g, r.w, r.x, c.win).dataSync();
    const mag = convInputGrad.composed(abs(r.g), abs(r.w), r.x, c.win).dataSync();
    close(`${c.name} input gradient`, fused.dataSync(), want, mag, c.o * c.win.kernel[0] * c.win.kernel[1]);
    // strided: the product into a temporary, then fold, as the composed definition on wasm, bit for bit
    if (c.win.stride[0] !== 1 || c.win.stride[1] !== 1) {
      strided++;
      assert.deepEqual(bits(fused), bits(convInputGrad.composed(a.g, a.w, a.x, c.win)), `${c.name}: differs from the composed definition on wasm`);
    }
  }
  assert.ok(strided > 5);
});

test('forward and input gradient are bit for bit the same on 1, 2 and 3 threads', async () => {
  const prev = st.getNumThreads();
  try {
    for (const c of CASES) {
      let first: Uint32Array[] | null = null;
      for (const threads of [1, 2, 3]) {
        await onThreads(threads);
        const a = data(c, 'wasm', 'float32', 3);
        const got = [
          bits(st.noGrad(() => st.prims.conv(a.x, a.w, a.b, { ...c.win, relu: true }))),
          bits(convInputGrad.fused(a.g, a.w, a.x, c.win)!),
        ];
        if (first) {
          assert.deepEqual(got[0], first[0], `${c.name}: forward on ${threads} threads differs from 1`);
          assert.deepEqual(got[1], first[1], `${c.name}: input gradient on ${threads} threads differs from 1`);
        }
        first = got;
      }
    }
  } finally {
    await onThreads(prev);
  }
});

test('NaN and ±Inf in the input or the weights come out as on the js reference (forward and input gradient)', () => {
  const cases = [FIXED[0], FIXED[1], FIXED[4], FIXED[5], FIXED[6], ...CASES.slice(FIXED.length, FIXED.length + 12)];
  const seen = new Map<string, number>(); // non-finite outputs per (op, operand): a test that can fail
  for (const c of cases) {
    for (const where of ['x', 'w', 'g'] as const) {
      const a = data(c, 'js', 'float32', 4);
      const t = a[where], v = Float32Array.from(t.dataSync());
      const r = rng(v.length);
      for (const special of [NaN, Infinity, -Infinity, Infinity]) v[Math.floor(r() * v.length)] = special;
      a[where] = st.tensor(Array.from(v), { shape: t.shape, backend: 'js' });
      const on = (tt: st.Tensor): st.Tensor => st.tensor(Array.from(tt.dataSync()), { shape: tt.shape, backend: 'wasm' });
      type Data = ReturnType<st.Tensor['dataSync']>;
      const pairs: [string, Data, Data][] = [];
      if (where !== 'g') {
        const attrs = { ...c.win, relu: false };
        pairs.push(['forward', st.noGrad(() => st.prims.conv(on(a.x), on(a.w), on(a.b), attrs)).dataSync(), st.noGrad(() => st.prims.conv(a.x, a.w, a.b, attrs)).dataSync()]);
      }
      if (where !== 'x') pairs.push(['input gradient', convInputGrad.fused(on(a.g), on(a.w), on(a.x), c.win)!.dataSync(), convInputGrad.composed(a.g, a.w, a.x, c.win).dataSync()]);
      for (const [what, got, want] of pairs) {
        let specials = 0;
        for (let i = 0; i < want.length; i++) {
          const msg = `${c.name}, ${what}, non-finite ${where}: element ${i} is ${got[i]}, want ${want[i]}`;
          if (Number.isNaN(want[i])) {
            assert.ok(Number.isNaN(got[i]), msg);
            specials++;
          } else if (!Number.isFinite(want[i])) {
            assert.equal(got[i], want[i], msg);
            specials++;
          } else {
            assert.ok(Number.isFinite(got[i]), msg);
          }
        }
        seen.set(`${what}, ${where}`, (seen.get(`${what}, ${where}`) ?? 0) + specials);
      }
    }
  }
  assert.equal(seen.size, 4);
  for (const [k, n] of seen) assert.ok(n > 100, `${k}: only ${n} non-finite outputs`);
});

test('conv2d\'s input gradient on wasm is the fused kernel\'s; a recorded backward differentiates the composed definition (second order as on js)', () => {
  const c: Case = { name: 'LeNet conv2, 3 images', x: [3, 6, 14, 14], o: 16, win: win([5, 5], [1, 1], [0, 0, 0, 0], [1, 1]) };
  const a = data(c, 'wasm', 'float32', 5);
  const x4 = a.x.detach().requiresGrad_();
  const w4 = a.w.reshape([16, 6, 5, 5]);
  const y = st.nn.functional.conv2d(x4, w4, null);
  const gy = a.g.reshape(y.shape);
  y.backward(gy);
  assert.deepEqual(bits(x4.grad!), bits(convInputGrad.fused(a.g, a.w, a.x, c.win)!));
  // the fused op steps aside while its result is differentiated again
  assert.equal(convInputGrad.fused(a.g.detach().requiresGrad_(), a.w, a.x, c.win), null);
  assert.equal(convInputGrad.fused(a.g, a.w.detach().requiresGrad_(), a.x, c.win), null);
  // d/dw of ‖∂L/∂x‖² for L = <conv(x, w), gy>: on wasm (composed, recorded) as on js
  const second = (backend: string): Float32Array => {
    const on = (t: st.Tensor): st.Tensor => st.tensor(Array.from(t.dataSync()), { shape: t.shape, backend });
    const xb = on(x4), wb = on(w4), gyb = on(gy);
    const gxNorm = (ww: st.Tensor): st.Tensor => st.grad((x2: st.Tensor) => st.nn.functional.conv2d(x2, ww, null).mul(gyb).sum())(xb).square().sum();
    return Float32Array.from(st.grad(gxNorm)(wb).dataSync());
  };
  const p = second('wasm'), q = second('js');
  for (let i = 0; i < p.length; i++) assert.ok(Math.abs(p[i] - q[i]) <= 1e-3 * (1 + Math.abs(q[i])), `second order, element ${i}: wasm ${p[i]}, js ${q[i]}`);
});

test('conv2d\'s input gradient by finite differences in float64 through the rule\'s hook (wasm and js), stride 1 and 2', () => {
  for (const backend of ['wasm', 'js']) {
    const gen = new st.Generator(6);
    const x = st.randn([2, 3, 7, 6], { generator: gen, backend, dtype: 'float64' });
    const w = st.randn([4, 3, 3, 2], { generator: gen, backend, dtype: 'float64' });
    const b = st.randn([4], { generator: gen, backend, dtype: 'float64' });
    gradcheck((xx, ww, bb) => st.nn.functional.conv2dRelu(xx, ww, bb, { padding: [2, 1, 0, 1], dilation: [1, 2] }), [x, w, b]);
    gradcheck((xx, ww) => st.nn.functional.conv2d(xx, ww, null, { stride: 2, padding: 1 }), [x, w]);
  }
});
