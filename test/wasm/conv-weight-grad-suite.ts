// SPDX-License-Identifier: MIT
// The conv rule's weight gradient as one implicit GEMM on wasm (nn/functional/conv-weight-grad.ts,
// mode CONV_SUM of assembly/matmul.ts): bit for bit what the composed definition (unfold, then the
// product summed over the batch) gives on wasm, on any thread count; close to the js reference;
// what conv2d's backward uses; and out of the way where the backward is itself differentiated.
// Run on each build (conv-weight-grad.test.ts, conv-weight-grad-relaxed.test.ts): the FMA build
// reads the image in place (assembly/wgrad-inplace.ts), the plain-SIMD one packs its columns.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';
import { gradcheck } from 'strata-dl/testing';
import { convWeightGrad } from '../../packages/strata-dl/src/nn/functional/conv-weight-grad.js';
import { setWgradPath } from '../../packages/strata-dl/src/backends/wasm/wgrad.js';
import { onThreads } from './on-build.js';

type Win = st.WindowAttrs;
const win = (kernel: [number, number], stride: [number, number], padding: [number, number, number, number], dilation: [number, number]): Win => ({ kernel, stride, padding, dilation });

// [x shape, filters, window]: W3's layers (at a small batch), LeNet's, same padding, padded/strided/
// dilated, ragged panels (taps not a multiple of 8, rows not a multiple of 4), one image, taps past
// the per-k tables (16384: unfolded into a temporary), an empty batch
const CASES: [string, number[], number, Win][] = [
  ['W3 conv2', [3, 32, 26, 26], 64, win([3, 3], [1, 1], [0, 0, 0, 0], [1, 1])],
  ['LeNet conv1 (same padding)', [4, 1, 28, 28], 6, win([5, 5], [1, 1], [2, 2, 2, 2], [1, 1])],
  ['padded, dilated', [3, 3, 11, 9], 70, win([5, 6], [1, 1], [2, 2, 5, 5], [1, 2])],
  ['strided, asymmetric padding', [2, 4, 13, 10], 65, win([3, 2], [2, 3], [1, 0, 2, 1], [2, 1])],
  ['ragged', [2, 5, 9, 7], 9, win([2, 3], [1, 1], [1, 0, 0, 2], [1, 1])],
  ['one image, wide padding', [1, 2, 5, 6], 64, win([3, 3], [1, 1], [3, 3, 4, 4], [1, 1])],
  ['more taps than the tables', [1, 2049, 3, 3], 64, win([3, 3], [1, 1], [1, 1, 1, 1], [1, 1])],
  ['empty batch', [0, 3, 5, 5], 64, win([3, 3], [1, 1], [0, 0, 0, 0], [1, 1])],
  ['LeNet conv2', [5, 6, 14, 14], 16, win([5, 5], [1, 1], [0, 0, 0, 0], [1, 1])],
  ['W3 conv1', [3, 1, 28, 28], 32, win([3, 3], [1, 1], [0, 0, 0, 0], [1, 1])],
  // the image read in place (assembly/wgrad-inplace.ts; the padded cases above read a zero-padded
  // copy of it), with strides, dilation, padding at the bottom and right only, ragged tiles and
  // filter panels
  ['in place: strided, dilated', [2, 3, 15, 13], 13, win([3, 2], [2, 3], [0, 1, 0, 2], [2, 1])],
  ['in place: bottom/right padding read', [2, 2, 6, 6], 11, win([3, 3], [1, 1], [0, 2, 0, 2], [1, 1])],
  ['in place: 1x1, more filters than taps', [3, 3, 7, 7], 70, win([1, 1], [1, 1], [0, 0, 0, 0], [1, 1])],
];

function inputs(shape: number[], o: number, w: Win, backend: string, dtype: 'float32' | 'float64' = 'float32'): [st.Tensor, st.Tensor, st.Tensor] {
  const gen = new st.Generator(11);
  const x = st.randn(shape, { generator: gen, backend, dtype });
  const wt = st.randn([o, shape[1] * w.kernel[0] * w.kernel[1]], { generator: gen, backend, dtype });
  const g = st.randn(st.noGrad(() => st.prims.conv(x, wt, null, w)).shape, { generator: gen, backend, dtype });
  return [g, x, wt];
}

const bits = (t: st.Tensor): Uint32Array => new Uint32Array(Float32Array.from(t.dataSync()).buffer);

