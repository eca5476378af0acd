// SPDX-License-Identifier: MIT
// Convolution and pooling values against direct loops written from the definitions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';
import { assertClose } from '../helpers.js';
import { distinct64, rand64 } from './module-gradcheck.js';

const F = st.nn.functional;

/** Direct cross-correlation: out[n,o,y,x] = b[o] + Σ w[o,c',i,j]·x[n, g·C/G + c', y·s − p + i·d, …]. */
function naiveConv2d(x: st.Tensor, w: st.Tensor, b: st.Tensor | null, s: [number, number], p: [number, number, number, number], d: [number, number], groups: number): number[][][][] {
  const [n, c, h, wd] = x.shape;
  const [o, cg, kh, kw] = w.shape;
  const X = x.toArray() as number[][][][];
  const W = w.toArray() as number[][][][];
  const B = b ? (b.toArray() as number[]) : null;
  const oh = Math.floor((h + p[0] + p[1] - d[0] * (kh - 1) - 1) / s[0]) + 1;
  const ow = Math.floor((wd + p[2] + p[3] - d[1] * (kw - 1) - 1) / s[1]) + 1;
  const og = o / groups;
  const out: number[][][][] = [];
  for (let bi = 0; bi < n; bi++) {
    out.push([]);
    for (let oc = 0; oc < o; oc++) {
      out[bi].push([]);
      const g = Math.floor(oc / og);
      for (let yy = 0; yy < oh; yy++) {
        out[bi][oc].push([]);
        for (let xx = 0; xx < ow; xx++) {
          let acc = B ? B[oc] : 0;
          for (let ci = 0; ci < cg; ci++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
            const iy = yy * s[0] - p[0] + i * d[0];
            const ix = xx * s[1] - p[2] + j * d[1];
            if (iy >= 0 && iy < h && ix >= 0 && ix < wd) acc += W[oc][ci][i][j] * X[bi][g * cg + ci][iy][ix];
          }
          out[bi][oc][yy].push(acc);
        }
      }
    }
  }
  assert.equal(c, cg * groups);
  return out;
}

test('conv2d matches the direct definition (stride, asymmetric padding, dilation, groups, bias)', () => {
  const x = rand64([2, 4, 7, 6]);
  const w = rand64([6, 2, 3, 2], 2);
  const b = rand64([6], 3);
  const y = F.conv2d(x, w, b, { stride: [2, 1], padding: [1, 2, 0, 1], dilation: [1, 2], groups: 2 });
  assertClose(y, naiveConv2d(x, w, b, [2, 1], [1, 2, 0, 1], [1, 2], 2), 1e-10);
});

test("'same' padding keeps ⌈n/stride⌉ outputs with TensorFlow's split (extra pixel bottom/right)", () => {
  for (const [n, k, s] of [[7, 3, 2], [8, 3, 2], [8, 4, 3], [5, 2, 1], [6, 5, 4]]) {
    const x = rand64([1, 1, n, n]);
    const w = rand64([1, 1, k, k], 4);
    const y = F.conv2d(x, w, null, { stride: s, padding: 'same' });
    assert.deepEqual(y.shape, [1, 1, Math.ceil(n / s), Math.ceil(n / s)], `n ${n} k ${k} s ${s}`);
    const total = Math.max((Math.ceil(n / s) - 1) * s + k - n, 0);
    const top = Math.floor(total / 2);
    assertClose(y, naiveConv2d(x, w, null, [s, s], [top, total - top, top, total - top], [1, 1], 1), 1e-10);
  }
  // 'full': every partial overlap, n + k − 1 outputs.
  assert.deepEqual(F.conv2d(rand64([1, 1, 4, 5]), rand64([1, 1, 2, 3]), null, { padding: 'full' }).shape, [1, 1, 5, 7]);
  assert.deepEqual(F.conv2d(rand64([1, 1, 4, 5]), rand64([1, 1, 2, 3]), null, { padding: 'valid' }).shape, [1, 1, 3, 3]);
});

test('conv1d is conv2d over a height of one', () => {
  const x = rand64([2, 2, 9]);
  const w = rand64([3, 2, 3], 5);
  const y = F.conv1d(x, w, null, { stride: 2, padding: [1, 2], dilation: 2 });
  const ref = naiveConv2d(x.unsqueeze(2), w.unsqueeze(2), null, [1, 2], [0, 0, 1, 2], [1, 2], 1);
  assertClose(y, st.tensor(ref, { dtype: 'float64', backend: 'js' }).squeeze(2), 1e-10);
});

