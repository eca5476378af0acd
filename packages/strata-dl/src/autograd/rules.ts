// SPDX-License-Identifier: MIT
// One derivative rule (VJP) and one tangent rule (JVP) per primitive. Rules are written with
// differentiable tensor ops, so gradients of gradients (and forward-over-reverse) work.
import { isFloat } from '../core/dtype.js';
import { broadcastShapes, shapesEqual } from '../core/shape.js';
import type { Prim, PrimAttrs, WindowAttrs } from '../ir/prims.js';
import type { Tensor } from '../tensor/tensor.js';
import { cumprodJvp, cumprodVjp } from './scan-rules.js';

type Grads = (Tensor | null)[];
export type VjpRule<P extends Prim> = (g: Tensor, ins: readonly Tensor[], out: Tensor, attrs: PrimAttrs[P], needs: readonly boolean[]) => Grads;
export type JvpRule<P extends Prim> = (ts: readonly (Tensor | null)[], ins: readonly Tensor[], out: Tensor, attrs: PrimAttrs[P]) => Tensor | null;

/** Sums a broadcast gradient back down to `shape` (the adjoint of broadcasting). */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.shape.length - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.shape.length; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  const s = axes.length ? g._p('sum', [], { axes }) : g;
  return s._p('reshape', [], { shape: [...shape] });
}

/**
 * op(x)·op(y) summed down to `shape` (a gradient's matmul): where `shape` is one matrix and the
 * product is batched, a summed matmul, which never makes the [batch, M, N] products.
 */
function matmulTo(x: Tensor, y: Tensor, transA: boolean, transB: boolean, shape: readonly number[]): Tensor {
  if (shape.length === 2 && (x.ndim > 2 || y.ndim > 2)) return x._p('matmul', [y], { transA, transB, sumBatch: true });
  return sumTo(x._p('matmul', [y], { transA, transB }), shape);
}

/** The window alone of fold's or conv's attributes (without outputSize or relu). */
const windowOf = ({ kernel, stride, padding, dilation }: WindowAttrs): WindowAttrs => ({ kernel, stride, padding, dilation });

const none = (ins: readonly Tensor[]): Grads => ins.map(() => null);
const u = (f: (g: Tensor, x: Tensor, out: Tensor) => Tensor): VjpRule<Prim> => (g, [x], out) => [f(g, x, out)];
const tu = (f: (t: Tensor, x: Tensor, out: Tensor) => Tensor): JvpRule<Prim> => ([t], [x], out) => (t ? f(t, x, out) : null);
/**
 * The share of maximum's gradient that goes to `a`: 0 where a < b, 0.5 at ties, 1 elsewhere, NaN
 * included (PyTorch's maximum backward: where(a == b, g/2, g) with 0 where a < b, so a NaN on
 * either side passes all of g to both inputs).
 */
const share = (a: Tensor, b: Tensor): Tensor => a.lt(b).add(a.eq(b).mul(0.5)).to(a.dtype).neg().add(1);
/**
 * Where max/min took its value, each position's share: the ties split it evenly, and where the
 * result is NaN the NaN inputs split it (PyTorch's evenly_distribute_backward, torch.max(x)'s rule;
 * x == out alone would match nothing there and give 0/0).
 */
const extremumMask = (x: Tensor, out: Tensor): Tensor => {
  const mask = x.eq(out).to(x.dtype).add(x.ne(x).to(x.dtype).mul(out.ne(out)));
  return mask.div(mask._p('sum', [], { axes: out.shape.flatMap((d, i) => (d === 1 && x.shape[i] !== 1 ? [i] : [])) }));
};
/** [N, C, H, W] as [N, C, H·W]: pooling's positions index these planes. */
const planes = (t: Tensor): Tensor => t._p('reshape', [], { shape: [t.shape[0], t.shape[1], t.shape[2] * t.shape[3]] });
/** Where pooling `x` took each value: poolIndex's positions as [N, C, OH·OW]. */
const poolPositions = (x: Tensor, attrs: PrimAttrs['pool']): Tensor => planes(x._p('poolIndex', [], attrs));
const powDb = (g: Tensor, a: Tensor, b: Tensor, out: Tensor): Tensor => {
  // d(a^b)/db = a^b·log a; where a == 0 and b >= 0 it is 0 (PyTorch's pow_backward_exponent), so
  // log(0) = -∞ is kept out of 0·(-∞); for b < 0 it stays a^b·log a = ∞·(-∞) = -∞, as PyTorch.
  // log(1) = 0 stands in there; out is 0 or 1, so the product is 0
  const zero = a.eq(0).to(a.dtype).mul(b.ge(0)).to('bool');
  return g.mul(out).mul(a.onesLike().where(zero, a).log());
};
/** d(a^b)/da = b·a^(b-1), and 0 where b == 0 (PyTorch's pow_backward_self: NaN·0 for a = 0 or NaN). */
const powDa = (g: Tensor, a: Tensor, b: Tensor): Tensor => g.mul(b.mul(a.pow(b.sub(1))).where(b.ne(0), 0));

