// SPDX-License-Identifier: MIT
// Op-table rows for the tensor ops (scans, sorting, norms, triangles, repetition, masks,
// einsum), run by ops.test.ts like the rows of ops.table.ts: forward against the naive references
// below, gradcheck, forward mode against reverse, and every backend against js.
import * as st from 'strata-dl';
import { type Spec, bools, distinct, fixed, ints, rnd } from './helpers.js';
import type { OpCase } from './ops.table.js';

type Ref = { values: number[]; shape: number[] };
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

/** Applies `f` to every 1-D row of x along `axis`, which returns the new row (any length). */
function alongRows(x: Spec, axis: number, f: (row: number[]) => number[]): Ref {
  const n = x.shape[axis];
  const outer = x.shape.filter((_, i) => i !== axis);
  let len = -1;
  const rows = Array.from({ length: size(outer) }, (_, o) => {
    const idx = unravel(o, outer);
    const row = Array.from({ length: n }, (_, k) => x.values[ravel([...idx.slice(0, axis), k, ...idx.slice(axis)], x.shape)]);
    const r = f(row);
    len = r.length;
    return r;
  });
  if (len < 0) len = f(new Array<number>(n).fill(0)).length;
  const shape = x.shape.map((d, i) => (i === axis ? len : d));
  const values = new Array<number>(size(shape));
  rows.forEach((r, o) => {
    const idx = unravel(o, outer);
    r.forEach((v, k) => { values[ravel([...idx.slice(0, axis), k, ...idx.slice(axis)], shape)] = v; });
  });
  return { values, shape };
}
const squeezeAxis = (r: Ref, axis: number): Ref => ({ values: r.values, shape: r.shape.filter((_, i) => i !== axis) });
const scan = (row: number[], f: (a: number, b: number) => number, init: number): number[] => {
  let acc = init;
  return row.map((v) => (acc = f(acc, v)));
};
/** PyTorch's order: ascending with NaN last; stable. Returns positions. */
function order(row: number[], descending: boolean): number[] {
  const key = (v: number): number => (Number.isNaN(v) ? Infinity : v);
  const rank = (v: number): number => (Number.isNaN(v) ? 1 : 0);
  return row.map((_, i) => i).sort((p, q) => {
    const [a, b] = [row[p], row[q]];
    const c = rank(a) - rank(b) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
    return descending ? -c : c;
  });
}
function vecNorm(vs: number[], p: number): number {
  const a = vs.map(Math.abs);
  if (p === Infinity) return Math.max(...a);
  if (p === -Infinity) return Math.min(...a);
  if (p === 0) return a.filter((v) => v !== 0).length;
  return a.reduce((s, v) => s + v ** p, 0) ** (1 / p);
}
/** Norm over several axes: the listed axes flattened into one row. */
function normRef(x: Spec, p: number, axes: number[], keep: boolean): Ref {
  const kshape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const groups: number[][] = Array.from({ length: size(kshape) }, () => []);
  x.values.forEach((v, i) => groups[ravel(unravel(i, x.shape).map((d, k) => (axes.includes(k) ? 0 : d)), kshape)].push(v));
  return { values: groups.map((g) => vecNorm(g, p)), shape: keep ? kshape : x.shape.filter((_, i) => !axes.includes(i)) };
}
/** out[..., i, j] kept where keep(i, j). */
const triRef = (x: Spec, keep: (i: number, j: number) => boolean): Ref => {
  const [r, c] = x.shape.slice(-2);
  return { values: x.values.map((v, k) => (keep(Math.floor(k / c) % r, k % c) ? v : 0)), shape: x.shape };
};
/** out[idx] = x[idx mod shape] over the repeated shape. */
function repeatRef(x: Spec, reps: number[]): Ref {
  const xs = [...new Array<number>(reps.length - x.shape.length).fill(1), ...x.shape];
  const shape = xs.map((d, i) => d * reps[i]);
  return { values: Array.from({ length: size(shape) }, (_, o) => x.values[ravel(unravel(o, shape).map((v, i) => v % xs[i]), xs)]), shape };
}
/** out[idx] = x[idx − shift] (mod n) along each rolled axis. */
function rollRef(x: Spec, shifts: number[], axes: number[]): Ref {
  return {
    values: x.values.map((_, o) => {
      const idx = unravel(o, x.shape);
      axes.forEach((a, k) => { const n = x.shape[a]; idx[a] = (((idx[a] - shifts[k]) % n) + n) % n; });
      return x.values[ravel(idx, x.shape)];
    }),
    shape: x.shape,
  };
}
/**
 * Naive einsum over explicit letters (no '...'): loops over every assignment of all labels; a
 * size-1 operand dim broadcasts.
 */