test('convTranspose2d scatters each input pixel times the kernel (the definition), groups and output padding', () => {
  const x = rand64([1, 4, 3, 2]);
  const w = rand64([4, 1, 3, 2], 6); // in 4, out/groups 1, groups 2 → out 2
  const [s, p, op, groups] = [[2, 3], [1, 0], [1, 2], 2];
  const y = F.convTranspose2d(x, w, null, { stride: [s[0], s[1]], padding: [p[0], p[1]], outputPadding: [op[0], op[1]], groups });
  const H = (3 - 1) * s[0] - 2 * p[0] + 3 + op[0];
  const W = (2 - 1) * s[1] - 2 * p[1] + 2 + op[1];
  const full = Array.from({ length: 2 }, () => Array.from({ length: H + 2 * p[0] }, () => new Array<number>(W + 2 * p[1]).fill(0)));
  const X = x.toArray() as number[][][][];
  const Wt = w.toArray() as number[][][][];
  for (let c = 0; c < 4; c++) for (let i = 0; i < 3; i++) for (let j = 0; j < 2; j++) for (let ki = 0; ki < 3; ki++) for (let kj = 0; kj < 2; kj++) {
    const o = Math.floor(c / 2); // one output channel per group
    const yy = i * s[0] + ki;
    const xx = j * s[1] + kj;
    if (yy < H + 2 * p[0] && xx < W + 2 * p[1]) full[o][yy][xx] += X[0][c][i][j] * Wt[c][0][ki][kj];
  }
  const ref = full.map((ch) => ch.slice(p[0], p[0] + H).map((row) => row.slice(p[1], p[1] + W)));
  assert.deepEqual(y.shape, [1, 2, H, W]);
  assertClose(y, [ref], 1e-10);
});

test('convTranspose2d inverts the shapes of a strided conv2d and is its adjoint: <conv(x), y> = <x, convT(y)>', () => {
  const x = rand64([1, 2, 7, 7]);
  const w = rand64([3, 2, 3, 3], 8);
  const cx = F.conv2d(x, w, null, { stride: 2, padding: 1 });
  const y = rand64([...cx.shape], 9);
  const ty = F.convTranspose2d(y, w, null, { stride: 2, padding: 1 });
  assert.deepEqual(ty.shape, x.shape);
  assert.ok(Math.abs(cx.mul(y).sum().item() - x.mul(ty).sum().item()) < 1e-10);
  assert.deepEqual(new st.nn.ConvTranspose2d(16, 8, 2, { stride: 2 }).forward(st.zeros([1, 16, 7, 7])).shape, [1, 8, 14, 14]);
  assert.deepEqual(F.convTranspose2d(rand64([1, 2, 5, 5]), rand64([2, 1, 3, 3]), null, { stride: 2, padding: 'same' }).shape, [1, 1, 10, 10]);
});

test("convTranspose2d 'full' is the adjoint of a 'full' conv2d, dilated too", () => {
  const x = rand64([1, 2, 5, 6]);
  const w = rand64([3, 2, 3, 2], 10);
  const cx = F.conv2d(x, w, null, { padding: 'full', dilation: [2, 1] });
  assert.deepEqual(cx.shape, [1, 3, 9, 7]);
  const y = rand64([...cx.shape], 11);
  const ty = F.convTranspose2d(y, w, null, { padding: 'full', dilation: [2, 1] });
  assert.deepEqual(ty.shape, x.shape);
  assert.ok(Math.abs(cx.mul(y).sum().item() - x.mul(ty).sum().item()) < 1e-10);
  assert.deepEqual(new st.nn.ConvTranspose2d(3, 2, 3, { padding: 'full' }).forward(st.zeros([1, 3, 7, 7])).shape, [1, 2, 5, 5]);
});

