// SPDX-License-Identifier: MIT
// importOnnx: models exported by torch.onnx.export (test/fixtures/torch/*.onnx) run in Strata with
// PyTorch's outputs, on every backend, and fine-tune; bad models get clear errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';
import { assertClose } from '../helpers.js';
import { ONNX_FIXTURES, TWINS, asTensor, fineTuneStep, fixtureBytes, maxDiff, recorded } from './torch-models.js';

const { io } = st;

test('ONNX models exported by PyTorch (opsets 9–17) give PyTorch\'s outputs to 1e-4 on every backend', () => {
  const prev = st.getBackend().name;
  for (const backend of st.listBackends()) try {
    st.setBackend(backend);
    for (const name of ONNX_FIXTURES) {
      const model = st.importOnnx(fixtureBytes(`${name}.onnx`));
      const r = recorded(name);
      assert.equal(io.decodeOnnx(fixtureBytes(`${name}.onnx`)).opset, r.opset);
      const y = st.noGrad(() => model.forward(asTensor(r.input)));
      assertClose(y, asTensor(r.output, 'js'), 1e-4, 1e-4, `${backend} ${name}.onnx`);
      // Another batch size than the export's: the batch axis is dynamic (Shape/Gather/Reshape run on the host).
      const one = asTensor(r.input).slice(0, 0, 1);
      assertClose(st.noGrad(() => model.forward(one)), asTensor(r.output, 'js').slice(0, 0, 1), 1e-4, 1e-4, `${backend} ${name}.onnx batch 1`);
    }
  } finally {
    st.setBackend(prev);
  }
});

test('an imported ONNX model is trainable: initializers are Parameters under their names, and one SGD step changes every one', () => {
  const cnn = st.importOnnx(fixtureBytes('cnn.onnx'));
  assert.deepEqual(cnn.namedParameters().map(([k]) => k), ['features.0.weight', 'features.0.bias', 'features.2.weight', 'features.2.bias', 'classifier.0.weight', 'classifier.0.bias', 'classifier.3.weight', 'classifier.3.bias']);
  const gan = st.importOnnx(fixtureBytes('dcgan.onnx'));
  assert.deepEqual(gan.namedBuffers().map(([k]) => k), ['1.running_mean', '1.running_var', '4.running_mean', '4.running_var']);
  for (const name of ONNX_FIXTURES) {
    const model = st.importOnnx(fixtureBytes(`${name}.onnx`));
    assert.ok(model.parameters().length > 0);
    assert.deepEqual(fineTuneStep(model, asTensor(recorded(name).input)), [], `${name}: parameters unchanged by the step`);
  }
  // Training mode updates batch norm's running statistics, as PyTorch's would.
  const before = gan.namedBuffers()[0][1].clone();
  gan.train();
  gan.forward(asTensor(recorded('dcgan').input));
  assert.ok(maxDiff(gan.namedBuffers()[0][1], before) > 0);
});

test('ONNX LSTM/GRU weights (gate orders iofc, zrh) reordered equal the PyTorch state dict, and the CNN\'s state dict loads from the .pt', () => {
  const pt = io.loadPyTorch(fixtureBytes('lstm.pt'));
  const lstm = st.importOnnx(fixtureBytes('lstm.onnx'));
  const w = lstm.stateDict()['onnx::LSTM_193'].reshape([4, 8, 5]); // [1, 4H, in], blocks i, o, f, c
  const torchOrder = st.cat([0, 2, 3, 1].map((k) => w.slice(0, k, k + 1)), 0).reshape([32, 5]);
  assertClose(torchOrder, pt['rnn.weight_ih_l0'], 0, 0, 'LSTM W');
  const gru = st.importOnnx(fixtureBytes('gru.onnx'));
  const g = gru.stateDict()['onnx::GRU_184'].reshape([3, 8, 8]); // R, blocks z, r, h
  assertClose(st.cat([1, 0, 2].map((k) => g.slice(0, k, k + 1)), 0).reshape([24, 8]), io.loadPyTorch(fixtureBytes('gru.pt'))['rnn.weight_hh_l0'], 0, 0, 'GRU R');
  const cnn = st.importOnnx(fixtureBytes('cnn.onnx'));
  const weights = io.loadPyTorch(fixtureBytes('cnn.pt'));
  for (const p of cnn.parameters()) p.set_(p.mul(0));
  assert.deepEqual(cnn.loadStateDict(weights).missingKeys, []);
  const r = recorded('cnn');
  assertClose(st.noGrad(() => cnn.forward(asTensor(r.input))), asTensor(r.output, 'js'), 1e-4, 1e-4, 'after loadStateDict');
});

test('one SGD step on an imported ONNX model equals the same step on the Strata twin loaded from the .pt (gradients through the interpreter)', () => {
  for (const name of ['lenet', 'dcgan']) {
    const onnx = st.importOnnx(fixtureBytes(`${name}.onnx`));
    const twin = TWINS[name]();
    twin.loadStateDict(io.loadPyTorch(fixtureBytes(`${name}.pt`)));
    const x = asTensor(recorded(name).input);
    fineTuneStep(onnx, x);
    fineTuneStep(twin, x);
    const after = twin.stateDict();
    for (const [k, p] of onnx.namedParameters()) assertClose(p, after[k], 1e-5, 1e-4, `${name} ${k} after one step`);
    for (const [k, b] of onnx.namedBuffers()) assertClose(b, after[k], 1e-5, 1e-4, `${name} ${k} after one step`);
  }
});

test('ONNX LSTM with layout 1 (batch first) equals layout 0 on the transposed input', () => {
  const g = new st.Generator(5);
  const [t, n, i, h] = [3, 2, 4, 5];
  const rand = (name: string, dims: number[]): Uint8Array => {
    const v = st.randn(dims, { generator: g }).mul(0.5).dataSync() as Float32Array;
    return msg([[1, dims], [2, 1], [8, str(name)], [9, new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength))]]);
  };
  const inits = [rand('w', [1, 4 * h, i]), rand('r', [1, 4 * h, h]), rand('b', [1, 8 * h])];
  const lstm = (layout: number): st.OnnxModel => st.importOnnx(model([node('LSTM', ['x', 'w', 'r', 'b'], ['y', 'yh', 'yc'], [attrInt('hidden_size', h), attrInt('layout', layout)])], 14, inits));
  const x = st.randn([t, n, i], { generator: g });
  const a = lstm(0).run([x]), b = lstm(1).run([x.permute([1, 0, 2])]);
  assert.deepEqual(a.y.shape, [t, 1, n, h]);
  assert.deepEqual(b.y.shape, [n, t, 1, h]);
  assertClose(b.y.permute([1, 2, 0, 3]), a.y, 1e-6, 1e-6, 'Y');
  assertClose(b.yh.permute([1, 0, 2]), a.yh, 1e-6, 1e-6, 'Y_h');
  assertClose(b.yc.permute([1, 0, 2]), a.yc, 1e-6, 1e-6, 'Y_c');
  assertClose(a.yh, a.y.slice(0, t - 1, t).reshape([1, n, h]), 0, 0, 'Y_h is the last step of Y');
});

test('ONNX Dropout is the identity in evaluation and drops (scaling by 1/(1-p)) in training; Identity passes through', () => {
  const m = st.importOnnx(model([node('Dropout', ['x'], ['d']), node('Identity', ['d'], ['y'])], 13));
  const x = st.ones([1000]);
  assert.deepEqual(m.forward(x).toArray(), x.toArray());
  m.train();
  const y = [...m.forward(x).dataSync()];
  assert.ok(y.every((v) => v === 0 || v === 2), 'kept values are scaled by 2 (ratio 0.5)');
  const kept = y.filter((v) => v === 2).length;
  assert.ok(kept > 400 && kept < 600, `${kept} of 1000 kept`);
});

test('exportOnnx then importOnnx round-trips a Strata model', () => {
  st.manualSeed(4);
  const model = new st.nn.Sequential(new st.nn.Conv2d(2, 3, 3, { padding: 1 }), new st.nn.ReLU(), new st.nn.MaxPool2d(2), new st.nn.Flatten(), new st.nn.Linear(12, 4), new st.nn.LogSoftmax());
  const x = st.randn([2, 2, 4, 4]);
  const back = st.importOnnx(io.exportOnnx(model, { inputShape: [2, 4, 4] }));
  assertClose(st.noGrad(() => back.forward(x)), st.noGrad(() => model.forward(x)), 1e-5, 1e-5);
});

