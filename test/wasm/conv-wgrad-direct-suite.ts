// SPDX-License-Identifier: MIT
// The direct weight-gradient kernel of the wasm backend (assembly/wgrad.ts, src/backends/wasm/wgrad.ts),
// forced on for every geometry, on the 'wasm' backend registered when the suite runs (the plain SIMD
// build: conv-wgrad-direct.test.ts; the FMA build: conv-wgrad-direct-relaxed.test.ts): against the js reference in float64, NaN and ±Inf as the reference
// gives them (and none from values outside a row's windows), the same bits on 1, 2 and 3 threads,
// and conv2d's weight gradient through it against finite differences of the float64 loss.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';
import { convWeightGrad } from '../../packages/strata-dl/src/nn/functional/conv-weight-grad.js';
import { setWgradPath } from '../../packages/strata-dl/src/backends/wasm/wgrad.js';
import { onThreads } from './on-build.js';

type Win = st.WindowAttrs;
type Case = { name: string; shape: [number, number, number, number]; o: number; win: Win };
const win = (kernel: [number, number], stride: [number, number], padding: [number, number, number, number], dilation: [number, number]): Win => ({ kernel, stride, padding, dilation });

/** A small deterministic generator of geometries (mulberry32). */
function rng(seed: number): (lo: number, hi: number) => number {
  let a = seed >>> 0;
  return (lo, hi) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return lo + Math.floor(u * (hi - lo + 1));
  };
}

// fixed cases (LeNet's and W3's first layers, 1x1, wide and strided windows, rows of 1-3 positions
// past a multiple of 4), then random ones: channels and filters 1..20, kernels 1..7, padding
// valid/same/asymmetric, stride 1/2, dilation 1/2, batch 1..9, odd sizes
const FIXED: Case[] = [
  { name: 'LeNet conv1', shape: [9, 1, 28, 28], o: 6, win: win([5, 5], [1, 1], [2, 2, 2, 2], [1, 1]) },
  { name: 'LeNet conv2', shape: [3, 6, 14, 14], o: 16, win: win([5, 5], [1, 1], [0, 0, 0, 0], [1, 1]) },
  { name: 'W3 conv1', shape: [2, 1, 28, 28], o: 32, win: win([3, 3], [1, 1], [0, 0, 0, 0], [1, 1]) },
  { name: '1x1', shape: [3, 5, 7, 9], o: 7, win: win([1, 1], [1, 1], [0, 0, 0, 0], [1, 1]) },
  { name: '7x7 strided dilated', shape: [2, 3, 23, 21], o: 5, win: win([7, 7], [2, 2], [3, 2, 1, 4], [2, 2]) },
  { name: 'one position per row', shape: [4, 2, 5, 5], o: 3, win: win([5, 5], [1, 1], [0, 0, 0, 0], [1, 1]) },
  { name: 'rows of 5, 6, 7', shape: [3, 2, 9, 11], o: 9, win: win([3, 5], [1, 1], [1, 1, 0, 1], [1, 1]) },
  { name: 'stride 2 across, 1 down', shape: [2, 3, 10, 13], o: 4, win: win([3, 4], [1, 2], [0, 1, 2, 0], [1, 1]) },
];
function randomCases(count: number): Case[] {
  const r = rng(20);
  const out: Case[] = [];
  while (out.length < count) {
    const kh = r(1, 7), kw = r(1, 7), sh = r(1, 2), sw = r(1, 2), dh = r(1, 2), dw = r(1, 2);
    const pad = r(0, 2);
    // valid, 'same' (odd kernels at stride 1), or asymmetric
    const p: [number, number, number, number] = pad === 0 ? [0, 0, 0, 0]
      : pad === 1 ? [((kh - 1) * dh) >> 1, ((kh - 1) * dh + 1) >> 1, ((kw - 1) * dw) >> 1, ((kw - 1) * dw + 1) >> 1]
        : [r(0, 3), r(0, 3), r(0, 3), r(0, 3)];
    const h = Math.max(1, (kh - 1) * dh + 1 - p[0] - p[1]) + r(0, 12), w = Math.max(1, (kw - 1) * dw + 1 - p[2] - p[3]) + r(0, 12);
    if ((h + p[0] + p[1] - (kh - 1) * dh - 1) < 0 || (w + p[2] + p[3] - (kw - 1) * dw - 1) < 0) continue;
    out.push({ name: `random ${out.length}`, shape: [r(1, 9), r(1, 20), h, w], o: r(1, 20), win: win([kh, kw], [sh, sw], p, [dh, dw]) });
  }
  return out;
}
const CASES = [...FIXED, ...randomCases(40)];

