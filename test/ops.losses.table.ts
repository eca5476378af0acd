// SPDX-License-Identifier: MIT
// Op-table rows for the loss options (class weight, ignoreIndex, label smoothing with
// both, posWeight) and the pair/triplet losses, each against a naive reference written from
// PyTorch's definitions. ops.losses.test.ts runs them through the op-table checks.
import type * as st from 'strata-dl';
import { type Spec, fixed, ints, rnd } from './helpers.js';
import type { OpCase } from './ops.table.js';

type Arr = number[];
type Out = { values: Arr; shape: number[] };
type Reduction = 'mean' | 'sum' | 'none';
const size = (s: number[]): number => s.reduce((a, b) => a * b, 1);
const scalar = (v: number): Out => ({ values: [v], shape: [] });

function reduceRef(per: Arr, shape: number[], reduction: Reduction, denominator = per.length): Out {
  if (reduction === 'none') return { values: per, shape };
  const s = per.reduce((a, b) => a + b, 0);
  return scalar(reduction === 'sum' ? s : s / denominator);
}

/** log-softmax over the class axis (1) of [N, C, ...] values, or the values themselves (`asLog`). */
function logProbs(x: Spec, asLog: boolean): (n: number, c: number, k: number) => number {
  const [, C] = x.shape;
  const D = size(x.shape.slice(2));
  const v = (n: number, c: number, k: number): number => x.values[(n * C + c) * D + k];
  if (asLog) return v;
  return (n, c, k) => {
    let m = -Infinity;
    for (let j = 0; j < C; j++) m = Math.max(m, v(n, j, k));
    let s = 0;
    for (let j = 0; j < C; j++) s += Math.exp(v(n, j, k) - m);
    return v(n, c, k) - m - Math.log(s);
  };
}

/**
 * PyTorch's nll_loss / cross_entropy with class indices: −w[y]·logp[y], label smoothing mixing in
 * −Σ_c w_c·logp_c / C, ignored targets 0, the mean over the sum of the target weights.
 */
function classRef(x: Spec, t: Spec, w: Spec | null, o: { ignore?: number; smoothing?: number; reduction?: Reduction; asLog?: boolean }): Out {
  const { ignore = -100, smoothing = 0, reduction = 'mean', asLog = false } = o;
  const [N, C] = x.shape;
  const D = size(x.shape.slice(2));
  const lp = logProbs(x, asLog);
  const wt = (c: number): number => (w ? w.values[c] : 1);
  const per: Arr = [];
  let den = 0;
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < D; k++) {
      const y = t.values[n * D + k];
      if (y === ignore) { per.push(0); continue; }
      let smooth = 0;
      for (let c = 0; c < C; c++) smooth -= wt(c) * lp(n, c, k);
      per.push((1 - smoothing) * -wt(y) * lp(n, y, k) + (smoothing / C) * smooth);
      den += wt(y);
    }
  }
  return reduceRef(per, t.shape, reduction, den);
}

/** cross_entropy with class probabilities: −Σ_c w_c·t'_c·logp_c, t' = (1 − ε)·t + ε/C, mean over samples. */
function probRef(x: Spec, t: Spec, w: Spec | null, smoothing: number, reduction: Reduction): Out {
  const [N, C] = x.shape;
  const D = size(x.shape.slice(2));
  const lp = logProbs(x, false);
  const per: Arr = [];
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < D; k++) {
      let s = 0;
      for (let c = 0; c < C; c++) s -= (w ? w.values[c] : 1) * ((1 - smoothing) * t.values[(n * C + c) * D + k] + smoothing / C) * lp(n, c, k);
      per.push(s);
    }
  }
  return reduceRef(per, [N, ...x.shape.slice(2)], reduction);
}

/** −w·(pw·y·log σ(x) + (1 − y)·log(1 − σ(x))), pw and w broadcast along the last dimension. */
function bceLogitsRef(x: Spec, y: Spec, pw: Spec | null, w: Spec | null, reduction: Reduction): Out {
  const last = x.shape[x.shape.length - 1];
  const per = x.values.map((v, i) => {
    const p = 1 / (1 + Math.exp(-v));
    const pos = pw ? pw.values[pw.values.length === 1 ? 0 : i % last] : 1;
    return -(w ? w.values[i % last] : 1) * (pos * y.values[i] * Math.log(p) + (1 - y.values[i]) * Math.log(1 - p));
  });
  return reduceRef(per, x.shape, reduction);
}

function rankingRef(a: Spec, b: Spec, y: Spec, margin: number, reduction: Reduction): Out {
  return reduceRef(a.values.map((v, i) => Math.max(0, -y.values[i] * (v - b.values[i]) + margin)), a.shape, reduction);
}

