// SPDX-License-Identifier: MIT
// ONNX export: the bytes decode as an ONNX ModelProto (protobufjs with the schema's few messages
// below, field numbers from onnx.proto), and ONNX Runtime runs them to Strata's own outputs.
// The ONNX Runtime tests skip, with the reason, where onnxruntime-node cannot load.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import protobuf from 'protobufjs';
import * as st from 'strata-dl';

const { nn } = st;

type OrtModule = typeof import('onnxruntime-node');
let ort: OrtModule | null = null;
let ortSkip: string | false = false;
try {
  ort = await import('onnxruntime-node');
} catch (e) {
  ortSkip = `onnxruntime-node cannot load here: ${(e as Error).message.split('\n')[0]}`;
}

const f = (id: number, type: string, rule?: 'repeated') => ({ id, type, ...(rule ? { rule } : {}) });
const onnx = protobuf.Root.fromJSON({
  nested: {
    onnx: {
      nested: {
        ModelProto: { fields: { irVersion: f(1, 'int64'), producerName: f(2, 'string'), graph: f(7, 'GraphProto'), opsetImport: f(8, 'OperatorSetIdProto', 'repeated') } },
        OperatorSetIdProto: { fields: { domain: f(1, 'string'), version: f(2, 'int64') } },
        GraphProto: {
          fields: {
            node: f(1, 'NodeProto', 'repeated'), name: f(2, 'string'), initializer: f(5, 'TensorProto', 'repeated'),
            input: f(11, 'ValueInfoProto', 'repeated'), output: f(12, 'ValueInfoProto', 'repeated'),
          },
        },
        NodeProto: { fields: { input: f(1, 'string', 'repeated'), output: f(2, 'string', 'repeated'), name: f(3, 'string'), opType: f(4, 'string'), attribute: f(5, 'AttributeProto', 'repeated') } },
        AttributeProto: { fields: { name: f(1, 'string'), f: f(2, 'float'), i: f(3, 'int64'), ints: f(8, 'int64', 'repeated'), type: f(20, 'int32') } },
        TensorProto: { fields: { dims: f(1, 'int64', 'repeated'), dataType: f(2, 'int32'), name: f(8, 'string'), rawData: f(9, 'bytes') } },
        ValueInfoProto: { fields: { name: f(1, 'string'), type: f(2, 'TypeProto') } },
        TypeProto: { fields: { tensorType: f(1, 'TypeProtoTensor') } },
        TypeProtoTensor: { fields: { elemType: f(1, 'int32'), shape: f(2, 'TensorShapeProto') } },
        TensorShapeProto: { fields: { dim: f(1, 'Dimension', 'repeated') } },
        Dimension: { fields: { dimValue: f(1, 'int64'), dimParam: f(2, 'string') } },
      },
    },
  },
});

interface Decoded {
  irVersion: number;
  producerName: string;
  opsetImport: { domain: string; version: number }[];
  graph: {
    node: { input: string[]; output: string[]; opType: string; attribute?: { name: string; f?: number; i?: number; ints?: number[] }[] }[];
    initializer: { name: string; dims: number[]; dataType: number; rawData: Uint8Array }[];
    input: { name: string; type: { tensorType: { elemType: number; shape: { dim: { dimValue?: number; dimParam?: string }[] } } } }[];
    output: { name: string; type: { tensorType: { elemType: number; shape: { dim: { dimValue?: number; dimParam?: string }[] } } } }[];
  };
}

function decode(bytes: Uint8Array): Decoded {
  const Model = onnx.lookupType('onnx.ModelProto');
  return Model.toObject(Model.decode(bytes), { longs: Number, defaults: false, arrays: true }) as Decoded;
}

/** Runs the exported model in ONNX Runtime on `x` and returns the output and its dims. */
async function runOrt(bytes: Uint8Array, x: st.Tensor): Promise<{ data: Float32Array; dims: readonly number[] }> {
  if (!ort) throw new Error('unreachable: the test is skipped without onnxruntime-node');
  const session = await ort.InferenceSession.create(bytes);
  const data = x.dataSync();
  assert.ok(data instanceof Float32Array);
  const out = (await session.run({ input: new ort.Tensor('float32', Float32Array.from(data), [...x.shape]) })).output;
  await session.release();
  assert.ok(out.data instanceof Float32Array);
  return { data: out.data, dims: out.dims };
}

async function assertSameAsStrata(model: st.nn.Sequential, inputShape: number[], batch: number, tol = 1e-4): Promise<void> {
  model.eval();
  const x = st.rand([batch, ...inputShape], { generator: new st.Generator(7) });
  const expected = st.noGrad(() => model.forward(x));
  const got = await runOrt(st.io.exportOnnx(model, { inputShape }), x);
  assert.deepEqual(got.dims, expected.shape);
  const want = expected.dataSync();
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got.data[i] - want[i]) / (1 + Math.abs(want[i])));
  assert.ok(worst < tol, `largest difference ${worst} ≥ ${tol}`);
}

