// SPDX-License-Identifier: MIT
// One entry per op: inputs (as plain data), the function, and an independent reference for the
// forward value. ops.test.ts turns every entry into forward, gradcheck, JVP and backend tests.
import * as st from 'strata-dl';
import { type Spec, bools, distinct, fixed, ints, rnd } from './helpers.js';

type Prim = st.Prim;
type Arr = number[];

export interface OpCase {
  name: string;
  /** The primitives this case exercises (the table must cover every primitive). */
  prims: Prim[];
  inputs: Spec[];
  f: (...xs: st.Tensor[]) => st.Tensor;
  /** Reference forward value from the input values: flat values and shape. */
  ref: (...xs: Spec[]) => { values: Arr; shape: number[] };
  /** Differentiable (default true when the output is floating point). */
  grad?: boolean;
  /** Check second derivatives too. */
  second?: boolean;
  /** Gradcheck options for ops whose float32 round trip limits precision. */
  gradOpts?: { eps?: number; atol?: number; rtol?: number };
}

// ---- independent naive references -------------------------------------------------------------
const size = (s: number[]): number => s.reduce((a, b) => a * b, 1);
function unravel(i: number, shape: number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return idx;
}
function ravel(idx: number[], shape: number[]): number {
  let o = 0;
  for (let d = 0; d < shape.length; d++) o = o * shape[d] + idx[d];
  return o;
}
export function bshape(...shapes: number[][]): number[] {
  const r = Math.max(...shapes.map((s) => s.length));
  return Array.from({ length: r }, (_, i) => Math.max(...shapes.map((s) => s[s.length - r + i] ?? 1)));
}
/** Value of `s` at output index `idx` under broadcasting. */
function at(s: Spec, idx: number[]): number {
  const off = idx.length - s.shape.length;
  return s.values[ravel(s.shape.map((d, i) => (d === 1 ? 0 : idx[off + i])), s.shape)];
}
export function mapN(specs: Spec[], f: (...v: number[]) => number): { values: Arr; shape: number[] } {
  const shape = bshape(...specs.map((s) => s.shape));
  const values = Array.from({ length: size(shape) }, (_, i) => {
    const idx = unravel(i, shape);
    return f(...specs.map((s) => at(s, idx)));
  });
  return { values, shape };
}
export function reduceRef(x: Spec, axes: number[], keep: boolean, init: number, f: (acc: number, v: number) => number): { values: Arr; shape: number[] } {
  const kshape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const values = new Array<number>(size(kshape)).fill(init);
  x.values.forEach((v, i) => {
    const idx = unravel(i, x.shape).map((d, k) => (axes.includes(k) ? 0 : d));
    const o = ravel(idx, kshape);
    values[o] = f(values[o], v);
  });
  return { values, shape: keep ? kshape : x.shape.filter((_, i) => !axes.includes(i)) };
}
function permuteRef(x: Spec, perm: number[]): { values: Arr; shape: number[] } {
  const shape = perm.map((p) => x.shape[p]);
  const values = Array.from({ length: size(shape) }, (_, i) => {
    const idx = unravel(i, shape);
    const src = new Array<number>(perm.length);
    perm.forEach((p, k) => { src[p] = idx[k]; });
    return x.values[ravel(src, x.shape)];
  });
  return { values, shape };
}
function matmulRef(a: Spec, b: Spec): { values: Arr; shape: number[] } {
  const [m, k] = a.shape.slice(-2);
  const n = b.shape[b.shape.length - 1];
  const batch = bshape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const shape = [...batch, m, n];
  const values = Array.from({ length: size(shape) }, (_, o) => {
    const idx = unravel(o, shape);
    const bi = idx.slice(0, -2);
    const [i, j] = idx.slice(-2);
    let acc = 0;
    for (let p = 0; p < k; p++) {
      acc += at({ ...a, shape: a.shape }, [...bi, i, p]) * at(b, [...bi, p, j]);
    }
    return acc;
  });
  return { values, shape };
}
/** A batched result summed over its leading (batch) dims: the reference for matmul's sumBatch. */
function sumBatchRef(r: { values: Arr; shape: number[] }): { values: Arr; shape: number[] } {
  const mn = size(r.shape.slice(-2));
  const values = new Array<number>(mn).fill(0);
  r.values.forEach((v, i) => { values[i % mn] += v; });
  return { values, shape: r.shape.slice(-2) };
}
/** Half to even, written independently of the kernels' (floor and the distance to it). */
function halfEven(v: number): number {
  const f = Math.floor(v), d = v - f;
  return d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
}
/** A rounding primitive at ties (both parities, both signs), signed zeros, integers and fractions. */
const rounding = (name: Prim, f: (x: st.Tensor) => st.Tensor, m: (v: number) => number): OpCase => ({
  name, prims: [name], inputs: [fixed([-2.5, -1.5, -0.5, -0.4, 0.4, 0.5, 1.5, 2.5, -3, 7, 1.7, -1.7, 123456.5])], f, ref: (x) => mapN([x], m), grad: false,
});
const id = (x: Spec): { values: Arr; shape: number[] } => ({ values: [...x.values], shape: [...x.shape] });
const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

const unary = (name: string, f: (x: st.Tensor) => st.Tensor, m: (v: number) => number, input: Spec, second = false, prims = [name as Prim]): OpCase => ({
  name, prims, inputs: [input], f, ref: (x) => mapN([x], m), second,
});
const binary = (name: Prim, f: (a: st.Tensor, b: st.Tensor) => st.Tensor, m: (a: number, b: number) => number, a: Spec, b: Spec, second = false): OpCase => ({
  name: `${name} ${JSON.stringify(a.shape)}·${JSON.stringify(b.shape)}`, prims: [name], inputs: [a, b], f, ref: (x, y) => mapN([x, y], m), second,
});

