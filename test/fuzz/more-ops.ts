// SPDX-License-Identifier: MIT
// Argument generators for the ops and layers added after the first fuzzer (scans, sorting, masking,
// norms, einsum, shaping; the extra activations, norms, resampling and pair losses). Same contract
// as tensor-ops.ts / other-ops.ts: plain data, mostly valid, now and then invalid.
import fc from 'fast-check';
import { ALL, FLOAT, NUM, axes, axis, broadcastShape, dim, shape, size, small, ts, tsOf, value, type Dom } from './arbs.js';
import type { Arg, DT, TS } from './harness.js';
import type { Spec } from './tensor-ops.js';
import type { LayerSpec } from './other-ops.js';

const self = (dtypes: readonly DT[] = FLOAT, dom: Dom = 'any', shapes = shape()): fc.Arbitrary<TS> => ts(shapes, dtypes, dom);
const withSelf = (x: fc.Arbitrary<TS>, rest: (x: TS) => fc.Arbitrary<Arg[]>): fc.Arbitrary<Arg[]> => x.chain((t) => rest(t).map((r): Arg[] => [t, ...r]));
const none = (dtypes: readonly DT[] = ALL, dom: Dom = 'any'): Spec => ({ arb: self(dtypes, dom).map((t) => [t]) });
const f32 = value('float32', 'any');
/** A value that is sometimes NaN or ±∞ (for the ops about non-finite values). */
const special = fc.oneof({ weight: 3, arbitrary: f32 }, { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity) });
const withSpecials = (dtypes: readonly DT[]): fc.Arbitrary<TS> => fc.tuple(shape(), fc.constantFrom(...dtypes)).chain(([s, d]) =>
  (d === 'float32' || d === 'float64' ? fc.array(special, { minLength: size(s), maxLength: size(s) }).map((values): TS => ({ t: true, shape: s, dtype: d, values })) : tsOf(s, d)));
/** A bool mask of a shape that broadcasts to `t` (now and then one that does not, or not bool). */
const maskFor = (t: TS): fc.Arbitrary<TS> => fc.tuple(broadcastShape(t.shape), fc.oneof({ weight: 8, arbitrary: fc.constant<DT>('bool') }, { weight: 1, arbitrary: fc.constantFrom<DT>(...ALL) })).chain(([s, d]) => tsOf(s, d));
const optAxis = (r: number): fc.Arbitrary<number | undefined> => fc.option(axis(r), { nil: undefined });
const reps = (r: number): fc.Arbitrary<number[]> => fc.array(fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 3 }) }, { weight: 1, arbitrary: fc.constant(-1) }), { minLength: Math.max(r - 1, 0), maxLength: r + 1 });
/** true about one time in `n`: for the invalid variants, so most cases reach the computation. */
const rarely = (n = 6): fc.Arbitrary<boolean> => fc.integer({ min: 1, max: n }).map((v) => v === 1);
const ORDS = [2, 1, 3, 0, 0.5, Infinity, -Infinity, -1];