test('the W3 CNN exports to an ONNX ModelProto: opset 13, state-dict-named float32 initializers, symbolic batch', () => {
  const model = st.models.cnn();
  const m = decode(st.io.exportOnnx(model, { inputShape: [1, 28, 28] }));
  assert.equal(m.irVersion, 7);
  assert.equal(m.producerName, 'strata');
  assert.deepEqual(m.opsetImport, [{ version: 13 }]);
  assert.deepEqual(m.graph.node.map((n) => n.opType), ['Conv', 'Relu', 'Conv', 'Relu', 'MaxPool', 'Flatten', 'Gemm', 'Relu', 'Gemm']);
  const state = model.stateDict();
  assert.deepEqual(m.graph.initializer.map((t) => t.name).sort(), Object.keys(state).sort());
  for (const t of m.graph.initializer) {
    assert.equal(t.dataType, 1);
    assert.deepEqual(t.dims, state[t.name].shape);
    const raw = new Float32Array(t.rawData.slice().buffer);
    assert.deepEqual(raw, state[t.name].dataSync());
  }
  const conv = m.graph.node[0];
  assert.deepEqual(conv.input, ['input', '0.weight', '0.bias']);
  assert.deepEqual(conv.attribute?.map((a) => [a.name, a.ints?.length ? a.ints : a.i]), [['kernel_shape', [3, 3]], ['strides', [1, 1]], ['dilations', [1, 1]], ['pads', [0, 0, 0, 0]], ['group', 1]]);
  assert.deepEqual(m.graph.input[0].type.tensorType.shape.dim, [{ dimParam: 'N' }, { dimValue: 1 }, { dimValue: 28 }, { dimValue: 28 }]);
  assert.equal(m.graph.output[0].name, 'output');
  assert.deepEqual(m.graph.output[0].type.tensorType.shape.dim, [{ dimParam: 'N' }, { dimValue: 10 }]);
  assert.deepEqual(m.graph.node.at(-1)?.output, ['output']);
});

test('negative attributes (Softmax axis -1) are int64 varints; a fixed batch size replaces N', () => {
  const m = decode(st.io.exportOnnx(new nn.Sequential(new nn.Linear(3, 2), new nn.Softmax()), { inputShape: [3], batch: 5 }));
  assert.deepEqual(m.graph.node[1].attribute?.map((a) => [a.name, a.i]), [['axis', -1]]);
  assert.deepEqual(m.graph.input[0].type.tensorType.shape.dim, [{ dimValue: 5 }, { dimValue: 3 }]);
});

test('layers without a per-layer form go through the traced export; bad input shapes are errors that name them', () => {
  // LayerNorm has no per-layer ONNX node here: the Sequential is traced instead (test/io/onnx-export.test.ts runs it).
  const m = decode(st.io.exportOnnx(new nn.Sequential(new nn.Linear(4, 4), new nn.LayerNorm([4])), { inputShape: [4] }));
  assert.ok(m.graph.node.some((n) => n.opType === 'ReduceSum'));
  assert.deepEqual(m.graph.initializer.map((t) => t.name).filter((n) => !n.startsWith('const')).sort(), ['0.bias', '0.weight', '1.bias', '1.weight']);
  assert.throws(() => st.io.exportOnnx(new nn.Sequential(new nn.Linear(4, 4)), { inputShape: [0] }), /inputShape must be positive integers/);
});

test('ONNX Runtime runs the exported W3 CNN to Strata\'s forward pass (1e-4)', { skip: ortSkip }, async () => {
  await assertSameAsStrata(st.models.cnn(), [1, 28, 28], 8);
});

test('ONNX Runtime matches the W1 MLP and the W2 LeNet (same padding)', { skip: ortSkip }, async () => {
  await assertSameAsStrata(st.models.mlp(), [1, 28, 28], 4);
  await assertSameAsStrata(st.models.lenet5(), [1, 28, 28], 4);
});

test('ONNX Runtime matches every supported layer: strided and padded windows, 2-D and 4-D paddings, nested Sequential, partial Flatten, Linear on 3-D input', { skip: ortSkip }, async () => {
  await assertSameAsStrata(new nn.Sequential(
    new nn.Conv2d(3, 4, 3, { stride: 2, padding: 'same' }), new nn.Sigmoid(), new nn.Dropout(0.5),
    new nn.Conv2d(4, 6, [3, 2], { padding: [1, 0, 2, 1], dilation: [2, 1], groups: 2 }), new nn.Tanh(),
    new nn.Sequential(new nn.AvgPool2d(3, { stride: 2, padding: 1 }), new nn.LeakyReLU(0.1)),
    new nn.AvgPool2d(2, { padding: 1, countIncludePad: false }), new nn.ELU(),
    new nn.MaxPool2d(2, { stride: 1, padding: [1, 0] }),
    new nn.Flatten(2), new nn.Linear(6, 5), new nn.Identity(), new nn.LogSoftmax(1),
    new nn.Flatten(), new nn.Linear(30, 4), new nn.Softmax(),
  ), [3, 11, 9], 3);
});