function einsumRef(eq: string, ...xs: Spec[]): Ref {
  const [lhs, rhs] = eq.split('->');
  const terms = lhs.split(',');
  const labels = [...new Set(terms.join(''))];
  const sz = new Map<string, number>();
  terms.forEach((t, i) => [...t].forEach((l, d) => sz.set(l, Math.max(sz.get(l) ?? 1, xs[i].shape[d]))));
  const outShape = [...rhs].map((l) => sz.get(l)!);
  const values = new Array<number>(size(outShape)).fill(0);
  const all = labels.map((l) => sz.get(l)!);
  for (let k = 0; k < size(all); k++) {
    const v = unravel(k, all);
    const val = (l: string): number => v[labels.indexOf(l)];
    let p = 1;
    terms.forEach((t, i) => { p *= xs[i].values[ravel([...t].map((l, d) => (xs[i].shape[d] === 1 ? 0 : val(l))), xs[i].shape)]; });
    values[ravel([...rhs].map(val), outShape)] += p;
  }
  return { values, shape: outShape };
}
const NaN_ = Number.NaN;

let mf: (x: st.Tensor, m: st.Tensor, v: number | st.Tensor) => st.Tensor;
let einsumOf: typeof st.einsum;
let nonzeroOf: typeof st.nonzero;
let vectorNormOf: typeof st.vectorNorm;
/** Free functions, passed in by ops.test.ts so that this table imports no runtime code. */
export function bindTensoropsFunctions(lib: typeof st): void {
  mf = lib.maskedFill;
  einsumOf = lib.einsum;
  nonzeroOf = lib.nonzero;
  vectorNormOf = lib.vectorNorm;
}
const einsumCase = (eq: string, refEq: string, inputs: Spec[], second = false): OpCase => ({
  name: `einsum '${eq}'`, prims: ['matmul'], inputs, f: (...xs) => einsumOf(eq, ...xs), ref: (...xs) => einsumRef(refEq, ...xs), second,
});

