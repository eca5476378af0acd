// SPDX-License-Identifier: MIT
// ONNX export by graph capture: every zoo model, the char-LSTM, custom modules with skip
// connections and cat, BatchNorm (eval), ConvTranspose2d, Upsample, LSTM and GRU, each run in ONNX
// Runtime at batch sizes 1 and 3 (the batch axis is symbolic) and compared to Strata to 1e-4.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import protobuf from 'protobufjs';
import * as st from 'strata-dl';

const { nn } = st;
type Tensor = st.Tensor;
type OnnxExportOptions = Parameters<typeof st.io.exportOnnx>[1];

type OrtModule = typeof import('onnxruntime-node');
let ort: OrtModule | null = null;
let ortSkip: string | false = false;
try {
  ort = await import('onnxruntime-node');
} catch (e) {
  ortSkip = `onnxruntime-node cannot load here: ${(e as Error).message.split('\n')[0]}`;
}

const flat = (r: unknown): Tensor[] => (r instanceof st.Tensor ? [r] : Array.isArray(r) ? r.flatMap(flat) : []);

const f = (id: number, type: string, rule?: 'repeated') => ({ id, type, ...(rule ? { rule } : {}) });
const onnxSchema = protobuf.Root.fromJSON({
  nested: {
    ModelProto: { fields: { graph: f(7, 'GraphProto') } },
    GraphProto: { fields: { node: f(1, 'NodeProto', 'repeated'), initializer: f(5, 'TensorProto', 'repeated'), input: f(11, 'ValueInfoProto', 'repeated'), output: f(12, 'ValueInfoProto', 'repeated') } },
    NodeProto: { fields: { input: f(1, 'string', 'repeated'), opType: f(4, 'string') } },
    TensorProto: { fields: { dims: f(1, 'int64', 'repeated'), dataType: f(2, 'int32'), name: f(8, 'string'), rawData: f(9, 'bytes') } },
    ValueInfoProto: { fields: { name: f(1, 'string'), type: f(2, 'TypeProto') } },
    TypeProto: { fields: { tensorType: f(1, 'TypeProtoTensor') } },
    TypeProtoTensor: { fields: { elemType: f(1, 'int32'), shape: f(2, 'TensorShapeProto') } },
    TensorShapeProto: { fields: { dim: f(1, 'Dimension', 'repeated') } },
    Dimension: { fields: { dimValue: f(1, 'int64'), dimParam: f(2, 'string') } },
  },
});
interface Dim { dimValue?: number; dimParam?: string }
interface ValueInfo { name: string; type: { tensorType: { elemType: number; shape: { dim: Dim[] } } } }
interface DecodedGraph {
  node: { opType: string; input?: string[] }[];
  initializer: { name: string; dims?: number[]; dataType: number; rawData: Uint8Array }[];
  input: ValueInfo[];
  output: ValueInfo[];
}
function decodeGraph(bytes: Uint8Array): DecodedGraph {
  const Model = onnxSchema.lookupType('ModelProto');
  return (Model.toObject(Model.decode(bytes), { longs: Number, defaults: false, arrays: true }) as { graph: DecodedGraph }).graph;
}
const dims = (v: ValueInfo): (number | string)[] => v.type.tensorType.shape.dim.map((d) => d.dimParam ?? d.dimValue ?? '?');