function rows(s: Spec): Arr[] {
  const d = s.shape[s.shape.length - 1];
  return Array.from({ length: s.values.length / d }, (_, i) => s.values.slice(i * d, (i + 1) * d));
}

function cosineRef(a: Spec, b: Spec, y: Spec, margin: number, reduction: Reduction): Out {
  const rb = rows(b);
  const per = rows(a).map((r, i) => {
    const dot = r.reduce((s, v, j) => s + v * rb[i][j], 0);
    const na = r.reduce((s, v) => s + v * v, 0) + 1e-12;
    const nb = rb[i].reduce((s, v) => s + v * v, 0) + 1e-12;
    const cos = dot / Math.sqrt(na * nb);
    return y.values[i] === 1 ? 1 - cos : Math.max(0, cos - margin);
  });
  return reduceRef(per, y.shape, reduction);
}

function tripletRef(a: Spec, p: Spec, n: Spec, o: { margin?: number; p?: number; eps?: number; swap?: boolean; reduction?: Reduction }): Out {
  const { margin = 1, p: pn = 2, eps = 1e-6, swap = false, reduction = 'mean' } = o;
  const dist = (u: Arr, v: Arr): number => u.reduce((s, x, j) => s + Math.abs(x - v[j] + eps) ** pn, 0) ** (1 / pn);
  const [ra, rp, rn] = [rows(a), rows(p), rows(n)];
  const per = ra.map((r, i) => {
    let dn = dist(r, rn[i]);
    if (swap) dn = Math.min(dn, dist(rp[i], rn[i]));
    return Math.max(0, margin + dist(r, rp[i]) - dn);
  });
  return reduceRef(per, a.shape.slice(0, -1), reduction);
}

let F: typeof st.nn.functional;
/** The table imports no runtime code: ops.losses.test.ts passes the library in. */
export function bindLosses(lib: typeof st): void { F = lib.nn.functional; }

const CE = ['gather', 'where', 'sum', 'exp', 'log', 'max'] as st.Prim[];
const weight3 = (): Spec => rnd([3], 0.5, 2);