function inputs(c: Case, backend: string, dtype: 'float32' | 'float64', seed = 11): [st.Tensor, st.Tensor, st.Tensor] {
  const gen = new st.Generator(seed);
  const x = st.randn(c.shape, { generator: gen, backend, dtype });
  const wt = st.randn([c.o, c.shape[1] * c.win.kernel[0] * c.win.kernel[1]], { generator: gen, backend, dtype });
  const g = st.randn(st.noGrad(() => st.prims.conv(x, wt, null, c.win)).shape, { generator: gen, backend, dtype });
  return [g, x, wt];
}
const on = (t: st.Tensor, backend: string, dtype: 'float32' | 'float64'): st.Tensor => st.tensor(Array.from(t.dataSync()), { shape: t.shape, backend, dtype });
const bits = (t: st.Tensor): Uint32Array => new Uint32Array(Float32Array.from(t.dataSync()).buffer);

/** The direct kernel's result on wasm (forced on), float32. */
function direct(g: st.Tensor, x: st.Tensor, w: st.Tensor, win: Win): st.Tensor {
  const prev = setWgradPath('direct');
  try {
    const out = convWeightGrad.fused(g, x, w, win);
    assert.ok(out, 'the wasm kernel did not run');
    return out;
  } finally {
    setWgradPath(prev);
  }
}

