// SPDX-License-Identifier: MIT
// Max/min pooling's input gradient as one wasm kernel (nn/functional/pool-grad.ts; MaxPool2d(2)'s
// geometry in assembly/pool2x2.ts, the others by poolIndex and a scatter): bit for bit what the
// composed definition (poolIndex, then scatterAdd onto zeros) gives on wasm, on 1 and 2 threads,
// with ties, -0 and NaN (the first of ties and the last NaN take the gradient, as in PyTorch);
// what maxPool2d's backward uses; equal to the js reference; out of the way where the backward is
// itself differentiated.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';
import { poolGrad } from '../../packages/strata-dl/src/nn/functional/pool-grad.js';
import type { PoolingAttrs } from '../../packages/strata-dl/src/ir/pooling.js';
import { onThreads } from './on-build.js';

type Attrs = PoolingAttrs['pool'];
const win = (k: [number, number], s: [number, number], p: [number, number, number, number], d: [number, number], mode: 'max' | 'min'): Attrs =>
  ({ kernel: k, stride: s, padding: p, dilation: d, mode });

// MaxPool2d(2) at widths around the 4-output groups (odd widths and heights leave a column or a row
// with no window), then geometries the kernel runs as poolIndex + scatter (padded, overlapping, 3x3)
const CASES: [number[], Attrs][] = [];
for (const w of [8, 9, 10, 11, 14, 15, 17, 24, 28, 29]) for (const mode of ['max', 'min'] as const) CASES.push([[3, 5, 2 + (w % 5), w], win([2, 2], [2, 2], [0, 0, 0, 0], [1, 1], mode)]);
CASES.push(
  [[64, 6, 28, 28], win([2, 2], [2, 2], [0, 0, 0, 0], [1, 1], 'max')],
  [[2, 3, 6, 6], win([2, 2], [2, 2], [0, 0, 0, 0], [1, 1], 'max')],
  [[2, 3, 9, 9], win([2, 2], [2, 2], [0, 1, 0, 1], [1, 1], 'max')],
  [[2, 3, 11, 12], win([3, 3], [2, 2], [1, 1, 1, 1], [1, 1], 'max')],
  [[2, 3, 10, 10], win([3, 2], [1, 1], [1, 0, 0, 1], [1, 2], 'min')],
);

/** A float32 tensor of `values` on `backend`. */
const on = (values: ArrayLike<number>, shape: number[], backend: string): st.Tensor => st.tensor(Float32Array.from(values), { shape, backend, dtype: 'float32' });

/** x: 'ties' small integers with -0 (most windows tie), 'nan' also NaNs and infinities; g with -0s. */
function inputs(shape: number[], a: Attrs, kind: 'random' | 'ties' | 'nan', seed: number): [st.Tensor, st.Tensor] {
  const gen = new st.Generator(seed);
  const u = st.randn(shape, { generator: gen, backend: 'js' }).dataSync();
  const v = Float32Array.from(u, (r, i) => {
    if (kind === 'random') return r;
    if (kind === 'nan' && i % 7 === 3) return i % 2 ? NaN : (r > 0 ? Infinity : -Infinity);
    const t = Math.max(-1, Math.min(1, Math.round(r)));
    return t === 0 && r < 0 ? -0 : t;
  });
  const x = on(v, shape, 'wasm');
  const oshape = [...st.noGrad(() => st.prims.pool(x, a)).shape];
  // halves and -0s, so some chosen gradients are -0 (the composed sum makes them +0)
  const g = Float32Array.from(st.randn(oshape, { generator: gen, backend: 'js' }).dataSync(), (r) => -Math.round(r * 2) / 2);
  return [on(g, oshape, 'wasm'), x];
}