const W = { kernel: [2, 2] as [number, number], stride: [1, 1] as [number, number], padding: [0, 0, 0, 0] as [number, number, number, number], dilation: [1, 1] as [number, number] };
const W2 = { kernel: [3, 2] as [number, number], stride: [2, 1] as [number, number], padding: [1, 0, 1, 2] as [number, number, number, number], dilation: [1, 2] as [number, number] };

function unfoldRef(x: Spec, a: typeof W): { values: Arr; shape: number[] } {
  const [n, c, h, w] = x.shape;
  const [kh, kw] = a.kernel;
  const oh = Math.floor((h + a.padding[0] + a.padding[1] - a.dilation[0] * (kh - 1) - 1) / a.stride[0]) + 1;
  const ow = Math.floor((w + a.padding[2] + a.padding[3] - a.dilation[1] * (kw - 1) - 1) / a.stride[1]) + 1;
  const shape = [n, c * kh * kw, oh * ow];
  const values = Array.from({ length: size(shape) }, (_, o) => {
    const [b, row, l] = unravel(o, shape);
    const [ch, ki, kj] = unravel(row, [c, kh, kw]);
    const [y, xx] = unravel(l, [oh, ow]);
    const iy = y * a.stride[0] - a.padding[0] + ki * a.dilation[0];
    const ix = xx * a.stride[1] - a.padding[2] + kj * a.dilation[1];
    return iy < 0 || iy >= h || ix < 0 || ix >= w ? 0 : x.values[ravel([b, ch, iy, ix], x.shape)];
  });
  return { values, shape };
}

/** weight [O, K] times unfold(x) [N, K, L] for each image: [N, O, L]. */
function convRef(x: Spec, w: Spec, a: typeof W): { values: Arr; shape: number[] } {
  const cols = unfoldRef(x, a);
  const [n, k, l] = cols.shape;
  const o = w.shape[0];
  const shape = [n, o, l];
  const values = Array.from({ length: size(shape) }, (_, i) => {
    const [b, oc, j] = unravel(i, shape);
    let acc = 0;
    for (let p = 0; p < k; p++) acc += w.values[oc * k + p] * cols.values[(b * k + p) * l + j];
    return acc;
  });
  return { values, shape };
}

/**
 * Index ih·W + iw of each window's max (min) among its real inputs: the first of equal values, or
 * the last NaN when there is one (PyTorch's max_pool2d indices).
 */
function poolIndexRef(x: Spec, a: typeof W, mode: 'max' | 'min'): { values: Arr; shape: number[] } {
  const [n, c, h, w] = x.shape;
  const cols = unfoldRef(x, a);
  const kk = a.kernel[0] * a.kernel[1];
  const probe = unfoldRef({ values: x.values.map((_, i) => i), shape: x.shape, kind: 'float' }, a); // flat input positions
  const real = unfoldRef({ values: x.values.map(() => 1), shape: x.shape, kind: 'float' }, a); // 0 where padding
  const L = cols.shape[2];
  const values = Array.from({ length: n * c * L }, (_, o) => {
    const [plane, l] = [Math.floor(o / L), o % L];
    const taps = Array.from({ length: kk }, (_, t) => (plane * kk + t) * L + l).filter((k) => real.values[k] === 1);
    const nan = taps.filter((k) => Number.isNaN(cols.values[k]));
    const target = mode === 'max' ? Math.max(...taps.map((k) => cols.values[k])) : Math.min(...taps.map((k) => cols.values[k]));
    const pick = nan.length ? nan[nan.length - 1] : taps.find((k) => cols.values[k] === target)!;
    return probe.values[pick] % (h * w);
  });
  const oh = Math.floor((h + a.padding[0] + a.padding[1] - a.dilation[0] * (a.kernel[0] - 1) - 1) / a.stride[0]) + 1;
  return { values, shape: [n, c, oh, L / oh] };
}
/** Small integers as floats: many ties inside each window. */
const tied = (shape: number[]): Spec => {
  const s = rnd(shape, 0, 3);
  return { ...s, values: s.values.map(Math.floor) };
};
const W3 = { kernel: [2, 3] as [number, number], stride: [1, 2] as [number, number], padding: [1, 1, 2, 1] as [number, number, number, number], dilation: [2, 1] as [number, number] };
const PAD1 = { ...W, padding: [1, 1, 1, 1] as [number, number, number, number] };
const poolIndexCase = (name: string, x: Spec, a: typeof W, mode: 'max' | 'min'): OpCase => ({
  name: `poolIndex ${mode} ${name}`, prims: ['poolIndex'], inputs: [x], f: (t) => poolIndexOf(t, { ...a, mode }), ref: (v) => poolIndexRef(v, a, mode), grad: false,
});
/** The input at poolIndexRef's positions. */
function poolRef(x: Spec, a: typeof W, mode: 'max' | 'min'): { values: Arr; shape: number[] } {
  const at = poolIndexRef(x, a, mode);
  const L = at.shape[2] * at.shape[3];
  return { values: at.values.map((p, o) => x.values[Math.floor(o / L) * x.shape[2] * x.shape[3] + p]), shape: at.shape };
}
/** Distinct inputs, so no tie sits where finite differences would move the extremum. */
const poolCase = (name: string, x: Spec, a: typeof W, mode: 'max' | 'min'): OpCase => ({
  name: `pool ${mode} ${name}`, prims: ['pool'], inputs: [x], f: (t) => poolOf(t, { ...a, mode }), ref: (v) => poolRef(v, a, mode), second: true,
});