/** Exports `model`, then runs ONNX Runtime at batch sizes 1 and 3 and compares every output to Strata's. */
async function assertMatches(model: st.nn.Module, opts: OnnxExportOptions, tol = 1e-4): Promise<void> {
  if (!ort) throw new Error('unreachable: the test is skipped without onnxruntime-node');
  model.eval();
  const bytes = st.io.exportOnnx(model, opts);
  const session = await ort.InferenceSession.create(bytes);
  const axis = opts.batchAxis ?? 0;
  for (const n of [1, 3]) {
    const shape = [...opts.inputShape.slice(0, axis), n, ...opts.inputShape.slice(axis)];
    const g = new st.Generator(100 + n);
    const x = opts.inputDtype === 'int32' ? st.randint(0, 5, shape, { generator: g }) : st.randn(shape, { generator: g });
    const want = st.noGrad(() => flat(opts.forward ? opts.forward(model, x) : model.forward(x)));
    const data = x.dataSync();
    const feed = data instanceof Int32Array ? new ort.Tensor('int32', Int32Array.from(data), shape) : new ort.Tensor('float32', Float32Array.from(data), shape);
    const got = await session.run({ input: feed });
    const names = session.outputNames;
    assert.equal(names.length, want.length);
    names.forEach((name, i) => {
      const o = got[name];
      assert.deepEqual(o.dims, want[i].shape, `${name} at batch ${n}`);
      const w = want[i].dataSync();
      let worst = 0;
      for (let k = 0; k < w.length; k++) worst = Math.max(worst, Math.abs(Number(o.data[k]) - w[k]) / (1 + Math.abs(w[k])));
      assert.ok(worst < tol, `${name} at batch ${n}: largest difference ${worst} ≥ ${tol}`);
    });
  }
  await session.release();
}

/** x + conv2(relu(conv1(x))), then cat with a pooled branch, flatten and a linear head. */
class SkipNet extends nn.Module {
  conv1 = new nn.Conv2d(3, 3, 3, { padding: 1 });
  conv2 = new nn.Conv2d(3, 3, 3, { padding: 1 });
  bn = new nn.BatchNorm2d(6);
  pool = new nn.MaxPool2d(2);
  head = new nn.Linear(6 * 4 * 4, 5);
  forward(x: Tensor): Tensor {
    const y = x.add(this.conv2.forward(this.conv1.forward(x).relu()));
    const z = st.cat([y, x.mul(0.5).sigmoid()], 1);
    const p = this.pool.forward(this.bn.forward(z));
    return this.head.forward(p.reshape([-1, 6 * 4 * 4])).softmax(-1);
  }
}

/** Randomizes batch norm running statistics so that eval mode is not the identity. */
function randomizeStats(model: st.nn.Module): void {
  const g = new st.Generator(3);
  for (const [k, t] of model.namedBuffers()) {
    if (k.endsWith('running_mean')) t.set_(st.randn(t.shape, { generator: g }));
    if (k.endsWith('running_var')) t.set_(st.rand(t.shape, { generator: g }).add(0.5));
  }
}

test('every zoo model exports by tracing and matches in ONNX Runtime at batch 1 and 3', { skip: ortSkip }, async () => {
  for (const name of ['mlp', 'lenet5', 'cnn', 'cnn-bn', 'alexnet']) {
    // A Module wrapper sends the Sequential through the traced path (a bare Sequential takes the per-layer one).
    const inner = st.models.createModel(name, { dropout: true });
    class Wrapped extends nn.Module { net = inner; forward(x: Tensor): Tensor { return this.net.forward(x); } }
    await assertMatches(new Wrapped(), { inputShape: [1, 28, 28] });
    await assertMatches(inner, { inputShape: [1, 28, 28] });
  }
});

test('a custom Module with a skip connection, cat, BatchNorm2d in eval mode, reshape(-1) and softmax', { skip: ortSkip }, async () => {
  const model = new SkipNet();
  randomizeStats(model);
  model.train(); // exportOnnx runs in eval mode and restores the flags
  await assertMatches(model, { inputShape: [3, 8, 8] });
  assert.equal(model.training, false); // assertMatches called eval()
  model.train();
  st.io.exportOnnx(model, { inputShape: [3, 8, 8] });
  assert.equal(model.bn.training, true);
});