export const MORE_TENSOR_METHODS: Record<string, Spec> = {
  amax: { arb: withSelf(self(ALL), (t) => fc.tuple(axes(t.shape.length), fc.boolean())) },
  amin: { arb: withSelf(self(ALL), (t) => fc.tuple(axes(t.shape.length), fc.boolean())) },
  cumsum: { arb: withSelf(self(ALL), (t) => fc.tuple(axis(t.shape.length))) },
  cumprod: { arb: withSelf(self(ALL), (t) => fc.tuple(axis(t.shape.length))) },
  prod: { arb: withSelf(self(ALL), (t) => fc.tuple(optAxis(t.shape.length), fc.boolean())) },
  diff: {
    arb: withSelf(self(ALL), (t) => axis(t.shape.length).chain((a) => {
      const r = t.shape.length;
      const ax = r ? ((a % r) + r) % r : 0;
      const edge = fc.oneof(fc.constant(undefined), f32, fc.integer({ min: 0, max: 2 }).chain((k) => tsOf(t.shape.map((d, i) => (i === ax ? k : d)), t.dtype)));
      return fc.tuple(fc.integer({ min: -1, max: 3 }), fc.constant(a), edge, edge);
    })),
  },
  // p-norms with p < 1 or negative have infinite derivatives at 0, and −p norms of a zero are 0⁻¹: values stay away from 0
  norm: { arb: withSelf(self(FLOAT, 'nonzero'), (t) => fc.tuple(fc.constantFrom<number | string>('fro', ...ORDS, 'nuc'), axes(t.shape.length), fc.boolean())) },
  sort: { arb: withSelf(self(NUM), (t) => fc.tuple(axis(t.shape.length), fc.boolean())) },
  argsort: { arb: withSelf(self(NUM), (t) => fc.tuple(axis(t.shape.length), fc.boolean())) },
  topk: {
    arb: withSelf(self(NUM), (t) => axis(t.shape.length).chain((a) => {
      const r = t.shape.length;
      const n = r ? t.shape[((a % r) + r) % r] ?? 1 : 1;
      return fc.tuple(fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: n }) }, { weight: 1, arbitrary: fc.integer({ min: -1, max: n + 2 }) }), fc.constant(a), fc.boolean(), fc.boolean());
    })),
  },
  tril: { arb: withSelf(self(ALL, 'any', fc.oneof({ weight: 6, arbitrary: shape(2, 4) }, { weight: 1, arbitrary: shape(0, 1) })), () => fc.tuple(fc.integer({ min: -4, max: 4 }))) },
  triu: { arb: withSelf(self(ALL, 'any', fc.oneof({ weight: 6, arbitrary: shape(2, 4) }, { weight: 1, arbitrary: shape(0, 1) })), () => fc.tuple(fc.integer({ min: -4, max: 4 }))) },
  outer: { arb: fc.tuple(shape(1, 1), shape(1, 1), fc.constantFrom<DT>(...NUM), rarely(), shape(0, 2)).chain(([a, b, d, bad, c]) => fc.tuple(tsOf(bad ? c : a, d), tsOf(b, d))) },
  repeat: { arb: withSelf(self(ALL), (t) => fc.tuple(reps(t.shape.length))) },
  tile: { arb: withSelf(self(ALL), (t) => fc.tuple(fc.array(fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 3 }) }, { weight: 1, arbitrary: fc.constant(-1) }), { maxLength: t.shape.length + 1 }))) },
  roll: {
    arb: withSelf(self(ALL), (t) => fc.oneof(
      fc.tuple(fc.integer({ min: -7, max: 7 })),
      fc.tuple(fc.integer({ min: -7, max: 7 }), axis(t.shape.length)),
      fc.integer({ min: 0, max: Math.max(t.shape.length, 1) }).chain((k) => fc.tuple(fc.array(fc.integer({ min: -7, max: 7 }), { minLength: k, maxLength: k }), fc.array(axis(t.shape.length), { minLength: k, maxLength: k + 1 }))),
    )),
  },
  maskedFill: { arb: withSelf(self(ALL), (t) => fc.tuple(maskFor(t), fc.oneof({ weight: 3, arbitrary: f32 }, { weight: 1, arbitrary: ts(fc.oneof({ weight: 4, arbitrary: fc.constant<number[]>([]) }, { weight: 1, arbitrary: shape(1, 1) }), ALL) }))) },
  maskedSelect: { arb: withSelf(self(ALL), (t) => fc.tuple(maskFor(t))) },
  nonzero: none(),
  isnan: { arb: withSpecials(ALL).map((t) => [t]) }, isinf: { arb: withSpecials(ALL).map((t) => [t]) }, isfinite: { arb: withSpecials(ALL).map((t) => [t]) },
  nanToNum: { arb: withSelf(withSpecials(ALL), () => fc.tuple(fc.option(f32, { nil: undefined }), fc.option(f32, { nil: undefined }), fc.option(f32, { nil: undefined }))) },
};