const bits = (t: st.Tensor): Uint32Array => new Uint32Array(Float32Array.from(t.dataSync()).buffer);
const same = (a: Uint32Array, b: Uint32Array): number => {
  for (let i = 0; i < a.length; i++) {
    const nan = (u: number) => (u & 0x7f800000) === 0x7f800000 && (u & 0x7fffff) !== 0;
    if (a[i] !== b[i] && !(nan(a[i]) && nan(b[i]))) return i;
  }
  return a.length === b.length ? -1 : a.length;
};

test('the fused pooling gradient equals the composed one on wasm bit for bit (ties, -0, NaN), on 1 and 2 threads', async () => {
  const prev = st.getNumThreads();
  try {
    let seed = 1;
    for (const [shape, a] of CASES) {
      for (const kind of ['random', 'ties', 'nan'] as const) {
        const name = `${a.mode} ${kind} [${shape}] k${a.kernel} s${a.stride} p${a.padding} d${a.dilation}`;
        const [g, x] = inputs(shape, a, kind, seed++);
        let first: Uint32Array | null = null;
        for (const threads of [1, 2]) {
          await onThreads(threads);
          const fused = poolGrad.fused(g, x, a);
          assert.ok(fused, `${name}: the wasm kernel did not run`);
          assert.deepEqual(fused.shape, x.shape);
          const got = bits(fused);
          const at = same(got, bits(poolGrad.composed(g, x, a)));
          assert.equal(at, -1, `${name}, ${threads} threads: element ${at} differs from poolIndex + scatterAdd`);
          if (first) assert.equal(same(got, first), -1, `${name}: 2 threads differ from 1`);
          first = got;
        }
      }
    }
  } finally {
    await onThreads(prev);
  }
});

test('maxPool2d\'s backward on wasm is the fused kernel\'s and equals the js reference\'s; a recorded backward differentiates the composed definition', () => {
  const gen = new st.Generator(5);
  const xs = st.randn([4, 3, 10, 9], { generator: gen, backend: 'js' }).dataSync(), gys = st.randn([4, 3, 5, 4], { generator: gen, backend: 'js' }).dataSync();
  const grads = (backend: string): st.Tensor => {
    const xb = on(xs, [4, 3, 10, 9], backend).requiresGrad_();
    st.nn.functional.maxPool2d(xb, 2).backward(on(gys, [4, 3, 5, 4], backend));
    return xb.grad!;
  };
  // the backward runs the wasm kernel (counted through a wrapper around it)
  const kernel = st.getBackend('wasm').fused!.poolGrad! as { run: (args: unknown) => void };
  const run = kernel.run;
  let calls = 0;
  kernel.run = (args) => { calls++; run(args); };
  let wasm: st.Tensor;
  try {
    wasm = grads('wasm');
  } finally {
    kernel.run = run;
  }
  assert.equal(calls, 1);
  const a = win([2, 2], [2, 2], [0, 0, 0, 0], [1, 1], 'max');
  assert.deepEqual(bits(wasm), bits(grads('js')));
  assert.deepEqual(bits(wasm), bits(poolGrad.fused(on(gys, [4, 3, 5, 4], 'wasm'), on(xs, [4, 3, 10, 9], 'wasm'), a)!));
  // the fused op steps aside while its result is differentiated again
  assert.equal(poolGrad.fused(on(gys, [4, 3, 5, 4], 'wasm').requiresGrad_(), on(xs, [4, 3, 10, 9], 'wasm'), a), null);
  // d/dg of <∂L/∂x, c> for L = <maxPool2d(x), g>: c gathered at the maxima, on wasm (composed, recorded) as on js
  const second = (backend: string): number[] => {
    const xb = on(xs, [4, 3, 10, 9], backend), c = xb.mul(3).add(1);
    const gx = (g: st.Tensor): st.Tensor => st.grad((xx: st.Tensor) => st.nn.functional.maxPool2d(xx, 2).mul(g).sum())(xb);
    return Array.from(st.grad((g: st.Tensor) => gx(g).mul(c).sum())(on(gys, [4, 3, 5, 4], backend)).dataSync());
  };
  assert.deepEqual(second('wasm'), second('js'));
});