export const CASES: OpCase[] = [
  // elementwise unary
  unary('neg', (x) => x.neg(), (v) => -v, rnd([2, 3])),
  unary('exp', (x) => x.exp(), Math.exp, rnd([2, 3]), true),
  unary('log', (x) => x.log(), Math.log, rnd([2, 3], 0.2, 3), true),
  unary('sqrt', (x) => x.sqrt(), Math.sqrt, rnd([2, 3], 0.2, 3), true),
  unary('sin', (x) => x.sin(), Math.sin, rnd([2, 3]), true),
  unary('cos', (x) => x.cos(), Math.cos, rnd([2, 3]), true),
  unary('tanh', (x) => x.tanh(), Math.tanh, rnd([2, 3]), true),
  unary('sigmoid', (x) => x.sigmoid(), sigmoid, rnd([2, 3], -5, 5), true),
  unary('relu', (x) => x.relu(), (v) => Math.max(v, 0), rnd([2, 3], -2, 2, [0])),
  unary('abs', (x) => x.abs(), Math.abs, rnd([2, 3], -2, 2, [0])),
  { name: 'sign', prims: ['sign'], inputs: [fixed([-2, 0, 3.5, -0.1])], f: (x) => x.sign(), ref: () => ({ values: [-1, 0, 1, -1], shape: [4] }), grad: false },
  { name: 'step', prims: ['gt', 'cast'], inputs: [fixed([-2, 0, 3.5, 0.1])], f: (x) => x.step(), ref: () => ({ values: [0, 0, 1, 1], shape: [4] }), grad: false },
  unary('clamp', (x) => x.clamp(-1, 0.5), (v) => Math.min(Math.max(v, -1), 0.5), rnd([3, 4], -2, 2, [-1, 0.5]), false, ['maximum', 'minimum']),
  unary('square', (x) => x.square(), (v) => v * v, rnd([5]), true, ['mul']),
  // elementwise binary with broadcasting
  binary('add', (a, b) => a.add(b), (a, b) => a + b, rnd([2, 3]), rnd([3])),
  binary('add', (a, b) => a.add(b), (a, b) => a + b, rnd([2, 1, 3]), rnd([4, 1])),
  binary('sub', (a, b) => a.sub(b), (a, b) => a - b, rnd([4, 1]), rnd([2, 1, 3])),
  binary('mul', (a, b) => a.mul(b), (a, b) => a * b, rnd([2, 3]), rnd([2, 1]), true),
  binary('mul', (a, b) => a.mul(b), (a, b) => a * b, rnd([3]), rnd([])),
  binary('div', (a, b) => a.div(b), (a, b) => a / b, rnd([2, 3]), rnd([3], 0.5, 2), true),
  binary('pow', (a, b) => a.pow(b), Math.pow, rnd([2, 3], 0.5, 2), rnd([3], -1.5, 1.5), true),
  binary('maximum', (a, b) => a.maximum(b), Math.max, distinct([2, 3]), distinct([3])),
  binary('minimum', (a, b) => a.minimum(b), Math.min, distinct([2, 3]), distinct([2, 1])),
  // ReLU's backward: y's entries stay away from the step at 0, where finite differences would jump
  binary('reluGrad', (g, y) => st.prims.bind('reluGrad', [g, y], {}), (g, y) => (y <= 0 ? 0 : g), distinct([2, 3]), fixed([-1.5, 0.7, 2], [3]), true),
  { name: 'maximum ties split the gradient', prims: ['maximum'], inputs: [fixed([1, 2, 3])], f: (x) => x.maximum(x.flip(0)).mul(fixedWeights(x)),
    ref: () => ({ values: [3, 4, 9], shape: [3] }) },
  // comparisons and selection
  ...(['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const).map((op): OpCase => ({
    name: op, prims: [op], inputs: [fixed([1, 2, 3, 2, 5, 0], [2, 3]), fixed([2, 2, 0])],
    f: (a, b) => a[op](b),
    ref: (a, b) => mapN([a, b], (x, y) => +({ eq: x === y, ne: x !== y, lt: x < y, le: x <= y, gt: x > y, ge: x >= y }[op])),
    grad: false,
  })),
  { name: 'where', prims: ['where'], inputs: [bools([1, 0, 1], [3]), rnd([2, 3]), rnd([2, 1])], f: (c, a, b) => a.where(c, b),
    ref: (c, a, b) => mapN([c, a, b], (cc, x, y) => (cc ? x : y)) },
  { name: 'cast float→int32 truncates', prims: ['cast'], inputs: [fixed([-1.7, -0.2, 0.5, 2.9])], f: (x) => x.to('int32'),
    ref: () => ({ values: [-1, 0, 0, 2], shape: [4] }), grad: false },
  { name: 'cast float→bool', prims: ['cast'], inputs: [fixed([-1.7, 0, 0.5])], f: (x) => x.to('bool'), ref: () => ({ values: [1, 0, 1], shape: [3] }), grad: false },
  { name: 'cast int32→float', prims: ['cast'], inputs: [ints([-3, 0, 7])], f: (x) => x.to('float32'), ref: () => ({ values: [-3, 0, 7], shape: [3] }), grad: false },
  { name: 'cast round trip float64→float32→float64', prims: ['cast'], inputs: [rnd([4])], f: (x) => x.to(x.dtype === 'float64' ? 'float32' : 'float64').to(x.dtype).mul(3),
    ref: (x) => mapN([x], (v) => 3 * Math.fround(v)), gradOpts: { eps: 1e-2, atol: 1e-4, rtol: 1e-4 } },
  // reductions
  { name: 'sum all', prims: ['sum'], inputs: [rnd([2, 3, 4])], f: (x) => x.sum(), ref: (x) => reduceRef(x, [0, 1, 2], false, 0, (a, v) => a + v) },
  { name: 'sum axes [0,2] keepdim', prims: ['sum'], inputs: [rnd([2, 3, 4])], f: (x) => x.sum([0, 2], true), ref: (x) => reduceRef(x, [0, 2], true, 0, (a, v) => a + v) },
  { name: 'sum axis -1', prims: ['sum'], inputs: [rnd([3, 5])], f: (x) => x.sum(-1), ref: (x) => reduceRef(x, [1], false, 0, (a, v) => a + v) },
  { name: 'mean axis 1', prims: ['sum', 'div'], inputs: [rnd([3, 4])], f: (x) => x.mean(1), ref: (x) => { const r = reduceRef(x, [1], false, 0, (a, v) => a + v); return { ...r, values: r.values.map((v) => v / 4) }; } },
  { name: 'max axis 1', prims: ['max'], inputs: [distinct([3, 4])], f: (x) => x.amax(1), ref: (x) => reduceRef(x, [1], false, -Infinity, Math.max) },
  { name: 'max all', prims: ['max'], inputs: [distinct([2, 3, 2])], f: (x) => x.max(), ref: (x) => reduceRef(x, [0, 1, 2], false, -Infinity, Math.max) },
  { name: 'min axes [0,1] keepdim', prims: ['min'], inputs: [distinct([2, 3, 2])], f: (x) => x.amin([0, 1], true), ref: (x) => reduceRef(x, [0, 1], true, Infinity, Math.min) },
  { name: 'max with ties shares the gradient', prims: ['max'], inputs: [fixed([1, 3, 3, 2])], f: (x) => x.max(), ref: () => ({ values: [3], shape: [] }) },
  { name: 'argmax axis 1', prims: ['argmax'], inputs: [fixed([1, 5, 2, 9, 0, 9], [2, 3])], f: (x) => x.argmax(1), ref: () => ({ values: [1, 0], shape: [2] }), grad: false },
  { name: 'argmin flat', prims: ['argmin'], inputs: [fixed([4, 1, 2, 1], [2, 2])], f: (x) => x.argmin(), ref: () => ({ values: [1], shape: [] }), grad: false },
  { name: 'var (unbiased) axis 0', prims: ['sum', 'mul'], inputs: [fixed([1, 2, 3, 4, 6, 8], [3, 2])], f: (x) => x.var(0), ref: () => ({ values: [19 / 3, 28 / 3], shape: [2] }) },
  { name: 'std all, correction 0', prims: ['sqrt'], inputs: [fixed([2, 4, 4, 4, 5, 5, 7, 9])], f: (x) => x.std(undefined, { correction: 0 }), ref: () => ({ values: [2], shape: [] }) },
  { name: 'logsumexp axis 1', prims: ['max', 'exp', 'log'], inputs: [rnd([2, 4], -3, 3)], f: (x) => x.logsumexp(1),
    ref: (x) => { const r = reduceRef({ ...x, values: x.values.map(Math.exp) }, [1], false, 0, (a, v) => a + v); return { ...r, values: r.values.map(Math.log) }; } },
  { name: 'softmax', prims: ['exp', 'sum'], inputs: [rnd([2, 4], -3, 3)], f: (x) => x.softmax(-1), second: true,
    ref: (x) => { const e = x.values.map(Math.exp); const values = e.map((v, i) => v / e.slice(i - (i % 4), i - (i % 4) + 4).reduce((a, b) => a + b)); return { values, shape: x.shape }; } },
  { name: 'logSoftmax axis 0', prims: ['exp', 'sum', 'log'], inputs: [rnd([3, 2], -3, 3)], f: (x) => x.logSoftmax(0), second: true,
    ref: (x) => { const values = x.values.map((v, i) => { const col = i % 2; const z = [0, 1, 2].reduce((a, r) => a + Math.exp(x.values[r * 2 + col]), 0); return v - Math.log(z); }); return { values, shape: x.shape }; } },
  { name: 'softmax of huge logits stays finite', prims: ['exp'], inputs: [fixed([1000, 0, -1000])], f: (x) => x.softmax(), ref: () => ({ values: [1, 0, 0], shape: [3] }), grad: false },
  // movement
  { name: 'reshape', prims: ['reshape'], inputs: [rnd([2, 6])], f: (x) => x.reshape(3, -1).mul(1), ref: (x) => ({ values: x.values, shape: [3, 4] }) },
  { name: 'permute', prims: ['permute'], inputs: [rnd([2, 3, 4])], f: (x) => x.permute(2, 0, 1), ref: (x) => permuteRef(x, [2, 0, 1]) },
  { name: 'transpose', prims: ['permute'], inputs: [rnd([3, 5])], f: (x) => x.T, ref: (x) => permuteRef(x, [1, 0]) },
  { name: 'expand', prims: ['expand'], inputs: [rnd([3, 1])], f: (x) => x.expand(2, 3, 4), ref: (x) => mapN([x, { values: new Array(24).fill(0), shape: [2, 3, 4], kind: 'float' }], (v) => v) },
  { name: 'slice', prims: ['slice'], inputs: [rnd([4, 5])], f: (x) => x.slice(1, 1, -1), ref: (x) => ({ values: x.values.filter((_, i) => i % 5 >= 1 && i % 5 < 4), shape: [4, 3] }) },
  { name: 'narrow + index', prims: ['slice', 'reshape'], inputs: [rnd([3, 4])], f: (x) => x.narrow(0, 1, 2).index(null, 2), ref: (x) => ({ values: [x.values[6], x.values[10]], shape: [2] }) },
  { name: 'pad', prims: ['pad'], inputs: [fixed([1, 2, 3, 4], [2, 2])], f: (x) => x.pad([1, 0, 0, 1], -1),
    ref: () => ({ values: [-1, 1, 2, -1, 3, 4, -1, -1, -1], shape: [3, 3] }) },
  { name: 'flip', prims: ['flip'], inputs: [fixed([1, 2, 3, 4, 5, 6], [2, 3])], f: (x) => x.flip([0, 1]), ref: () => ({ values: [6, 5, 4, 3, 2, 1], shape: [2, 3] }) },
  { name: 'cat dim 1', prims: ['concat'], inputs: [rnd([2, 2]), rnd([2, 3])], f: (a, b) => catOf([a, b], 1),
    ref: (a, b) => ({ values: [...a.values.slice(0, 2), ...b.values.slice(0, 3), ...a.values.slice(2), ...b.values.slice(3)], shape: [2, 5] }) },
  { name: 'stack dim 0', prims: ['concat', 'reshape'], inputs: [rnd([3]), rnd([3])], f: (a, b) => stackOf([a, b], 0), ref: (a, b) => ({ values: [...a.values, ...b.values], shape: [2, 3] }) },
  { name: 'split', prims: ['slice', 'concat'], inputs: [rnd([5, 2])], f: (x) => catOf(x.split([2, 3]).reverse(), 0), ref: (x) => ({ values: [...x.values.slice(4), ...x.values.slice(0, 4)], shape: [5, 2] }) },
  { name: 'gather dim 1', prims: ['gather'], inputs: [rnd([2, 3]), ints([2, 0, 1, 1], [2, 2])], f: (x, i) => x.gather(1, i),
    ref: (x) => ({ values: [x.values[2], x.values[0], x.values[4], x.values[4]], shape: [2, 2] }) },
  { name: 'indexSelect dim 0 with repeats', prims: ['gather', 'expand'], inputs: [rnd([3, 2]), ints([2, 0, 2])], f: (x, i) => x.indexSelect(0, i),
    ref: (x) => ({ values: [x.values[4], x.values[5], x.values[0], x.values[1], x.values[4], x.values[5]], shape: [3, 2] }) },
  { name: 'scatterAdd dim 0', prims: ['scatterAdd'], inputs: [rnd([3, 2]), ints([0, 2, 0, 0], [2, 2]), rnd([2, 2])], f: (x, i, s) => x.scatterAdd(0, i, s),
    ref: (x, _i, s) => { const v = [...x.values]; v[0] += s.values[0]; v[5] += s.values[1]; v[0] += s.values[2]; v[1] += s.values[3]; return { values: v, shape: [3, 2] }; } },
  { name: 'squeeze/unsqueeze/flatten', prims: ['reshape'], inputs: [rnd([2, 1, 3])], f: (x) => x.squeeze().unsqueeze(0).flatten(1).mul(2), ref: (x) => ({ values: x.values.map((v) => 2 * v), shape: [1, 6] }) },
  // linear algebra
  { name: 'matmul 2-D', prims: ['matmul'], inputs: [rnd([3, 4]), rnd([4, 2])], f: (a, b) => a.matmul(b), ref: matmulRef, second: true },
  { name: 'matmul batched broadcast', prims: ['matmul'], inputs: [rnd([2, 1, 3, 4]), rnd([5, 4, 2])], f: (a, b) => a.matmul(b), ref: matmulRef },
  { name: 'matmul vector·matrix', prims: ['matmul'], inputs: [rnd([4]), rnd([4, 3])], f: (a, b) => a.matmul(b),
    ref: (a, b) => { const r = matmulRef({ ...a, shape: [1, 4] }, b); return { values: r.values, shape: [3] }; } },
  { name: 'matmul transA transB', prims: ['matmul'], inputs: [rnd([4, 3]), rnd([2, 4])], f: (a, b) => st.prims.matmul(a, b, { transA: true, transB: true }),
    ref: (a, b) => matmulRef(permuteRef(a, [1, 0]) as Spec, permuteRef(b, [1, 0]) as Spec), second: true },
  { name: 'matmul transB batched', prims: ['matmul'], inputs: [rnd([2, 3, 4]), rnd([2, 5, 4])], f: (a, b) => st.prims.matmul(a, b, { transA: false, transB: true }),
    ref: (a, b) => { const bt = { kind: 'float' as const, ...permuteRef(b, [0, 2, 1]) }; return matmulRef(a, bt); } },
  { name: 'matmul sumBatch (shared weight grad)', prims: ['matmul'], inputs: [rnd([3, 2, 4]), rnd([3, 5, 4])], f: (a, b) => st.prims.matmul(a, b, { transA: false, transB: true, sumBatch: true }),
    ref: (a, b) => sumBatchRef(matmulRef(a, { kind: 'float' as const, ...permuteRef(b, [0, 2, 1]) })), second: true },
  { name: 'matmul sumBatch transA, broadcast', prims: ['matmul'], inputs: [rnd([2, 1, 4, 3]), rnd([3, 4, 2])], f: (a, b) => st.prims.matmul(a, b, { transA: true, transB: false, sumBatch: true }),
    ref: (a, b) => sumBatchRef(matmulRef({ kind: 'float' as const, ...permuteRef(a, [0, 1, 3, 2]) }, b)), second: true },
  { name: 'matmul sumBatch of plain matrices', prims: ['matmul'], inputs: [rnd([2, 3]), rnd([3, 2])], f: (a, b) => st.prims.matmul(a, b, { transA: false, transB: false, sumBatch: true }), ref: matmulRef },
  // sliding windows
  { name: 'unfold 2x2', prims: ['unfold'], inputs: [rnd([2, 2, 3, 4])], f: (x) => unfoldOf(x, W), ref: (x) => unfoldRef(x, W) },
  { name: 'unfold strided, padded, dilated', prims: ['unfold'], inputs: [rnd([1, 2, 5, 4])], f: (x) => unfoldOf(x, W2), ref: (x) => unfoldRef(x, W2) },
  { name: 'fold is the adjoint of unfold', prims: ['fold'], inputs: [rnd([1, 8, 6])], f: (c) => foldOf(c, { ...W, outputSize: [3, 4] }),
    ref: (c) => {
      // Unfold the positions 0..23 themselves: each column entry names the input element it came from.
      const out = new Array<number>(24).fill(0);
      const probe = unfoldRef({ values: out.map((_, i) => i), shape: [1, 2, 3, 4], kind: 'float' }, W);
      probe.values.forEach((src, k) => { out[src] += c.values[k]; });
      return { values: out, shape: [1, 2, 3, 4] };
    } },
  // convolution as one product, weight·unfold(x), at stride 1 (the implicit-GEMM path) and strided
  { name: 'conv (weight·unfold) 2x2', prims: ['conv'], inputs: [rnd([2, 2, 3, 4]), rnd([3, 8])], f: (x, w) => convOf(x, w, W), ref: (x, w) => convRef(x, w, W), second: true },
  { name: 'conv with bias and ReLU (the epilogue)', prims: ['conv'], inputs: [rnd([2, 2, 3, 4]), rnd([3, 8]), rnd([3])], f: (x, w, b) => st.prims.bind('conv', [x, w, b], { ...W, relu: true }),
    ref: (x, w, b) => { const r = convRef(x, w, W); const l = r.shape[2]; return { values: r.values.map((v, i) => Math.max(0, v + b.values[Math.floor(i / l) % 3])), shape: r.shape }; }, second: true },
  { name: 'conv with bias', prims: ['conv'], inputs: [rnd([1, 2, 5, 4]), rnd([2, 12]), rnd([2])], f: (x, w, b) => st.prims.bind('conv', [x, w, b], W2),
    ref: (x, w, b) => { const r = convRef(x, w, W2); const l = r.shape[2]; return { values: r.values.map((v, i) => v + b.values[Math.floor(i / l) % 2]), shape: r.shape }; } },
  { name: 'conv strided, padded, dilated', prims: ['conv'], inputs: [rnd([1, 2, 5, 4]), rnd([2, 12])], f: (x, w) => convOf(x, w, W2), ref: (x, w) => convRef(x, w, W2) },
  // pooling: where the extremum is, and max/min pooling as poolIndex + gather
  poolIndexCase('2x2, ties', tied([2, 2, 4, 5]), W, 'max'),
  poolIndexCase('strided, padded, dilated, ties', tied([1, 2, 5, 4]), W2, 'max'),
  poolIndexCase('padded, dilated rows, ties', tied([2, 1, 5, 6]), W3, 'min'),
  ...(['max', 'min'] as const).map((m) => poolIndexCase('padding never wins, even against ∓∞', fixed([-Infinity, -Infinity, -Infinity, 2, Infinity, Infinity, -3, Infinity, Infinity], [1, 1, 3, 3]), PAD1, m)),
  ...(['max', 'min'] as const).map((m) => poolIndexCase('NaN wins (the last one)', fixed([1, NaN, 5, 2, NaN, 3, NaN, 0, 4, 9, 9, 1], [1, 3, 2, 2]), W, m)),
  poolCase('strided, padded, dilated', distinct([1, 2, 5, 4]), W2, 'max'),
  poolCase('padded, dilated rows', distinct([2, 1, 5, 6]), W3, 'min'),
  { name: 'maxPool2d (pool; poolIndex + gather when differentiated)', prims: ['pool', 'poolIndex', 'gather'], inputs: [distinct([2, 2, 5, 4])], f: (x) => maxPoolOf(x, 2, { stride: 1, padding: 1 }),
    ref: (x) => poolRef(x, PAD1, 'max'), second: true },
  // rounding (steps: no gradient), at ties and signed zeros; round is half to even
  rounding('floor', (x) => x.floor(), Math.floor),
  rounding('ceil', (x) => x.ceil(), Math.ceil),
  rounding('round', (x) => x.round(), halfEven),
  rounding('trunc', (x) => x.trunc(), Math.trunc),
  { name: 'round to 2 decimals', prims: ['mul', 'round', 'div'], inputs: [fixed([1.2345, -2.6751, 0.125, 1e-3])], f: (x) => x.round(2),
    ref: (x) => mapN([x], (v) => halfEven(v * 100) / 100), grad: false },
  { name: 'round to -1 decimals', prims: ['div', 'round', 'mul'], inputs: [fixed([15, 25, -35, 44])], f: (x) => x.round(-1), ref: () => ({ values: [20, 20, -40, 40], shape: [4] }), grad: false },
  unary('frac', (x) => x.frac(), (v) => v - Math.trunc(v), rnd([2, 3], -3, 3, [-2, -1, 0, 1, 2]), true, ['trunc', 'sub']),
  // accurate near 0, and the inverse trigonometric functions away from their kinks
  unary('log1p', (x) => x.log1p(), Math.log1p, rnd([2, 3], -0.8, 3), true),
  { name: 'log1p of tiny values', prims: ['log1p'], inputs: [fixed([1e-10, -3e-9, 2e-7])], f: (x) => x.log1p(), ref: (x) => mapN([x], Math.log1p), grad: false },
  unary('expm1', (x) => x.expm1(), Math.expm1, rnd([2, 3]), true),
  { name: 'expm1 of tiny values', prims: ['expm1'], inputs: [fixed([1e-10, -3e-9, 2e-7])], f: (x) => x.expm1(), ref: (x) => mapN([x], Math.expm1), grad: false },
  unary('atan', (x) => x.atan(), Math.atan, rnd([2, 3], -4, 4), true),
  unary('asin', (x) => x.asin(), Math.asin, rnd([2, 3], -0.9, 0.9), true),
  unary('acos', (x) => x.acos(), Math.acos, rnd([2, 3], -0.9, 0.9), true),
  unary('tan', (x) => x.tan(), Math.tan, rnd([2, 3], -1.3, 1.3), true, ['sin', 'cos', 'div']),
  unary('rsqrt', (x) => x.rsqrt(), (v) => 1 / Math.sqrt(v), rnd([2, 3], 0.2, 3), true, ['sqrt', 'div']),
  // nansum and nanmean of finite values are sum and mean (their NaN rules: ops.nonfinite.table.ts)
  { name: 'nansum axis 1', prims: ['ne', 'where', 'sum'], inputs: [rnd([2, 3])], f: (x) => x.nansum(1), ref: (x) => ({ values: [0, 1].map((i) => x.values.slice(3 * i, 3 * i + 3).reduce((p, v) => p + v, 0)), shape: [2] }) },
  { name: 'nanmean axis 0', prims: ['ne', 'where', 'sum', 'div'], inputs: [rnd([2, 3])], f: (x) => x.nanmean(0), ref: (x) => ({ values: [0, 1, 2].map((j) => (x.values[j] + x.values[3 + j]) / 2), shape: [3] }) },
  // the hyperbolic functions, composed: inputs on both sides of their small/large switch points
  unary('sinh', (x) => x.sinh(), Math.sinh, fixed([-3, -1.2, -0.4, 0.2, 0.9, 2.5]), true, ['expm1', 'exp', 'where']),
  unary('cosh', (x) => x.cosh(), Math.cosh, rnd([2, 3], -3, 3), true, ['exp', 'mul']),
  unary('asinh', (x) => x.asinh(), Math.asinh, fixed([-4, -0.7, -0.1, 0.05, 0.8, 6]), true, ['log1p', 'sqrt', 'where']),
  unary('acosh', (x) => x.acosh(), Math.acosh, rnd([2, 3], 1.2, 5), true, ['log1p', 'sqrt', 'where']),
  unary('atanh', (x) => x.atanh(), Math.atanh, rnd([2, 3], -0.8, 0.8), true, ['log1p']),
  { name: 'sinh, cosh, asinh, acosh and atanh of large and tiny values (89: e^x overflows float32, e^x / 2 does not)', prims: ['exp', 'log'], inputs: [fixed([1e-9, -2e-7, 40, -89.2, 3e9, -5e12])],
    f: (x) => st.cat([x.sinh(), x.cosh(), x.asinh(), x.abs().add(2).acosh(), x.div(1e13).atanh()]),
    ref: (x) => ({ values: [...x.values.map(Math.sinh), ...x.values.map(Math.cosh), ...x.values.map(Math.asinh), ...x.values.map((v) => Math.acosh(Math.abs(v) + 2)), ...x.values.map((v) => Math.atanh(v / 1e13))], shape: [30] }), grad: false },
  // every quadrant, broadcasting; a kept off 0, where the angle jumps by 2π for b < 0
  binary('atan2', (a, b) => a.atan2(b), Math.atan2, rnd([2, 3], -2, 2, [0]), rnd([3], -2, 2, [0]), true),
  // the remainders: every sign pairing, quotients kept off integers (where they jump)
  binary('fmod', (a, b) => a.fmod(b), (a, b) => a % b, fixed([5.3, -5.3, 2.2, -0.7, 7.9, 1.1]), fixed([3, 3, -1.5, 0.4, -2.5, 0.3]), true),
  { name: 'remainder', prims: ['fmod', 'where'], inputs: [fixed([5.3, -5.3, 2.2, -0.7, 7.9, 1.1]), fixed([3, 3, -1.5, 0.4, -2.5, 0.3])], f: (a, b) => a.remainder(b),
    ref: (a, b) => mapN([a, b], (p, q) => p - Math.floor(p / q) * q), second: true },
  { name: 'logaddexp', prims: ['maximum', 'log1p', 'exp'], inputs: [rnd([2, 3], -3, 3), rnd([3], -3, 3)], f: (a, b) => a.logaddexp(b),
    ref: (a, b) => mapN([a, b], (p, q) => Math.log(Math.exp(p) + Math.exp(q))), second: true },
  { name: 'logaddexp2', prims: ['maximum', 'log1p', 'pow'], inputs: [rnd([2, 3], -3, 3), rnd([3], -3, 3)], f: (a, b) => a.logaddexp2(b),
    ref: (a, b) => mapN([a, b], (p, q) => Math.log2(2 ** p + 2 ** q)), second: true },
  { name: 'xlogy', prims: ['log', 'mul', 'where'], inputs: [fixed([0, 1.5, -2, 0.3, 0, 4]), fixed([2, 0.5, 3, 1.7, 0.9, 2.5])], f: (a, b) => a.xlogy(b),
    ref: (a, b) => mapN([a, b], (p, q) => (p === 0 ? 0 : p * Math.log(q))), second: true },
  { name: 'hypot', prims: ['sqrt', 'div', 'mul'], inputs: [rnd([2, 3], -3, 3, [0]), rnd([3], -3, 3, [0])], f: (a, b) => a.hypot(b), ref: (a, b) => mapN([a, b], Math.hypot), second: true },
  // running extrema (values gathered at their positions), products and distances
  { name: 'cummax along 1', prims: ['ge', 'where', 'gather'], inputs: [fixed([0.3, -1.2, 1.7, 0.9, 2.2, -0.4], [2, 3])], f: (x) => x.cummax(1).values,
    ref: (x) => ({ values: [0, 1].flatMap((r) => [0, 1, 2].map((c) => Math.max(...x.values.slice(3 * r, 3 * r + c + 1)))), shape: [2, 3] }), second: true },
  { name: 'cummin along 0', prims: ['le', 'where', 'gather'], inputs: [fixed([0.3, -1.2, 1.7, 0.9, -2.2, -0.4], [2, 3])], f: (x) => x.cummin(0).values,
    ref: (x) => ({ values: [...x.values.slice(0, 3), ...[0, 1, 2].map((c) => Math.min(x.values[c], x.values[3 + c]))], shape: [2, 3] }) },
  { name: 'kron', prims: ['mul', 'reshape'], inputs: [rnd([2, 2]), rnd([3])], f: (a, b) => a.kron(b), second: true,
    ref: (a, b) => ({ values: [0, 1].flatMap((i) => [0, 1].flatMap((j) => [0, 1, 2].map((k) => a.values[2 * i + j] * b.values[k]))), shape: [2, 6] }) },
  { name: 'cross along 0', prims: ['mul', 'sub', 'slice', 'concat'], inputs: [rnd([3, 2]), rnd([3, 1])], f: (a, b) => a.cross(b, 0), second: true,
    ref: (a, b) => {
      const A = (i: number, j: number): number => a.values[2 * i + j], B = (i: number): number => b.values[i];
      return { values: [0, 1].map((j) => A(1, j) * B(2) - A(2, j) * B(1)).concat([0, 1].map((j) => A(2, j) * B(0) - A(0, j) * B(2)), [0, 1].map((j) => A(0, j) * B(1) - A(1, j) * B(0))), shape: [3, 2] };
    } },
  { name: 'cdist', prims: ['sub', 'sqrt', 'sum'], inputs: [rnd([2, 3]), rnd([4, 3])], f: (a, b) => st.cdist(a, b), second: true,
    ref: (a, b) => ({ values: [0, 1].flatMap((i) => [0, 1, 2, 3].map((j) => Math.hypot(...[0, 1, 2].map((k) => a.values[3 * i + k] - b.values[3 * j + k])))), shape: [2, 4] }) },
  { name: 'cdist p 3', prims: ['sub', 'pow', 'sum'], inputs: [rnd([2, 3]), rnd([1, 3])], f: (a, b) => st.cdist(a, b, 3),
    ref: (a, b) => ({ values: [0, 1].map((i) => [0, 1, 2].reduce((s, k) => s + Math.abs(a.values[3 * i + k] - b.values[k]) ** 3, 0) ** (1 / 3)), shape: [2, 1] }) },
  unary('logit', (x) => x.logit(), (v) => Math.log(v / (1 - v)), rnd([2, 3], 0.05, 0.95), true, ['log', 'log1p']),
  unary('logit eps 0.2', (x) => x.logit(0.2), (v) => { const c = Math.min(Math.max(v, 0.2), 0.8); return Math.log(c / (1 - c)); }, fixed([0.05, 0.3, 0.5, 0.7, 0.93, 0.45]), true, ['log', 'log1p']),
  unary('log2', (x) => x.log2(), Math.log2, rnd([2, 3], 0.2, 3), true),
  unary('log10', (x) => x.log10(), Math.log10, rnd([2, 3], 0.2, 3), true),
  unary('exp2', (x) => x.exp2(), (v) => 2 ** v, rnd([2, 3]), true, ['pow']),
  // the named products and diagonals, composed from matmul, mul, sum, permute, gather and where
  { name: 'mm', prims: ['matmul'], inputs: [rnd([2, 3]), rnd([3, 4])], f: (a, b) => a.mm(b), ref: matmulRef, second: true },
  { name: 'bmm', prims: ['matmul'], inputs: [rnd([2, 2, 3]), rnd([2, 3, 2])], f: (a, b) => a.bmm(b), ref: matmulRef },
  { name: 'mv', prims: ['matmul'], inputs: [rnd([2, 3]), rnd([3])], f: (a, v) => a.mv(v),
    ref: (a, v) => ({ values: [0, 1].map((i) => [0, 1, 2].reduce((acc, k) => acc + a.values[i * 3 + k] * v.values[k], 0)), shape: [2] }) },
  { name: 'dot', prims: ['mul', 'sum'], inputs: [rnd([4]), rnd([4])], f: (a, b) => a.dot(b), ref: (a, b) => ({ values: [a.values.reduce((acc, v, i) => acc + v * b.values[i], 0)], shape: [] }), second: true },
  { name: 'diagonal above the main one, of axes 2 and 0', prims: ['permute', 'gather'], inputs: [rnd([3, 2, 4])], f: (x) => x.diagonal(1, 2, 0),
    // as torch.diagonal: out[j][i] = x[i + 1][j][i], i along axis 2 and i + 1 along axis 0 (< 3)
    ref: (x) => ({ values: [0, 1].flatMap((j) => [0, 1].map((i) => x.values[(i + 1) * 8 + j * 4 + i])), shape: [2, 2] }) },
  { name: 'trace', prims: ['gather', 'sum'], inputs: [rnd([3, 3])], f: (x) => x.trace(), ref: (x) => ({ values: [x.values[0] + x.values[4] + x.values[8]], shape: [] }) },
  { name: 'diag of a vector, below the main diagonal', prims: ['pad', 'expand', 'where'], inputs: [rnd([2])], f: (v) => v.diag(-1),
    ref: (v) => ({ values: [0, 0, 0, v.values[0], 0, 0, 0, v.values[1], 0], shape: [3, 3] }) },
  { name: 'movedim', prims: ['permute'], inputs: [rnd([2, 3, 4])], f: (x) => x.movedim(0, 2), ref: (x) => permuteRef(x, [1, 2, 0]) },
];