/** einsum equations with the size letter each subscript needs; sizes are drawn per letter. */
const EQUATIONS = ['ij,jk->ik', 'ii->i', 'ii', 'i,i->', 'i,j->ij', 'bij,bjk->bik', 'ij->ji', '...ij->...ji', 'ij,ij->ij', 'ijk->', 'ij,j', 'i...,i...->...', 'ab,bc,cd->ad', 'ij->jj', 'ij,jk->iz', 'i->i->i', 'IJ', '', 'ij,jk'];
const einsumArgs: fc.Arbitrary<Arg[]> = fc.tuple(fc.constantFrom(...EQUATIONS), fc.dictionary(fc.constantFrom(...'abcdijkz'), fc.integer({ min: 0, max: 4 })), fc.array(dim, { maxLength: 2 }), rarely(), fc.constantFrom<DT>(...NUM))
  .chain(([eq, sizes, dots, bad, d]) => {
    const lhs = eq.split('->')[0];
    const terms = lhs === '' ? [] : lhs.split(',');
    const shapes = terms.map((term) => term.replace('...', '.').split('').flatMap((c) => (c === '.' ? dots : [sizes[c] ?? 2])));
    if (bad && shapes.length) shapes[0] = [...shapes[0], 1];
    return fc.tuple(fc.constant(eq), ...shapes.map((s) => tsOf(s, d))).map(([e, ...xs]): Arg[] => [e, ...xs]);
  });

export const MORE_ROOT_ONLY: Record<string, Spec> = {
  randperm: { arb: fc.tuple(small(0, 12)) },
  // lists of up to 3 tensors of ranks 0-3, mostly of one dtype: mismatched shapes are refused by cat
  ...Object.fromEntries(['hstack', 'vstack', 'dstack', 'columnStack', 'blockDiag', 'cartesianProd'].map((name) => [name, { arb: fc.tuple(fc.array(ts(shape(0, 3, 40), NUM), { maxLength: 3 })) }])),
  // a constant row, or fewer observations than the correction, is 0/0, as PyTorch's
  cov: { arb: fc.tuple(ts(shape(0, 3, 60), ALL), fc.integer({ min: -1, max: 2 })), finite: false },
  corrcoef: { arb: fc.tuple(ts(shape(0, 3, 60), ALL)), finite: false },
  trapezoid: { arb: ts(shape(0, 3, 60), ALL).chain((y) => fc.tuple(fc.constant(y), fc.record({ dx: f32, dim: fc.integer({ min: -3, max: 2 }) }, { requiredKeys: [] }))) },
  triuIndices: { arb: fc.tuple(small(0, 5), small(0, 5), fc.integer({ min: -3, max: 3 })) },
  trilIndices: { arb: fc.tuple(small(0, 5), small(0, 5), fc.integer({ min: -3, max: 3 })) },
  rot90: { arb: fc.tuple(ts(shape(0, 4), ALL), fc.integer({ min: -5, max: 5 }), fc.tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 }))) },
  // weights of either sign (negative ones are refused), 1-D or 2-D, any dtype
  multinomial: { arb: fc.tuple(fc.tuple(shape(1, 2, 60), fc.constantFrom<DT>(...ALL)).chain(([s, d]) => tsOf(s, d, 'pos')), small(1, 5), fc.record({ replacement: fc.boolean() })) },
  bernoulli: { arb: fc.tuple(ts(shape(), ALL, 'unit')) },
  meshgrid: { arb: fc.tuple(fc.array(ts(shape(0, 2, 20), FLOAT), { maxLength: 3 }), fc.record({ indexing: fc.constantFrom('ij', 'xy') }, { requiredKeys: [] })) },
  logspace: { arb: fc.tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 }), small(0, 6), fc.constantFrom(10, 2, 0.5)) },
  tensordot: { arb: fc.tuple(ts(shape(0, 3), FLOAT), ts(shape(0, 3), FLOAT), small(0, 2)) },
  einsum: { arb: einsumArgs },
  // (p < 1 at a zero difference: an infinite slope times 0, as vectorNorm's)
  cdist: { arb: withSelf(self(FLOAT), (t) => fc.tuple(fc.integer({ min: 0, max: 3 }).chain((r) => tsOf([r, t.shape[t.shape.length - 1] ?? 1], 'float32')), fc.constantFrom(...ORDS))), finite: false },
  vectorNorm: { arb: withSelf(self(FLOAT, 'nonzero'), (t) => fc.tuple(fc.constantFrom(...ORDS), axes(t.shape.length), fc.boolean())) },
  randLike: { arb: fc.tuple(ts(shape(), ALL), fc.record({ dtype: fc.oneof({ weight: 4, arbitrary: fc.constantFrom<DT>(...FLOAT) }, { weight: 1, arbitrary: fc.constantFrom<DT>(...ALL) }) }, { requiredKeys: [] })) },
  randnLike: { arb: fc.tuple(ts(shape(), ALL), fc.record({ dtype: fc.oneof({ weight: 4, arbitrary: fc.constantFrom<DT>(...FLOAT) }, { weight: 1, arbitrary: fc.constantFrom<DT>(...ALL) }) }, { requiredKeys: [] })) },
};