test('exportOnnx then importOnnx round-trips floor, ceil, round, atan, asin and acos', () => {
  class Maths extends st.nn.Module {
    forward(t: st.Tensor): st.Tensor {
      const u = t.tanh();
      return st.cat([t.mul(2.5).floor(), t.mul(2.5).ceil(), t.mul(2).round(), t.atan(), u.asin(), u.acos()], 1);
    }
  }
  const x = st.randn([3, 4], { generator: new st.Generator(5) });
  const back = st.importOnnx(io.exportOnnx(new Maths(), { inputShape: [4] }));
  assertClose(st.noGrad(() => back.forward(x)), st.noGrad(() => new Maths().forward(x)), 1e-6, 1e-6);
});

test('exportOnnx then importOnnx round-trips sort, argsort, cumprod and scatterAdd bit for bit (TopK, IsNaN, Split, ScatterElements)', () => {
  class Trip extends st.nn.Module {
    forward(t: st.Tensor): st.Tensor {
      const up = st.sort(t, 1), down = st.sort(t, 1, true);
      const idx = t.gt(0).to('int32').add(t.abs().gt(50).to('int32')).narrow(1, 0, 6);
      const added = st.zeros([t.shape[0], 3]).scatterAdd(1, idx, t.narrow(1, 0, 6));
      return st.cat([up.values, up.indices.float(), down.values, down.indices.float(), st.cumprod(t.narrow(1, 0, 8), 1), added], 1);
    }
  }
  const special = [0, -0, 1.5, -2, NaN, Infinity, -Infinity, 3, 1.5, NaN, -0.25, 100, -7, 0, 2, 8];
  const x = st.tensor([special, special.map((v, i) => special[(i * 5) % special.length] * -1)]);
  const back = st.importOnnx(io.exportOnnx(new Trip(), { inputShape: [special.length] }));
  const got = st.noGrad(() => back.forward(x)).dataSync(), want = st.noGrad(() => new Trip().forward(x)).dataSync();
  assert.equal(got.length, want.length);
  assert.deepEqual([...got.keys()].filter((k) => !Object.is(got[k], want[k])), [], 'positions whose bits differ (NaN and -0 included)');
  assert.ok([...got].some((v) => Number.isNaN(v)) && [...got].some((v) => Object.is(v, -0)), 'NaN and -0 are among the values compared');
});

test('the elementwise maths ops import: Abs, Sign, Sin, Cos, Tan, Atan, Asin, Acos, the hyperbolic ones, Floor, Ceil and Round (half to even)', () => {
  const x = st.tensor([-2.5, -0.5, 0.3, 0.5, 1.5, 2.5, -0.9]);
  const one = (op: string): st.Tensor => st.importOnnx(model([node(op, ['x'], ['y'])], 13)).forward(x) as st.Tensor;
  const cases: [string, (t: st.Tensor) => st.Tensor][] = [
    ['Abs', (t) => t.abs()], ['Sign', (t) => t.sign()], ['Sin', (t) => t.sin()], ['Cos', (t) => t.cos()], ['Tan', (t) => t.tan()],
    ['Atan', (t) => t.atan()], ['Asin', (t) => t.asin()], ['Acos', (t) => t.acos()], ['Floor', (t) => t.floor()], ['Ceil', (t) => t.ceil()], ['Round', (t) => t.round()],
    ['Sinh', (t) => t.sinh()], ['Cosh', (t) => t.cosh()], ['Asinh', (t) => t.asinh()], ['Acosh', (t) => t.acosh()], ['Atanh', (t) => t.atanh()],
  ];
  for (const [op, f] of cases) assert.deepEqual(one(op).toArray(), f(x).toArray(), op);
  assert.deepEqual(one('Round').toArray(), [-2, -0, 0, 0, 2, 2, -1]);
});

test('unsupported ops are listed in one error; other opsets, external data and wrong inputs are refused clearly', () => {
  const m = model([node('Relu', ['x'], ['a']), node('Foo', ['a'], ['b']), node('Bar', ['b'], ['c']), node('Foo', ['c'], ['y'])], 13);
  assert.throws(() => st.importOnnx(m), /importOnnx: the model uses ops that Strata cannot import: Foo \(2 nodes\), Bar \(1 node\); supported: .*Conv/);
  assert.throws(() => st.importOnnx(model([node('Relu', ['x'], ['y'])], 8)), /importOnnx: the model uses opset 8; supported: 9 to 18 \(export again with torch.onnx.export\(\.\.\., opset_version=17\)\)/);
  assert.throws(() => st.importOnnx(model([node('Relu', ['x'], ['y'])], 19)), /importOnnx: the model uses opset 19; supported: 9 to 18/);
  const external = model([node('Add', ['x', 'w'], ['y'])], 13, [msg([[1, [2]], [2, 1], [8, str('w')], [14, 1]])]);
  assert.throws(() => st.importOnnx(external), /decodeOnnx: tensor 'w' is stored in an external file/);
  assert.throws(() => st.importOnnx(Uint8Array.from([0x0a, 0x05, 1])), /decodeOnnx: malformed protobuf/);
  const relu = st.importOnnx(model([node('Relu', ['x'], ['y'])], 13));
  assert.deepEqual(relu.forward(st.tensor([-1, 2])).toArray(), [0, 2]);
  assert.throws(() => relu.forward(), /OnnxModel: expects 1 input tensor\(s\) \(x\), got 0/);
  const zeros = (name: string): Uint8Array => msg([[1, [1, 3, 1]], [2, 1], [8, str(name)], [9, new Uint8Array(12)]]);
  const gru0 = model([node('GRU', ['x', 'w', 'r'], ['y'], [attrInt('hidden_size', 1)])], 13, [zeros('w'), zeros('r')]);
  assert.throws(() => st.importOnnx(gru0).forward(st.zeros([1, 1, 1])), /GRU node .*linear_before_reset=0 is not supported/);
});

test('reductions (axes as attribute or input, keepdims, noop_with_empty_axes), Clip, Max, Min and Erf import', () => {
  const x = st.tensor([[[1, -2, 3], [4, 5, -6]], [[-7, 8, 9], [10, -11, 12]]]);
  const run = (nodes: Uint8Array[], opset: number, inits: Uint8Array[] = []): st.Tensor => st.importOnnx(model(nodes, opset, inits)).forward(x) as st.Tensor;
  const ints = (name: string, v: number[]): Uint8Array => msg([[1, [v.length]], [2, 7], [8, str(name)], [9, new Uint8Array(BigInt64Array.from(v.map(BigInt)).buffer)]]);
  const floats = (name: string, v: number[]): Uint8Array => msg([[2, 1], [8, str(name)], [9, new Uint8Array(Float32Array.from(v).buffer)]]);
  const attrInts = (name: string, v: number[]): Uint8Array => msg([[1, str(name)], [8, v], [20, 7]]);
  // ReduceSum takes its axes as an input from opset 13, the others as an attribute until 18
  assert.deepEqual(run([node('ReduceSum', ['x', 'a'], ['y'], [attrInt('keepdims', 0)])], 13, [ints('a', [-1])]).toArray(), x.sum(-1).toArray());
  assert.deepEqual(run([node('ReduceSum', ['x'], ['y'], [attrInt('noop_with_empty_axes', 1)])], 13).toArray(), x.toArray());
  assert.deepEqual(run([node('ReduceSum', ['x'], ['y'])], 13).toArray(), x.sum([0, 1, 2], true).toArray());
  assert.deepEqual(run([node('ReduceMin', ['x'], ['y'], [attrInts('axes', [0, 2]), attrInt('keepdims', 0)])], 13).toArray(), x.amin([0, 2]).toArray());
  assert.deepEqual(run([node('ReduceMax', ['x'], ['y'], [attrInts('axes', [1])])], 17).toArray(), x.amax(1, true).toArray());
  assert.deepEqual(run([node('ReduceMean', ['x'], ['y'], [attrInts('axes', [0])])], 13).toArray(), x.mean(0, true).toArray());
  // Clip: min and max are inputs, either left out by an empty name or a missing input
  assert.deepEqual(run([node('Clip', ['x', '', 'hi'], ['y'])], 13, [floats('hi', [4])]).toArray(), x.clamp(null, 4).toArray());
  assert.deepEqual(run([node('Clip', ['x', 'lo'], ['y'])], 13, [floats('lo', [-1])]).toArray(), x.clamp(-1, null).toArray());
  assert.deepEqual(run([node('Max', ['x', 'c', 'x'], ['y'])], 13, [floats('c', [0])]).toArray(), x.relu().toArray());
  assert.deepEqual(run([node('Min', ['x', 'c'], ['y'])], 13, [floats('c', [2])]).toArray(), x.clamp(null, 2).toArray());
  assertClose(run([node('Erf', ['x'], ['y'])], 13), st.nn.functional.erf(x), 1e-7, 1e-7);
});

