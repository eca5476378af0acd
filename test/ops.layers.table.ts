// SPDX-License-Identifier: MIT
// Op-table rows for the layers of issues 21 and 23 (activations, group/instance norm, ceil-mode
// pooling, pad modes, interpolate, pixel shuffle, transposed convolution): each with a reference
// written directly from the definition (scalar loops, no Strata op), run by ops.test.ts like the
// rows of ops.table.ts (forward on every backend, gradcheck, forward mode, second derivatives).
import type * as st from 'strata-dl';
import { type Spec, distinct, fixed, rnd } from './helpers.js';
import { type OpCase, mapN } from './ops.table.js';

type Out = { values: number[]; shape: number[] };
const size = (s: number[]): number => s.reduce((a, b) => a * b, 1);
function unravel(i: number, shape: number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return idx;
}
const ravel = (idx: number[], shape: number[]): number => idx.reduce((o, v, d) => o * shape[d] + v, 0);
/** A tensor of `shape` whose value at each multi-index is f(index). */
const build = (shape: number[], f: (idx: number[]) => number): Out => ({ shape, values: Array.from({ length: size(shape) }, (_, i) => f(unravel(i, shape))) });

// Bound by ops.test.ts so that this table imports no runtime code (as ops.table.ts).
let F: typeof st.nn.functional;
export function bindLayerFunctions(lib: typeof st): void {
  F = lib.nn.functional;
}

// ---- scalar definitions -------------------------------------------------------------------------
const log1pexp = (v: number): number => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
const sig = (v: number): number => 1 / (1 + Math.exp(-v));
const SA = 1.6732632423543772848170429916717;
const SS = 1.0507009873554804934193349852946;
const clampv = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);

const act = (name: string, f: (x: st.Tensor) => st.Tensor, m: (v: number) => number, input: Spec, second = true): OpCase => ({
  name, prims: ['where'], inputs: [input], f, ref: (x) => mapN([x], m), second,
});
// Inputs keep 0.05 away from each breakpoint, where a finite difference would straddle the kink.
const KINKS = [-3, -1, 0, 1, 3, 6, 2, -2];

/** Group norm from its definition: per (sample, group) mean and biased variance. */
function groupNormRef(x: Spec, groups: number, w: Spec | null, b: Spec | null, eps: number): Out {
  const [n, c] = x.shape;
  const inner = size(x.shape.slice(2));
  const per = (c / groups) * inner;
  const stats = Array.from({ length: n * groups }, (_, k) => {
    const vals = x.values.slice(k * per, (k + 1) * per);
    const mean = vals.reduce((a, v) => a + v, 0) / per;
    return [mean, vals.reduce((a, v) => a + (v - mean) ** 2, 0) / per];
  });
  return build(x.shape, (idx) => {
    const [s, ch] = idx;
    const [mean, variance] = stats[s * groups + Math.floor(ch / (c / groups))];
    const y = (x.values[ravel(idx, x.shape)] - mean) / Math.sqrt(variance + eps);
    return y * (w ? w.values[ch] : 1) + (b ? b.values[ch] : 0);
  });
}

/**
 * Pooling from PyTorch's loops (aten/src/ATen/native/cpu/AvgPoolKernel.cpp, max_pool2d): output size
 * with ceil mode, windows clipped to the padded input, divisor by countIncludePad or override.
 */