/** Registers the suite's tests; `variant` is the build that the 'wasm' backend must be running. */
export function directWgradSuite(variant: st.WasmVariant): void {
  test(`the '${variant}' build runs`, () => {
    assert.equal((st.getBackend('wasm') as st.WasmBackend).variant, variant);
  });

  test('the direct weight gradient on wasm matches the js reference in float64 for many geometries', () => {
    for (const c of CASES) {
      const [g, x, w] = inputs(c, 'wasm', 'float32');
      const got = direct(g, x, w, c.win).dataSync();
      const [g64, x64, w64] = [on(g, 'js', 'float64'), on(x, 'js', 'float64'), on(w, 'js', 'float64')];
      const ref = convWeightGrad.composed(g64, x64, w64, c.win).dataSync();
      // each element's bound from the sum of its terms' magnitudes: one term wrong or missing is
      // about that sum over the number of terms (at most ~7000 here), far above 1e-5 of it
      const mag = convWeightGrad.composed(g64.abs(), x64.abs(), w64, c.win).dataSync();
      assert.equal(got.length, ref.length, c.name);
      for (let i = 0; i < ref.length; i++) {
        assert.ok(Math.abs(got[i] - ref[i]) <= 1e-5 * mag[i] + 1e-30, `${c.name} ${JSON.stringify(c)}: element ${i} is ${got[i]}, want ${ref[i]} (terms' magnitude ${mag[i]})`);
      }
    }
  });

  test('the direct weight gradient gives NaN and ±Inf where the reference does, and none from inputs outside the windows', () => {
    // Non-finite values in g, in x inside the windows, and in x where a ragged last vector's extra
    // lanes would read them: rows of 10 copied row by row (stride 2 down: the extra lanes of tap
    // kj read columns 10 + kj and 11 + kj, the last of which holds -Inf), and one run of 90
    // positions per image (stride 1 down: the extra lanes of taps (2, kj) read the next tap's
    // plane, whose first row holds x[0, 1], a NaN that those taps never read)
    const cases: (Case & { x: [number, number, number, number, number][] })[] = [
      { name: 'rows of 10, stride 2 down', shape: [3, 2, 11, 12], o: 5, win: win([3, 3], [2, 1], [0, 0, 0, 0], [1, 1]), x: [[0, 1, 4, 11, -Infinity], [1, 0, 3, 4, Infinity]] },
      { name: 'runs of 90', shape: [2, 1, 11, 12], o: 5, win: win([3, 3], [1, 1], [0, 0, 0, 0], [1, 1]), x: [[0, 0, 0, 1, NaN], [1, 0, 5, 11, Infinity]] },
      { name: 'valid 5x5 rows of 10', shape: [3, 2, 14, 14], o: 5, win: win([5, 5], [1, 1], [0, 0, 0, 0], [1, 1]), x: [[1, 0, 3, 4, Infinity], [0, 1, 5, 13, -Infinity], [0, 0, 7, 12, NaN]] },
      { name: 'same 5x5 rows of 28', shape: [2, 1, 28, 28], o: 6, win: win([5, 5], [1, 1], [2, 2, 2, 2], [1, 1]), x: [[1, 0, 3, 4, Infinity], [0, 0, 7, 26, NaN]] },
      { name: 'strided rows of 7', shape: [2, 2, 13, 13], o: 3, win: win([3, 3], [2, 2], [1, 1, 1, 1], [1, 1]), x: [[1, 0, 3, 4, Infinity], [0, 1, 5, 12, -Infinity]] },
    ];
    for (const c of cases) {
      const [g, x, w] = inputs(c, 'js', 'float32');
      const xs = Float32Array.from(x.dataSync()), gs = Float32Array.from(g.dataSync());
      const [, C, H, W] = c.shape;
      for (const [n, ch, r, col, v] of c.x) xs[((n * C + ch) * H + r) * W + col] = v;
      gs[2] = Infinity;
      gs[gs.length - 1] = NaN; // the last position of the last row of the last image
      // filter 1's second output row and filter 2's first position hold -Inf: a ragged vector's extra
      // lanes read them at the end of filter 1's first row (rows) or of its run (runs), where they
      // would add -Inf·0 = NaN to sums that are ±Inf
      const ow = Math.floor((W + c.win.padding[2] + c.win.padding[3] - (c.win.kernel[1] - 1) * c.win.dilation[1] - 1) / c.win.stride[1]) + 1;
      gs[g.shape[2] + ow] = -Infinity;
      gs[2 * g.shape[2]] = -Infinity;
      const xj = st.tensor(xs, { shape: x.shape, backend: 'js' }), gj = st.tensor(gs, { shape: g.shape, backend: 'js' });
      const ref = convWeightGrad.composed(gj, xj, w, c.win).dataSync();
      const got = direct(on(gj, 'wasm', 'float32'), on(xj, 'wasm', 'float32'), on(w, 'wasm', 'float32'), c.win).dataSync();
      let special = 0;
      for (let i = 0; i < ref.length; i++) {
        if (!Number.isFinite(ref[i])) {
          special++;
          assert.ok(Object.is(got[i], ref[i]) || (Number.isNaN(got[i]) && Number.isNaN(ref[i])), `${c.name}: element ${i} is ${got[i]}, want ${ref[i]}`);
        } else {
          assert.ok(Math.abs(got[i] - ref[i]) <= 1e-4 * (1 + Math.abs(ref[i])), `${c.name}: element ${i} is ${got[i]}, want ${ref[i]}`);
        }
      }
      // with padding, g's Inf and NaN meet padded zeros in every tap of their filters
      const valid = c.win.padding.every((p) => p === 0);
      assert.ok(special > 0 && (!valid || special < ref.length), `${c.name}: the case should have non-finite elements, and finite ones if unpadded (${special} of ${ref.length})`);
    }
  });

  test('the direct weight gradient is bit for bit the same on 1, 2 and 3 threads (fixed chunks of the batch)', async () => {
    const prev = st.getNumThreads();
    // batches big enough to be cut into several chunks (and shared by the threads)
    const cases: Case[] = [
      { name: 'LeNet conv1, batch 64', shape: [64, 1, 28, 28], o: 6, win: win([5, 5], [1, 1], [2, 2, 2, 2], [1, 1]) },
      { name: 'LeNet conv2, batch 33', shape: [33, 6, 14, 14], o: 16, win: win([5, 5], [1, 1], [0, 0, 0, 0], [1, 1]) },
      { name: 'strided, dilated, batch 40', shape: [40, 3, 17, 15], o: 11, win: win([3, 4], [2, 1], [1, 2, 0, 3], [2, 2]) },
    ];
    try {
      for (const c of cases) {
        let first: Uint32Array | null = null;
        for (const threads of [1, 2, 3]) {
          await onThreads(threads);
          const [g, x, w] = inputs(c, 'wasm', 'float32');
          const got = bits(direct(g, x, w, c.win));
          if (first) assert.deepEqual(got, first, `${c.name}: ${threads} threads differ from 1`);
          first = got;
        }
      }
    } finally {
      await onThreads(prev);
    }
  });

  test('conv2d\'s weight gradient through the direct kernel agrees with finite differences of the float64 loss', () => {
    // L(w) = <conv2d(x, w), gy>: the float32 gradient on wasm (the fused path, float32 only) against
    // central differences of L computed in float64 on js
    const prev = setWgradPath('direct');
    try {
      const gen = new st.Generator(5);
      const xs = st.randn([3, 2, 9, 8], { generator: gen, backend: 'js', dtype: 'float64' });
      const ws = st.randn([4, 2, 3, 2], { generator: gen, backend: 'js', dtype: 'float64' });
      const opts = { stride: [1, 2] as [number, number], padding: [1, 0, 2, 1] as [number, number, number, number], dilation: [2, 1] as [number, number] };
      const y = st.nn.functional.conv2d(xs, ws, null, opts);
      const gy = st.randn(y.shape, { generator: gen, backend: 'js', dtype: 'float64' });
      const loss = (w: st.Tensor): number => st.nn.functional.conv2d(xs, w, null, opts).mul(gy).sum().item();
      const w32 = on(ws, 'wasm', 'float32').reshape(ws.shape).requiresGrad_();
      st.nn.functional.conv2d(on(xs, 'wasm', 'float32').reshape(xs.shape), w32, null, opts).backward(on(gy, 'wasm', 'float32').reshape(gy.shape));
      const grad = w32.grad!.dataSync();
      // the gradient came through the direct kernel
      const [n, o, oh, ow] = gy.shape;
      const gw = direct(on(gy, 'wasm', 'float32').reshape([n, o, oh * ow]), on(xs, 'wasm', 'float32'), w32.detach().reshape([o, 12]), { kernel: [3, 2], ...opts });
      assert.deepEqual(bits(w32.grad!.reshape([o, 12])), bits(gw));
      const w0 = Float64Array.from(ws.dataSync());
      const eps = 1e-6;
      for (let i = 0; i < w0.length; i++) {
        const wp = w0.slice(), wm = w0.slice();
        wp[i] += eps;
        wm[i] -= eps;
        const fd = (loss(st.tensor(wp, { shape: ws.shape, backend: 'js', dtype: 'float64' })) - loss(st.tensor(wm, { shape: ws.shape, backend: 'js', dtype: 'float64' }))) / (2 * eps);
        assert.ok(Math.abs(grad[i] - fd) <= 1e-4 * (1 + Math.abs(fd)), `weight ${i}: gradient ${grad[i]}, finite differences ${fd}`);
      }
    } finally {
      setWgradPath(prev);
    }
  });
}
