// SPDX-License-Identifier: MIT
// Argument generators for the root-level functions that are not Tensor methods, nn.functional and
// the nn layers.
import fc from 'fast-check';
import { ALL, FLOAT, NUM, axis, dim, nchw, ncl, shape, size, small, ts, tsOf, value } from './arbs.js';
import type { Arg, DT, TS } from './harness.js';
import type { Spec } from './tensor-ops.js';

const dtypeOpt = fc.record({ dtype: fc.constantFrom<DT>(...ALL) }, { requiredKeys: [] });
const shapeArg = fc.oneof({ weight: 6, arbitrary: shape(0, 3) }, { weight: 1, arbitrary: fc.array(fc.integer({ min: -2, max: 3 }), { maxLength: 3 }) });
const f32 = value('float32', 'any');
/** linear's and linearRelu's: input [..., in], weight [out, in] (or a mismatched in), bias [out] or none. */
const linearArgs = fc.tuple(shape(0, 2), dim, dim, fc.boolean(), fc.boolean()).chain(([lead, i, o, bias, bad]) =>
  fc.tuple(tsOf([...lead, i], 'float32'), tsOf([o, bad ? i + 1 : i], 'float32'), bias ? tsOf([o], 'float32') : fc.constant(null)));

/** A window: kernel, stride, [top, bottom, left, right] padding, dilation; mostly valid. */
const window = fc.record({
  kernel: fc.tuple(small(1, 3), small(1, 3)),
  stride: fc.tuple(small(1, 2), small(1, 2)),
  padding: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })),
  dilation: fc.tuple(small(1, 2), small(1, 2)),
});
const x4 = (dtypes: readonly DT[] = FLOAT): fc.Arbitrary<TS> => fc.tuple(nchw, fc.constantFrom(...dtypes)).chain(([s, d]) => tsOf(s, d));

/** Tensors with equal shapes but for `axis` (for cat), or all equal (for stack), sometimes not. */
const tensorList = (same: boolean): fc.Arbitrary<Arg[]> => fc.tuple(shape(1, 3), fc.integer({ min: 1, max: 3 }), fc.constantFrom<DT>(...ALL)).chain(([s, k, d]) =>
  axis(s.length).chain((a) => fc.tuple(
    fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.boolean()).chain(([len, odd]) => {
      const ax = ((a % s.length) + s.length) % s.length;
      const sh = odd ? [...s, 1] : s.map((x, i) => (i === ax && !same ? len : x));
      return tsOf(sh, d);
    }), { minLength: k, maxLength: k }),
    fc.constant(a),
  )));

export const ROOT_ONLY: Record<string, Spec> = {
  tensor: { arb: fc.tuple(fc.array(f32, { maxLength: 8 }), fc.record({ shape: shapeArg, dtype: fc.constantFrom<DT>(...ALL) }, { requiredKeys: [] })) },
  asTensor: { arb: fc.tuple(fc.array(f32, { maxLength: 6 }), fc.option(fc.constantFrom<DT>(...ALL), { nil: undefined })) },
  isTensor: { arb: fc.tuple(fc.oneof(ts(), f32)) },
  zeros: { arb: fc.tuple(shapeArg, dtypeOpt) },
  ones: { arb: fc.tuple(shapeArg, dtypeOpt) },
  full: { arb: fc.tuple(shapeArg, f32, dtypeOpt) },
  arange: { arb: fc.tuple(fc.integer({ min: -5, max: 5 }), fc.integer({ min: -5, max: 8 }), fc.oneof(fc.integer({ min: -2, max: 3 }), fc.constantFrom(0.5, -0.25)), dtypeOpt) },
  linspace: { arb: fc.tuple(f32, f32, fc.integer({ min: -2, max: 6 }), dtypeOpt) },
  eye: { arb: fc.tuple(fc.integer({ min: -1, max: 4 }), fc.integer({ min: -1, max: 4 }), dtypeOpt) },
  rand: { arb: fc.tuple(shapeArg, fc.record({ dtype: fc.constantFrom<DT>(...FLOAT) }, { requiredKeys: [] })) },
  randn: { arb: fc.tuple(shapeArg, fc.record({ dtype: fc.constantFrom<DT>(...FLOAT) }, { requiredKeys: [] })) },
  randint: { arb: fc.tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 6 }), shapeArg) },
  cat: { arb: tensorList(false) },
  stack: { arb: tensorList(true) },
  where: { arb: ts(shape(), ['bool']).chain((c) => fc.tuple(fc.constant(c), fc.oneof(tsOf(c.shape, 'float32'), f32), fc.oneof(tsOf(c.shape.slice(1), 'float32'), f32))) },
  unfold: { arb: fc.tuple(x4(), window) },
  fold: {
    // Columns for a random output size: valid when L matches the windows, else a StrataError.
    arb: fc.tuple(window, fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 9 })).chain(([w, n, c, h, wd, l]) =>
      fc.tuple(tsOf([n, c * Math.abs(w.kernel[0] * w.kernel[1]), l], 'float32'), fc.constant({ ...w, outputSize: [h, wd] }))),
  },
  poolIndex: { arb: fc.tuple(x4(NUM), window.chain((w) => fc.constantFrom('max', 'min').map((mode) => ({ ...w, mode })))) },
  poolExtremum: { arb: fc.tuple(x4(NUM), window.chain((w) => fc.constantFrom('max', 'min').map((mode) => ({ ...w, mode })))) },
  unfoldMatmul: {
    arb: fc.tuple(x4(['float32']), window, fc.integer({ min: 1, max: 3 }), fc.boolean()).chain(([x, w, o, bad]) =>
      fc.tuple(fc.constant(x), tsOf([o, x.shape[1] * Math.abs(w.kernel[0] * w.kernel[1]) + (bad ? 1 : 0)], 'float32'), fc.constant(w))),
  },
};