test('comparisons, logic, Where, Expand, GatherElements, ArgMax/ArgMin, CumSum and Split import', () => {
  const x = st.tensor([[1, -2, 3, 0], [4, 5, -6, 3]]);
  const run = (nodes: Uint8Array[], inits: Uint8Array[] = []): st.Tensor => st.importOnnx(model(nodes, 13, inits)).forward(x) as st.Tensor;
  const floats = (name: string, dims: number[], v: number[]): Uint8Array => msg([[1, dims], [2, 1], [8, str(name)], [9, new Uint8Array(Float32Array.from(v).buffer)]]);
  const ints = (name: string, dims: number[], v: number[]): Uint8Array => msg([[1, dims], [2, 7], [8, str(name)], [9, new Uint8Array(BigInt64Array.from(v.map(BigInt)).buffer)]]);
  const c = st.tensor([3, -2, 3, 1]);
  const cmp: [string, (a: st.Tensor, b: st.Tensor) => st.Tensor][] = [
    ['Equal', (a, b) => a.eq(b)], ['Less', (a, b) => a.lt(b)], ['LessOrEqual', (a, b) => a.le(b)], ['Greater', (a, b) => a.gt(b)], ['GreaterOrEqual', (a, b) => a.ge(b)],
  ];
  for (const [op, f] of cmp) assert.deepEqual(run([node(op, ['x', 'c'], ['y'])], [floats('c', [4], [3, -2, 3, 1])]).toArray(), f(x, c).toArray(), op);
  // a mask from two comparisons: (x > 0) and not (x == 3), or, xor; then Where picks x or -1
  const mask = x.gt(0).logicalAnd(x.eq(3).logicalNot());
  const logic = [node('Greater', ['x', 'zero'], ['p']), node('Equal', ['x', 'three'], ['q']), node('Not', ['q'], ['nq']), node('And', ['p', 'nq'], ['m']),
    node('Or', ['m', 'q'], ['o']), node('Xor', ['o', 'p'], ['z']), node('Where', ['m', 'x', 'minus'], ['w']), node('Where', ['z', 'w', 'zero'], ['y'])];
  const scalars = [floats('zero', [], [0]), floats('three', [], [3]), floats('minus', [], [-1])];
  const o = mask.logicalOr(x.eq(3)), z = o.logicalXor(x.gt(0));
  assert.deepEqual(run(logic, scalars).toArray(), st.where(z, st.where(mask, x, -1), 0).toArray());
  // Expand broadcasts both ways: [2, 4] against [3, 1, 4]
  assert.deepEqual(run([node('Expand', ['x', 's'], ['y'])], [ints('s', [3], [3, 1, 4])]).toArray(), x.expand([3, 2, 4]).toArray());
  // GatherElements with a negative index; ArgMax/ArgMin keep the axis unless keepdims is 0
  assert.deepEqual(run([node('GatherElements', ['x', 'i'], ['y'], [attrInt('axis', 1)])], [ints('i', [2, 2], [0, -1, 2, 1])]).toArray(), [[1, 0], [-6, 5]]);
  assert.deepEqual(run([node('ArgMax', ['x'], ['y'], [attrInt('axis', 1)])]).toArray(), [[2], [1]]);
  assert.deepEqual(run([node('ArgMin', ['x'], ['y'], [attrInt('axis', 0), attrInt('keepdims', 0)])]).toArray(), [0, 0, 1, 0]);
  // CumSum along an axis input, from either end
  assert.deepEqual(run([node('CumSum', ['x', 'a'], ['y'])], [ints('a', [], [1])]).toArray(), st.cumsum(x, 1).toArray());
  assert.deepEqual(run([node('CumSum', ['x', 'a'], ['y'], [attrInt('reverse', 1)])], [ints('a', [], [-1])]).toArray(), [[2, 1, 3, 0], [6, 2, -3, 3]]);
  // shape arithmetic stays on the host: Shape, Equal, Not, Where, then a Reshape that reads the result
  const shapeMath = [node('Shape', ['x'], ['s']), node('Equal', ['s', 'want'], ['e']), node('Not', ['e'], ['ne']), node('Where', ['ne', 's', 'to'], ['t']), node('Reshape', ['x', 't'], ['y'])];
  assert.deepEqual(run(shapeMath, [ints('want', [2], [3, 5]), ints('to', [2], [8, 1])]).shape, [2, 4]);
  assert.deepEqual(run(shapeMath, [ints('want', [2], [2, 4]), ints('to', [2], [8, 1])]).shape, [8, 1]);
  // Split by sizes, or evenly into as many parts as outputs
  const parts = st.importOnnx(model([node('Split', ['x', 'n'], ['a', 'b'], [attrInt('axis', 1)])], 13, [ints('n', [2], [1, 3])])).run([x]);
  assert.deepEqual([parts.a.toArray(), parts.b.toArray()], [[[1], [4]], [[-2, 3, 0], [5, -6, 3]]]);
  const halves = st.importOnnx(model([node('Split', ['x'], ['a', 'b'], [attrInt('axis', 1)])], 13)).run([x]);
  assert.deepEqual([halves.a.toArray(), halves.b.toArray()], [[[1, -2], [4, 5]], [[3, 0], [-6, 3]]]);
});

test('Elu, Selu, Softplus, HardSigmoid, HardSwish, PRelu and LayerNormalization (opset 17) import', () => {
  const x = st.tensor([[[-3.5, -1, -0.25, 0], [0.5, 2, 4, 25]], [[-20, 1.5, -0.5, 3], [-4, 0.25, 6, -2]]]);
  const F = st.nn.functional;
  const floats = (name: string, dims: number[], v: number[]): Uint8Array => msg([[1, dims], [2, 1], [8, str(name)], [9, new Uint8Array(Float32Array.from(v).buffer)]]);
  // AttributeProto.f is a fixed32 (wire type 5), which msg does not write: its tag and 4 bytes by hand
  const attrFloat = (name: string, v: number): Uint8Array => Uint8Array.from([...msg([[1, str(name)]]), 0x15, ...new Uint8Array(Float32Array.of(v).buffer), ...msg([[20, 1]])]);
  const run = (nodes: Uint8Array[], opset = 13, inits: Uint8Array[] = []): st.Tensor => st.importOnnx(model(nodes, opset, inits)).forward(x) as st.Tensor;
  assertClose(run([node('Elu', ['x'], ['y'], [attrFloat('alpha', 0.5)])]), F.elu(x, 0.5), 0, 0);
  assertClose(run([node('Selu', ['x'], ['y'])]), F.selu(x), 0, 0);
  assert.throws(() => run([node('Selu', ['x'], ['y'], [attrFloat('alpha', 2)])]), /Selu node .*alpha and gamma other than the defaults/);
  assertClose(run([node('Softplus', ['x'], ['y'])]), x.exp().add(1).log(), 1e-6, 1e-6);
  assertClose(run([node('HardSigmoid', ['x'], ['y'], [attrFloat('alpha', 1 / 6), attrFloat('beta', 0.5)])]), F.hardsigmoid(x), 1e-7, 1e-7);
  assertClose(run([node('HardSigmoid', ['x'], ['y'])]), x.mul(0.2).add(0.5).clamp(0, 1), 0, 0);
  assertClose(run([node('HardSwish', ['x'], ['y'])], 14), F.hardswish(x), 0, 0);
  assertClose(run([node('PRelu', ['x', 's'], ['y'])], 13, [floats('s', [2, 1], [0.1, 0.3])]), st.where(x.lt(0), x.mul(st.tensor([[0.1], [0.3]])), x), 0, 0);
  const w = [0.5, 1, 1.5, 2], b = [0, 0.1, -0.1, 0.2];
  assertClose(run([node('LayerNormalization', ['x', 'w', 'b'], ['y'], [attrFloat('epsilon', 1e-3)])], 17, [floats('w', [4], w), floats('b', [4], b)]),
    F.layerNorm(x, [4], st.tensor(w), st.tensor(b), 1e-3), 0, 0);
  const w2 = Array.from({ length: 8 }, (_, i) => 1 + i / 8);
  assertClose(run([node('LayerNormalization', ['x', 'w'], ['y'], [attrInt('axis', 1)])], 17, [floats('w', [2, 4], w2)]),
    F.layerNorm(x, [2, 4], st.tensor(w2).reshape([2, 4])), 0, 0);
});