function poolRef(x: Spec, mode: 'max' | 'avg', k: [number, number], s: [number, number], p: [number, number], ceil: boolean, countIncludePad = true, divisor?: number): Out {
  const [n, c, h, w] = x.shape;
  const out = (len: number, i: number): number => {
    const num = len + 2 * p[i] - k[i];
    let o = (ceil ? Math.ceil(num / s[i]) : Math.floor(num / s[i])) + 1;
    if (ceil && (o - 1) * s[i] >= len + p[i]) o--;
    return o;
  };
  const [oh, ow] = [out(h, 0), out(w, 1)];
  return build([n, c, oh, ow], ([b, ch, y, xx]) => {
    let hs = y * s[0] - p[0];
    let ws = xx * s[1] - p[1];
    let he = Math.min(hs + k[0], h + p[0]);
    let we = Math.min(ws + k[1], w + p[1]);
    const poolSize = (he - hs) * (we - ws);
    hs = Math.max(hs, 0); ws = Math.max(ws, 0); he = Math.min(he, h); we = Math.min(we, w);
    let acc = mode === 'max' ? -Infinity : 0;
    for (let i = hs; i < he; i++) for (let j = ws; j < we; j++) {
      const v = x.values[ravel([b, ch, i, j], x.shape)];
      acc = mode === 'max' ? Math.max(acc, v) : acc + v;
    }
    if (mode === 'max') return acc;
    return acc / (divisor ?? (countIncludePad ? poolSize : (he - hs) * (we - ws)));
  });
}

/** Source index of padded position i (0-based in the padded axis) for each mode. */
function padIndex(i: number, before: number, n: number, mode: 'reflect' | 'replicate' | 'circular'): number {
  const j = i - before;
  if (mode === 'replicate') return clampv(j, 0, n - 1);
  if (mode === 'circular') return ((j % n) + n) % n;
  return j < 0 ? -j : j >= n ? 2 * (n - 1) - j : j;
}
function padRef(x: Spec, pads: number[], mode: 'reflect' | 'replicate' | 'circular'): Out {
  const r = x.shape.length;
  const before = x.shape.map((_, d) => (r - 1 - d < pads.length / 2 ? pads[2 * (r - 1 - d)] : 0));
  const after = x.shape.map((_, d) => (r - 1 - d < pads.length / 2 ? pads[2 * (r - 1 - d) + 1] : 0));
  const shape = x.shape.map((d, i) => d + before[i] + after[i]);
  return build(shape, (idx) => x.values[ravel(idx.map((v, d) => padIndex(v, before[d], x.shape[d], mode)), x.shape)]);
}

/** Bilinear interpolation straight from the 2-D formula, PyTorch's source coordinates in float64. */
function bilinearRef(x: Spec, out: [number, number], alignCorners: boolean, scaleFactor?: number): Out {
  const [n, c, h, w] = x.shape;
  const src = (d: number, inn: number, o: number): [number, number, number] => {
    if (inn === o) return [d, d, 0];
    const scale = alignCorners ? (o > 1 ? (inn - 1) / (o - 1) : 0) : scaleFactor ? 1 / scaleFactor : inn / o;
    const v = alignCorners ? scale * d : Math.max(scale * (d + 0.5) - 0.5, 0);
    const i0 = Math.min(Math.floor(v), inn - 1);
    return [i0, i0 < inn - 1 ? i0 + 1 : i0, clampv(v - i0, 0, 1)];
  };
  return build([n, c, out[0], out[1]], ([b, ch, y, xx]) => {
    const [y0, y1, ly] = src(y, h, out[0]);
    const [x0, x1, lx] = src(xx, w, out[1]);
    const at = (i: number, j: number): number => x.values[ravel([b, ch, i, j], x.shape)];
    return (1 - ly) * ((1 - lx) * at(y0, x0) + lx * at(y0, x1)) + ly * ((1 - lx) * at(y1, x0) + lx * at(y1, x1));
  });
}
function nearestRef(x: Spec, out: number[], exact: boolean): Out {
  const ins = x.shape.slice(2);
  return build([...x.shape.slice(0, 2), ...out], (idx) => {
    const src = idx.map((v, d) => (d < 2 ? v : Math.min(Math.floor((exact ? v + 0.5 : v) * (ins[d - 2] / out[d - 2])), ins[d - 2] - 1)));
    return x.values[ravel(src, x.shape)];
  });
}