// ---- nn.functional -------------------------------------------------------------------------------

const reduction = fc.record({ reduction: fc.constantFrom('mean', 'sum', 'none') }, { requiredKeys: [] });
/** Input and target of one shape, with the given domains (a loss). */
const pairLoss = (inDom: 'any' | 'unit' | 'pos', tDom: 'any' | 'unit' | 'pos', extra: fc.Arbitrary<Record<string, Arg>> = fc.constant({})): fc.Arbitrary<Arg[]> =>
  fc.tuple(shape(0, 3), fc.constantFrom<DT>(...FLOAT), fc.boolean()).chain(([s, d, bad]) =>
    fc.tuple(tsOf(s, d, inDom), tsOf(bad ? [...s, 2] : s, d, tDom), fc.tuple(reduction, extra).map(([r, e]) => ({ ...r, ...e }))));
/** Logits [N, C] (or [C]) and int32 class targets, mostly in range. */
const classLoss = (extra: fc.Arbitrary<Record<string, Arg>> = fc.constant({})): fc.Arbitrary<Arg[]> =>
  fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom<DT>(...FLOAT), fc.boolean()).chain(([n, c, d, flat]) =>
    fc.tuple(tsOf(flat ? [c] : [n, c], d), tsOf(flat ? [] : [n], 'int32', 'any').map((t) => ({ ...t, values: t.values.map((v) => (v < -4 ? -1 : v === 5 ? c : Math.abs(v) % c)) })),
      fc.tuple(reduction, extra).map(([r, e]) => ({ ...r, ...e }))));

const conv2dArgs = (transpose: boolean): fc.Arbitrary<Arg[]> =>
  fc.tuple(nchw, fc.integer({ min: 1, max: 3 }), fc.tuple(small(1, 3), small(1, 3)), fc.constantFrom(1, 2), fc.boolean(), fc.constantFrom<DT>(...FLOAT)).chain(([[n, c, h, w], o, [kh, kw], groups, bias, d]) => {
    const cin = c * groups;
    const wshape = transpose ? [cin, o, Math.abs(kh), Math.abs(kw)] : [o * groups, c, Math.abs(kh), Math.abs(kw)];
    const opts = fc.record({
      stride: fc.oneof(small(1, 2), fc.tuple(small(1, 2), small(1, 2))),
      padding: transpose ? fc.oneof(fc.integer({ min: 0, max: 2 }), fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })))
        : fc.oneof(fc.integer({ min: -1, max: 2 }), fc.constantFrom('valid', 'same', 'full'), fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }))),
      dilation: fc.oneof(small(1, 2), fc.tuple(small(1, 2), small(1, 2))),
      groups: fc.constant(groups),
      ...(transpose ? { outputPadding: fc.integer({ min: 0, max: 1 }) } : {}),
    }, { requiredKeys: [] });
    return fc.tuple(tsOf([n, cin, h, w], d), tsOf(wshape, d), bias ? tsOf([transpose ? o * groups : o * groups], d) : fc.constant(null), opts);
  });