export const VJP: { [P in Prim]: VjpRule<P> } = {
  neg: u((g) => g.neg()),
  exp: u((g, _x, out) => g.mul(out)),
  log: u((g, x) => g.div(x)),
  sqrt: u((g, _x, out) => g.div(out.mul(2))),
  sin: u((g, x) => g.mul(x.cos())),
  cos: u((g, x) => g.mul(x.sin()).neg()),
  tanh: u((g, _x, out) => g.mul(out.mul(out).neg().add(1))),
  sigmoid: u((g, _x, out) => g.mul(out.mul(out.neg().add(1)))),
  // g where relu(x) > 0: one pass (reluGrad) instead of g·sign(relu(x)), two
  relu: u((g, _x, out) => g._p('reluGrad', [out], {})),
  abs: u((g, x) => g.mul(x.sign())),
  sign: (_g, ins) => none(ins),
  add: (g, [a, b], _o, _at, n) => [n[0] ? sumTo(g, a.shape) : null, n[1] ? sumTo(g, b.shape) : null],
  sub: (g, [a, b], _o, _at, n) => [n[0] ? sumTo(g, a.shape) : null, n[1] ? sumTo(g.neg(), b.shape) : null],
  mul: (g, [a, b], _o, _at, n) => [n[0] ? sumTo(g.mul(b), a.shape) : null, n[1] ? sumTo(g.mul(a), b.shape) : null],
  div: (g, [a, b], out, _at, n) => [n[0] ? sumTo(g.div(b), a.shape) : null, n[1] ? sumTo(g.mul(out).div(b).neg(), b.shape) : null],
  pow: (g, [a, b], out, _at, n) => [
    n[0] ? sumTo(powDa(g, a, b), a.shape) : null,
    n[1] ? sumTo(powDb(g, a, b, out), b.shape) : null,
  ],
  maximum: (g, [a, b], _o, _at, n) => [n[0] ? sumTo(g.mul(share(a, b)), a.shape) : null, n[1] ? sumTo(g.mul(share(b, a)), b.shape) : null],
  minimum: (g, [a, b], _o, _at, n) => [n[0] ? sumTo(g.mul(share(b, a)), a.shape) : null, n[1] ? sumTo(g.mul(share(a, b)), b.shape) : null],
  // a step function of y: no gradient into y (zero almost everywhere), as for sign
  reluGrad: (g, [a, b], _o, _at, n) => [n[0] ? sumTo(g._p('reluGrad', [b], {}), a.shape) : null, null],
  eq: (_g, ins) => none(ins), ne: (_g, ins) => none(ins), lt: (_g, ins) => none(ins),
  le: (_g, ins) => none(ins), gt: (_g, ins) => none(ins), ge: (_g, ins) => none(ins),
  where: (g, [c, a, b], _o, _at, n) => {
    const z = g.zerosLike();
    return [null, n[1] ? sumTo(g.where(c, z), a.shape) : null, n[2] ? sumTo(z.where(c, g), b.shape) : null];
  },
  cast: (g, [x]) => [isFloat(x.dtype) ? g.to(x.dtype) : null],
  sum: (g, [x]) => [g._p('expand', [], { shape: [...x.shape] })],
  max: (g, [x], out) => [g._p('expand', [], { shape: [...x.shape] }).mul(extremumMask(x, out))],
  min: (g, [x], out) => [g._p('expand', [], { shape: [...x.shape] }).mul(extremumMask(x, out))],
  argmax: (_g, ins) => none(ins), argmin: (_g, ins) => none(ins),
  reshape: (g, [x]) => [g._p('reshape', [], { shape: [...x.shape] })],
  permute: (g, _i, _o, { perm }) => {
    const inv = new Array<number>(perm.length);
    perm.forEach((p, i) => { inv[p] = i; });
    return [g._p('permute', [], { perm: inv })];
  },
  expand: (g, [x]) => [sumTo(g, x.shape)],
  slice: (g, [x], _o, { starts, ends }) => [g._p('pad', [], { before: [...starts], after: ends.map((e, i) => x.shape[i] - e), value: 0 })],
  pad: (g, [x], _o, { before }) => [g._p('slice', [], { starts: [...before], ends: before.map((b, i) => b + x.shape[i]) })],
  flip: (g, _i, _o, { axes }) => [g._p('flip', [], { axes })],
  concat: (g, ins, _o, { axis }, n) => {
    let start = 0;
    return ins.map((x, i) => {
      const s = start;
      start += x.shape[axis];
      if (!n[i]) return null;
      const starts = g.shape.map((_, d) => (d === axis ? s : 0));
      const ends = g.shape.map((dim, d) => (d === axis ? s + x.shape[axis] : dim));
      return g._p('slice', [], { starts, ends }).to(x.dtype);
    });
  },
  gather: (g, [x, idx], _o, { axis }) => [x.zerosLike()._p('scatterAdd', [idx, g], { axis }), null],
  scatterAdd: (g, [x, idx, src], _o, { axis }, n) => {
    let gs: Tensor | null = null;
    if (n[2]) {
      gs = g._p('gather', [idx], { axis });
      if (!shapesEqual(gs.shape, src.shape)) gs = gs._p('pad', [], { before: src.shape.map(() => 0), after: src.shape.map((d, i) => d - idx.shape[i]), value: 0 });
    }
    return [n[0] ? g : null, null, gs];
  },
  matmul: (g0, [a, b], _o, { transA, transB, sumBatch }, n) => {
    // summed: every matrix of the batch had the same output gradient
    const g = sumBatch ? g0._p('expand', [], { shape: [...broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2)), ...g0.shape] }) : g0;
    return [
      !n[0] ? null : transA ? matmulTo(b, g, transB, true, a.shape) : matmulTo(g, b, false, !transB, a.shape),
      !n[1] ? null : transB ? matmulTo(g, a, true, transA, b.shape) : matmulTo(a, g, !transA, false, b.shape),
    ];
  },
  unfold: (g, [x], _o, attrs) => [g._p('fold', [], { ...attrs, outputSize: [x.shape[2], x.shape[3]] })],
  fold: (g, _i, _o, attrs) => [g._p('unfold', [], windowOf(attrs))],
  poolIndex: (_g, ins) => none(ins),
  // all of a window's gradient to its extremum: a scatter at poolIndex's positions (gather's VJP)
  pool: (g, [x], _o, attrs) => {
    const idx = poolPositions(x, attrs);
    const gs = g._p('reshape', [], { shape: [...idx.shape] });
    return [planes(x.zerosLike())._p('scatterAdd', [idx, gs], { axis: 2 })._p('reshape', [], { shape: [...x.shape] })];
  },
  // conv = w·unfold(x) (+ bias, then ReLU): the weight's gradient needs the columns (made here, in the
  // backward pass), summed over the batch; the input's is fold(wᵀ·g); the bias's, g summed per channel
  conv: (g0, [x, w, b], out, attrs, n) => {
    const g = attrs.relu ? g0._p('reluGrad', [out], {}) : g0;
    const win = windowOf(attrs);
    return [
      n[0] ? w._p('matmul', [g], { transA: true, transB: false })._p('fold', [], { ...win, outputSize: [x.shape[2], x.shape[3]] }) : null,
      n[1] ? matmulTo(g, x._p('unfold', [], win), false, true, w.shape) : null,
      ...(b ? [n[2] ? g._p('sum', [], { axes: [0, 2] })._p('reshape', [], { shape: [...b.shape] }) : null] : []),
    ];
  },
  // a running sum's adjoint is the running sum from the other end
  cumsum: (g, _i, _o, { axis, reverse }) => [g._p('cumsum', [], { axis, reverse: !reverse })],
  cumprod: (g, [x], out, { axis }) => [cumprodVjp(g, x, out, axis)],
  argsort: (_g, ins) => none(ins),
};