test('pooling values: max/min/avg over windows, padding never wins a max, Keras average excludes padding', () => {
  const x = st.arange(16).float().reshape([1, 1, 4, 4]);
  assertClose(F.maxPool2d(x, 2), [[[[5, 7], [13, 15]]]]);
  assertClose(F.minPool2d(x, 2), [[[[0, 2], [8, 10]]]]);
  assertClose(F.avgPool2d(x, 2), [[[[2.5, 4.5], [10.5, 12.5]]]]);
  const neg = x.neg();
  // With padding 1, every window still holds a real value: −∞ padding never wins.
  assertClose(F.maxPool2d(neg, 2, { padding: 1 }), [[[[-0, -1, -3], [-4, -5, -7], [-12, -13, -15]]]]);
  // PyTorch's average counts the zeros of the padding, Keras' does not.
  assertClose(F.avgPool2d(x, 2, { padding: 1 }), [[[[0, 0.75, 0.75], [3, 7.5, 4.5], [3, 6.75, 3.75]]]]);
  assertClose(F.avgPool2d(x, 2, { padding: 1, countIncludePad: false }), [[[[0, 1.5, 3], [6, 7.5, 9], [12, 13.5, 15]]]]);
  assertClose(F.maxPool1d(st.tensor([[[1, 5, 2, 8, 3]]]), 2), [[[5, 8]]]);
  // A NaN in a window wins, as in PyTorch; −∞ inputs still beat the padding.
  assertClose(F.maxPool2d(st.tensor([[[[1, NaN, 2, 3], [-Infinity, -Infinity, 0, 4]]]]), 2, { padding: [0, 0, 1, 1] }), [[[[1, NaN, 4]]]]);
  assertClose(F.minPool1d(st.tensor([[[Infinity, 2, NaN]]]), 2, { stride: 1, padding: 1 }), [[[Infinity, 2, NaN, NaN]]]);
  // Integer images pool too, padding included (it is skipped, not filled with a value).
  assert.deepEqual(F.minPool2d(st.tensor([[[[3, -1], [7, 2]]]], { dtype: 'int32' }), 2, { stride: 1, padding: [0, 1, 0, 0] }).toArray(), [[[[-1], [2]]]]);
  // 'full' padding leaves a real input in every window, so max pooling accepts it.
  assertClose(F.maxPool2d(x, 2, { padding: 'full', stride: 1 }).slice(2, 0, 1), [[[[0, 1, 2, 3, 3]]]]);
});

test('adaptive pooling uses PyTorch bins [⌊i·n/out⌋, ⌈(i+1)·n/out⌉); global pooling drops the spatial axes', () => {
  const x = distinct64([1, 1, 1, 5]).reshape([1, 1, 5]);
  const v = x.dataSync();
  // n = 5, out = 3: bins [0,2), [1,4), [3,5)
  assertClose(F.adaptiveMaxPool1d(x, 3), [[[Math.max(v[0], v[1]), Math.max(v[1], v[2], v[3]), Math.max(v[3], v[4])]]]);
  assertClose(F.adaptiveAvgPool1d(x, 3), [[[(v[0] + v[1]) / 2, (v[1] + v[2] + v[3]) / 3, (v[3] + v[4]) / 2]]], 1e-12);
  const img = rand64([2, 3, 4, 6]);
  assertClose(F.adaptiveAvgPool2d(img, 1).reshape([2, 3]), F.globalAvgPool(img), 1e-12);
  assert.deepEqual(F.globalMaxPool(img).shape, [2, 3]);
  assert.deepEqual(new st.nn.AdaptiveAvgPool2d([2, 3]).forward(img).shape, [2, 3, 2, 3]);
});

