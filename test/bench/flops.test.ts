// SPDX-License-Identifier: MIT
// The bench's FLOP counter (bench/flops.ts) against counts worked out by hand from the shapes: a
// matmul, a convolution forward and a convolution's training step (forward, the weight's and the
// input's gradients), and W3 (bench/workloads.ts: the zoo CNN) layer by layer, inference and training.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';
import { countFlops } from '../../bench/flops.js';

st.setBackend('js');
const gen = new st.Generator(3);

test('flops: a matmul is 2·M·N·K, broadcast over the batch, transposed or not', () => {
  const a = st.rand([3, 4], { generator: gen });
  const b = st.rand([4, 5], { generator: gen });
  assert.deepEqual(countFlops(() => a.matmul(b)).flops, { total: 120, gemm: 120, other: 0, byPrim: { matmul: { calls: 1, gemm: 120, other: 0 } } });
  const batched = st.rand([6, 3, 4], { generator: gen });
  assert.equal(countFlops(() => batched.matmul(b)).flops.gemm, 6 * 2 * 3 * 5 * 4);
  assert.equal(countFlops(() => a.t().t().matmul(b.t().t())).flops.gemm, 120); // permutes move data: 0
  // an elementwise op on the product: 1 per element, counted apart
  const { flops } = countFlops(() => a.matmul(b).add(1));
  assert.equal(flops.gemm, 120);
  assert.equal(flops.other, 15);
  assert.equal(flops.total, 135);
});

// conv2d of x [N, C, H, W] with w [O, C, kh, kw]: a product of w [O, C·kh·kw] with the columns
// [N, C·kh·kw, OH·OW], 2·N·O·(C·kh·kw)·(OH·OW) FLOPs
const [N, C, H, W, O, KH, KW] = [2, 3, 9, 8, 4, 3, 2];
const STRIDE = 2;
const OH = Math.floor((H + 2 - KH) / STRIDE) + 1; // padding 1 each side: 5
const OW = Math.floor((W + 2 - KW) / STRIDE) + 1; // 5
const CONV = 2 * N * O * (C * KH * KW) * (OH * OW);

test('flops: a convolution forward is 2·N·O·(C·kh·kw)·(OH·OW), its bias and ReLU one per output element each', () => {
  assert.equal(OH * OW, 25);
  const x = st.rand([N, C, H, W], { generator: gen });
  const w = st.rand([O, C, KH, KW], { generator: gen });
  const bias = st.rand([O], { generator: gen });
  const plain = countFlops(() => st.nn.functional.conv2d(x, w, null, { stride: STRIDE, padding: 1 })).flops;
  assert.equal(plain.gemm, CONV);
  assert.equal(plain.other, 0);
  const fused = countFlops(() => st.nn.functional.conv2dRelu(x, w, bias, { stride: STRIDE, padding: 1 })).flops;
  assert.equal(fused.gemm, CONV);
  assert.equal(fused.other, 2 * N * O * OH * OW);
});

test("flops: a convolution's training step does three products (forward, the weight's gradient, the input's)", () => {
  const x = st.rand([N, C, H, W], { generator: gen, requiresGrad: true });
  const w = st.rand([O, C, KH, KW], { generator: gen, requiresGrad: true });
  const { flops } = countFlops(() => st.nn.functional.conv2d(x, w, null, { stride: STRIDE, padding: 1 }).sum().backward());
  assert.equal(flops.gemm, 3 * CONV);
  assert.ok(w.grad && x.grad, 'the gradients were computed while counting');
  // without the input's gradient, two
  const x2 = st.rand([N, C, H, W], { generator: gen });
  const w2 = st.rand([O, C, KH, KW], { generator: gen, requiresGrad: true });
  assert.equal(countFlops(() => st.nn.functional.conv2d(x2, w2, null, { stride: STRIDE, padding: 1 }).sum().backward()).flops.gemm, 2 * CONV);
});

// W3, per sample: conv 1→32 3x3 (28→26), ReLU, conv 32→64 3x3 (26→24), ReLU, max pool 2 (24→12),
// flatten (9216), dense 9216→128, ReLU, dense 128→10.
const W3 = {
  conv1: 2 * 32 * (1 * 9) * (26 * 26), // 389,376
  conv2: 2 * 64 * (32 * 9) * (24 * 24), // 21,233,664
  dense1: 2 * 9216 * 128, // 2,359,296
  dense2: 2 * 128 * 10, // 2,560
};
const W3_FORWARD_GEMM = W3.conv1 + W3.conv2 + W3.dense1 + W3.dense2; // 23,984,896
// bias + ReLU on both convs' outputs, 4 comparisons per pooled output, the dense layers' biases, one ReLU
const W3_FORWARD_OTHER = 2 * 32 * 26 * 26 + 2 * 64 * 24 * 24 + 4 * 64 * 12 * 12 + 128 + 10 + 128; // 154,122

test('flops: W3 (the zoo CNN) forward, per sample, as counted by hand layer by layer', () => {
  assert.equal(W3_FORWARD_GEMM, 23_984_896);
  const net = st.models.cnn();
  net.eval();
  const batch = 3;
  const x = st.rand([batch, 1, 28, 28], { generator: gen });
  const { flops } = countFlops(() => st.noGrad(() => net.forward(x)));
  assert.equal(flops.gemm, batch * W3_FORWARD_GEMM);
  assert.equal(flops.other, batch * W3_FORWARD_OTHER);
});

test("flops: W3's training step does the forward's products and two more per layer but the first conv (whose input needs no gradient)", () => {
  const net = st.models.cnn();
  const opt = new st.optim.SGD(net.parameters(), { lr: 0.01, momentum: 0.9 });
  const batch = 2;
  const x = st.rand([batch, 1, 28, 28], { generator: gen });
  const y = st.randint(0, 10, [batch], { generator: gen });
  const step = (): void => st.scoped(() => {
    opt.zeroGrad();
    st.nn.functional.crossEntropy(net.forward(x), y).backward();
    opt.step();
  });
  step();
  const { flops } = countFlops(step);
  const perSample = 2 * W3.conv1 + 3 * (W3.conv2 + W3.dense1 + W3.dense2);
  assert.equal(perSample, 71_565_312);
  assert.equal(flops.gemm, batch * perSample);
  // the rest holds at least the forward's elementwise work, the ReLUs' gradients and the SGD update (a few per parameter)
  const params = net.parameters().reduce((n, p) => n + p.size, 0);
  assert.ok(flops.other > batch * W3_FORWARD_OTHER + 3 * params, `other ${flops.other}`);
});

test('flops: counting leaves gradient recording as it was', () => {
  const w = st.rand([4], { generator: gen, requiresGrad: true });
  const inside = countFlops(() => w.mul(2)).result;
  assert.equal(inside.requiresGrad, true);
  const quiet = st.noGrad(() => countFlops(() => w.mul(2)).result);
  assert.equal(quiet.requiresGrad, false);
});