test('BatchNorm1d, Conv1d, ConvTranspose2d (strided, padded, output padding) and Upsample (nearest)', { skip: ortSkip }, async () => {
  const seq = new nn.Sequential(new nn.Conv1d(2, 4, 3, { padding: 1 }), new nn.BatchNorm1d(4), new nn.Tanh());
  randomizeStats(seq);
  await assertMatches(seq, { inputShape: [2, 9] });
  const up = new nn.Sequential(
    new nn.ConvTranspose2d(3, 4, 3, { stride: 2, padding: 1, outputPadding: 1 }), new nn.BatchNorm2d(4), new nn.ReLU(),
    new nn.Upsample({ scaleFactor: 2, mode: 'nearest' }), new nn.Conv2d(4, 2, 3),
  );
  randomizeStats(up);
  await assertMatches(up, { inputShape: [3, 5, 4] });
});

for (const batchFirst of [true, false]) {
  test(`LSTM and GRU (batchFirst ${batchFirst}, 2 layers, bidirectional GRU): outputs and final states`, { skip: ortSkip }, async () => {
    const T = 6;
    const inputShape = batchFirst ? [T, 3] : [T, 3];
    const batchAxis = batchFirst ? 0 : 1;
    const lstm = new nn.LSTM(3, 5, { numLayers: 2, batchFirst });
    await assertMatches(lstm, { inputShape, batchAxis, forward: (m, x) => (m as st.nn.LSTM).forwardWithState(x) });
    const gru = new nn.GRU(3, 4, { bidirectional: true, batchFirst });
    await assertMatches(gru, { inputShape, batchAxis, forward: (m, x) => (m as st.nn.GRU).forwardWithState(x) });
  });
}

test('the char-LSTM of st.text (int32 ids, Embedding → LSTM → Linear) exports and matches', { skip: ortSkip }, async () => {
  const model = new st.text.CharLM({ vocabSize: 5, hiddenSize: 8, embeddingDim: 4 });
  await assertMatches(model, { inputShape: [7], inputDtype: 'int32' });
});

/** Single-head self-attention over [N, T, D]: matmul with a transposed operand, scaling, softmax, permute. */
class Attention extends nn.Module {
  q = new nn.Linear(4, 4);
  k = new nn.Linear(4, 4);
  v = new nn.Linear(4, 4);
  norm = new nn.LayerNorm([4]);
  forward(x: Tensor): Tensor {
    const scores = this.q.forward(x).matmul(this.k.forward(x).transpose(1, 2)).div(2).softmax(-1);
    const y = this.norm.forward(x.add(scores.matmul(this.v.forward(x))));
    return y.permute([0, 2, 1]).logSoftmax(1);
  }
}

/** Pads the features with ones made from the batch size: a filled tensor whose shape follows N. */
class PadOnes extends nn.Module {
  fc = new nn.Linear(7, 2);
  forward(x: Tensor): Tensor {
    const n = x.shape[0];
    // ones() is a broadcast scalar (an Expand); a filled array is materialized data (ConstantOfShape)
    return this.fc.forward(st.cat([x, st.ones([n, 2]), st.tensor(new Float32Array(n * 2).fill(0.5), { shape: [n, 2] })], 1));
  }
}

test('a filled tensor shaped by the batch becomes ConstantOfShape of the input\'s batch dimension', { skip: ortSkip }, async () => {
  assert.ok(decodeGraph(st.io.exportOnnx(new PadOnes(), { inputShape: [3] })).node.some((n) => n.opType === 'ConstantOfShape'), 'a ConstantOfShape node');
  await assertMatches(new PadOnes(), { inputShape: [3] });
});

test('a self-attention block (3-D Linear, matmul with a transpose, softmax, LayerNorm, permute) matches', { skip: ortSkip }, async () => {
  await assertMatches(new Attention(), { inputShape: [5, 4] });
});