test('errors name the op, the argument and the shapes', () => {
  assert.throws(() => F.conv2d(st.zeros([8, 3, 32, 32]), st.zeros([4, 1, 3, 3])), /conv2d: input \[8,3,32,32\] has 3 channels, weight \[4,1,3,3\] expects 1/);
  assert.throws(() => F.conv2d(st.zeros([3, 32, 32]), st.zeros([4, 3, 3, 3])), /conv2d: input must be \[N, C, H, W\], got \[3,32,32\]/);
  assert.throws(() => F.linear(st.zeros([2, 5]), st.zeros([3, 4])), /linear: input \[2,5\] has 5 features, weight \[3,4\] expects 4/);
  assert.throws(() => F.maxPool2d(st.zeros([1, 1, 2, 2]), 3), /maxPool2d: a 3x3 window does not fit input \[1,1,2,2\]/);
  // Max/min pooling needs a real input in every window (PyTorch: padding at most half the kernel).
  assert.throws(() => F.maxPool2d(st.zeros([1, 1, 4, 4]), 2, { padding: 2 }), /maxPool2d: window 0 along the rows holds only padding \(input 4x4, kernel 2x2/);
  // Dilated taps can straddle a small input even within PyTorch's rule: rows −1 and 2 of 2.
  assert.throws(() => F.minPool2d(st.zeros([1, 1, 2, 4]), [2, 1], { padding: [1, 1, 0, 0], dilation: [3, 1] }), /minPool2d: window 0 along the rows holds only padding/);
  assert.throws(() => F.maxPool1d(st.zeros([1, 1, 5]), 2, { padding: [0, 3] }), /maxPool1d: window 3 along the columns holds only padding/);
  assert.throws(() => new st.nn.Conv2d(3, 4, 3, { groups: 2 }), /Conv2d: groups 2 must divide both 3 input and 4 output channels/);
  assert.throws(() => F.conv2d(st.zeros([1, 1, 4, 4]), st.zeros([1, 1, 3, 3]), null, { padding: 'half' as 'same' }), /conv2d: padding must be/);
});

/** The kernels that `fn` runs on `backend`, in order (the backend's kernel table, wrapped for the call). */
function kernelsRun(backend: string, fn: () => void): string[] {
  const table = st.getBackend(backend).kernels as unknown as Record<string, (...a: unknown[]) => void>;
  const saved = { ...table };
  const ran: string[] = [];
  for (const [name, k] of Object.entries(saved)) table[name] = (...a: unknown[]) => { ran.push(name); k(...a); };
  try {
    fn();
  } finally {
    Object.assign(table, saved);
  }
  return ran;
}

test('conv2d runs the conv primitive whether or not a gradient will be taken, and equals unfold + matmul in values and gradients, on every backend', () => {
  for (const backend of st.listBackends()) {
    const g = new st.Generator(5);
    const opts = { generator: g, backend };
    // 30 filters: on wasm above the in-place limit, so the implicit GEMM runs; padded, dilated
    const x = st.randn([3, 4, 11, 9], opts);
    const w = st.randn([30, 4, 5, 6], opts);
    const b = st.randn([30], opts);
    const attrs = { kernel: [5, 6] as [number, number], stride: [1, 1] as [number, number], padding: [2, 2, 5, 5] as [number, number, number, number], dilation: [1, 2] as [number, number] };
    const conv = (xx: st.Tensor, ww: st.Tensor, bb: st.Tensor): st.Tensor => F.conv2dRelu(xx, ww, bb, { padding: [2, 2, 5, 5], dilation: [1, 2] });
    const composed = (xx: st.Tensor, ww: st.Tensor, bb: st.Tensor): st.Tensor =>
      ww.reshape([30, 120]).matmul(st.unfold(xx, attrs)).reshape([3, 30, 11, 9]).add(bb.reshape([1, 30, 1, 1])).relu();
    // the same graph with and without autograd recording: one conv kernel, no columns
    const leaves = (): st.Tensor[] => [x, w, b].map((t) => t.detach().requiresGrad_());
    const recorded = kernelsRun(backend, () => { const [xx, ww, bb] = leaves(); conv(xx, ww, bb); });
    const plain = kernelsRun(backend, () => st.noGrad(() => conv(x, w, b)));
    assert.deepEqual(recorded, plain, `${backend}: the kernels differ with autograd recording`);
    assert.ok(plain.includes('conv') && !plain.includes('unfold') && !plain.includes('matmul'), `${backend}: ran ${plain.join(', ')}`);
    const grads = (f: typeof conv): st.Tensor[] => {
      const ls = leaves();
      const y = f(ls[0], ls[1], ls[2]);
      y.mul(y.detach().add(0.5)).sum().backward(); // a gradient that differs per element
      return [y.detach(), ...ls.map((t) => t.grad!)];
    };
    const [y1, gx1, gw1, gb1] = grads(conv);
    const [y2, gx2, gw2, gb2] = grads(composed);
    assertClose(y1, y2, 1e-4, 1e-4, `${backend}: forward`);
    assertClose(gx1, gx2, 1e-3, 1e-4, `${backend}: input gradient`);
    assertClose(gw1, gw2, 1e-3, 1e-4, `${backend}: weight gradient`);
    assertClose(gb1, gb2, 1e-3, 1e-4, `${backend}: bias gradient`);
  }
});

test('max/min pooling runs the pool primitive whether or not a gradient will be taken; values and gradients equal poolIndex + gather, ties and NaN included', () => {
  for (const backend of st.listBackends()) {
    // small integers make ties in most windows; a NaN must win its windows on both paths
    const v = Array.from({ length: 2 * 3 * 7 * 6 }, (_, i) => ((i * 7) % 5) - 2);
    v[17] = NaN;
    const x = st.tensor(v, { shape: [2, 3, 7, 6], backend });
    const wv = st.randn([2, 3, 4, 4], { generator: new st.Generator(2), backend });
    for (const [f, name] of [[F.maxPool2d, 'max'], [F.minPool2d, 'min']] as const) {
      const opts = { stride: [2, 1] as [number, number], padding: 1, dilation: [1, 2] as [number, number] };
      const attrs = { kernel: [3, 3] as [number, number], stride: [2, 1] as [number, number], padding: [1, 1, 1, 1] as [number, number, number, number], dilation: [1, 2] as [number, number], mode: name };
      const plain = kernelsRun(backend, () => st.noGrad(() => f(x, 3, opts)));
      const recorded = kernelsRun(backend, () => f(x.detach().requiresGrad_(), 3, opts));
      assert.deepEqual(recorded, plain, `${backend} ${name}: the kernels differ with autograd recording`);
      const viaGather = (xx: st.Tensor): st.Tensor => xx.reshape([2, 3, 42]).gather(2, st.poolIndex(xx, attrs).reshape([2, 3, 16])).reshape([2, 3, 4, 4]);
      const run = (pool: (xx: st.Tensor) => st.Tensor): [Float32Array, Float32Array] => {
        const xg = x.detach().requiresGrad_();
        const y = pool(xg);
        y.mul(wv).sum().backward();
        return [y.dataSync() as Float32Array, xg.grad!.dataSync() as Float32Array];
      };
      const [y1, g1] = run((xx) => f(xx, 3, opts));
      const [y2, g2] = run(viaGather);
      assert.equal(y1.length, y2.length);
      for (let i = 0; i < y1.length; i++) assert.ok(Object.is(y1[i], y2[i]), `${backend} ${name}: element ${i} is ${y1[i]} by the pool primitive, ${y2[i]} by gather`);
      for (let i = 0; i < g1.length; i++) assert.ok(Object.is(g1[i], g2[i]), `${backend} ${name}: gradient ${i} is ${g1[i]} by the pool primitive, ${g2[i]} by gather`);
    }
  }
});

test('Sequential runs Conv2d (Conv1d) then ReLU as one conv2dRelu (conv1dRelu): the same values and gradients as the two layers, and no separate ReLU pass at inference', () => {
  const prev = st.getBackend().name;
  for (const backend of st.listBackends()) for (const dims of [2, 1]) try {
    st.setBackend(backend);
    st.manualSeed(3);
    const net = dims === 2
      ? new st.nn.Sequential(new st.nn.Conv2d(3, 30, [3, 2], { padding: 'same' }), new st.nn.ReLU(), new st.nn.Conv2d(30, 4, 3), new st.nn.ReLU(), new st.nn.Flatten())
      : new st.nn.Sequential(new st.nn.Conv1d(3, 30, 3, { padding: 'same' }), new st.nn.ReLU(), new st.nn.Conv1d(30, 4, 2, { stride: 2 }), new st.nn.ReLU(), new st.nn.Flatten());
    const x = st.randn(dims === 2 ? [2, 3, 7, 6] : [2, 3, 9], { generator: new st.Generator(8), backend });
    const layers = [...net.children()];
    const separate = (xx: st.Tensor): st.Tensor => layers.reduce((y, layer) => layer.forward(y), xx);
    // inference: the conv primitive with its epilogue; Tensor.relu is never called
    const proto = st.Tensor.prototype;
    const relu = proto.relu;
    let reluCalls = 0;
    proto.relu = function (this: st.Tensor): st.Tensor { reluCalls++; return relu.call(this); };
    let fused: st.Tensor;
    try {
      fused = st.noGrad(() => net.forward(x));
    } finally {
      proto.relu = relu;
    }
    assert.equal(reluCalls, 0, `${backend}: a separate ReLU ran at inference`);
    assertClose(fused, st.noGrad(() => separate(x)), 1e-5, 1e-5, `${backend}: inference values`);
    // training: parameter and input gradients equal the two layers'
    const grads = (f: (xx: st.Tensor) => st.Tensor): st.Tensor[] => {
      net.zeroGrad();
      const xx = x.detach().requiresGrad_();
      f(xx).square().sum().backward();
      return [xx.grad!, ...net.parameters().filter((p) => p.requiresGrad).map((p) => p.grad!.clone())];
    };
    const a = grads((xx) => net.forward(xx)), b = grads(separate);
    a.forEach((g, i) => assertClose(g, b[i], 1e-4, 1e-4, `${backend}: gradient ${i}`));
    // a frozen first layer: the primitive's own backward (bias and ReLU included) for the input
    for (const p of layers[0].parameters()) p.requiresGrad_(false);
    const c = grads((xx) => net.forward(xx)), d = grads(separate);
    assertClose(c[0], d[0], 1e-4, 1e-4, `${backend}: input gradient through a frozen Conv2d + ReLU`);
  } finally {
    st.setBackend(prev);
  }
});