// ---- nn.functional -------------------------------------------------------------------------------

const unary = (extra: fc.Arbitrary<Arg[]> = fc.constant([])): Spec => ({ arb: fc.tuple(ts(shape(), FLOAT), extra).map(([x, e]) => [x, ...e]) });
/** [N, C, ...spatial] with `spatial` dims (0–2 N, 1–4 C), in one float dtype. */
const ncs = (spatial: number[], c = fc.integer({ min: 1, max: 4 })): fc.Arbitrary<number[]> =>
  fc.tuple(fc.integer({ min: 0, max: 2 }), c, fc.constantFrom(...spatial)).chain(([n, ch, k]) => fc.array(fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 5 }) }, { weight: 1, arbitrary: fc.constant(0) }), { minLength: k, maxLength: k }).map((sp) => [n, ch, ...sp]));
const reduction = fc.record({ reduction: fc.constantFrom('mean', 'sum', 'none') }, { requiredKeys: [] });
/** ±1 targets (now and then 0 or 2, which PyTorch treats as neither class) of shape s. */
const signs = (s: number[], d: DT): fc.Arbitrary<TS> => fc.array(fc.oneof({ weight: 40, arbitrary: fc.constantFrom(1, -1) }, { weight: 1, arbitrary: fc.constantFrom(0, 2) }), { minLength: size(s), maxLength: size(s) })
  .map((values): TS => ({ t: true, shape: s, dtype: d, values }));

/** Modes with the spatial ranks they take; now and then a wrong rank, a wrong-length size or no size. */
const MODES: [string, number[]][] = [['nearest', [1, 2, 3]], ['nearest-exact', [1, 2, 3]], ['linear', [1]], ['bilinear', [2]]];
const interpolateArgs: fc.Arbitrary<Arg[]> = fc.tuple(fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...MODES) }, { weight: 1, arbitrary: fc.constant<[string, number[]]>(['cubic', [2]]) }), rarely(8), rarely(8), fc.constantFrom<DT>(...FLOAT), fc.boolean(),
  fc.record({ alignCorners: fc.boolean(), recomputeScaleFactor: fc.boolean() }, { requiredKeys: [] }))
  .chain(([[mode, ranks], badRank, badSize, d, bySize, rest]) => ncs(badRank ? [0, 1, 2, 3] : ranks).chain((s) => {
    const k = s.length - 2 + (badSize ? 1 : 0);
    const sz = bySize
      ? fc.record({ size: fc.oneof(small(1, 6), fc.array(small(1, 6), { minLength: k, maxLength: k })) })
      : fc.record({ scaleFactor: fc.oneof(fc.constantFrom(0.5, 1, 1.5, 2, 3, 0.3), fc.array(fc.constantFrom(0.5, 1, 2, 2.5, 0.7), { minLength: k, maxLength: k })) });
    const linear = mode === 'linear' || mode === 'bilinear';
    return fc.tuple(tsOf(s, d), fc.oneof({ weight: 12, arbitrary: sz }, { weight: 1, arbitrary: fc.constant({}) }).map((o) => ({ mode, ...o, ...(linear ? rest : { recomputeScaleFactor: rest.recomputeScaleFactor }) })));
  }));