test('window ops through the traced path: asymmetric padding, strides, dilation, groups, ceilMode, divisorOverride, min/adaptive/global pooling and the other activations', { skip: ortSkip }, async () => {
  const layers = [
    new nn.Conv2d(3, 4, 3, { stride: 2, padding: 'same' }), new nn.GELU(), new nn.Dropout(0.5),
    new nn.Conv2d(4, 8, [3, 2], { padding: [1, 0, 2, 1], dilation: [2, 1], groups: 2 }), new nn.SiLU(),
    new nn.MaxPool2d(2, { ceilMode: true }), new nn.GroupNorm(2, 8), new nn.Hardswish(),
    new nn.AvgPool2d(2, { padding: 1, countIncludePad: false }), new nn.ELU(),
    new nn.AvgPool2d(2, { stride: 1, divisorOverride: 3 }), new nn.PReLU(),
    new nn.MinPool2d(2, { stride: 1, padding: [1, 0] }), new nn.AdaptiveAvgPool2d(2), new nn.PixelShuffle(2), new nn.Softplus(),
  ];
  const features = st.noGrad(() => new nn.Sequential(...layers).forward(st.zeros([1, 3, 23, 21])).shape);
  const model = new nn.Sequential(...layers, new nn.Flatten(2), new nn.Linear(features[2] * features[3], 5), new nn.LogSoftmax(1));
  await assertMatches(model, { inputShape: [3, 23, 21] });
  await assertMatches(new nn.Sequential(new nn.Conv2d(2, 3, 3), new nn.GlobalAvgPool(), new nn.Flatten(), new nn.Linear(3, 2)), { inputShape: [2, 6, 6] });
});

test('floor, ceil, round (half to even at ties), atan, asin and acos match in ONNX Runtime', { skip: ortSkip }, async () => {
  class Maths extends nn.Module {
    forward(x: Tensor): Tensor {
      // round(x)·0.5 is a tie wherever round(x) is odd: ONNX's Round must take it to the even side
      const u = x.tanh();
      return st.cat([x.mul(2.5).floor(), x.mul(2.5).ceil(), x.mul(2).round(), x.round().mul(0.5).round(), x.atan(), u.asin(), u.acos()], 1);
    }
  }
  await assertMatches(new Maths(), { inputShape: [6] });
});

test('fmod exports as Mod with fmod 1, and remainder as it and a where: exact in ONNX Runtime', { skip: ortSkip }, async () => {
  class Remainders extends nn.Module {
    forward(x: Tensor): Tensor {
      // divisors of both signs; x·1e6 makes quotients past 2^24, where a division-based form is wrong
      const big = x.mul(1e6), d = st.tensor([0.375, -0.7, 3]).reshape([1, 3, 1]);
      return st.cat([x.fmod(0.3), x.remainder(-0.3), big.unsqueeze(1).fmod(d).flatten(1), big.unsqueeze(1).remainder(d).flatten(1)], 1);
    }
  }
  await assertMatches(new Remainders(), { inputShape: [6] }, 1e-9);
});

/** Float32 values that the composed lowerings must keep: zeros, tiny and huge, ties, powers, ±∞, NaN. */
const SPECIAL = [0, -0, 1e-10, -1e-10, 1e-30, 3e-39, 0.5, -0.5, 1, -1, 2, -2, 8, 0.125, 2 ** -125, 1000, 1e-3, 100, 1e10, 3e30,
  -17, -20, 20, 88, -88, 3.7, -3.7, -0.99999, 2 ** 24, Infinity, -Infinity, NaN];

/**
 * True when `got` is `want` to 8 float32 ulps, with NaN, ±∞ and zero exactly. Not the sign of zero:
 * ONNX Runtime's Where returns +0 where it picks −0 (the where primitive's own lowering too).
 */
function close(got: number, want: number): boolean {
  if (want === 0) return got === 0;
  if (Number.isNaN(want) || !Number.isFinite(want)) return Object.is(got, want);
  return Math.abs(got - want) <= 8 * 2 ** -23 * Math.abs(want);
}