export const TENSOROPS_CASES: OpCase[] = [
  // scans
  { name: 'cumsum dim 1', prims: ['cumsum'], inputs: [rnd([3, 4])], f: (x) => x.cumsum(1), ref: (x) => alongRows(x, 1, (r) => scan(r, (a, b) => a + b, 0)), second: true },
  { name: 'cumsum dim 0 (strided rows)', prims: ['cumsum'], inputs: [rnd([4, 2, 3])], f: (x) => x.cumsum(0), ref: (x) => alongRows(x, 0, (r) => scan(r, (a, b) => a + b, 0)) },
  { name: 'cumsum reversed (the primitive)', prims: ['cumsum'], inputs: [rnd([2, 5])], f: (x) => st.prims.bind('cumsum', [x], { axis: 1, reverse: true }),
    ref: (x) => alongRows(x, 1, (r) => scan([...r].reverse(), (a, b) => a + b, 0).reverse()), second: true },
  { name: 'cumsum int32', prims: ['cumsum'], inputs: [ints([1, -2, 3, 4, 5, -6], [2, 3])], f: (x) => x.cumsum(-1), ref: (x) => alongRows(x, 1, (r) => scan(r, (a, b) => a + b, 0)), grad: false },
  { name: 'cumprod dim 1', prims: ['cumprod'], inputs: [rnd([3, 4], -2, 2, [0])], f: (x) => x.cumprod(1), ref: (x) => alongRows(x, 1, (r) => scan(r, (a, b) => a * b, 1)), second: true },
  { name: 'cumprod dim 0', prims: ['cumprod'], inputs: [rnd([4, 3], 0.5, 1.5)], f: (x) => x.cumprod(0), ref: (x) => alongRows(x, 0, (r) => scan(r, (a, b) => a * b, 1)) },
  // first derivatives at zeros (PyTorch's cumprod_backward): one zero, two zeros, a zero first and last
  { name: 'cumprod with zeros (second derivatives too)', prims: ['cumprod'], second: true, inputs: [fixed([2, 0, 3, 0.5, 1.5, -1, 0.7, 0, 0, 1.2, 0, 0.4, 0.9, 1.1, -0.6, 0], [4, 4])], f: (x) => x.cumprod(1),
    ref: (x) => alongRows(x, 1, (r) => scan(r, (a, b) => a * b, 1)) },
  { name: 'prod all', prims: ['cumprod', 'slice'], inputs: [rnd([2, 3], 0.5, 1.5)], f: (x) => x.prod(), ref: (x) => ({ values: [x.values.reduce((a, b) => a * b, 1)], shape: [] }), second: true },
  { name: 'prod dim 1 keepdim', prims: ['cumprod'], inputs: [rnd([3, 4], -2, 2, [0])], f: (x) => x.prod(1, true), ref: (x) => alongRows(x, 1, (r) => [r.reduce((a, b) => a * b, 1)]) },
  { name: 'prod dim 0 with a zero and with two zeros', prims: ['cumprod'], second: true, inputs: [fixed([0, 1.5, 2, 0, -1, 0, 3, 0.5, 0.8], [3, 3])], f: (x) => x.prod(0),
    ref: (x) => squeezeAxis(alongRows(x, 0, (r) => [r.reduce((a, b) => a * b, 1)]), 0) },
  { name: 'diff', prims: ['slice', 'sub'], inputs: [rnd([3, 5])], f: (x) => x.diff(), ref: (x) => alongRows(x, 1, (r) => r.slice(1).map((v, i) => v - r[i])) },
  { name: 'diff n=2 dim 0 with prepend and append', prims: ['concat'], inputs: [rnd([3, 2]), rnd([1, 2]), rnd([2, 2])], f: (x, p, a) => x.diff(2, 0, p, a),
    ref: (x, p, a) => {
      const all: Spec = { values: [...p.values, ...x.values, ...a.values], shape: [6, 2], kind: 'float' };
      return alongRows(all, 0, (r) => { const d = r.slice(1).map((v, i) => v - r[i]); return d.slice(1).map((v, i) => v - d[i]); });
    } },
  { name: 'diff of bool is !=', prims: ['ne'], inputs: [bools([1, 1, 0, 1, 0, 0])], f: (x) => x.diff(), ref: () => ({ values: [0, 1, 1, 1, 0], shape: [5] }), grad: false },
  // norms
  { name: 'norm (fro, all)', prims: ['sqrt', 'sum'], inputs: [rnd([2, 3])], f: (x) => x.norm(), ref: (x) => normRef(x, 2, [0, 1], false), second: true },
  { name: 'norm p=1 dim 1', prims: ['abs'], inputs: [rnd([3, 4], -2, 2, [0])], f: (x) => x.norm(1, 1), ref: (x) => normRef(x, 1, [1], false) },
  { name: 'norm p=∞ dim 0 keepdim', prims: ['max'], inputs: [distinct([3, 4])], f: (x) => x.norm(Infinity, 0, true), ref: (x) => normRef(x, Infinity, [0], true) },
  { name: 'norm p=−∞ dim 1', prims: ['min'], inputs: [distinct([3, 4])], f: (x) => x.norm(-Infinity, 1), ref: (x) => normRef(x, -Infinity, [1], false) },
  { name: 'norm p=3 dims [0,2]', prims: ['pow'], inputs: [rnd([2, 3, 2], -2, 2, [0])], f: (x) => x.norm(3, [0, 2]), ref: (x) => normRef(x, 3, [0, 2], false), second: true },
  { name: 'norm p=0.5', prims: ['pow'], inputs: [rnd([4], 0.3, 2)], f: (x) => x.norm(0.5), ref: (x) => normRef(x, 0.5, [0], false) },
  { name: 'norm p=0 counts non-zeros (zero gradient)', prims: ['ne'], inputs: [fixed([0, 1.5, -2, 0, 3, 0], [2, 3])], f: (x) => x.norm(0, 1), ref: (x) => normRef(x, 0, [1], false) },
  { name: 'norm 2 of a zero row: gradient 0, not NaN', prims: ['sqrt'], inputs: [fixed([0, 0, 0, 1, -2, 2], [2, 3])], f: (x) => x.norm(2, -1), ref: (x) => normRef(x, 2, [1], false) },
  { name: 'vectorNorm ord 2 dim 0', prims: ['sqrt'], inputs: [rnd([3, 2])], f: (x) => vectorNormOf(x, 2, 0), ref: (x) => normRef(x, 2, [0], false) },
  // sorting and selection
  { name: 'sort values dim 1', prims: ['argsort', 'gather'], inputs: [distinct([3, 5])], f: (x) => x.sort(1).values, ref: (x) => alongRows(x, 1, (r) => order(r, false).map((i) => r[i])), second: true },
  { name: 'sort values descending dim 0', prims: ['argsort', 'gather'], inputs: [distinct([4, 3])], f: (x) => x.sort(0, true).values, ref: (x) => alongRows(x, 0, (r) => order(r, true).map((i) => r[i])) },
  { name: 'sort indices: stable with ties', prims: ['argsort'], inputs: [fixed([2, 1, 2, 0, 1, 2, 1, 0], [2, 4])], f: (x) => x.sort(-1).indices, ref: (x) => alongRows(x, 1, (r) => order(r, false)), grad: false },
  { name: 'argsort descending: stable with ties', prims: ['argsort'], inputs: [fixed([2, 1, 2, 0, 1, 2, 1, 0], [2, 4])], f: (x) => x.argsort(-1, true), ref: (x) => alongRows(x, 1, (r) => order(r, true)), grad: false },
  { name: 'sort with NaN and ±∞ (NaN last)', prims: ['argsort'], inputs: [fixed([NaN_, 1, -Infinity, Infinity, -0, 0, NaN_, -3])], f: (x) => x.sort().values,
    ref: (x) => ({ values: order(x.values, false).map((i) => x.values[i]), shape: [8] }), grad: false },
  { name: 'argsort descending with NaN (NaN first)', prims: ['argsort'], inputs: [fixed([1, NaN_, -Infinity, 2, NaN_])], f: (x) => x.argsort(0, true), ref: (x) => ({ values: order(x.values, true), shape: [5] }), grad: false },
  { name: 'argsort int32', prims: ['argsort'], inputs: [ints([3, -1, 3, 0, 2, -1])], f: (x) => x.argsort(), ref: (x) => ({ values: order(x.values, false), shape: [6] }), grad: false },
  { name: 'topk 2 largest dim 1', prims: ['argsort', 'slice', 'gather'], inputs: [distinct([3, 5])], f: (x) => x.topk(2, 1).values, ref: (x) => alongRows(x, 1, (r) => order(r, true).slice(0, 2).map((i) => r[i])), second: true },
  { name: 'topk 3 smallest dim 0: indices', prims: ['argsort'], inputs: [distinct([5, 2])], f: (x) => x.topk(3, 0, false).indices, ref: (x) => alongRows(x, 0, (r) => order(r, false).slice(0, 3)), grad: false },
  { name: 'max(dim) values', prims: ['argmax', 'gather'], inputs: [distinct([3, 4])], f: (x) => x.max(1).values, ref: (x) => squeezeAxis(alongRows(x, 1, (r) => [Math.max(...r)]), 1), second: true },
  { name: 'min(dim, keepdim) values', prims: ['argmin', 'gather'], inputs: [distinct([3, 4])], f: (x) => x.min(0, true).values, ref: (x) => alongRows(x, 0, (r) => [Math.min(...r)]) },
  { name: 'max(dim) indices: the first of ties', prims: ['argmax'], inputs: [fixed([1, 3, 3, 2, 5, 5, 0, 5], [2, 4])], f: (x) => x.max(-1).indices, ref: () => ({ values: [1, 0], shape: [2] }), grad: false },
  { name: 'min(dim) indices: NaN wins', prims: ['argmin'], inputs: [fixed([1, NaN_, -3, 2, -5, 0], [2, 3])], f: (x) => x.min(1).indices, ref: () => ({ values: [1, 1], shape: [2] }), grad: false },
  // triangles, outer products, repetition, rolling
  { name: 'tril', prims: ['where'], inputs: [rnd([3, 4])], f: (x) => x.tril(), ref: (x) => triRef(x, (i, j) => j <= i) },
  { name: 'tril diagonal -1, batched', prims: ['where'], inputs: [rnd([2, 3, 3])], f: (x) => x.tril(-1), ref: (x) => triRef(x, (i, j) => j - i <= -1) },
  { name: 'triu diagonal 1', prims: ['where'], inputs: [rnd([4, 3])], f: (x) => x.triu(1), ref: (x) => triRef(x, (i, j) => j - i >= 1) },
  { name: 'triu diagonal -1, int32', prims: ['where'], inputs: [ints([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3])], f: (x) => x.triu(-1), ref: (x) => triRef(x, (i, j) => j - i >= -1), grad: false },
  { name: 'outer', prims: ['mul'], inputs: [rnd([3]), rnd([4])], f: (a, b) => a.outer(b), ref: (a, b) => ({ values: a.values.flatMap((u) => b.values.map((v) => u * v)), shape: [3, 4] }), second: true },
  { name: 'repeat with a new leading dim', prims: ['expand', 'reshape'], inputs: [rnd([2, 3])], f: (x) => x.repeat(2, 1, 3), ref: (x) => repeatRef(x, [2, 1, 3]) },
  { name: 'tile with fewer reps', prims: ['expand'], inputs: [rnd([2, 2])], f: (x) => x.tile([3]), ref: (x) => repeatRef(x, [1, 3]) },
  { name: 'roll flattened', prims: ['concat', 'slice'], inputs: [rnd([2, 3])], f: (x) => x.roll(2), ref: (x) => { const r = rollRef({ ...x, shape: [6] }, [2], [0]); return { values: r.values, shape: [2, 3] }; } },
  { name: 'roll two dims, negative and large shifts', prims: ['concat'], inputs: [rnd([3, 4])], f: (x) => x.roll([-1, 6], [0, 1]), ref: (x) => rollRef(x, [-1, 6], [0, 1]) },
  // masks
  { name: 'maskedFill broadcast mask', prims: ['where'], inputs: [rnd([2, 3]), bools([1, 0, 1], [3])], f: (x, m) => x.maskedFill(m, -1.5), ref: (x, m) => ({ values: x.values.map((v, i) => (m.values[i % 3] ? -1.5 : v)), shape: [2, 3] }) },
  { name: 'maskedFill with a 0-d tensor value (gradient to it)', prims: ['where'], inputs: [rnd([2, 3]), bools([1, 0, 0, 0, 1, 1], [2, 3]), rnd([])], f: (x, m, v) => mf(x, m, v),
    ref: (x, m, v) => ({ values: x.values.map((u, i) => (m.values[i] ? v.values[0] : u)), shape: [2, 3] }) },
  { name: 'maskedSelect (broadcast), gradient to the input', prims: ['gather'], inputs: [rnd([2, 3]), bools([1, 0, 1], [3])], f: (x, m) => x.maskedSelect(m),
    ref: (x) => ({ values: [x.values[0], x.values[2], x.values[3], x.values[5]], shape: [4] }) },
  { name: 'nonzero', prims: [], inputs: [fixed([0, 1, 0, 2, 0, -3], [2, 3])], f: (x) => nonzeroOf(x), ref: () => ({ values: [0, 1, 1, 0, 1, 2], shape: [3, 2] }), grad: false },
  { name: 'isnan / isinf / isfinite', prims: ['ne', 'eq', 'sub'], inputs: [fixed([1, NaN_, Infinity, -Infinity, 0, -2])], f: (x) => x.isnan().to('int32').add(x.isinf().to('int32').mul(2)).add(x.isfinite().to('int32').mul(4)),
    ref: () => ({ values: [4, 1, 2, 2, 4, 4], shape: [6] }), grad: false },
  { name: 'nanToNum (gradient where finite)', prims: ['where'], inputs: [fixed([1.5, NaN_, Infinity, -Infinity, -0.5, 2])], f: (x) => x.nanToNum(0.25, 7, -8).mul(x.onesLike().add(1)),
    ref: (x) => ({ values: x.values.map((v) => 2 * (Number.isNaN(v) ? 0.25 : v === Infinity ? 7 : v === -Infinity ? -8 : v)), shape: [6] }) },
  { name: 'clone', prims: ['slice'], inputs: [rnd([2, 3])], f: (x) => x.clone(), ref: (x) => ({ values: x.values, shape: x.shape }) },
  // einsum
  einsumCase('ij,jk->ik', 'ij,jk->ik', [rnd([2, 3]), rnd([3, 4])], true),
  einsumCase('ij,jk', 'ij,jk->ik', [rnd([2, 3]), rnd([3, 4])]),
  einsumCase('ii->i', 'ii->i', [rnd([3, 3])]),
  einsumCase('ii', 'ii->', [rnd([3, 3])]),
  einsumCase('iij->j', 'iij->j', [rnd([2, 2, 3])]),
  einsumCase('ij->ji', 'ij->ji', [rnd([2, 3])]),
  einsumCase('i,j->ij', 'i,j->ij', [rnd([3]), rnd([2])]),
  einsumCase('bij,bjk->bik', 'bij,bjk->bik', [rnd([2, 2, 3]), rnd([2, 3, 2])], true),
  einsumCase('...ij,...jk', 'abij,bjk->abik', [rnd([2, 1, 3, 4]), rnd([3, 4, 2])]),
  einsumCase('ijk,ikl,j->l', 'ijk,ikl,j->l', [rnd([2, 3, 2]), rnd([2, 2, 3]), rnd([3])]),
  einsumCase('ij,ij->', 'ij,ij->', [rnd([2, 3]), rnd([2, 3])]),
  einsumCase('bi,bi->b', 'bi,bi->b', [rnd([3, 4]), rnd([3, 4])]),
];