/** Adds tangent terms, treating null as zero. */
function plus(...terms: (Tensor | null)[]): Tensor | null {
  let acc: Tensor | null = null;
  for (const t of terms) if (t) acc = acc ? acc.add(t) : t;
  return acc;
}
const tb = (f: (ta: Tensor | null, tb: Tensor | null, a: Tensor, b: Tensor, out: Tensor) => Tensor | null): JvpRule<Prim> =>
  ([ta, tbb], [a, b], out) => f(ta, tbb, a, b, out);
const same = <P extends Prim>(prim: P): JvpRule<P> => ([t], _ins, _out, attrs) => (t ? t._p(prim, [], attrs) : null);

export const JVP: { [P in Prim]: JvpRule<P> } = {
  neg: tu((t) => t.neg()),
  exp: tu((t, _x, out) => t.mul(out)),
  log: tu((t, x) => t.div(x)),
  sqrt: tu((t, _x, out) => t.div(out.mul(2))),
  sin: tu((t, x) => t.mul(x.cos())),
  cos: tu((t, x) => t.mul(x.sin()).neg()),
  tanh: tu((t, _x, out) => t.mul(out.mul(out).neg().add(1))),
  sigmoid: tu((t, _x, out) => t.mul(out.mul(out.neg().add(1)))),
  relu: tu((t, _x, out) => t._p('reluGrad', [out], {})),
  abs: tu((t, x) => t.mul(x.sign())),
  sign: () => null,
  add: tb((ta, tbb) => plus(ta, tbb)),
  sub: tb((ta, tbb) => plus(ta, tbb && tbb.neg())),
  mul: tb((ta, tbb, a, b) => plus(ta && ta.mul(b), tbb && tbb.mul(a))),
  div: tb((ta, tbb, _a, b, out) => plus(ta && ta.div(b), tbb && tbb.mul(out).div(b).neg())),
  pow: tb((ta, tbb, a, b, out) => plus(ta && powDa(ta, a, b), tbb && powDb(tbb, a, b, out))),
  maximum: tb((ta, tbb, a, b) => plus(ta && ta.mul(share(a, b)), tbb && tbb.mul(share(b, a)))),
  minimum: tb((ta, tbb, a, b) => plus(ta && ta.mul(share(b, a)), tbb && tbb.mul(share(a, b)))),
  reluGrad: tb((ta, _tb, _a, b) => (ta ? ta._p('reluGrad', [b], {}) : null)),
  eq: () => null, ne: () => null, lt: () => null, le: () => null, gt: () => null, ge: () => null,
  where: ([, ta, tbb], [c, a, b]) => (ta || tbb ? (ta ?? a.zerosLike()).where(c, tbb ?? b.zerosLike()) : null),
  cast: ([t], _i, out) => (t && isFloat(out.dtype) ? t.to(out.dtype) : null),
  sum: same('sum'),
  max: ([t], [x], out) => (t ? t.mul(extremumMask(x, out))._p('sum', [], { axes: out.shape.flatMap((d, i) => (d === 1 && x.shape[i] !== 1 ? [i] : [])) }).reshape(out.shape) : null),
  min: ([t], [x], out) => (t ? t.mul(extremumMask(x, out))._p('sum', [], { axes: out.shape.flatMap((d, i) => (d === 1 && x.shape[i] !== 1 ? [i] : [])) }).reshape(out.shape) : null),
  argmax: () => null, argmin: () => null,
  reshape: same('reshape'), permute: same('permute'), expand: same('expand'), slice: same('slice'), flip: same('flip'),
  pad: ([t], _i, _o, attrs) => (t ? t._p('pad', [], { ...attrs, value: 0 }) : null),
  concat: (ts, ins, _o, attrs) => {
    const all = ts.map((t, i) => t ?? ins[i].zerosLike());
    return all[0]._p('concat', all.slice(1), attrs);
  },
  gather: ([t], [, idx], _o, attrs) => (t ? t._p('gather', [idx], attrs) : null),
  scatterAdd: ([tx, , ts], [x, idx, src], _o, attrs) =>
    (tx || ts ? (tx ?? x.zerosLike())._p('scatterAdd', [idx, ts ?? src.zerosLike()], attrs) : null),
  matmul: ([ta, tbb], [a, b], _o, attrs) => plus(ta && ta._p('matmul', [b], attrs), tbb && a._p('matmul', [tbb], attrs)),
  unfold: same('unfold'),
  fold: same('fold'),
  poolIndex: () => null,
  pool: ([t], [x], out, attrs) => (t ? planes(t)._p('gather', [poolPositions(x, attrs)], { axis: 2 })._p('reshape', [], { shape: [...out.shape] }) : null),
  conv: ([tx, tw, tbias], [x, w], out, attrs) => {
    const win = windowOf(attrs);
    let t = plus(tx && tx._p('conv', [w], win), tw && x._p('conv', [tw], win), tbias && tbias._p('reshape', [], { shape: [1, tbias.shape[0], 1] }));
    if (t && !shapesEqual(t.shape, out.shape)) t = t._p('expand', [], { shape: [...out.shape] }); // the bias's alone
    return t && attrs.relu ? t._p('reluGrad', [out], {}) : t;
  },
  cumsum: same('cumsum'),
  cumprod: ([t], [x], out, { axis }) => (t ? cumprodJvp(t, x, out, axis) : null),
  argsort: () => null,
};