const conv1dArgs: fc.Arbitrary<Arg[]> =
  fc.tuple(ncl, fc.integer({ min: 1, max: 3 }), small(1, 3), fc.constantFrom(1, 2), fc.boolean(), fc.constantFrom<DT>(...FLOAT)).chain(([[n, c, l], o, k, groups, bias, d]) =>
    fc.tuple(tsOf([n, c * groups, l], d), tsOf([o * groups, c, Math.abs(k)], d), bias ? tsOf([o * groups], d) : fc.constant(null),
      fc.record({ stride: small(1, 2), padding: fc.oneof(fc.integer({ min: -1, max: 2 }), fc.constantFrom('valid', 'same', 'full')), dilation: small(1, 2), groups: fc.constant(groups) }, { requiredKeys: [] })));

/**
 * For the fused ReLU ops: a bias always, off the hundredths' products grid by half a step. Sums of
 * products of hundredths are multiples of 1e-4 and are often exactly 0 -- ReLU's kink, where js
 * (float64 sums) and wasm (float32 FMA) may round to opposite sides and both be right. With the
 * bias 5e-5 off the grid, every output is at least 5e-5 from 0 before rounding. (Without a bias,
 * the fused ops are tested in test/nn/linear-epilogue.test.ts and test/wasm/relu-mask.test.ts.)
 */
const offKink = (arb: fc.Arbitrary<Arg[]>): fc.Arbitrary<Arg[]> => arb.map(([x, w, b, ...rest]) => {
  const wt = w as TS;
  const values = b === null ? new Array<number>(wt.shape[0]).fill(0) : (b as TS).values;
  return [x, w, { t: true, shape: [wt.shape[0]], dtype: wt.dtype, values: values.map((v) => v + 5e-5) }, ...rest];
});

const pool2dOpts = fc.record({
  stride: fc.oneof(small(1, 3), fc.tuple(small(1, 2), small(1, 2))),
  padding: fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constantFrom('valid', 'same')),
  dilation: fc.oneof(small(1, 2)),
  countIncludePad: fc.boolean(),
}, { requiredKeys: [] });
const pool1dOpts = fc.record({ stride: small(1, 3), padding: fc.integer({ min: 0, max: 2 }), dilation: small(1, 2), countIncludePad: fc.boolean() }, { requiredKeys: [] });
const pool2d = (dtypes: readonly DT[] = FLOAT): Spec => ({ arb: fc.tuple(x4(dtypes), fc.oneof(small(1, 3), fc.tuple(small(1, 3), small(1, 3))), pool2dOpts) });
const pool1d: Spec = { arb: fc.tuple(ncl.chain((s) => tsOf(s, 'float32')), small(1, 3), pool1dOpts) };
const unaryF = (dom: 'any' | 'pos' = 'any', extra: fc.Arbitrary<Arg[]> = fc.constant([])): Spec => ({ arb: fc.tuple(ts(shape(), FLOAT, dom), extra).map(([x, e]) => [x, ...e]) });
const adaptive2d: Spec = { arb: fc.tuple(x4(), fc.oneof(small(1, 4), fc.tuple(small(1, 4), small(1, 4)))) };
const adaptive1d: Spec = { arb: fc.tuple(ncl.chain((s) => tsOf(s, 'float32')), small(1, 4)) };