test('ReduceProd, ReduceL1, ReduceL2, ReduceSumSquare, ReduceLogSumExp, Sum, Mean, Reciprocal, Softsign, Mish, Celu, ThresholdedRelu and InstanceNormalization import', () => {
  const x = st.tensor([[[0.5, -2, 3, 0], [4, 1.5, -0.25, 2]], [[-1, 1, 0.75, -3], [2, -0.5, 1.25, 0.1]]]);
  const F = st.nn.functional;
  const floats = (name: string, dims: number[], v: number[]): Uint8Array => msg([[1, dims], [2, 1], [8, str(name)], [9, new Uint8Array(Float32Array.from(v).buffer)]]);
  const attrInts = (name: string, v: number[]): Uint8Array => msg([[1, str(name)], [8, v], [20, 7]]);
  const attrFloat = (name: string, v: number): Uint8Array => Uint8Array.from([...msg([[1, str(name)]]), 0x15, ...new Uint8Array(Float32Array.of(v).buffer), ...msg([[20, 1]])]);
  const run = (nodes: Uint8Array[], inits: Uint8Array[] = []): st.Tensor => st.importOnnx(model(nodes, 13, inits)).forward(x) as st.Tensor;
  // the product over two axes, one axis at a time, keepdims 0
  assertClose(run([node('ReduceProd', ['x'], ['y'], [attrInts('axes', [0, 2]), attrInt('keepdims', 0)])]), x.prod(2).prod(0), 0, 0);
  assertClose(run([node('ReduceProd', ['x'], ['y'], [attrInts('axes', [2])])]), x.prod(2, true), 0, 0);
  assertClose(run([node('ReduceL1', ['x'], ['y'], [attrInts('axes', [1, 2])])]), x.abs().sum([1, 2], true), 1e-6, 1e-6);
  assertClose(run([node('ReduceL2', ['x'], ['y'], [attrInts('axes', [2]), attrInt('keepdims', 0)])]), x.square().sum(2).sqrt(), 1e-6, 1e-6);
  assertClose(run([node('ReduceSumSquare', ['x'], ['y'])]), x.square().sum([0, 1, 2], true), 1e-6, 1e-6);
  assertClose(run([node('ReduceLogSumExp', ['x'], ['y'], [attrInts('axes', [0])])]), x.exp().sum(0, true).log(), 1e-6, 1e-6);
  // Sum and Mean of three inputs, broadcasting
  const c = floats('c', [4], [1, 2, 3, 4]);
  assertClose(run([node('Sum', ['x', 'c', 'x'], ['y'])], [c]), x.add(st.tensor([1, 2, 3, 4])).add(x), 0, 0);
  assertClose(run([node('Mean', ['x', 'c', 'x'], ['y'])], [c]), x.add(st.tensor([1, 2, 3, 4])).add(x).div(3), 0, 0);
  assertClose(run([node('Reciprocal', ['x'], ['y'])]), st.tensor(1).div(x), 0, 0);
  assertClose(run([node('Softsign', ['x'], ['y'])]), x.div(x.abs().add(1)), 0, 0);
  assertClose(run([node('Mish', ['x'], ['y'])]), x.mul(F.softplus(x).tanh()), 1e-6, 1e-6);
  assertClose(run([node('Celu', ['x'], ['y'], [attrFloat('alpha', 0.5)])]), F.celu(x, 0.5), 0, 0);
  assert.deepEqual(run([node('ThresholdedRelu', ['x'], ['y'], [attrFloat('alpha', 1.25)])]).toArray(), st.where(x.gt(1.25), x, 0).toArray());
  assert.deepEqual(run([node('ThresholdedRelu', ['x'], ['y'])]).toArray(), st.where(x.gt(1), x, 0).toArray());
  // over the last axis of [N, C, L], with a scale and bias per channel
  const inorm = run([node('InstanceNormalization', ['x', 's', 'b'], ['y'], [attrFloat('epsilon', 1e-3)])], [floats('s', [2], [2, 0.5]), floats('b', [2], [0.1, -1])]);
  const mean = x.mean(2, true), v = x.sub(mean).square().mean(2, true);
  assertClose(inorm, x.sub(mean).div(v.add(1e-3).sqrt()).mul(st.tensor([[2], [0.5]])).add(st.tensor([[0.1], [-1]])), 1e-5, 1e-5);
  assert.throws(() => st.importOnnx(model([node('InstanceNormalization', ['x', 's', 'b'], ['y'])], 13, [floats('s', [4], [1, 1, 1, 1]), floats('b', [4], [0, 0, 0, 0])])).forward(x.reshape([4, 4])),
    /InstanceNormalization node 'y': input must be \[N, C, D1, \.\.\.\], got rank 2/);
});

test('Tile, Range, DepthToSpace (DCR and CRD), SpaceToDepth, ArgMax/ArgMin select_last_index and ScatterElements without reduction import', () => {
  const x = st.arange(0, 32).to('float32').reshape([1, 8, 2, 2]);
  const run = (nodes: Uint8Array[], inits: Uint8Array[] = [], input = x): st.Tensor => st.importOnnx(model(nodes, 13, inits)).forward(input) as st.Tensor;
  const ints = (name: string, dims: number[], v: number[]): Uint8Array => msg([[1, dims], [2, 7], [8, str(name)], [9, new Uint8Array(BigInt64Array.from(v.map(BigInt)).buffer)]]);
  const floats = (name: string, dims: number[], v: number[]): Uint8Array => msg([[1, dims], [2, 1], [8, str(name)], [9, new Uint8Array(Float32Array.from(v).buffer)]]);
  const attrStr = (name: string, v: string): Uint8Array => msg([[1, str(name)], [4, str(v)], [20, 3]]);
  // Tile of data, and of a shape on the host (then read by a Reshape)
  assert.deepEqual(run([node('Tile', ['x', 'r'], ['y'])], [ints('r', [4], [2, 1, 1, 3])]).toArray(), x.tile([2, 1, 1, 3]).toArray());
  const hostTile = [node('Shape', ['x'], ['s']), node('Slice', ['s', 'z', 'one'], ['n']), node('Tile', ['n', 'two'], ['t']), node('Concat', ['t', 'm'], ['u'], [attrInt('axis', 0)]), node('Reshape', ['x', 'u'], ['y'])];
  assert.deepEqual(run(hostTile, [ints('z', [1], [0]), ints('one', [1], [1]), ints('two', [1], [2]), ints('m', [1], [-1])]).shape, [1, 1, 32]);
  assert.throws(() => run([node('Tile', ['x', 'r'], ['y'])], [ints('r', [2], [2, 2])]), /Tile node 'y': repeats \[2, 2\] must be one count >= 0 per axis of the rank-4 input/);
  // Range on the host (the batch size) and in float
  const arangeN = [node('Shape', ['x'], ['s']), node('Gather', ['s', 'i1'], ['n']), node('Range', ['z', 'n', 'one'], ['y'])];
  assert.deepEqual(run([...arangeN.slice(0, 2), node('Range', ['z', 'n', 'two'], ['r']), node('Cast', ['r'], ['y'], [attrInt('to', 1)])], [ints('i1', [], [1]), ints('z', [], [0]), ints('two', [], [2])]).toArray(), [0, 2, 4, 6]);
  assertClose(run([node('Range', ['a', 'b', 'd'], ['y'])], [floats('a', [], [1]), floats('b', [], [-0.5]), floats('d', [], [-0.4])]), st.tensor([1, 0.6, 0.2, -0.2]), 1e-7, 1e-7);
  assert.throws(() => run([node('Range', ['a', 'a', 'z'], ['y'])], [floats('a', [], [1]), floats('z', [], [0])]), /Range node 'y': delta must not be 0/);
  // DepthToSpace: DCR takes channel (i·b + j)·C + c, CRD (pixel_shuffle) channel c·b² + i·b + j
  const dcr = run([node('DepthToSpace', ['x'], ['y'], [attrInt('blocksize', 2)])]);
  const crd = run([node('DepthToSpace', ['x'], ['y'], [attrInt('blocksize', 2), attrStr('mode', 'CRD')])]);
  assert.deepEqual(dcr.shape, [1, 2, 4, 4]);
  const xs = x.dataSync();
  for (let c = 0; c < 2; c++) for (let h = 0; h < 4; h++) for (let w = 0; w < 4; w++) {
    const i = h % 2, j = w % 2, hh = h >> 1, ww = w >> 1;
    const at = (ch: number): number => Number(xs[(ch * 2 + hh) * 2 + ww]);
    assert.equal(Number(dcr.dataSync()[(c * 4 + h) * 4 + w]), at((i * 2 + j) * 2 + c), `DCR (${c}, ${h}, ${w})`);
    assert.equal(Number(crd.dataSync()[(c * 4 + h) * 4 + w]), at(c * 4 + i * 2 + j), `CRD (${c}, ${h}, ${w})`);
  }
  // SpaceToDepth inverts DCR
  assert.deepEqual(run([node('SpaceToDepth', ['x'], ['y'], [attrInt('blocksize', 2)])], [], dcr).toArray(), x.toArray());
  assert.throws(() => run([node('DepthToSpace', ['x'], ['y'], [attrInt('blocksize', 3)])]), /DepthToSpace node 'y': input \[1, 8, 2, 2\] does not divide into blocks of 3: C must be a multiple of 9/);
  // ArgMax/ArgMin: the last of tied extrema with select_last_index
  const t = st.tensor([[3, 1, 3, 0], [1, 1, -2, -2]]);
  assert.deepEqual(run([node('ArgMax', ['x'], ['y'], [attrInt('axis', 1), attrInt('select_last_index', 1)])], [], t).toArray(), [[2], [1]]);
  assert.deepEqual(run([node('ArgMin', ['x'], ['y'], [attrInt('axis', 1), attrInt('keepdims', 0), attrInt('select_last_index', 1)])], [], t).toArray(), [3, 3]);
  assert.deepEqual(run([node('ArgMax', ['x'], ['y'], [attrInt('axis', 1)])], [], t).toArray(), [[0], [0]]);
  // ScatterElements without reduction writes the updates; the data elsewhere (NaN included) is kept
  const d = st.tensor([[1, NaN, 3], [4, 5, Infinity]]);
  const scattered = run([node('ScatterElements', ['x', 'i', 'u'], ['y'], [attrInt('axis', 1)])], [ints('i', [2, 1], [1, -1]), floats('u', [2, 1], [10, 20])], d);
  assert.deepEqual(scattered.toArray(), [[1, 10, 3], [4, 5, 20]]);
  assert.throws(() => run([node('ScatterElements', ['x', 'i', 'u'], ['y'], [attrStr('reduction', 'mul')])], [ints('i', [2, 1], [0, 0]), floats('u', [2, 1], [1, 1])], d),
    /ScatterElements node 'y': reduction 'mul' is not supported \(only 'none' and 'add'\)/);
});