/** Transposed convolution by scattering: out[n, o, y·s − p + i·d, x·s − p + j·d] += x[n, c, y, x]·w[c, o, i, j]. */
function convTransposeRef(x: Spec, w: Spec, b: Spec | null, s: number, p: number, op: number, d: number): Out {
  const [n, cin, h, wd] = x.shape;
  const [, o, kh, kw] = w.shape;
  const oh = (h - 1) * s - 2 * p + d * (kh - 1) + op + 1;
  const ow = (wd - 1) * s - 2 * p + d * (kw - 1) + op + 1;
  const shape = [n, o, oh, ow];
  const values = new Array<number>(size(shape)).fill(0);
  for (let bi = 0; bi < n; bi++) for (let c = 0; c < cin; c++) for (let y = 0; y < h; y++) for (let xx = 0; xx < wd; xx++) {
    for (let oc = 0; oc < o; oc++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
      const oy = y * s - p + i * d;
      const ox = xx * s - p + j * d;
      if (oy < 0 || oy >= oh || ox < 0 || ox >= ow) continue;
      values[ravel([bi, oc, oy, ox], shape)] += x.values[ravel([bi, c, y, xx], x.shape)] * w.values[ravel([c, oc, i, j], w.shape)];
    }
  }
  return { shape, values: values.map((v, i) => v + (b ? b.values[unravel(i, shape)[1]] : 0)) };
}