export const FUNCTIONAL: Record<string, Spec> = {
  leakyRelu: unaryF('any', fc.tuple(f32)), elu: unaryF('any', fc.tuple(value('float32', 'pos'))), softplus: unaryF(), erf: unaryF(),
  gelu: unaryF('any', fc.tuple(fc.constantFrom('none', 'tanh'))),
  mseLoss: { arb: pairLoss('any', 'any') }, l1Loss: { arb: pairLoss('any', 'any') },
  huberLoss: { arb: pairLoss('any', 'any', fc.record({ delta: value('float32', 'pos') }, { requiredKeys: [] })) },
  smoothL1Loss: { arb: pairLoss('any', 'any', fc.record({ beta: value('float32', 'pos') }, { requiredKeys: [] })) },
  binaryCrossEntropy: { arb: pairLoss('unit', 'unit') },
  binaryCrossEntropyWithLogits: { arb: pairLoss('any', 'unit', fc.record({ posWeight: value('float32', 'pos') }, { requiredKeys: [] })) },
  klDiv: { arb: pairLoss('any', 'unit', fc.record({ logTarget: fc.boolean(), reduction: fc.constantFrom('mean', 'sum', 'none', 'batchmean') }, { requiredKeys: [] })) },
  crossEntropy: { arb: classLoss(fc.record({ labelSmoothing: fc.constantFrom(0, 0.1, 0.5) }, { requiredKeys: [] })), finite: false /* a mean over zero rows is 0/0, as in PyTorch */ },
  nllLoss: { arb: classLoss(), finite: false },
  multiclassHingeLoss: { arb: classLoss(fc.record({ margin: value('float32', 'pos') }, { requiredKeys: [] })), finite: false },
  multiMarginLoss: { arb: classLoss(fc.record({ margin: value('float32', 'pos') }, { requiredKeys: [] })), finite: false },
  conv2d: { arb: conv2dArgs(false) }, conv2dRelu: { arb: offKink(conv2dArgs(false)) }, conv2dReluPool: { arb: offKink(conv2dArgs(false)) }, conv2dPool: { arb: conv2dArgs(false) }, convTranspose2d: { arb: conv2dArgs(true) },
  conv1d: { arb: conv1dArgs }, conv1dRelu: { arb: offKink(conv1dArgs) },
  dropout: { arb: fc.tuple(ts(), fc.constantFrom(0, 0.3, 0.5, 1, 1.5, -0.1), fc.boolean()) },
  dropout1d: { arb: fc.tuple(ts(shape(2, 3)), fc.constantFrom(0, 0.3, 0.5, 1, 1.5, -0.1), fc.boolean()) },
  dropout2d: { arb: fc.tuple(ts(shape(2, 4)), fc.constantFrom(0, 0.3, 0.5, 1, 1.5, -0.1), fc.boolean()) },
  linear: { arb: linearArgs }, linearRelu: { arb: offKink(linearArgs) },
  embedding: {
    arb: fc.tuple(shape(0, 2), fc.integer({ min: 1, max: 5 }), dim).chain(([s, n, d]) =>
      fc.tuple(fc.array(fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max: n - 1 }) }, { weight: 1, arbitrary: fc.integer({ min: -n - 1, max: n }) }), { minLength: size(s), maxLength: size(s) })
        .map((values): TS => ({ t: true, shape: s, dtype: 'int32', values })), tsOf([n, d], 'float32'))),
  },
  batchNorm: {
    arb: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.array(dim, { maxLength: 2 }), fc.boolean(), fc.boolean()).chain(([n, c, rest, training, affine]) =>
      fc.tuple(tsOf([n, c, ...rest], 'float32'), tsOf([c], 'float32'), tsOf([c], 'float32', 'pos'), affine ? tsOf([c], 'float32') : fc.constant(null), affine ? tsOf([c], 'float32') : fc.constant(null),
        fc.record({ training: fc.constant(training), momentum: fc.constantFrom(0.1, 0.5), eps: fc.constantFrom(1e-5, 1e-3) }, { requiredKeys: [] }))),
    finite: false, // training statistics over zero or one element are 0/0, as in PyTorch
  },
  layerNorm: {
    arb: fc.tuple(shape(1, 3), fc.integer({ min: 0, max: 3 }), fc.boolean(), fc.boolean()).chain(([s, k, affine, bad]) => {
      const ns = bad ? [...s.slice(s.length - k), 2] : s.slice(s.length - k);
      return fc.tuple(tsOf(s, 'float32'), fc.constant(ns), affine ? tsOf(ns, 'float32') : fc.constant(null), affine ? tsOf(ns, 'float32') : fc.constant(null));
    }),
  },
  maxPool2d: pool2d(NUM), minPool2d: pool2d(NUM), avgPool2d: pool2d(), maxPool1d: pool1d, minPool1d: pool1d, avgPool1d: pool1d,
  pool2d: { arb: fc.tuple(fc.constant('pool2d'), x4(), small(1, 3), fc.constantFrom('max', 'min', 'mean'), pool2dOpts) },
  adaptivePool2d: { arb: fc.tuple(x4(), fc.oneof(small(1, 4), fc.tuple(small(1, 4), small(1, 4))), fc.constantFrom('max', 'min', 'mean')) },
  adaptivePool1d: { arb: fc.tuple(ncl.chain((s) => tsOf(s, 'float32')), small(1, 4), fc.constantFrom('max', 'min', 'mean')) },
  adaptiveAvgPool2d: adaptive2d, adaptiveMaxPool2d: adaptive2d, adaptiveAvgPool1d: adaptive1d, adaptiveMaxPool1d: adaptive1d,
  globalAvgPool: { arb: fc.tuple(ts(shape(2, 4))) }, globalMaxPool: { arb: fc.tuple(ts(shape(2, 4))) },
  l1Penalty: { arb: fc.tuple(fc.array(ts(shape(0, 2)), { maxLength: 3 }), value('float32', 'pos')) },
  l2Penalty: { arb: fc.tuple(fc.array(ts(shape(0, 2)), { maxLength: 3 }), value('float32', 'pos')) },
};