test('opset 18: axes as inputs (ReduceMean, Pad), Split num_outputs, Resize axes, GroupNormalization; CastLike and Trilu', () => {
  const x = st.tensor([[[[0.5, -2, 3, 0], [4, 1.5, -0.25, 2]], [[-1, 1, 0.75, -3], [2, -0.5, 1.25, 0.1]], [[3, 1, -1, 2], [0, 0.5, 2.5, -2]], [[1, 1, 2, 2], [-1, 0, 4, 1]]]]); // [1, 4, 2, 4]
  const ints = (name: string, dims: number[], v: number[]): Uint8Array => msg([[1, dims], [2, 7], [8, str(name)], [9, new Uint8Array(BigInt64Array.from(v.map(BigInt)).buffer)]]);
  const floats = (name: string, dims: number[], v: number[]): Uint8Array => msg([[1, dims], [2, 1], [8, str(name)], [9, new Uint8Array(Float32Array.from(v).buffer)]]);
  const attrInts = (name: string, v: number[]): Uint8Array => msg([[1, str(name)], [8, v], [20, 7]]);
  const run = (nodes: Uint8Array[], inits: Uint8Array[] = [], input = x, opset = 18): st.Tensor => st.importOnnx(model(nodes, opset, inits)).forward(input) as st.Tensor;
  assertClose(run([node('ReduceMean', ['x', 'a'], ['y'])], [ints('a', [2], [1, 3])]), x.mean([1, 3], true), 1e-7, 1e-7);
  assertClose(run([node('ReduceLogSumExp', ['x', 'a'], ['y'], [attrInt('keepdims', 0)])], [ints('a', [1], [2])]), x.logsumexp(2), 1e-6, 1e-6);
  // Split into num_outputs parts of ceil(4 / 3) = 2: 2, 2 and 0
  const parts = st.importOnnx(model([node('Split', ['x'], ['a', 'b', 'c'], [attrInt('axis', 3), attrInt('num_outputs', 3)])], 18)).run([x]);
  assert.deepEqual([parts.a.shape, parts.b.shape, parts.c.shape], [[1, 4, 2, 2], [1, 4, 2, 2], [1, 4, 2, 0]]);
  assert.deepEqual(parts.b.toArray(), x.slice(3, 2, 4).toArray());
  assert.throws(() => st.importOnnx(model([node('Split', ['x'], ['a', 'b'], [attrInt('num_outputs', 3)])], 18)).run([x]), /Split node 'a': num_outputs 3 differs from the node's 2 outputs/);
  // Pad with its axes input: pads for axes 1 and 3 only (begins, then ends)
  assert.deepEqual(run([node('Pad', ['x', 'p', 'v', 'a'], ['y'])], [ints('p', [4], [1, 0, 0, 2]), floats('v', [], [9]), ints('a', [2], [1, 3])]).toArray(),
    x.pad([0, 2, 0, 0, 1, 0], 9).toArray());
  // Resize with axes: scales for the last two axes only
  const resized = run([node('Resize', ['x', '', 's'], ['y'], [attrInts('axes', [2, 3])])], [floats('s', [2], [2, 0.5])]);
  assert.deepEqual(resized.shape, [1, 4, 4, 2]);
  assert.deepEqual(resized.toArray(), run([node('Resize', ['x', '', 's'], ['y'])], [floats('s', [4], [1, 1, 2, 0.5])]).toArray());
  // GroupNormalization: 2 groups of 2 channels, scale and bias per group (opset 18)
  const g = run([node('GroupNormalization', ['x', 's', 'b'], ['y'], [attrInt('num_groups', 2)])], [floats('s', [2], [2, 0.5]), floats('b', [2], [0.1, -1])]);
  assertClose(g, st.nn.functional.groupNorm(x, 2, st.tensor([2, 2, 0.5, 0.5]), st.tensor([0.1, 0.1, -1, -1])), 0, 0);
  const v = x.reshape([1, 2, 16]), m = v.mean(2, true), n = v.sub(m).div(v.sub(m).square().mean(2, true).add(1e-5).sqrt());
  assertClose(g, n.reshape([1, 4, 2, 4]).mul(st.tensor([2, 2, 0.5, 0.5]).reshape([1, 4, 1, 1])).add(st.tensor([0.1, 0.1, -1, -1]).reshape([1, 4, 1, 1])), 1e-5, 1e-5);
  assert.throws(() => run([node('GroupNormalization', ['x', 's', 'b'], ['y'], [attrInt('num_groups', 3)])], [floats('s', [3], [1, 1, 1]), floats('b', [3], [0, 0, 0])]),
    /GroupNormalization node 'y': num_groups 3 must divide the channels of an input \[N, C, D1, \.\.\.\], got \[1, 4, 2, 4\]/);
  // CastLike takes the second input's dtype; Trilu keeps a triangle from diagonal k
  const int32Zero = msg([[2, 6], [8, str('i')], [9, new Uint8Array(4)]]); // TensorProto INT32, a scalar
  const c = run([node('CastLike', ['x', 'i'], ['y'])], [int32Zero], st.tensor([1.7, -2.2]));
  assert.equal(c.dtype, 'int32');
  assert.deepEqual(c.toArray(), [1, -2]);
  const sq = st.arange(1, 10).to('float32').reshape([3, 3]);
  assert.deepEqual(run([node('Trilu', ['x', 'k'], ['y'])], [ints('k', [], [1])], sq, 14).toArray(), sq.triu(1).toArray());
  assert.deepEqual(run([node('Trilu', ['x'], ['y'], [attrInt('upper', 0)])], [], sq, 14).toArray(), sq.tril().toArray());
});

test('Slice with steps (host integers too), Resize in mode linear, and Einsum import; what they cannot do is refused clearly', () => {
  const x = st.arange(0, 24).to('float32').reshape([1, 2, 3, 4]);
  const ints = (name: string, dims: number[], v: number[]): Uint8Array => msg([[1, dims], [2, 7], [8, str(name)], [9, new Uint8Array(BigInt64Array.from(v.map(BigInt)).buffer)]]);
  const floats = (name: string, dims: number[], v: number[]): Uint8Array => msg([[1, dims], [2, 1], [8, str(name)], [9, new Uint8Array(Float32Array.from(v).buffer)]]);
  const attrStr = (name: string, v: string): Uint8Array => msg([[1, str(name)], [4, str(v)], [20, 3]]);
  const run = (nodes: Uint8Array[], inits: Uint8Array[] = [], input = x): st.Tensor => st.importOnnx(model(nodes, 13, inits)).forward(input) as st.Tensor;
  // every other column from the end, and rows 2 down to 1; a step of 0 is refused
  const sliced = run([node('Slice', ['x', 's', 'e', 'a', 'k'], ['y'])], [ints('s', [2], [-1, 2]), ints('e', [2], [-100, 0]), ints('a', [2], [3, 2]), ints('k', [2], [-2, -1])]);
  assert.deepEqual(sliced.toArray(), x.indexSelect(3, [3, 1]).indexSelect(2, [2, 1]).toArray());
  assert.throws(() => run([node('Slice', ['x', 's', 'e', 'a', 'k'], ['y'])], [ints('s', [1], [0]), ints('e', [1], [2]), ints('a', [1], [1]), ints('k', [1], [0])]), /Slice node 'y': steps 0 must not be 0/);
  // the shape reversed on the host, then read by a Reshape
  const reversed = [node('Shape', ['x'], ['s']), node('Slice', ['s', 'b', 'e', 'z', 'm'], ['r']), node('Reshape', ['x', 'r'], ['y'])];
  assert.deepEqual(run(reversed, [ints('b', [1], [-1]), ints('e', [1], [-1000]), ints('z', [1], [0]), ints('m', [1], [-1])]).shape, [4, 3, 2, 1]);
  // mode linear: align_corners, and the sizes when no scales are given
  const F = st.nn.functional;
  assertClose(run([node('Resize', ['x', '', '', 'n'], ['y'], [attrStr('mode', 'linear'), attrStr('coordinate_transformation_mode', 'align_corners')])], [ints('n', [4], [1, 2, 5, 7])]),
    F.interpolate(x, { size: [5, 7], mode: 'bilinear', alignCorners: true }), 0, 0);
  assertClose(run([node('Resize', ['x', '', 's'], ['y'], [attrStr('mode', 'linear'), attrStr('coordinate_transformation_mode', 'pytorch_half_pixel')])], [floats('s', [4], [1, 1, 2, 1.5])]),
    F.interpolate(x, { scaleFactor: [2, 1.5], mode: 'bilinear' }), 0, 0);
  const resize = (mode: string, cm: string, scales: number[]): st.Tensor => run([node('Resize', ['x', '', 's'], ['y'], [attrStr('mode', mode), attrStr('coordinate_transformation_mode', cm)])], [floats('s', [4], scales)]);
  assert.throws(() => resize('cubic', 'half_pixel', [1, 1, 2, 2]), /Resize node 'y': mode cubic is not supported \(only nearest and linear\)/);
  assert.throws(() => resize('linear', 'asymmetric', [1, 1, 2, 2]), /Resize node 'y': coordinate_transformation_mode asymmetric is not supported in mode linear/);
  assert.throws(() => resize('linear', 'half_pixel', [1, 2, 2, 2]), /Resize node 'y': mode linear resizes the spatial axes only, got sizes \[1, 4, 6, 8\] for input \[1, 2, 3, 4\]/);
  // Einsum: a batched product with a transposed output, and a trace
  const attrEq = (eq: string): Uint8Array => attrStr('equation', eq);
  const w = floats('w', [4, 3], Array.from({ length: 12 }, (_, i) => i / 4 - 1));
  assertClose(run([node('Einsum', ['x', 'w'], ['y'], [attrEq('nchw,wk->nkch')])], [w]), st.einsum('nchw,wk->nkch', x, st.tensor(Array.from({ length: 12 }, (_, i) => i / 4 - 1)).reshape([4, 3])), 0, 0);
  assert.deepEqual(run([node('Einsum', ['x'], ['y'], [attrEq('ii')])], [], st.tensor([[1, 2], [3, 4]])).toArray(), 5);
});

test('Pad modes reflect, edge and wrap; OneHot (negative and out-of-range indices, axis); RandomNormal(Like) and RandomUniform(Like) import', () => {
  const x = st.arange(0, 12).to('float32').reshape([1, 3, 4]);
  const ints = (name: string, dims: number[], v: number[]): Uint8Array => msg([[1, dims], [2, 7], [8, str(name)], [9, new Uint8Array(BigInt64Array.from(v.map(BigInt)).buffer)]]);
  const floats = (name: string, dims: number[], v: number[]): Uint8Array => msg([[1, dims], [2, 1], [8, str(name)], [9, new Uint8Array(Float32Array.from(v).buffer)]]);
  const attrStr = (name: string, v: string): Uint8Array => msg([[1, str(name)], [4, str(v)], [20, 3]]);
  const attrFloat = (name: string, v: number): Uint8Array => Uint8Array.from([...msg([[1, str(name)]]), 0x15, ...new Uint8Array(Float32Array.of(v).buffer), ...msg([[20, 1]])]);
  const attrInts = (name: string, v: number[]): Uint8Array => msg([[1, str(name)], [8, v], [20, 7]]);
  const run = (nodes: Uint8Array[], inits: Uint8Array[] = [], input = x): st.Tensor => st.importOnnx(model(nodes, 13, inits)).forward(input) as st.Tensor;
  const F = st.nn.functional;
  const pads = ints('p', [6], [0, 1, 2, 0, 2, 1]); // axis 1 by (1, 2), axis 2 by (2, 1)
  assert.deepEqual(run([node('Pad', ['x', 'p'], ['y'], [attrStr('mode', 'reflect')])], [pads]).toArray(), F.pad(x, [2, 1, 1, 2], 'reflect').toArray());
  assert.deepEqual(run([node('Pad', ['x', 'p'], ['y'], [attrStr('mode', 'edge')])], [pads]).toArray(), F.pad(x, [2, 1, 1, 2], 'replicate').toArray());
  assert.deepEqual(run([node('Pad', ['x', 'p'], ['y'], [attrStr('mode', 'wrap')])], [pads]).toArray(), F.pad(x, [2, 1, 1, 2], 'circular').toArray());
  assert.throws(() => run([node('Pad', ['x', 'p'], ['y'], [attrStr('mode', 'mirror')])], [pads]), /Pad node 'y': mode mirror is not supported \(constant, reflect, edge or wrap\)/);
  // OneHot: -1 is the last class, 3 is out of range (a row of off), the new axis first
  const idx = st.tensor([[0, -1], [3, 1]]);
  const hot = run([node('OneHot', ['x', 'd', 'v'], ['y'], [attrInt('axis', 0)])], [ints('d', [], [3]), floats('v', [2], [-1, 5])], idx);
  assert.deepEqual(hot.toArray(), [[[5, -1], [-1, -1]], [[-1, -1], [-1, 5]], [[-1, 5], [-1, -1]]]);
  // random ops: a seeded node repeats across models but goes on between runs; statistics and shapes
  const normal = [node('RandomNormalLike', ['x'], ['y'], [attrFloat('mean', 2), attrFloat('scale', 0.5), attrFloat('seed', 7)])];
  const big = st.zeros([200, 100]);
  const m1 = st.importOnnx(model(normal, 13)), m2 = st.importOnnx(model(normal, 13));
  const a = m1.forward(big), b = m2.forward(big), c = m1.forward(big);
  assert.deepEqual(a.shape, [200, 100]);
  assert.deepEqual(a.toArray(), b.toArray());
  assert.notDeepEqual(a.toArray(), c.toArray());
  assert.ok(Math.abs(a.mean().item() - 2) < 0.02 && Math.abs(a.std().item() - 0.5) < 0.02, `mean ${a.mean().item()}, std ${a.std().item()}`);
  const u = run([node('RandomUniform', [], ['y'], [attrInts('shape', [100, 200]), attrFloat('low', -3), attrFloat('high', -1)])]);
  assert.deepEqual(u.shape, [100, 200]);
  assert.ok(u.min().item() >= -3 && u.max().item() < -1 && Math.abs(u.mean().item() + 2) < 0.02, `uniform in [${u.min().item()}, ${u.max().item()}]`);
  // without a seed, the global generator: manualSeed makes the draw repeat
  const unseeded = [node('RandomUniformLike', ['x'], ['y'])];
  st.manualSeed(3);
  const u1 = run(unseeded, [], big);
  st.manualSeed(3);
  assert.deepEqual(run(unseeded, [], big).toArray(), u1.toArray());
  assert.throws(() => run([node('RandomNormal', [], ['y'])]), /RandomNormal node 'y': needs a shape attribute/);
});

test('NonZero, GatherND and ScatterND (writing or adding) import; host integers that broadcast in two dimensions go through int32 tensors', () => {
  const x = st.tensor([[[1, 0, 2], [0, 3, 0]], [[4, 0, 0], [5, 6, NaN]]]); // [2, 2, 3]
  const ints = (name: string, dims: number[], v: number[]): Uint8Array => msg([[1, dims], [2, 7], [8, str(name)], [9, new Uint8Array(BigInt64Array.from(v.map(BigInt)).buffer)]]);
  const floats = (name: string, dims: number[], v: number[]): Uint8Array => msg([[1, dims], [2, 1], [8, str(name)], [9, new Uint8Array(Float32Array.from(v).buffer)]]);
  const attrStr = (name: string, v: string): Uint8Array => msg([[1, str(name)], [4, str(v)], [20, 3]]);
  const run = (nodes: Uint8Array[], inits: Uint8Array[] = [], input = x): st.Tensor => st.importOnnx(model(nodes, 13, inits)).forward(input) as st.Tensor;
  // the coordinates of the non-zero elements (NaN is non-zero), [rank, count]
  assert.deepEqual(run([node('NonZero', ['x'], ['y'])]).toArray(), [[0, 0, 0, 1, 1, 1, 1], [0, 0, 1, 0, 1, 1, 1], [0, 2, 1, 0, 0, 1, 2]]);
  // x[x != 0] through NonZero, Transpose and GatherND
  const masked = [node('NonZero', ['x'], ['n']), node('Transpose', ['n'], ['t']), node('GatherND', ['x', 't'], ['y'])];
  assert.deepEqual(Array.from(run(masked).dataSync(), String), ['1', '2', '3', '4', '5', '6', 'NaN']);
  // tuples of 2 coordinates pick rows; a negative coordinate counts from the end
  assert.deepEqual(run([node('GatherND', ['x', 'i'], ['y'])], [ints('i', [2, 2], [1, -1, 0, 0])]).toArray(), [[5, 6, NaN], [1, 0, 2]]);
  // the same from a float tensor of indices (data, not a constant), through Cast
  const fromData = run([node('Cast', ['i'], ['c'], [attrInt('to', 7)]), node('GatherND', ['x', 'c'], ['y'])], [floats('i', [1, 3], [1, 0, 2])]);
  assert.deepEqual(fromData.toArray(), [0]);
  // ScatterND writes whole rows (NaN elsewhere kept), or adds into them
  const u = floats('u', [2, 3], [7, 8, 9, 10, 11, 12]);
  assert.deepEqual(Array.from(run([node('ScatterND', ['x', 'i', 'u'], ['y'])], [ints('i', [2, 2], [0, 1, 1, 0]), u]).dataSync(), String),
    ['1', '0', '2', '7', '8', '9', '10', '11', '12', '5', '6', 'NaN']);
  assert.deepEqual(run([node('ScatterND', ['x', 'i', 'u'], ['y'], [attrStr('reduction', 'add')])], [ints('i', [2, 1], [0, 0]), floats('u', [2, 2, 3], Array.from({ length: 12 }, () => 1))]).slice(0, 0, 1).toArray(),
    [[[3, 2, 4], [2, 5, 2]]]);
  assert.throws(() => run([node('ScatterND', ['x', 'i', 'u'], ['y'])], [ints('i', [2, 1], [0, 1]), u]), /ScatterND node 'y': updates \[2, 3\] must be \[2, 2, 3\]/);
  assert.throws(() => run([node('GatherND', ['x', 'i'], ['y'])], [ints('i', [1, 4], [0, 0, 0, 0])]), /GatherND node 'y': indices \[1, 4\] must end in a tuple of 1 to 3 coordinates/);
  // [2, 1] + [3] of host integers is [2, 3]: computed on int32 tensors
  const grid = [node('Reshape', ['a', 's'], ['r']), node('Add', ['r', 'b'], ['y'])];
  assert.deepEqual(run(grid, [ints('a', [2], [10, 20]), ints('s', [2], [-1, 1]), ints('b', [3], [1, 2, 3])]).toArray(), [[11, 12, 13], [21, 22, 23]]);
});

test('before opset 13: Softmax over the 2-D view, Split, Slice, Clip, TopK and Pad attributes, Scatter, Upsample', () => {
  const x = st.tensor([[[1, 2, 3], [4, 5, 6]], [[0.5, -1, 2], [3, 0, -2]]]); // [2, 2, 3]
  const floats = (name: string, dims: number[], v: number[]): Uint8Array => msg([[1, dims], [2, 1], [8, str(name)], [9, new Uint8Array(Float32Array.from(v).buffer)]]);
  const ints = (name: string, dims: number[], v: number[]): Uint8Array => msg([[1, dims], [2, 7], [8, str(name)], [9, new Uint8Array(BigInt64Array.from(v.map(BigInt)).buffer)]]);
  const attrInts = (name: string, v: number[]): Uint8Array => msg([[1, str(name)], [8, v], [20, 7]]);
  const attrFloat = (name: string, v: number): Uint8Array => Uint8Array.from([...msg([[1, str(name)]]), 0x15, ...new Uint8Array(Float32Array.of(v).buffer), ...msg([[20, 1]])]);
  const run = (nodes: Uint8Array[], opset: number, inits: Uint8Array[] = [], input = x): st.Tensor => st.importOnnx(model(nodes, opset, inits)).forward(input) as st.Tensor;
  // Softmax-11 with the default axis 1 normalizes each sample over all its 6 values
  assertClose(run([node('Softmax', ['x'], ['y'])], 11), x.reshape([2, 6]).softmax(1).reshape([2, 2, 3]), 1e-7, 1e-7);
  assertClose(run([node('LogSoftmax', ['x'], ['y'], [attrInt('axis', 2)])], 9), x.logSoftmax(2), 1e-7, 1e-7);
  assertClose(run([node('Softmax', ['x'], ['y'])], 13), x.softmax(-1), 1e-7, 1e-7);
  // Split-11 sizes as an attribute
  const parts = st.importOnnx(model([node('Split', ['x'], ['a', 'b'], [attrInt('axis', 2), attrInts('split', [1, 2])])], 11)).run([x]);
  assert.deepEqual([parts.a.shape, parts.b.shape], [[2, 2, 1], [2, 2, 2]]);
  // Slice-9 with attributes; Clip-9 with attributes; TopK-9 with k; Pad-9 with its value
  assert.deepEqual(run([node('Slice', ['x'], ['y'], [attrInts('starts', [1]), attrInts('ends', [3]), attrInts('axes', [2])])], 9).toArray(), x.slice(2, 1, 3).toArray());
  assert.deepEqual(run([node('Clip', ['x'], ['y'], [attrFloat('min', 0), attrFloat('max', 2.5)])], 9).toArray(), x.clamp(0, 2.5).toArray());
  assert.deepEqual(run([node('Clip', ['x'], ['y'], [attrFloat('max', 1)])], 10).toArray(), x.clamp(null, 1).toArray());
  assert.deepEqual(run([node('TopK', ['x'], ['y', 'i'], [attrInt('k', 2)])], 9).toArray(), x.topk(2, -1).values.toArray());
  assert.deepEqual(run([node('Pad', ['x'], ['y'], [attrInts('pads', [0, 0, 1, 0, 0, 0]), attrFloat('value', 7)])], 9).toArray(), x.pad([1, 0], 7).toArray());
  // Scatter (ScatterElements' old name) writes the updates
  assert.deepEqual(run([node('Scatter', ['x', 'i', 'u'], ['y'], [attrInt('axis', 2)])], 9, [ints('i', [2, 2, 1], [2, 0, 1, 1]), floats('u', [2, 2, 1], [9, 8, 7, 6])]).toArray(),
    [[[1, 2, 9], [8, 5, 6]], [[0.5, 7, 2], [3, 6, -2]]]);
  // Upsample (opset 9) by 2 and 1.5: the source dst / scale rounded down, as PyTorch's nearest
  const img = st.arange(0, 6).to('float32').reshape([1, 1, 2, 3]);
  assert.deepEqual(run([node('Upsample', ['x', 's'], ['y'])], 9, [floats('s', [4], [1, 1, 2, 1.5])], img).toArray(),
    st.nn.functional.interpolate(img, { scaleFactor: [2, 1.5] }).toArray());
  assert.throws(() => run([node('Upsample', ['x', 's'], ['y'], [msg([[1, str('mode')], [4, str('linear')], [20, 3]])])], 9, [floats('s', [4], [1, 1, 2, 2])], img),
    /Upsample node 'y': mode linear is not supported before opset 11 \(only nearest\)/);
});

test('IsInf, Mod, Size, EyeLike, Shrink, Hardmax, LRN, LpNormalization, GlobalLpPool and MeanVarianceNormalization import', () => {
  const x = st.tensor([[[[1, -2], [3, 0.5]], [[-1, 4], [2, -3]], [[0.25, 1], [-0.5, 2]]]]); // [1, 3, 2, 2]
  const floats = (name: string, dims: number[], v: number[]): Uint8Array => msg([[1, dims], [2, 1], [8, str(name)], [9, new Uint8Array(Float32Array.from(v).buffer)]]);
  const attrFloat = (name: string, v: number): Uint8Array => Uint8Array.from([...msg([[1, str(name)]]), 0x15, ...new Uint8Array(Float32Array.of(v).buffer), ...msg([[20, 1]])]);
  const run = (nodes: Uint8Array[], inits: Uint8Array[] = [], input = x, opset = 13): st.Tensor => st.importOnnx(model(nodes, opset, inits)).forward(input) as st.Tensor;
  const special = st.tensor([Infinity, -Infinity, NaN, 1]);
  assert.deepEqual(run([node('IsInf', ['x'], ['y'])], [], special).toArray(), [true, true, false, false]);
  assert.deepEqual(run([node('IsInf', ['x'], ['y'], [attrInt('detect_negative', 0)])], [], special).toArray(), [true, false, false, false]);
  assert.deepEqual(run([node('IsInf', ['x'], ['y'], [attrInt('detect_positive', 0)])], [], special).toArray(), [false, true, false, false]);
  // Mod: the divisor's sign (integers), or the dividend's with fmod 1
  const num = st.tensor([7, -7, 7, -7]), den = floats('d', [4], [3, 3, -3, -3]);
  assert.deepEqual(run([node('Mod', ['x', 'd'], ['y'])], [den], num).toArray(), [1, 2, -2, -1]);
  assert.deepEqual(run([node('Mod', ['x', 'd'], ['y'], [attrInt('fmod', 1)])], [den], num).toArray(), [1, -1, 1, -1]);
  // exact where the quotient passes 2^24: 2^100 mod 3/8 is 1/4
  const huge = st.tensor([2 ** 100, -(2 ** 100)]), eighths = floats('d', [2], [0.375, 0.375]);
  assert.deepEqual(run([node('Mod', ['x', 'd'], ['y'], [attrInt('fmod', 1)])], [eighths], huge).toArray(), [0.25, -0.25]);
  assert.deepEqual(run([node('Mod', ['x', 'd'], ['y'])], [eighths], huge).toArray(), [0.25, 0.125]);
  // Size and EyeLike (diagonal k = 1)
  assert.equal(run([node('Size', ['x'], ['y'])]).item(), 12);
  assert.deepEqual(run([node('EyeLike', ['x'], ['y'], [attrInt('k', 1)])], [], st.zeros([2, 3])).toArray(), [[0, 1, 0], [0, 0, 1]]);
  // Shrink as hardshrink (bias 0) and softshrink (bias = lambd)
  const s = st.tensor([-2, -0.5, 0, 0.3, 1.5]);
  assert.deepEqual(run([node('Shrink', ['x'], ['y'], [attrFloat('lambd', 0.5)])], [], s).toArray(), [-2, 0, 0, 0, 1.5]);
  assertClose(run([node('Shrink', ['x'], ['y'], [attrFloat('lambd', 0.5), attrFloat('bias', 0.5)])], [], s), st.tensor([-1.5, 0, 0, 0, 1]), 0, 0);
  // Hardmax: one-hot of the first largest, along the last axis (13) or over the 2-D view (11)
  assert.deepEqual(run([node('Hardmax', ['x'], ['y'])], [], st.tensor([[1, 3, 3], [2, 0, 1]])).toArray(), [[0, 1, 0], [1, 0, 0]]);
  assert.deepEqual(run([node('Hardmax', ['x'], ['y'])], [], st.tensor([[[1, 3], [4, 0]]]), 11).toArray(), [[[0, 0], [1, 0]]]);
  // LRN over 3 channels (size 2: the channel and the one after), against the formula
  const lrn = run([node('LRN', ['x'], ['y'], [attrInt('size', 2), attrFloat('alpha', 0.1), attrFloat('beta', 0.5), attrFloat('bias', 2)])]);
  const sq = x.square(), next = st.cat([sq.slice(1, 1, 3), st.zeros([1, 1, 2, 2])], 1);
  assertClose(lrn, x.div(sq.add(next).mul(0.1 / 2).add(2).pow(0.5)), 1e-6, 1e-6);
  // p-norms: along an axis, and over the spatial axes; MVN over N, H, W
  assertClose(run([node('LpNormalization', ['x'], ['y'], [attrInt('axis', 1), attrInt('p', 1)])]), x.div(x.abs().sum(1, true)), 1e-7, 1e-7);
  assertClose(run([node('GlobalLpPool', ['x'], ['y'])]), x.square().sum([2, 3], true).sqrt(), 1e-6, 1e-6);
  const m = x.mean([0, 2, 3], true);
  assertClose(run([node('MeanVarianceNormalization', ['x'], ['y'])]), x.sub(m).div(x.sub(m).square().mean([0, 2, 3], true).sqrt()), 1e-5, 1e-5);
});

// ---- a few lines of protobuf encoding for hand-made models (field numbers from onnx.proto) ----
type Field = [number, number | Uint8Array | number[]];
function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) { out.push((n & 0x7f) | 0x80); n = Math.floor(n / 0x80); }
  out.push(n);
  return out;
}
function str(s: string): Uint8Array { return new TextEncoder().encode(s); }
function msg(fields: Field[]): Uint8Array {
  const out: number[] = [];
  for (const [f, v] of fields) {
    if (typeof v === 'number') out.push(...varint(f * 8), ...varint(v));
    else {
      const bytes = v instanceof Uint8Array ? v : Uint8Array.from(v.flatMap(varint));
      out.push(...varint(f * 8 + 2), ...varint(bytes.length), ...bytes);
    }
  }
  return Uint8Array.from(out);
}
function attrInt(name: string, v: number): Uint8Array { return msg([[1, str(name)], [3, v], [20, 2]]); }
function node(op: string, inputs: string[], outputs: string[], attrs: Uint8Array[] = []): Uint8Array {
  return msg([...inputs.map((i): Field => [1, str(i)]), ...outputs.map((o): Field => [2, str(o)]), [4, str(op)], ...attrs.map((a): Field => [5, a])]);
}
/** The output names of an encoded NodeProto (field 2), read back with Strata's own decoder. */
function outputsOf(n: Uint8Array): string[] {
  const g = io.decodeOnnx(msg([[7, msg([[1, n]])]]));
  return g.nodes[0].outputs;
}
function model(nodes: Uint8Array[], opset: number, initializers: Uint8Array[] = []): Uint8Array {
  const io1 = (name: string): Uint8Array => msg([[1, str(name)]]);
  const outs = nodes.length === 1 ? outputsOf(nodes[0]) : ['y'];
  const graph = msg([...nodes.map((n): Field => [1, n]), [2, str('g')], ...initializers.map((t): Field => [5, t]), [11, io1('x')], ...outs.map((o): Field => [12, io1(o)])]);
  return msg([[1, 7], [7, graph], [8, msg([[1, str('')], [2, opset]])]]);
}