export const LOSS_CASES: OpCase[] = [
  { name: 'crossEntropy weight', prims: CE, inputs: [rnd([5, 3]), ints([0, 2, 1, 2, 2]), weight3()],
    f: (x, t, w) => F.crossEntropy(x, t, { weight: w }), ref: (x, t, w) => classRef(x, t, w, {}) },
  { name: 'crossEntropy weight, reduction none', prims: CE, inputs: [rnd([4, 3]), ints([1, 0, 2, 1]), weight3()],
    f: (x, t, w) => F.crossEntropy(x, t, { weight: w, reduction: 'none' }), ref: (x, t, w) => classRef(x, t, w, { reduction: 'none' }) },
  { name: 'crossEntropy ignoreIndex −100 (default)', prims: CE, inputs: [rnd([4, 3]), ints([0, -100, 2, 1])],
    f: (x, t) => F.crossEntropy(x, t), ref: (x, t) => classRef(x, t, null, {}) },
  { name: 'crossEntropy ignoreIndex 1 (a real class), weight, sum', prims: CE, inputs: [rnd([5, 3]), ints([1, 0, 1, 2, 0]), weight3()],
    f: (x, t, w) => F.crossEntropy(x, t, { weight: w, ignoreIndex: 1, reduction: 'sum' }), ref: (x, t, w) => classRef(x, t, w, { ignore: 1, reduction: 'sum' }) },
  { name: 'crossEntropy weight + ignoreIndex + labelSmoothing 0.2', prims: CE, inputs: [rnd([5, 3]), ints([2, -1, 0, 1, 2]), weight3()],
    f: (x, t, w) => F.crossEntropy(x, t, { weight: w, ignoreIndex: -1, labelSmoothing: 0.2 }), ref: (x, t, w) => classRef(x, t, w, { ignore: -1, smoothing: 0.2 }) },
  { name: 'crossEntropy [N,C,d] weight + ignoreIndex + labelSmoothing, none', prims: CE, inputs: [rnd([2, 3, 4]), ints([0, 2, 255, 1, 1, 255, 0, 2], [2, 4]), weight3()],
    f: (x, t, w) => F.crossEntropy(x, t, { weight: w, ignoreIndex: 255, labelSmoothing: 0.1, reduction: 'none' }), ref: (x, t, w) => classRef(x, t, w, { ignore: 255, smoothing: 0.1, reduction: 'none' }) },
  { name: 'crossEntropy probabilities, weight + labelSmoothing', prims: CE, inputs: [rnd([3, 3]), fixed([0.2, 0.5, 0.3, 1, 0, 0, 0.1, 0.1, 0.8], [3, 3]), weight3()],
    f: (x, t, w) => F.crossEntropy(x, t, { weight: w, labelSmoothing: 0.15 }), ref: (x, t, w) => probRef(x, t, w, 0.15, 'mean') },
  { name: 'nllLoss weight + ignoreIndex', prims: ['gather', 'where', 'sum'], inputs: [rnd([5, 4], -3, -0.1), ints([3, 0, -100, 1, 3]), rnd([4], 0.5, 2)],
    f: (x, t, w) => F.nllLoss(x, t, { weight: w }), ref: (x, t, w) => classRef(x, t, w, { asLog: true }) },
  { name: 'nllLoss all targets ignored: 0/0 = NaN, as PyTorch', prims: ['gather', 'where', 'sum'], inputs: [rnd([2, 3], -3, -0.1), ints([-100, -100])], grad: false,
    f: (x, t) => F.nllLoss(x, t), ref: () => scalar(NaN) },
  { name: 'binaryCrossEntropyWithLogits posWeight [C] + weight [C]', prims: ['exp', 'log', 'abs', 'maximum'], inputs: [rnd([3, 4]), fixed([1, 0, 1, 1, 0, 0, 1, 0, 0.3, 1, 0, 1], [3, 4]), rnd([4], 0.5, 3), rnd([4], 0.5, 2)],
    f: (x, y, pw, w) => F.binaryCrossEntropyWithLogits(x, y, { posWeight: pw, weight: w }), ref: (x, y, pw, w) => bceLogitsRef(x, y, pw, w, 'mean') },
  { name: 'binaryCrossEntropyWithLogits posWeight number, none', prims: ['exp', 'log', 'abs', 'maximum'], inputs: [rnd([5]), fixed([1, 0, 1, 0, 1])],
    f: (x, y) => F.binaryCrossEntropyWithLogits(x, y, { posWeight: 2.5, reduction: 'none' }), ref: (x, y) => bceLogitsRef(x, y, fixed([2.5]), null, 'none') },
  { name: 'marginRankingLoss margin 0.3', prims: ['relu', 'sub', 'mul'], inputs: [rnd([6]), rnd([6]), ints([1, -1, 1, 1, -1, -1])],
    f: (a, b, y) => F.marginRankingLoss(a, b, y, { margin: 0.3 }), ref: (a, b, y) => rankingRef(a, b, y, 0.3, 'mean') },
  { name: 'marginRankingLoss [2,3], none', prims: ['relu', 'sub', 'mul'], inputs: [rnd([2, 3]), rnd([2, 3]), ints([1, -1, -1, 1, 1, -1], [2, 3])],
    f: (a, b, y) => F.marginRankingLoss(a, b, y, { reduction: 'none' }), ref: (a, b, y) => rankingRef(a, b, y, 0, 'none') },
  { name: 'cosineEmbeddingLoss margin 0.1', prims: ['sqrt', 'div', 'where', 'relu'], inputs: [rnd([5, 4]), rnd([5, 4]), ints([1, -1, -1, 1, -1])],
    f: (a, b, y) => F.cosineEmbeddingLoss(a, b, y, { margin: 0.1 }), ref: (a, b, y) => cosineRef(a, b, y, 0.1, 'mean') },
  { name: 'cosineEmbeddingLoss [D] vectors, sum', prims: ['sqrt', 'div', 'where', 'relu'], inputs: [rnd([4]), rnd([4]), ints([-1], [])],
    f: (a, b, y) => F.cosineEmbeddingLoss(a, b, y, { margin: -0.9, reduction: 'sum' }), ref: (a, b, y) => cosineRef(a, b, y, -0.9, 'sum') },
  { name: 'tripletMarginLoss defaults (margin 1, p 2, eps 1e-6)', prims: ['sqrt', 'sum', 'relu'], inputs: [rnd([4, 3]), rnd([4, 3]), rnd([4, 3])],
    f: (a, p, n) => F.tripletMarginLoss(a, p, n), ref: (a, p, n) => tripletRef(a, p, n, {}) },
  { name: 'tripletMarginLoss p 1, swap, none', prims: ['abs', 'sum', 'relu', 'minimum'], inputs: [rnd([4, 3]), rnd([4, 3]), rnd([4, 3])],
    f: (a, p, n) => F.tripletMarginLoss(a, p, n, { p: 1, swap: true, margin: 2, reduction: 'none' }), ref: (a, p, n) => tripletRef(a, p, n, { p: 1, swap: true, margin: 2, reduction: 'none' }) },
  { name: 'tripletMarginLoss p 3, margin 0.5, [D] vectors', prims: ['pow', 'abs', 'sum', 'relu'], inputs: [rnd([5]), rnd([5]), rnd([5])],
    f: (a, p, n) => F.tripletMarginLoss(a, p, n, { p: 3, margin: 3 }), ref: (a, p, n) => tripletRef(a, p, n, { p: 3, margin: 3 }) },
];