// ---- nn layers: { ctor args, forward args } ----------------------------------------------------

export interface LayerSpec { arb: fc.Arbitrary<{ ctor: Arg[]; input: Arg[] }>; finite?: boolean }
const layer = (arb: fc.Arbitrary<[Arg[], Arg[]]>, finite = true): LayerSpec => ({ arb: arb.map(([ctor, input]) => ({ ctor, input })), finite });
const fromF = (name: string, f: Spec, ctorOf: (a: Arg[]) => Arg[], inputOf: (a: Arg[]) => Arg[] = (a) => [a[0]]): LayerSpec =>
  layer(f.arb.map((a): [Arg[], Arg[]] => [ctorOf(a), inputOf(a)]), f.finite ?? true);
const noCtor = (f: Spec): LayerSpec => fromF('', f, () => []);
const lossLayer = (f: Spec): LayerSpec => fromF('', f, (a) => [a[2]], (a) => [a[0], a[1]]);
const features = (fn: (i: number, o: number, lead: number[], x: TS) => fc.Arbitrary<[Arg[], Arg[]]>): LayerSpec =>
  layer(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), shape(0, 2)).chain(([i, o, lead]) => tsOf([...lead, i], 'float32').chain((x) => fn(i, o, lead, x))));
/** A recurrent input [T, N, I] (or [N, I] for cells) and the layer's sizes. */
const seq = (cell: boolean): fc.Arbitrary<[Arg[], Arg[]]> =>
  fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.boolean()).chain(([t, n, i, h, bad]) =>
    fc.tuple(tsOf(cell ? [n, bad ? i + 1 : i] : [t, n, bad ? i + 1 : i], 'float32'), cell ? fc.constant({}) : fc.record({ numLayers: fc.integer({ min: 1, max: 2 }), bidirectional: fc.boolean() }, { requiredKeys: [] }))
      .map(([x, o]): [Arg[], Arg[]] => [[i, h, o], [x]]));