test('log1p, expm1, trunc, log2, log10 and atan2 export as compositions that keep their accuracy and special values', { skip: ortSkip }, async () => {
  if (!ort) throw new Error('unreachable: the test is skipped without onnxruntime-node');
  class Special extends nn.Module {
    forward(x: Tensor): Tensor {
      // atan2 over every pair: [1, L, 1] against [1, 1, L]
      const pairs = x.unsqueeze(-1).atan2(x.unsqueeze(1)).reshape([x.shape[0], -1]);
      return st.cat([x.log1p(), x.expm1(), x.trunc(), x.log2(), x.log10(), pairs], 1);
    }
  }
  const model = new Special();
  const bytes = st.io.exportOnnx(model, { inputShape: [SPECIAL.length], batch: 1 });
  const ops = new Set(decodeGraph(bytes).node.map((n) => n.opType));
  for (const op of ['Log', 'Exp', 'Atan', 'Where']) assert.ok(ops.has(op), `${op} in ${[...ops].join(', ')}`);
  const session = await ort.InferenceSession.create(bytes);
  const x = st.tensor([SPECIAL]);
  const want = st.noGrad(() => model.forward(x)).dataSync();
  const got = (await session.run({ input: new ort.Tensor('float32', Float32Array.from(SPECIAL), [1, SPECIAL.length]) }))[session.outputNames[0]].data as Float32Array;
  assert.equal(got.length, want.length);
  const names = ['log1p', 'expm1', 'trunc', 'log2', 'log10'];
  const L = SPECIAL.length;
  const bad: string[] = [];
  const show = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));
  for (let k = 0; k < want.length; k++) {
    // log2 and log10 are exact at powers of the base (where Strata's result is an integer)
    const exact = k >= 3 * L && k < 5 * L && Number.isInteger(want[k]);
    if (exact ? got[k] === want[k] : close(got[k], want[k])) continue;
    const at = k < 5 * L ? `${names[Math.floor(k / L)]}(${show(SPECIAL[k % L])})` : `atan2(${show(SPECIAL[Math.floor((k - 5 * L) / L)])}, ${show(SPECIAL[(k - 5 * L) % L])})`;
    bad.push(`${at}: ${show(got[k])} in ONNX Runtime, ${show(want[k])} in Strata`);
  }
  assert.deepEqual(bad, []);
  await session.release();
});

/** Runs `model` in Strata and `session` (its export) in ONNX Runtime on `data` [n, width] and asserts that every element has the same bits. */
async function assertSameBits(session: Awaited<ReturnType<OrtModule['InferenceSession']['create']>>, model: st.nn.Module, data: Float32Array, n: number, width: number): Promise<void> {
  if (!ort) throw new Error('unreachable: the test is skipped without onnxruntime-node');
  const want = st.noGrad(() => model.forward(st.tensor(data, { shape: [n, width] })) as Tensor).dataSync();
  const got = (await session.run({ input: new ort.Tensor('float32', data, [n, width]) }))[session.outputNames[0]].data as Float32Array;
  assert.equal(got.length, want.length);
  const bad: string[] = [];
  for (let k = 0; k < want.length; k++) if (!Object.is(got[k], want[k])) bad.push(`${k}: ${got[k]} in ONNX Runtime, ${want[k]} in Strata`);
  assert.deepEqual(bad.slice(0, 10), [], `batch ${n}`);
}

test('sort and argsort (TopK) keep the stable order of ties and put NaN above +∞, ascending and descending, float32 and int32', { skip: ortSkip }, async () => {
  if (!ort) throw new Error('unreachable: the test is skipped without onnxruntime-node');
  class Sorts extends nn.Module {
    forward(x: Tensor): Tensor {
      const up = st.sort(x, 1);
      const down = st.sort(x, 1, true);
      const ints = x.clamp(-5, 5).nanToNum(0).to('int32'); // ties among ints: their order is the primitive's
      return st.cat([up.values, up.indices.float(), down.values, down.indices.float(), st.argsort(ints, 1, true).float(), st.argsort(x, 0).float()], 1);
    }
  }
  const model = new Sorts();
  const bytes = st.io.exportOnnx(model, { inputShape: [SPECIAL.length * 2] });
  assert.ok(decodeGraph(bytes).node.some((n) => n.opType === 'TopK'));
  const session = await ort.InferenceSession.create(bytes);
  // each row: the special values twice (ties: 0 and −0, NaN with NaN, ±∞ with ±∞), the rows shuffled differently
  for (const n of [1, 3]) {
    const data = new Float32Array(n * SPECIAL.length * 2);
    for (let r = 0, at = 0; r < n; r++) for (let i = 0; i < SPECIAL.length * 2; i++) data[at++] = SPECIAL[(i * (5 + 2 * r)) % SPECIAL.length];
    await assertSameBits(session, model, data, n, SPECIAL.length * 2);
  }
  await session.release();
});