const groupNormArgs: fc.Arbitrary<Arg[]> = fc.tuple(ncs([0, 1, 2]), fc.boolean(), fc.constantFrom<DT>(...FLOAT)).chain(([s, affine, d]) =>
  fc.tuple(tsOf(s, d), fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...[1, 2, 3, 4].filter((g) => s[1] % g === 0)) }, { weight: 1, arbitrary: fc.integer({ min: -1, max: 4 }) }), affine ? tsOf([s[1]], d) : fc.constant(null), affine ? tsOf([s[1]], d) : fc.constant(null), fc.constantFrom(1e-5, 1e-3)));

const instanceNormArgs: fc.Arbitrary<Arg[]> = fc.tuple(ncs([1, 1, 2, 0]), fc.boolean(), fc.boolean(), fc.constantFrom<DT>(...FLOAT)).chain(([s, running, affine, d]) =>
  fc.tuple(tsOf(s, d), running ? tsOf([s[1]], d) : fc.constant(null), running ? tsOf([s[1]], d, 'pos') : fc.constant(null), affine ? tsOf([s[1]], d) : fc.constant(null), affine ? tsOf([s[1]], d) : fc.constant(null),
    fc.record({ useInputStats: fc.boolean(), momentum: fc.constantFrom(0.1, 0.5), eps: fc.constantFrom(1e-5, 1e-3) }, { requiredKeys: [] })));

const shuffleArgs = (up: boolean): fc.Arbitrary<Arg[]> => fc.tuple(fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 3 }) }, { weight: 1, arbitrary: fc.integer({ min: -1, max: 0 }) }), fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 1 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 3 }), rarely(), fc.constantFrom<DT>(...ALL))
  .chain(([r, lead, c, h, w, bad, d]) => {
    const rr = Math.max(r, 1);
    const s = up ? [...lead, c * rr * rr + (bad ? 1 : 0), h, w] : [...lead, c, h * rr + (bad ? 1 : 0), w * rr];
    return fc.tuple(tsOf(bad && lead.length === 0 && up ? s.slice(1) : s, d), fc.constant(r));
  });

const pairArgs: fc.Arbitrary<Arg[]> = fc.tuple(shape(0, 1), fc.constantFrom<DT>(...FLOAT), rarely()).chain(([s, d, bad]) =>
  fc.tuple(tsOf(s, d), tsOf(s, d), signs(bad ? [...s, 2] : s, d), fc.tuple(reduction, fc.record({ margin: fc.constantFrom(0, 0.5, -0.2) }, { requiredKeys: [] })).map(([a, b]) => ({ ...a, ...b }))));
const cosineArgs: fc.Arbitrary<Arg[]> = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.boolean(), rarely(), fc.constantFrom<DT>(...FLOAT)).chain(([n, dd, flat, bad, d]) =>
  fc.tuple(tsOf(flat ? [dd] : [n, dd], d, 'nonzero'), tsOf(flat ? [dd] : [n, bad ? dd + 1 : dd], d, 'nonzero'), signs(flat ? [] : [n], d),
    fc.tuple(reduction, fc.record({ margin: fc.constantFrom(0, 0.5, -0.2) }, { requiredKeys: [] })).map(([a, b]) => ({ ...a, ...b }))));
const tripletArgs: fc.Arbitrary<Arg[]> = fc.tuple(shape(1, 2), rarely(), fc.constantFrom<DT>(...FLOAT)).chain(([s, bad, d]) =>
  fc.tuple(tsOf(s, d), tsOf(s, d), tsOf(bad ? [...s, 1] : s, d),
    fc.tuple(reduction, fc.record({ margin: fc.constantFrom(0, 1, 0.3), p: fc.constantFrom(1, 2, 3), eps: fc.constantFrom(1e-6, 1e-3), swap: fc.boolean() }, { requiredKeys: [] })).map(([a, b]) => ({ ...a, ...b }))));

