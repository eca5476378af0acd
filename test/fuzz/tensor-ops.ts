// SPDX-License-Identifier: MIT
// Argument generators for every Tensor method (args[0] is the tensor itself). The same generators
// drive the root-level functions of the same name (`st.add(x, y)` ≡ `x.add(y)`).
import fc from 'fast-check';
import { ALL, FLOAT, NUM, axes, axis, broadcastShape, dim, shape, size, ts, tsOf, value, type Dom } from './arbs.js';
import type { Arg, DT, TS } from './harness.js';

export interface Spec {
  arb: fc.Arbitrary<Arg[]>;
  /** false where NaN is a legitimate output for inputs the generator makes. */
  finite?: boolean;
}

const self = (dtypes: readonly DT[] = FLOAT, dom: Dom = 'any', shapes = shape()): fc.Arbitrary<TS> => ts(shapes, dtypes, dom);
const withSelf = (x: fc.Arbitrary<TS>, rest: (x: TS) => fc.Arbitrary<Arg[]>): fc.Arbitrary<Arg[]> => x.chain((t) => rest(t).map((r): Arg[] => [t, ...r]));
const none = (dtypes: readonly DT[] = ALL, dom: Dom = 'any'): Spec => ({ arb: self(dtypes, dom).map((t) => [t]) });

/** The other operand of a binary op: a tensor of a broadcastable shape (same dtype mostly) or a number. */
function other(t: TS, dom: Dom): fc.Arbitrary<Arg> {
  const dt = fc.oneof({ weight: 4, arbitrary: fc.constant(t.dtype) }, { weight: 1, arbitrary: fc.constantFrom<DT>(...ALL) });
  return fc.oneof(
    { weight: 4, arbitrary: fc.tuple(broadcastShape(t.shape), dt).chain(([s, d]) => tsOf(s, d, dom)) },
    { weight: 1, arbitrary: value(t.dtype === 'bool' ? 'int32' : t.dtype, dom) },
  );
}
const binary = (dom: Dom = 'any', selfDom: Dom = 'any', dtypes: readonly DT[] = ALL): Spec => ({ arb: withSelf(self(dtypes, selfDom), (t) => other(t, dom).map((o) => [o])) });

const reduce = (dtypes: readonly DT[] = ALL): Spec => ({ arb: withSelf(self(dtypes), (t) => fc.tuple(axes(t.shape.length), fc.boolean())) });
const argReduce: Spec = { arb: withSelf(self(NUM), (t) => fc.tuple(fc.oneof(fc.constant(undefined), axis(t.shape.length)), fc.boolean())) };
const stat: Spec = {
  arb: withSelf(self(FLOAT), (t) => fc.tuple(axes(t.shape.length), fc.record({ correction: fc.integer({ min: 0, max: 2 }), keepdim: fc.boolean() }))),
  finite: false, // n - correction <= 0 gives 0/0, as in PyTorch
};
const oneAxis = (dtypes: readonly DT[] = FLOAT): Spec => ({ arb: withSelf(self(dtypes), (t) => fc.tuple(axis(t.shape.length))) });

/** A new shape for `t`: a valid refactoring with maybe one -1, or a random one. */
function reshapeTo(t: TS): fc.Arbitrary<number[]> {
  const n = size(t.shape);
  const divisors = n === 0 ? [0, 1, 2] : Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);
  const valid = fc.constantFrom(...divisors).chain((d) => fc.constantFrom<number[]>([d, n === 0 ? 0 : n / d], [n === 0 ? 0 : n / d, d], [-1, d], [d, -1], [n], [-1]));
  return fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: fc.array(fc.integer({ min: -2, max: 4 }), { maxLength: 3 }) });
}

/** A target shape for expand: leading new dims, and each dim kept, -1, or (where it is 1) grown. */
function expandTo(t: TS): fc.Arbitrary<number[]> {
  const each = t.shape.map((d) => (d === 1 ? fc.oneof(fc.constant(1), fc.constant(-1), dim) : fc.oneof({ weight: 5, arbitrary: fc.constant(d) }, { weight: 1, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: dim })));
  return fc.tuple(fc.array(dim, { maxLength: 2 }), fc.tuple(...each)).map(([lead, rest]) => [...lead, ...rest]);
}