test('cumprod is written out along its axis, in float64 as the kernels take it: the same float32 bits, special values included', { skip: ortSkip }, async () => {
  if (!ort) throw new Error('unreachable: the test is skipped without onnxruntime-node');
  class Products extends nn.Module {
    forward(x: Tensor): Tensor {
      // rows of 8 (NaN, ±∞, zeros, overflow and underflow along the way), and one element alone
      const rows = x.reshape([x.shape[0], -1, 8]);
      // int32 up to 1e6 in magnitude: products of two wrap past int32's range, as the kernels' do
      const ints = x.mul(1e4).nanToNum(0, 1e6, -1e6).clamp(-1e6, 1e6).to('int32');
      return st.cat([st.cumprod(rows, 2).reshape([x.shape[0], -1]), st.cumprod(x.narrow(1, 0, 1), 1), st.cumprod(ints.narrow(1, 9, 2), 1).float()], 1);
    }
  }
  const model = new Products();
  const bytes = st.io.exportOnnx(model, { inputShape: [SPECIAL.length] });
  const session = await ort.InferenceSession.create(bytes);
  for (const n of [1, 3]) {
    const data = new Float32Array(n * SPECIAL.length);
    for (let r = 0, at = 0; r < n; r++) for (let i = 0; i < SPECIAL.length; i++) data[at++] = SPECIAL[(i * (3 + 2 * r)) % SPECIAL.length] * (r === 2 ? -1 : 1);
    await assertSameBits(session, model, data, n, SPECIAL.length);
  }
  await session.release();
});

test('pad of float32, int32 and bool tensors: the pad value takes the input\'s type', { skip: ortSkip }, async () => {
  class Pads extends nn.Module {
    forward(x: Tensor): Tensor {
      const mask = x.gt(0).pad([1, 2], 1); // a bool tensor padded with true
      const ints = x.mul(10).to('int32').pad([2, 1], -7);
      return st.cat([x.pad([1, 2], -0.5), st.where(mask, 1, 0).float(), ints.float()], 1);
    }
  }
  await assertMatches(new Pads(), { inputShape: [5] }, 1e-6);
});

test('scatterAdd becomes ScatterElements adding in order (opset 16 for that graph, 13 otherwise): the same bits, repeated indices included', { skip: ortSkip }, async () => {
  if (!ort) throw new Error('unreachable: the test is skipped without onnxruntime-node');
  class Scatter extends nn.Module {
    forward(x: Tensor): Tensor {
      // every element of a row goes to one of 3 places (by its sign and size): repeated indices
      const idx = x.gt(0).to('int32').add(x.abs().gt(800).to('int32'));
      return st.zeros([x.shape[0], 3]).scatterAdd(1, idx, x).add(x.narrow(1, 0, 3).scatterAdd(0, idx.narrow(1, 0, 3).mul(0), x.narrow(1, 3, 3)));
    }
  }
  const model = new Scatter();
  const bytes = st.io.exportOnnx(model, { inputShape: [12] });
  const opset = (m: Uint8Array): string => [...m.slice(-4)].join(',');
  assert.equal(opset(bytes), opset(st.io.exportOnnx(new nn.Linear(2, 2), { inputShape: [2] })).replace(/13$/, '16'), 'opset 16 where a scatter is written, 13 otherwise');
  const session = await ort.InferenceSession.create(bytes);
  for (const n of [1, 3]) {
    const x = st.randn([n, 12], { generator: new st.Generator(n) }).mul(1e3);
    await assertSameBits(session, model, Float32Array.from(x.dataSync()), n, 12);
  }
  await session.release();
});