/** Two operands of a similarity (broadcasting shapes, now and then mismatched) and its options. */
const similarityArgs = (opts: fc.Arbitrary<{ [k: string]: Arg }>): fc.Arbitrary<Arg[]> =>
  fc.tuple(shape(1, 3), fc.constantFrom<DT>(...FLOAT), rarely()).chain(([s, d, bad]) =>
    fc.tuple(tsOf(s, d, 'nonzero'), tsOf(bad ? [...s.slice(0, -1), (s[s.length - 1] ?? 1) + 1] : s, d, 'nonzero'), opts));
const cosOpts = fc.record({ dim: fc.constantFrom(0, -1, 1), eps: fc.constantFrom(1e-8, 1e-3) }, { requiredKeys: [] });
const distOpts = fc.record({ p: fc.constantFrom(1, 2, 3), eps: fc.constantFrom(1e-6, 0), keepdim: fc.boolean() }, { requiredKeys: [] });
const oneHotArgs: fc.Arbitrary<Arg[]> = fc.tuple(shape(0, 2), fc.integer({ min: 1, max: 5 }), rarely(), fc.boolean()).chain(([s, n, bad, given]) =>
  fc.tuple(tsOf(s, bad ? 'float32' : 'int32', 'pos').map((t): TS => (t.dtype === 'int32' ? { ...t, values: t.values.map((v) => Math.abs(v) % n) } : t)), fc.constant(given ? n : -1)));

export const MORE_FUNCTIONAL: Record<string, Spec> = {
  normalize: { arb: withSelf(self(FLOAT), (t) => fc.tuple(fc.record({ p: fc.constantFrom(1, 2, 3), dim: axis(t.shape.length), eps: fc.constantFrom(1e-12, 1e-3) }, { requiredKeys: [] }))) },
  cosineSimilarity: { arb: similarityArgs(cosOpts) },
  pairwiseDistance: { arb: similarityArgs(distOpts) },
  oneHot: { arb: oneHotArgs },
  celu: unary(fc.tuple(fc.constantFrom(1, 0.5, 2, -1, 0))), hardsigmoid: unary(), hardswish: unary(),
  hardtanh: unary(fc.tuple(fc.constantFrom(-1, -2, 0.5), fc.constantFrom(1, 2, -0.5))),
  logSigmoid: unary(), mish: unary(), relu6: unary(), selu: unary(), silu: unary(), softsign: unary(),
  prelu: { arb: fc.tuple(shape(0, 4), fc.constantFrom<DT>(...FLOAT), fc.constantFrom(0, 1, 2)).chain(([s, d, kind]) => fc.tuple(tsOf(s, d), tsOf(kind === 0 ? [1] : kind === 1 ? [s[1] ?? 1] : [(s[1] ?? 1) + 1], d))) },
  groupNorm: { arb: groupNormArgs },
  instanceNorm: { arb: instanceNormArgs, finite: false }, // unbiased variance of one position is 0/0, as in PyTorch
  interpolate: { arb: interpolateArgs },
  pad: {
    arb: withSelf(self(ALL), (t) => fc.tuple(
      fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: t.shape.length }).chain((k) => fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 2 * k, maxLength: 2 * k })) }, { weight: 1, arbitrary: fc.array(fc.integer({ min: -1, max: 3 }), { maxLength: 2 * t.shape.length + 1 }) }),
      fc.oneof({ weight: 12, arbitrary: fc.constantFrom('constant', 'reflect', 'replicate', 'circular') }, { weight: 1, arbitrary: fc.constant('wrap') }), f32)),
  },
  pixelShuffle: { arb: shuffleArgs(true) }, pixelUnshuffle: { arb: shuffleArgs(false) },
  marginRankingLoss: { arb: pairArgs },
  cosineEmbeddingLoss: { arb: cosineArgs },
  tripletMarginLoss: { arb: tripletArgs },
};

// ---- nn layers ------------------------------------------------------------------------------------