const idx = (n: number): fc.Arbitrary<number> => fc.integer({ min: -n - 1, max: n });
/** An int32 index tensor shaped like `t` with `axis` resized, entries mostly in range. */
function indexFor(t: TS, ax: number, sized = true): fc.Arbitrary<TS> {
  const r = t.shape.length;
  const a = ((ax % Math.max(r, 1)) + Math.max(r, 1)) % Math.max(r, 1);
  const n = t.shape[a] ?? 1;
  return fc.integer({ min: 0, max: 3 }).chain((k) => {
    const s = t.shape.map((d, i) => (i === a ? (sized ? k : d) : d));
    const vals = fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 0, max: Math.max(n - 1, 0) }) }, { weight: 1, arbitrary: idx(n) });
    return fc.array(vals, { minLength: size(s), maxLength: size(s) }).map((values): TS => ({ t: true, shape: s, dtype: 'int32', values }));
  });
}

/** An index spec for `Tensor.index` on a dim of size n. */
const indexSpec = (n: number): fc.Arbitrary<Arg> => fc.oneof(
  idx(n), fc.constant(null),
  fc.tuple(fc.option(idx(n + 1)), fc.option(idx(n + 1)), fc.option(fc.integer({ min: -2, max: 2 }))).map(([a, b, c]) => `${a ?? ''}:${b ?? ''}${c === null ? '' : `:${c}`}`),
  fc.array(idx(n), { maxLength: 3 }),
);

const float = (dom: Dom): Spec => none(ALL, dom);

/** Two operands for a named product (mm, bmm, mv, dot): the ranks it wants, or (sometimes) others. */
const products = (ra: number[], rb: number[]): Spec => ({
  arb: fc.tuple(dim, dim, dim, dim, fc.integer({ min: 0, max: 5 }), fc.constantFrom<DT>(...FLOAT)).chain(([b, m, k, n, wrong, dt]) => {
    const of = (r: number, last: number[]): number[] => [b, ...last].slice(-r);
    const a = wrong === 0 ? [m, k, n] : of(ra[0], [m, k]);
    const c = wrong === 1 ? [k + 1, n] : rb[0] === 1 ? [k] : of(rb[0], [k, n]);
    return fc.tuple(tsOf(ra[0] === 1 ? [k] : a, dt), tsOf(c, dt));
  }),
});