// Free functions are passed in by ops.test.ts so that this table imports no runtime code.
let catOf: (ts: st.Tensor[], dim: number) => st.Tensor;
let stackOf: (ts: st.Tensor[], dim: number) => st.Tensor;
let unfoldOf: (x: st.Tensor, a: st.WindowAttrs) => st.Tensor;
let foldOf: (x: st.Tensor, a: st.WindowAttrs & { outputSize: [number, number] }) => st.Tensor;
let poolIndexOf: (x: st.Tensor, a: st.WindowAttrs & { mode: 'max' | 'min' }) => st.Tensor;
let convOf: (x: st.Tensor, w: st.Tensor, a: st.WindowAttrs) => st.Tensor;
let poolOf: (x: st.Tensor, a: st.WindowAttrs & { mode: 'max' | 'min' }) => st.Tensor;
let maxPoolOf: typeof st.nn.functional.maxPool2d;
let fixedWeights: (x: st.Tensor) => st.Tensor;
export function bindFunctions(lib: typeof st): void {
  catOf = lib.cat;
  stackOf = lib.stack;
  unfoldOf = lib.unfold;
  foldOf = lib.fold;
  poolIndexOf = lib.poolIndex;
  convOf = lib.unfoldMatmul;
  poolOf = lib.poolExtremum;
  maxPoolOf = lib.nn.functional.maxPool2d;
  fixedWeights = (x) => lib.tensor([1, 2, 3], { dtype: x.dtype, backend: x.backend.name });
}