test('the traced graph: input [N, ...] (or a fixed batch), state-dict-named initializers holding the weights, several named outputs', () => {
  const lstm = new nn.LSTM(3, 5, { batchFirst: true });
  const g = decodeGraph(st.io.exportOnnx(lstm, { inputShape: [4, 3], outputNames: ['y', 'h', 'c'], forward: (m, x) => (m as st.nn.LSTM).forwardWithState(x) }));
  assert.deepEqual(g.input.map((v) => [v.name, dims(v)]), [['input', ['N', 4, 3]]]);
  assert.deepEqual(g.output.map((v) => [v.name, dims(v)]), [['y', ['N', 4, 5]], ['h', [1, 'N', 5]], ['c', [1, 'N', 5]]]);
  const state = lstm.stateDict();
  for (const [key, t] of Object.entries(state)) {
    const init = g.initializer.find((i) => i.name === key);
    assert.ok(init, `${key} not in ${g.initializer.map((i) => i.name).join()}`);
    assert.deepEqual(new Float32Array(init.rawData.slice().buffer), t.dataSync());
  }
  const fixed = decodeGraph(st.io.exportOnnx(new Attention(), { inputShape: [5, 4], batch: 2 }));
  assert.deepEqual(dims(fixed.input[0]), [2, 5, 4]);
  assert.deepEqual(dims(fixed.output[0]), [2, 4, 5]);
  assert.throws(() => st.io.exportOnnx(lstm, { inputShape: [4, 3], outputNames: ['y'], forward: (m, x) => (m as st.nn.LSTM).forwardWithState(x) }), /outputNames has 1 names for 3 outputs/);
});

test('each int64 constant (a shape, axes) is one initializer however many nodes use it', () => {
  // three Linear layers on 3-D input: each reshapes by the same shape vectors
  const g = decodeGraph(st.io.exportOnnx(new Attention(), { inputShape: [5, 4], batch: 2 }));
  const INT64 = 7;
  const keys = g.initializer.filter((i) => i.dataType === INT64).map((i) => `${JSON.stringify(i.dims ?? [])}:${Array.from(i.rawData).join(',')}`);
  assert.ok(keys.length > 0);
  const uses = new Map<string, number>();
  for (const n of g.node) for (const x of n.input ?? []) uses.set(x, (uses.get(x) ?? 0) + 1);
  const int64Names = new Set(g.initializer.filter((i) => i.dataType === INT64).map((i) => i.name));
  assert.ok([...int64Names].some((name) => (uses.get(name) ?? 0) > 1), 'some int64 constant serves several nodes');
  assert.equal(new Set(keys).size, keys.length, `duplicate int64 initializers: ${keys.join(' | ')}`);
});

test('primitives with no ONNX form are one error that lists them; cumprod along the batch axis and batch-dependent data are refused', () => {
  class Internals extends nn.Module {
    forward(x: Tensor): Tensor {
      const img = x.reshape([-1, 1, 2, 2]);
      const at = st.prims.poolIndex(img, { kernel: [2, 2], stride: [2, 2], padding: [0, 0, 0, 0], dilation: [1, 1], mode: 'max' });
      return st.prims.reluGrad(x, x).add(at.float().reshape([-1, 1]));
    }
  }
  assert.throws(() => st.io.exportOnnx(new Internals(), { inputShape: [4] }), /exportOnnx: the forward pass uses primitives with no ONNX lowering: poolIndex, reluGrad$/);
  class BatchProducts extends nn.Module { forward(x: Tensor): Tensor { return st.cumprod(x, 0); } }
  assert.throws(() => st.io.exportOnnx(new BatchProducts(), { inputShape: [4] }), /exportOnnx: cumprod along axis 0 of \[2,4\], whose length follows the batch size, has no ONNX form here/);
  class Noisy extends nn.Module { forward(x: Tensor): Tensor { return x.add(st.randn(x.shape)); } }
  assert.throws(() => st.io.exportOnnx(new Noisy(), { inputShape: [4] }), /exportOnnx: add: an input \[2,4\] that no traced primitive computed depends on the input batch/);
});