export const TENSOR_METHODS: Record<string, Spec> = {
  add: binary(), sub: binary(), mul: binary(),
  div: { arb: withSelf(self(ALL), (t) => fc.tuple(other(t, 'nonzero'), fc.constantFrom(undefined, 'trunc', 'floor'))) }, pow: { ...binary('any', 'pos', FLOAT) },
  maximum: binary(), minimum: binary(), eq: binary(), ne: binary(), lt: binary(), le: binary(), gt: binary(), ge: binary(),
  neg: none(), abs: none(), sign: none(), exp: float('any'), log: float('pos'), sqrt: float('pos'), sin: none(), cos: none(),
  tanh: none(), sigmoid: none(), relu: none(), step: none(), square: none(), reciprocal: none(ALL, 'nonzero'),
  floor: none(), ceil: none(), trunc: none(), frac: none(), round: { arb: withSelf(self(ALL), () => fc.tuple(fc.constantFrom(0, 1, 2, -1))) },
  log1p: float('pos'), expm1: float('any'), tan: none(), atan: none(), asin: float('unit'), acos: float('unit'), rsqrt: float('pos'),
  sinh: none(), cosh: none(), asinh: none(), atanh: none(FLOAT, 'unit'),
  nansum: reduce(), nanmean: reduce(), countNonzero: reduce(), isclose: binary(), allclose: binary(),
  // NaN below 1, in the same places on every backend
  acosh: { ...float('pos'), finite: false },
  // the origin's gradient is 0/0, as PyTorch's
  atan2: { ...binary(), finite: false },
  // a zero divisor: NaN on floats, an error on integers
  fmod: binary('nonzero'), remainder: binary('nonzero'), floorDivide: binary('nonzero'),
  logaddexp: binary(), logaddexp2: binary(), xlogy: binary('pos'),
  // the origin's gradient is 0/0, as PyTorch's
  hypot: { ...binary(), finite: false },
  // NaN outside [0, 1]
  logit: { ...float('unit'), finite: false },
  cummax: oneAxis(NUM), cummin: oneAxis(NUM),
  // unsorted rows too: the search is deterministic whatever it is given
  searchsorted: { arb: withSelf(self(NUM), (t) => fc.tuple(other(t, 'any'), fc.boolean())) },
  bucketize: { arb: withSelf(self(NUM), () => fc.tuple(fc.integer({ min: 0, max: 4 }).chain((k) => tsOf([k], 'float32')), fc.boolean())) },
  kron: { arb: withSelf(self(NUM), () => shape().chain((s) => tsOf(s, 'float32')).map((o) => [o])) },
  cross: { arb: withSelf(self(FLOAT), (t) => fc.tuple(tsOf(t.shape, 'float32'), axis(t.shape.length))) },
  logicalNot: none(), logicalAnd: binary(), logicalOr: binary(), logicalXor: binary(), any: reduce(), all: reduce(),
  log2: float('pos'), log10: float('pos'), exp2: float('any'),
  unique: { arb: withSelf(self(ALL), () => fc.tuple(fc.record({ returnInverse: fc.boolean(), returnCounts: fc.boolean() }, { requiredKeys: [] }))) },
  bincount: {
    arb: fc.tuple(fc.integer({ min: 0, max: 6 }), fc.boolean(), fc.constantFrom(0, 3, 8), fc.constantFrom<DT>('int32', 'int32', 'float32')).chain(([n, weighted, minlength, dt]) =>
      fc.tuple(tsOf([n], dt, 'pos'), weighted ? tsOf([n], 'float32') : fc.constant(undefined)).map(([x, w]): Arg[] => [x, { ...(w ? { weights: w } : {}), minlength }])),
  },
  median: { arb: withSelf(self(ALL), (t) => fc.tuple(fc.oneof(fc.constant(undefined), axis(t.shape.length)), fc.boolean())) },
  quantile: {
    arb: withSelf(self(ALL), (t) => fc.tuple(
      fc.oneof(fc.constantFrom(0, 0.3, 0.5, 1, 1.5), fc.array(fc.constantFrom(0, 0.25, 0.9, -0.1), { maxLength: 3 })),
      fc.oneof(fc.constant(undefined), axis(t.shape.length)), fc.boolean(), fc.constantFrom('linear', 'lower', 'higher', 'nearest', 'midpoint', 'cubic'))),
  },
  clampMin: { arb: withSelf(self(NUM), () => fc.tuple(value('float32', 'any'))) }, clampMax: { arb: withSelf(self(NUM), () => fc.tuple(value('float32', 'any'))) },
  viewAs: { arb: withSelf(self(ALL), (t) => reshapeTo(t).chain((s) => tsOf(s.map((d) => Math.abs(d)), 'float32')).map((o) => [o])) },
  reshapeAs: { arb: withSelf(self(ALL), (t) => reshapeTo(t).chain((s) => tsOf(s.map((d) => Math.abs(d)), 'float32')).map((o) => [o])) },
  expandAs: { arb: withSelf(self(ALL), (t) => expandTo(t).chain((s) => tsOf(s.map((d) => Math.abs(d)), 'float32')).map((o) => [o])) },
  typeAs: { arb: withSelf(self(ALL), () => fc.constantFrom<DT>(...ALL).chain((d) => tsOf([1], d)).map((o) => [o])) },
  contiguous: none(),
  swapaxes: { arb: withSelf(self(ALL), (t) => fc.tuple(axis(t.shape.length), axis(t.shape.length))) },
  swapdims: { arb: withSelf(self(ALL), (t) => fc.tuple(axis(t.shape.length), axis(t.shape.length))) },
  movedim: { arb: withSelf(self(ALL), (t) => fc.oneof(fc.tuple(axis(t.shape.length), axis(t.shape.length)), fc.tuple(fc.array(axis(t.shape.length), { maxLength: 2 }), fc.array(axis(t.shape.length), { maxLength: 2 })))) },
  mm: products([2], [2]), bmm: products([3], [3]), mv: products([2], [1]), dot: products([1], [1]),
  diagonal: { arb: withSelf(self(ALL), (t) => fc.tuple(fc.integer({ min: -3, max: 3 }), axis(t.shape.length), axis(t.shape.length))) },
  trace: none(), diag: { arb: withSelf(self(ALL, 'any', shape(1)), () => fc.tuple(fc.integer({ min: -2, max: 2 }))) },
  clamp: { arb: withSelf(self(NUM), () => fc.tuple(fc.option(value('float32', 'any')), fc.option(value('float32', 'any')))) },
  where: { arb: withSelf(self(ALL), (t) => fc.tuple(fc.tuple(broadcastShape(t.shape)).chain(([s]) => tsOf(s, 'bool')), other(t, 'any'))) },
  to: { arb: withSelf(self(ALL), () => fc.tuple(fc.constantFrom<DT>(...ALL))) },
  float: none(), double: none(), int: none(), bool: none(),
  sum: reduce(), mean: reduce(), max: reduce(), min: reduce(), argmax: argReduce, argmin: argReduce,
  var: stat, std: stat,
  logsumexp: { arb: withSelf(self(FLOAT), (t) => fc.tuple(axes(t.shape.length), fc.boolean())) },
  softmax: oneAxis(), logSoftmax: oneAxis(),
  matmul: {
    arb: fc.tuple(fc.array(dim, { maxLength: 2 }), dim, dim, dim, fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.boolean(), fc.constantFrom<DT>(...FLOAT))
      .chain(([batch, m, k, n, ra, rb, bad, dt]) => {
        const a = ra === 1 ? [k] : [...batch.slice(0, ra - 2), m, k];
        const b = rb === 1 ? [bad ? k + 1 : k] : [...batch.slice(0, rb - 2), bad ? k + 1 : k, n];
        return fc.tuple(tsOf(a, dt), tsOf(b, dt));
      }),
  },
  t: none(),
  reshape: { arb: withSelf(self(ALL), (t) => reshapeTo(t).map((s) => [s])) },
  view: { arb: withSelf(self(ALL), (t) => reshapeTo(t).map((s) => [s])) },
  flatten: { arb: withSelf(self(ALL), (t) => fc.tuple(axis(t.shape.length), axis(t.shape.length))) },
  permute: {
    arb: withSelf(self(ALL), (t) => fc.oneof(
      { weight: 4, arbitrary: fc.shuffledSubarray([...t.shape.keys()], { minLength: t.shape.length, maxLength: t.shape.length }) },
      { weight: 1, arbitrary: fc.array(axis(t.shape.length), { maxLength: t.shape.length + 1 }) },
    ).map((p) => [p])),
  },
  transpose: { arb: withSelf(self(ALL), (t) => fc.tuple(axis(t.shape.length), axis(t.shape.length))) },
  squeeze: { arb: withSelf(self(ALL), (t) => fc.tuple(axes(t.shape.length))) },
  unsqueeze: { arb: withSelf(self(ALL), (t) => fc.tuple(axis(t.shape.length + 1))) },
  expand: { arb: withSelf(self(ALL), (t) => expandTo(t).map((s) => [s])) },
  broadcastTo: { arb: withSelf(self(ALL), (t) => expandTo(t).map((s) => [s])) },
  slice: { arb: withSelf(self(ALL, 'any', shape(1)), (t) => fc.tuple(axis(t.shape.length), fc.integer({ min: -6, max: 6 }), fc.option(fc.integer({ min: -6, max: 6 }), { nil: undefined }))) },
  narrow: { arb: withSelf(self(ALL, 'any', shape(1)), (t) => fc.tuple(axis(t.shape.length), fc.integer({ min: -5, max: 5 }), fc.integer({ min: -1, max: 4 }))) },
  index: { arb: withSelf(self(ALL, 'any', shape(1)), (t) => fc.tuple(...t.shape.map(indexSpec)).chain((specs) => fc.integer({ min: 0, max: specs.length + 1 }).map((k) => specs.slice(0, k)))) },
  indexSelect: { arb: withSelf(self(ALL, 'any', shape(1)), (t) => axis(t.shape.length).chain((a) => fc.tuple(fc.constant(a), fc.array(idx(t.shape[((a % t.shape.length) + t.shape.length) % t.shape.length] ?? 1), { maxLength: 4 })))) },
  gather: { arb: withSelf(self(ALL, 'any', shape(1)), (t) => axis(t.shape.length).chain((a) => fc.tuple(fc.constant(a), indexFor(t, a)))) },
  scatterAdd: {
    arb: withSelf(self(NUM, 'any', shape(1)), (t) => axis(t.shape.length).chain((a) => indexFor(t, a).chain((i) => fc.tuple(fc.constant(a), fc.constant(i), tsOf(i.shape, t.dtype))))),
  },
  split: { arb: withSelf(self(ALL, 'any', shape(1)), (t) => fc.tuple(fc.oneof(fc.integer({ min: -1, max: 4 }), fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 })), axis(t.shape.length))) },
  unbind: { arb: withSelf(self(ALL, 'any', shape(1)), (t) => fc.tuple(axis(t.shape.length))) },
  chunk: { arb: withSelf(self(ALL, 'any', shape(1)), (t) => fc.tuple(fc.integer({ min: -1, max: 4 }), axis(t.shape.length))) },
  pad: { arb: withSelf(self(ALL), (t) => fc.tuple(fc.array(fc.integer({ min: -1, max: 3 }), { maxLength: 2 * t.shape.length + 1 }), value('float32', 'any'))) },
  flip: { arb: withSelf(self(ALL), (t) => fc.tuple(axes(t.shape.length).map((a) => a ?? []))) },
  zerosLike: none(), onesLike: none(), fullLike: { arb: withSelf(self(ALL), () => fc.tuple(value('float32', 'any'))) },
  clone: none(), detach: none(), numel: none(), dataSync: none(), item: none(), toArray: none(), toString: none(),
  keep: none(), requiresGrad_: { arb: withSelf(self(ALL), () => fc.tuple(fc.boolean())) },
};