export const LAYER_CASES: OpCase[] = [
  // ---- activations
  act('hardtanh', (x) => F.hardtanh(x, -1, 2), (v) => clampv(v, -1, 2), rnd([3, 4], -3, 3, KINKS)),
  act('relu6', (x) => F.relu6(x), (v) => clampv(v, 0, 6), rnd([3, 4], -2, 8, KINKS)),
  act('hardsigmoid', (x) => F.hardsigmoid(x), (v) => clampv(v + 3, 0, 6) / 6, rnd([3, 4], -5, 5, KINKS)),
  act('hardswish', (x) => F.hardswish(x), (v) => (v * clampv(v + 3, 0, 6)) / 6, rnd([3, 4], -5, 5, KINKS)),
  act('selu', (x) => F.selu(x), (v) => SS * (v > 0 ? v : SA * (Math.exp(v) - 1)), rnd([3, 4], -3, 3, KINKS)),
  act('celu alpha 1.5', (x) => F.celu(x, 1.5), (v) => (v > 0 ? v : 1.5 * (Math.exp(v / 1.5) - 1)), rnd([3, 4], -3, 3, KINKS)),
  act('logSigmoid', (x) => F.logSigmoid(x), (v) => -log1pexp(-v), rnd([3, 4], -6, 6)),
  { name: 'logSigmoid far tails (relative accuracy: layers-values.test.ts)', prims: ['exp', 'log'], inputs: [fixed([-800, -40, 40, 80])], f: (x) => F.logSigmoid(x),
    ref: (x) => mapN([x], (v) => -log1pexp(-v)), grad: false },
  act('softsign', (x) => F.softsign(x), (v) => v / (1 + Math.abs(v)), rnd([3, 4], -3, 3, KINKS)),
  act('softplus', (x) => F.softplus(x), log1pexp, rnd([3, 4], -6, 6)),
  act('softplus beta 2, threshold 3 (linear above)', (x) => F.softplus(x, 2, 3), (v) => (2 * v > 3 ? v : log1pexp(2 * v) / 2), rnd([3, 4], -3, 3, [1.5])),
  { name: 'softplus far tails (relative accuracy: layers-values.test.ts)', prims: ['exp', 'log'], inputs: [fixed([-700, -50, 0, 15])], f: (x) => F.softplus(x, 1, Infinity),
    ref: (x) => mapN([x], log1pexp), grad: false },
  act('silu', (x) => F.silu(x), (v) => v * sig(v), rnd([3, 4], -5, 5)),
  act('mish', (x) => F.mish(x), (v) => v * Math.tanh(log1pexp(v)), rnd([3, 4], -5, 5)),
  { name: 'prelu per channel [N, C, L]', prims: ['where', 'mul'], inputs: [rnd([2, 3, 4], -2, 2, [0]), rnd([3], 0, 1)], f: (x, w) => F.prelu(x, w), second: true,
    ref: (x, w) => build(x.shape, (idx) => { const v = x.values[ravel(idx, x.shape)]; return v > 0 ? v : w.values[idx[1]] * v; }) },
  { name: 'prelu one slope [N, C, H, W]', prims: ['where', 'mul'], inputs: [rnd([2, 2, 2, 3], -2, 2, [0]), rnd([1], 0, 1)], f: (x, w) => F.prelu(x, w),
    ref: (x, w) => mapN([x], (v) => (v > 0 ? v : w.values[0] * v)) },
  // ---- normalization
  { name: 'groupNorm 2 groups, affine [N, C, H, W]', prims: ['sum', 'sqrt', 'div'], inputs: [rnd([2, 4, 2, 3]), rnd([4]), rnd([4])], second: true,
    f: (x, w, b) => F.groupNorm(x, 2, w, b, 1e-5), ref: (x, w, b) => groupNormRef(x, 2, w, b, 1e-5) },
  { name: 'groupNorm 3 groups of 1 channel, [N, C, L], eps 0.1', prims: ['sum', 'sqrt', 'div'], inputs: [rnd([2, 3, 5])],
    f: (x) => F.groupNorm(x, 3, null, null, 0.1), ref: (x) => groupNormRef(x, 3, null, null, 0.1) },
  { name: 'instanceNorm affine [N, C, H, W]', prims: ['sum', 'sqrt', 'div'], inputs: [rnd([2, 3, 2, 3]), rnd([3]), rnd([3])], second: true,
    // instance norm is group norm with one channel per group
    f: (x, w, b) => F.instanceNorm(x, null, null, w, b), ref: (x, w, b) => groupNormRef(x, 3, w, b, 1e-5) },
  { name: 'instanceNorm with running statistics (evaluation)', prims: ['sqrt', 'div'], inputs: [rnd([2, 2, 5]), rnd([2]), rnd([2], 0.5, 2)],
    f: (x, m, v) => F.instanceNorm(x, m, v, null, null, { useInputStats: false, eps: 1e-3 }),
    ref: (x, m, v) => build(x.shape, (idx) => (x.values[ravel(idx, x.shape)] - m.values[idx[1]]) / Math.sqrt(v.values[idx[1]] + 1e-3)) },
  // ---- pooling options: ceil mode, countIncludePad, divisorOverride
  { name: 'maxPool2d ceilMode', prims: ['pool', 'poolIndex', 'gather'], inputs: [distinct([1, 2, 5, 6])], second: true,
    f: (x) => F.maxPool2d(x, [2, 3], { stride: 2, ceilMode: true }), ref: (x) => poolRef(x, 'max', [2, 3], [2, 2], [0, 0], true) },
  { name: 'maxPool2d ceilMode, padded (last window starts in the padding edge rule)', prims: ['pool', 'poolIndex', 'gather'], inputs: [distinct([2, 1, 6, 5])],
    f: (x) => F.maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }), ref: (x) => poolRef(x, 'max', [3, 3], [2, 2], [1, 1], true) },
  { name: 'avgPool2d ceilMode (divisor clipped to input + padding)', prims: ['unfold', 'sum', 'div'], inputs: [rnd([1, 2, 5, 6])], second: true,
    f: (x) => F.avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }), ref: (x) => poolRef(x, 'avg', [3, 3], [2, 2], [1, 1], true) },
  { name: 'avgPool2d ceilMode, countIncludePad false', prims: ['unfold', 'sum', 'div'], inputs: [rnd([1, 2, 6, 5])],
    f: (x) => F.avgPool2d(x, [3, 2], { stride: [2, 2], padding: [1, 1], ceilMode: true, countIncludePad: false }), ref: (x) => poolRef(x, 'avg', [3, 2], [2, 2], [1, 1], true, false) },
  { name: 'avgPool2d countIncludePad false (no ceil)', prims: ['unfold', 'sum', 'div'], inputs: [rnd([1, 1, 4, 5])],
    f: (x) => F.avgPool2d(x, 2, { stride: 1, padding: 1, countIncludePad: false }), ref: (x) => poolRef(x, 'avg', [2, 2], [1, 1], [1, 1], false, false) },
  { name: 'avgPool2d divisorOverride, ceilMode', prims: ['unfold', 'sum', 'div'], inputs: [rnd([1, 1, 5, 5])],
    f: (x) => F.avgPool2d(x, 2, { ceilMode: true, divisorOverride: 3 }), ref: (x) => poolRef(x, 'avg', [2, 2], [2, 2], [0, 0], true, true, 3) },
  { name: 'maxPool1d ceilMode', prims: ['pool', 'poolIndex', 'gather'], inputs: [distinct([2, 2, 7])],
    f: (x) => F.maxPool1d(x, 2, { ceilMode: true }),
    ref: (x) => { const r = poolRef({ ...x, shape: [2, 2, 1, 7] }, 'max', [1, 2], [1, 2], [0, 0], true); return { values: r.values, shape: [2, 2, 4] }; } },
  { name: 'avgPool1d ceilMode, padded', prims: ['unfold', 'sum', 'div'], inputs: [rnd([2, 1, 6])],
    f: (x) => F.avgPool1d(x, 3, { stride: 2, padding: 1, ceilMode: true }),
    ref: (x) => { const r = poolRef({ ...x, shape: [2, 1, 1, 6] }, 'avg', [1, 3], [1, 2], [0, 1], true); return { values: r.values, shape: [2, 1, r.shape[3]] }; } },
  // ---- F.pad modes
  ...(['reflect', 'replicate', 'circular'] as const).map((mode): OpCase => ({
    name: `pad ${mode} last two dims`, prims: ['slice', 'concat', 'flip', 'expand'], inputs: [rnd([2, 3, 4])], second: true,
    f: (x) => F.pad(x, [2, 1, 1, 2], mode), ref: (x) => padRef(x, [2, 1, 1, 2], mode),
  })),
  { name: 'pad constant with a crop', prims: ['pad', 'slice'], inputs: [rnd([2, 4])], f: (x) => F.pad(x, [-1, 2, 1, 0], 'constant', 0.5),
    ref: (x) => build([3, 5], ([i, j]) => (i < 1 || j >= 3 ? 0.5 : x.values[ravel([i - 1, j + 1], x.shape)])) },
  // ---- interpolate
  { name: 'interpolate nearest, size', prims: ['gather'], inputs: [rnd([1, 2, 3, 4])], f: (x) => F.interpolate(x, { size: [5, 7] }), ref: (x) => nearestRef(x, [5, 7], false) },
  { name: 'interpolate nearest-exact, size', prims: ['gather'], inputs: [rnd([1, 2, 3, 4])], f: (x) => F.interpolate(x, { size: [5, 3], mode: 'nearest-exact' }), ref: (x) => nearestRef(x, [5, 3], true) },
  { name: 'interpolate nearest 1-D, scale 2', prims: ['gather'], inputs: [rnd([2, 1, 3])], f: (x) => F.interpolate(x, { scaleFactor: 2 }), ref: (x) => nearestRef(x, [6], false) },
  { name: 'interpolate bilinear, scale 2', prims: ['gather', 'mul', 'add'], inputs: [rnd([1, 2, 3, 4])], second: true,
    f: (x) => F.interpolate(x, { scaleFactor: 2, mode: 'bilinear' }), ref: (x) => bilinearRef(x, [6, 8], false, 2) },
  { name: 'interpolate bilinear, size, alignCorners', prims: ['gather', 'mul', 'add'], inputs: [rnd([2, 1, 3, 4])],
    f: (x) => F.interpolate(x, { size: [5, 3], mode: 'bilinear', alignCorners: true }), ref: (x) => bilinearRef(x, [5, 3], true) },
  { name: 'interpolate bilinear, downsample by size', prims: ['gather', 'mul', 'add'], inputs: [rnd([1, 1, 5, 6])],
    f: (x) => F.interpolate(x, { size: [3, 4], mode: 'bilinear' }), ref: (x) => bilinearRef(x, [3, 4], false) },
  { name: 'interpolate linear [N, C, L], scale 1.5', prims: ['gather', 'mul', 'add'], inputs: [rnd([1, 2, 4])],
    f: (x) => F.interpolate(x, { scaleFactor: 1.5, mode: 'linear' }),
    ref: (x) => { const r = bilinearRef({ ...x, shape: [1, 2, 1, 4] }, [1, 6], false, 1.5); return { values: r.values, shape: [1, 2, 6] }; } },
  // ---- pixel shuffle
  { name: 'pixelShuffle r=2', prims: ['reshape', 'permute'], inputs: [rnd([2, 8, 2, 3])], f: (x) => F.pixelShuffle(x, 2),
    ref: (x) => build([2, 2, 4, 6], ([b, c, y, xx]) => x.values[ravel([b, c * 4 + (y % 2) * 2 + (xx % 2), Math.floor(y / 2), Math.floor(xx / 2)], x.shape)]) },
  { name: 'pixelUnshuffle r=3 (unbatched)', prims: ['reshape', 'permute'], inputs: [rnd([1, 3, 6])], f: (x) => F.pixelUnshuffle(x, 3),
    ref: (x) => build([9, 1, 2], ([c, y, xx]) => x.values[ravel([0, y * 3 + Math.floor(c / 3), xx * 3 + (c % 3)], x.shape)]) },
  // ---- transposed convolution with outputPadding and dilation
  { name: 'convTranspose2d stride 2, padding 1, outputPadding 1, bias', prims: ['matmul', 'fold'], inputs: [rnd([2, 3, 3, 2]), rnd([3, 2, 3, 3]), rnd([2])], second: true,
    f: (x, w, b) => F.convTranspose2d(x, w, b, { stride: 2, padding: 1, outputPadding: 1 }), ref: (x, w, b) => convTransposeRef(x, w, b, 2, 1, 1, 1) },
  { name: 'convTranspose2d stride 3, padding 1, outputPadding 2 (beyond the padding)', prims: ['matmul', 'fold'], inputs: [rnd([1, 2, 2, 3]), rnd([2, 2, 3, 2])],
    f: (x, w) => F.convTranspose2d(x, w, null, { stride: 3, padding: 1, outputPadding: 2 }), ref: (x, w) => convTransposeRef(x, w, null, 3, 1, 2, 1) },
  { name: 'convTranspose2d stride 2, padding 2, outputPadding 1', prims: ['matmul', 'fold'], inputs: [rnd([1, 2, 3, 3]), rnd([2, 1, 4, 3])],
    f: (x, w) => F.convTranspose2d(x, w, null, { stride: 2, padding: 2, outputPadding: 1 }), ref: (x, w) => convTransposeRef(x, w, null, 2, 2, 1, 1) },
  { name: 'convTranspose2d dilation 2, outputPadding 1', prims: ['matmul', 'fold'], inputs: [rnd([1, 2, 3, 3]), rnd([2, 3, 2, 2])],
    f: (x, w) => F.convTranspose2d(x, w, null, { dilation: 2, outputPadding: 1 }), ref: (x, w) => convTransposeRef(x, w, null, 1, 0, 1, 2) },
];