export const LAYERS: Record<string, LayerSpec> = {
  Linear: features((i, o, _l, x) => fc.tuple(fc.boolean(), fc.boolean()).map(([bias, bad]): [Arg[], Arg[]] => [[bad ? i + 1 : i, o, { bias }], [x]])),
  Conv2d: layer(conv2dArgs(false).map(([x, w, b, o]): [Arg[], Arg[]] => { const ws = (w as TS).shape; return [[(x as TS).shape[1], ws[0], [ws[2], ws[3]], { ...(o as object), bias: b !== null }], [x]]; })),
  Conv1d: layer(conv1dArgs.map(([x, w, b, o]): [Arg[], Arg[]] => { const ws = (w as TS).shape; return [[(x as TS).shape[1], ws[0], ws[2], { ...(o as object), bias: b !== null }], [x]]; })),
  ConvTranspose2d: layer(conv2dArgs(true).map(([x, w, b, o]): [Arg[], Arg[]] => { const ws = (w as TS).shape; return [[ws[0], ws[1] * ((o as { groups?: number }).groups ?? 1), [ws[2], ws[3]], { ...(o as object), bias: b !== null }], [x]]; })),
  MaxPool2d: fromF('', FUNCTIONAL.maxPool2d, (a) => [a[1], a[2]]), MinPool2d: fromF('', FUNCTIONAL.minPool2d, (a) => [a[1], a[2]]), AvgPool2d: fromF('', FUNCTIONAL.avgPool2d, (a) => [a[1], a[2]]),
  MaxPool1d: fromF('', pool1d, (a) => [a[1], a[2]]), MinPool1d: fromF('', pool1d, (a) => [a[1], a[2]]), AvgPool1d: fromF('', pool1d, (a) => [a[1], a[2]]),
  AdaptiveAvgPool2d: fromF('', adaptive2d, (a) => [a[1]]), AdaptiveMaxPool2d: fromF('', adaptive2d, (a) => [a[1]]),
  AdaptiveAvgPool1d: fromF('', adaptive1d, (a) => [a[1]]), AdaptiveMaxPool1d: fromF('', adaptive1d, (a) => [a[1]]),
  GlobalAvgPool: noCtor(FUNCTIONAL.globalAvgPool), GlobalMaxPool: noCtor(FUNCTIONAL.globalMaxPool),
  Flatten: layer(ts(shape(0, 4)).chain((x) => fc.tuple(axis(x.shape.length), axis(x.shape.length)).map(([a, b]): [Arg[], Arg[]] => [[a, b], [x]]))),
  Dropout: fromF('', FUNCTIONAL.dropout, (a) => [a[1]]),
  Dropout1d: fromF('', FUNCTIONAL.dropout1d, (a) => [a[1]]),
  Dropout2d: fromF('', FUNCTIONAL.dropout2d, (a) => [a[1]]),
  BatchNorm1d: layer(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.array(dim, { maxLength: 1 }), fc.boolean()).chain(([n, c, l, bad]) =>
    tsOf([n, c, ...l], 'float32').map((x): [Arg[], Arg[]] => [[bad ? c + 1 : c], [x]])), false),
  BatchNorm2d: layer(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 3 }), dim, dim, fc.boolean()).chain(([n, c, h, w, bad]) =>
    tsOf([n, c, h, w], 'float32').map((x): [Arg[], Arg[]] => [[bad ? c + 1 : c], [x]])), false),
  LayerNorm: fromF('', FUNCTIONAL.layerNorm, (a) => [a[1]]),
  Embedding: fromF('', FUNCTIONAL.embedding, (a) => [...(a[1] as TS).shape]),
  Step: noCtor(unaryF()), Sigmoid: noCtor(unaryF()), Tanh: noCtor(unaryF()), ReLU: noCtor(unaryF()), Identity: noCtor(unaryF()), Softplus: noCtor(unaryF()),
  LeakyReLU: fromF('', FUNCTIONAL.leakyRelu, (a) => [a[1]]), ELU: fromF('', FUNCTIONAL.elu, (a) => [a[1]]), GELU: fromF('', FUNCTIONAL.gelu, (a) => [a[1]]),
  Softmax: layer(ts(shape(1, 3)).chain((x) => axis(x.shape.length).map((a): [Arg[], Arg[]] => [[a], [x]]))),
  LogSoftmax: layer(ts(shape(1, 3)).chain((x) => axis(x.shape.length).map((a): [Arg[], Arg[]] => [[a], [x]]))),
  MSELoss: lossLayer(FUNCTIONAL.mseLoss), L1Loss: lossLayer(FUNCTIONAL.l1Loss), HuberLoss: lossLayer(FUNCTIONAL.huberLoss), SmoothL1Loss: lossLayer(FUNCTIONAL.smoothL1Loss),
  BCELoss: lossLayer(FUNCTIONAL.binaryCrossEntropy), BCEWithLogitsLoss: lossLayer(FUNCTIONAL.binaryCrossEntropyWithLogits), KLDivLoss: lossLayer(FUNCTIONAL.klDiv),
  CrossEntropyLoss: lossLayer(FUNCTIONAL.crossEntropy), NLLLoss: lossLayer(FUNCTIONAL.nllLoss),
  MulticlassHingeLoss: lossLayer(FUNCTIONAL.multiclassHingeLoss), MultiMarginLoss: lossLayer(FUNCTIONAL.multiMarginLoss),
  RNN: layer(seq(false)), LSTM: layer(seq(false)), GRU: layer(seq(false)),
  RNNCell: layer(seq(true)), LSTMCell: layer(seq(true)), GRUCell: layer(seq(true)),
};