const layer = (arb: fc.Arbitrary<[Arg[], Arg[]]>, finite = true): LayerSpec => ({ arb: arb.map(([ctor, input]) => ({ ctor, input })), finite });
const act = (ctor: fc.Arbitrary<Arg[]> = fc.constant([])): LayerSpec => layer(fc.tuple(ctor, ts(shape(), FLOAT)).map(([c, x]): [Arg[], Arg[]] => [c, [x]]));
const lossLayer = (f: Spec): LayerSpec => layer(f.arb.map((a): [Arg[], Arg[]] => [[a[3]], [a[0], a[1], a[2]]]));
/** [N, C, ...] of the layer's rank, or unbatched [C, ...], now and then a wrong channel count. */
const instanceLayer = (rank: number): LayerSpec => layer(fc.tuple(ncs([rank - 2]), fc.boolean(), rarely().map((b) => (b ? 1 : 0)), fc.record({ affine: fc.boolean(), trackRunningStats: fc.boolean(), eps: fc.constantFrom(1e-5, 1e-3) }, { requiredKeys: [] }))
  .chain(([s, unbatched, extra, opts]) => tsOf(unbatched ? s.slice(1) : s, 'float32').map((x): [Arg[], Arg[]] => [[(s[1] ?? 1) + extra, opts], [x]])), false);

export const MORE_LAYERS: Record<string, LayerSpec> = {
  CosineSimilarity: layer(similarityArgs(cosOpts).map(([a, b, o]): [Arg[], Arg[]] => [[o], [a, b]])),
  PairwiseDistance: layer(similarityArgs(distOpts).map(([a, b, o]): [Arg[], Arg[]] => [[o], [a, b]])),
  CELU: act(fc.tuple(fc.constantFrom(1, 0.5, 0))), Hardsigmoid: act(), Hardswish: act(), Hardtanh: act(fc.tuple(fc.constantFrom(-1, -2, 0.5), fc.constantFrom(1, 2, -0.5))),
  LogSigmoid: act(), Mish: act(), ReLU6: act(), SELU: act(), SiLU: act(), Softsign: act(),
  PReLU: layer(fc.tuple(shape(0, 4), fc.constantFrom(0, 1, 2), fc.constantFrom(0.25, -1)).chain(([s, kind, init]) =>
    tsOf(s, 'float32').map((x): [Arg[], Arg[]] => [[kind === 0 ? 1 : kind === 1 ? s[1] ?? 1 : 0, init], [x]]))),
  GroupNorm: layer(groupNormArgs.map(([x, g, w]): [Arg[], Arg[]] => [[g, (x as TS).shape[1] ?? 1, { affine: w !== null }], [x]])),
  InstanceNorm1d: instanceLayer(3), InstanceNorm2d: instanceLayer(4),
  PixelShuffle: layer(shuffleArgs(true).map(([x, r]): [Arg[], Arg[]] => [[r], [x]])),
  PixelUnshuffle: layer(shuffleArgs(false).map(([x, r]): [Arg[], Arg[]] => [[r], [x]])),
  Unflatten: layer(ts(shape(1, 3), ALL).chain((x) => axis(x.shape.length).chain((a) => {
    const r = x.shape.length;
    const n = x.shape[((a % r) + r) % r] ?? 1;
    const divs = Array.from({ length: n + 1 }, (_, i) => i).filter((k) => k > 0 && n % k === 0);
    const valid = divs.length ? fc.constantFrom(...divs).chain((k) => fc.constantFrom<number[]>([k, n / k], [-1, k], [k, -1, 1], [n])) : fc.constantFrom<number[]>([0], [0, 3], [2, 0]);
    return fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: fc.array(fc.integer({ min: -2, max: 4 }), { maxLength: 3 }) }).map((s): [Arg[], Arg[]] => [[a, s], [x]]);
  }))),
  Upsample: layer(interpolateArgs.map(([x, o]): [Arg[], Arg[]] => [[o], [x]])),
  MarginRankingLoss: lossLayer({ arb: pairArgs }), CosineEmbeddingLoss: lossLayer({ arb: cosineArgs }), TripletMarginLoss: lossLayer({ arb: tripletArgs }),
};