/** Registers the suite's tests; `variant` is the build that the 'wasm' backend must be running. */
export function convWeightGradSuite(variant: st.WasmVariant): void {
  test(`the '${variant}' build runs`, () => {
    assert.equal((st.getBackend('wasm') as st.WasmBackend).variant, variant);
  });

  test('the fused weight gradient (the implicit GEMM) equals the composed one on wasm bit for bit, on 1, 2 and 3 threads, and the js reference within float32 rounding', async () => {
    const prev = st.getNumThreads();
    // shapes with few filters or taps take the direct kernel by default (conv-wgrad-direct.test.ts), whose sums go in another order
    const prevPath = setWgradPath('gemm');
    try {
      for (const [name, shape, o, w] of CASES) {
        let first: Uint32Array | null = null;
        for (const threads of [1, 2, 3]) {
          await onThreads(threads);
          const [g, x, wt] = inputs(shape, o, w, 'wasm');
          const fused = convWeightGrad.fused(g, x, wt, w);
          assert.ok(fused, `${name}: the wasm kernel did not run`);
          assert.deepEqual(fused.shape, wt.shape);
          const got = bits(fused);
          assert.deepEqual(got, bits(convWeightGrad.composed(g, x, wt, w)), `${name}, ${threads} threads: differs from unfold + summed matmul on wasm`);
          if (first) assert.deepEqual(got, first, `${name}: ${threads} threads differ from 1`);
          first = got;
          // the reference: the composed definition on js in float64
          const [g64, x64, w64] = inputs(shape, o, w, 'js', 'float64');
          const ref = convWeightGrad.composed(g64, x64, w64, w).dataSync();
          const f = fused.dataSync();
          const k = shape[0] * (w.kernel[0] * w.kernel[1]) * 64; // a generous bound on the terms' size
          for (let i = 0; i < ref.length; i++) assert.ok(Math.abs(f[i] - ref[i]) <= 1e-5 * Math.sqrt(k) * (1 + Math.abs(ref[i])), `${name}: element ${i} is ${f[i]}, want ${ref[i]}`);
        }
      }
    } finally {
      setWgradPath(prevPath);
      await onThreads(prev);
    }
  });

  test('conv2d\'s weight gradient on wasm is the fused kernel\'s; a recorded backward differentiates the composed definition (second order as on js)', () => {
    const [, x, wt] = inputs([2, 3, 9, 8], 64, win([3, 3], [1, 1], [1, 1, 1, 1], [1, 1]), 'wasm');
    const w4 = wt.reshape([64, 3, 3, 3]).detach().requiresGrad_();
    const y = st.nn.functional.conv2d(x, w4, null, { padding: 1 });
    const gy = st.randn(y.shape, { generator: new st.Generator(3), backend: 'wasm' });
    y.backward(gy);
    const want = convWeightGrad.fused(gy.reshape([2, 64, 72]), x, wt, win([3, 3], [1, 1], [1, 1, 1, 1], [1, 1]))!;
    assert.deepEqual(bits(w4.grad!), bits(want));
    // the fused op steps aside while its result is differentiated again
    const gr = st.randn([2, 64, 72], { backend: 'wasm' }).requiresGrad_();
    assert.equal(convWeightGrad.fused(gr, x, wt, win([3, 3], [1, 1], [1, 1, 1, 1], [1, 1])), null);
    // d/dx of <∂L/∂w, v> for L = <conv(x, w), gy>: on wasm (composed, recorded) as on js
    const second = (backend: string): Float32Array => {
      const xb = st.tensor(Array.from(x.dataSync()), { shape: x.shape, backend });
      const wb = st.tensor(Array.from(w4.dataSync()), { shape: w4.shape, backend });
      const gyb = st.tensor(Array.from(gy.dataSync()), { shape: gy.shape, backend });
      const gwNorm = (xx: st.Tensor, ww: st.Tensor): st.Tensor => st.grad((w2: st.Tensor) => st.nn.functional.conv2d(xx, w2, null, { padding: 1 }).mul(gyb).sum())(ww).square().sum();
      return Float32Array.from(st.grad(gwNorm)(xb, wb).dataSync());
    };
    const a = second('wasm'), b = second('js');
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= 1e-3 * (1 + Math.abs(b[i])), `second order, element ${i}: wasm ${a[i]}, js ${b[i]}`);
  });

  test('conv2d\'s gradients by finite differences in float64 on wasm (the rule, whose float64 weight gradient is composed)', () => {
    const gen = new st.Generator(4);
    const x = st.randn([2, 2, 6, 5], { generator: gen, backend: 'wasm', dtype: 'float64' });
    const w = st.randn([3, 2, 3, 2], { generator: gen, backend: 'wasm', dtype: 'float64' });
    const b = st.randn([3], { generator: gen, backend: 'wasm', dtype: 'float64' });
    gradcheck((xx, ww, bb) => st.nn.functional.conv2dRelu(xx, ww, bb, { stride: [2, 1], padding: [1, 0, 2, 1], dilation: [1, 2] }), [x, w, b]);
  });
}
