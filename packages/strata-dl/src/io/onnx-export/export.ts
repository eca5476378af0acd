// SPDX-License-Identifier: MIT
// ONNX export of any Module by graph capture: the forward pass runs twice, at two batch sizes, with
// every primitive recorded (trace.ts); the two traces must be the same program, and the attributes
// that differ between them (reshape targets, slice ends...) become shapes computed from the input's
// batch dimension, so the exported graph takes any batch size.
import { StrataError, fmtShape } from '../../core/errors.js';
import type { DType } from '../../core/dtype.js';
import { Generator } from '../../core/rng.js';
import { rand, tensor } from '../../tensor/creation.js';
import { scoped } from '../../tensor/scope.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Module } from '../../nn/module.js';
import { GraphBuilder } from './graph.js';
import { LOWERED, lower } from './lower.js';
import { FLOAT, INT32, IR_VERSION, ProtoWriter, type TensorData, tensorProto, valueInfo } from './proto.js';
import type { OnnxExportOptions } from '../onnx.js';
import { type Trace, capture } from './trace.js';
import { storageOf } from '../../tensor/identity.js';

const ELEM: Partial<Record<DType, number>> = { float32: FLOAT, int32: INT32, bool: 9 };

function sample(opts: OnnxExportOptions, batch: number, backend: string | undefined, seed: number): Tensor {
  const axis = opts.batchAxis ?? 0;
  const shape = [...opts.inputShape.slice(0, axis), batch, ...opts.inputShape.slice(axis)];
  if (opts.inputDtype === 'int32') {
    // Ids 0 and 1: valid for any embedding; the values only need to differ between the two traces.
    const n = shape.reduce((p, d) => p * d, 1);
    return tensor(Int32Array.from({ length: n }, (_, i) => (i * 7 + seed) % 2), { shape, dtype: 'int32', backend });
  }
  return rand(shape, { generator: new Generator(seed), backend });
}

function data(name: string, t: Tensor): TensorData {
  const d = t.dataSync();
  if (d instanceof Float32Array || d instanceof Int32Array || d instanceof Uint8Array) return d;
  throw new StrataError('exportOnnx', `${name} is ${t.dtype}; ONNX export writes float32, int32 and bool tensors (convert the model with .to('float32'))`);
}

const same = (x: Tensor, y: Tensor): boolean => {
  if (x.shape.join() !== y.shape.join() || x.dtype !== y.dtype) return false;
  const dx = x.dataSync(), dy = y.dataSync();
  return dx.every((v, i) => Object.is(v, dy[i]));
};
const uniform = (t: Tensor): boolean => { const d = t.dataSync(); return d.every((v) => Object.is(v, d[0])); };

/** The traced export: see `exportOnnx` in io/onnx.ts, which calls this for anything but a plain Sequential. */
export function exportTraced(model: Module, opts: OnnxExportOptions): Uint8Array {
  const { inputShape, batch, batchAxis = 0, inputName = 'input', graphName = 'strata' } = opts;
  if (!inputShape.every((d) => Number.isInteger(d) && d > 0)) throw new StrataError('exportOnnx', `inputShape must be positive integers, got ${JSON.stringify(inputShape)}`);
  if (!(Number.isInteger(batchAxis) && batchAxis >= 0 && batchAxis <= inputShape.length)) throw new StrataError('exportOnnx', `batchAxis must be an integer in [0, ${inputShape.length}], got ${batchAxis}`);
  if (batch !== undefined && !(Number.isInteger(batch) && batch > 0)) throw new StrataError('exportOnnx', `batch must be a positive integer, got ${batch}`);
  const sizes: [number, number] = [batch ?? 2, (batch ?? 2) + 1];
  const backend = model.parameters()[0]?.backend.name;
  const run = opts.forward ?? ((m: Module, x: Tensor) => m.call(x));
  const modes = model.modules().map((m) => [m, m.training] as const);
  model.eval(); // the export is for inference: dropout off, batch norm on running statistics
  try {
    return scoped(() => {
      const inputs = sizes.map((n, i) => sample(opts, n, backend, 11 + i));
      const traces = inputs.map((x) => capture(() => run(model, x))) as [Trace, Trace];
      return build(model, opts, traces, inputs as [Tensor, Tensor], sizes, { inputName, graphName, dynamic: batch === undefined, batchAxis });
    });
  } finally {
    for (const [m, mode] of modes) m.training = mode;
  }
}

interface BuildInfo { inputName: string; graphName: string; dynamic: boolean; batchAxis: number }

function build(model: Module, opts: OnnxExportOptions, [ta, tb]: [Trace, Trace], [xa, xb]: [Tensor, Tensor], sizes: [number, number], info: BuildInfo): Uint8Array {
  const differ = ta.steps.length !== tb.steps.length || ta.steps.some((s, i) => s.prim !== tb.steps[i].prim) || ta.outputs.length !== tb.outputs.length;
  if (differ) throw new StrataError('exportOnnx', `the forward pass runs different operations at batch sizes ${sizes[0]} and ${sizes[1]} (${ta.steps.length} and ${tb.steps.length} primitives); only batch-independent control flow can be exported`);
  const unsupported = new Set<string>();
  for (const s of ta.steps) {
    if (!LOWERED.has(s.prim) || (s.prim === 'matmul' && (s.attrs as { sumBatch?: boolean }).sumBatch)) unsupported.add(s.prim);
  }
  if (unsupported.size) throw new StrataError('exportOnnx', `the forward pass uses primitives with no ONNX lowering: ${[...unsupported].join(', ')}`);
  if (ta.outputs.length === 0) throw new StrataError('exportOnnx', 'the forward pass returned no tensor');

  const g = new GraphBuilder({ input: info.inputName, axis: info.batchAxis, sizes, dynamic: info.dynamic });
  const names = new Map<Tensor, string>([[xa, info.inputName]]);
  const byStorage = new Map<unknown, [Tensor, string]>([[storageOf(xa), [xa, info.inputName]]]);
  const stateKeys = new Map<unknown, string>();
  for (const [k, t] of [...model.namedParameters(), ...model.namedBuffers()]) stateKeys.set(storageOf(t), k);
  let constants = 0;

  /** The graph value of `t`, an input of step `i` (`u` is the same input in the other trace). */
  const valueOf = (t: Tensor, u: Tensor, op: string): string => {
    const known = names.get(t);
    if (known !== undefined) return known;
    const alias = byStorage.get(storageOf(t)); // a detached view of a traced value
    if (alias && alias[0].shape.join() === t.shape.join()) return alias[1];
    let name: string;
    const key = stateKeys.get(storageOf(t));
    if (key !== undefined) name = g.initializer(key, t.shape, data(key, t));
    else if (same(t, u)) name = g.initializer(`const${constants++}`, t.shape, data('a constant', t));
    else if (t.shape.join() !== u.shape.join() && uniform(t) && uniform(u) && t.size > 0 && u.size > 0) {
      // A filled tensor shaped by the batch (a zero initial state): ConstantOfShape of a computed shape.
      const value = tensorProto('value', [1], data('a constant', t).slice(0, 1));
      name = g.node('ConstantOfShape', [g.dims(`a ${t.dtype} constant ${fmtShape(t.shape)}`, t.shape, u.shape)], [{ name: 'value', t: value }]);
    } else {
      throw new StrataError('exportOnnx', `${op}: an input ${fmtShape(t.shape)} that no traced primitive computed depends on the input batch (a tensor made from data outside the graph, such as values read with dataSync or a random tensor)`);
    }
    names.set(t, name);
    return name;
  };

  ta.steps.forEach((a, i) => {
    const b = tb.steps[i];
    if (a.ins.length !== b.ins.length) throw new StrataError('exportOnnx', `${a.prim}: the two traces differ`);
    for (const t of [...a.ins, a.out]) {
      if (!(t.dtype in ELEM)) throw new StrataError('exportOnnx', `${a.prim}: ${t.dtype} tensors cannot be exported; convert the model to float32`);
    }
    const out = lower(g, a, b, a.ins.map((t, j) => valueOf(t, b.ins[j], a.prim)));
    names.set(a.out, out);
    byStorage.set(storageOf(a.out), [a.out, out]);
  });

  const outputNames = opts.outputNames ?? ta.outputs.map((_, i) => (i === 0 ? opts.outputName ?? 'output' : `${opts.outputName ?? 'output'}${i}`));
  if (outputNames.length !== ta.outputs.length) throw new StrataError('exportOnnx', `outputNames has ${outputNames.length} names for ${ta.outputs.length} outputs`);
  const outInfos: ProtoWriter[] = [];
  ta.outputs.forEach((t, i) => {
    const u = tb.outputs[i];
    const src = valueOf(t, u, `output ${i}`);
    g.nodes.push({ opType: 'Identity', name: g.fresh(`${outputNames[i]}.Identity`), inputs: [src], outputs: [outputNames[i]], attrs: [] });
    const dims = t.shape.map((d, k) => (d === u.shape[k] ? d : info.dynamic && d === sizes[0] && u.shape[k] === sizes[1] ? 'N' : null));
    outInfos.push(valueInfo(outputNames[i], info.dynamic ? dims : t.shape, ELEM[t.dtype]));
  });

  const inDims: (number | string)[] = [...opts.inputShape];
  inDims.splice(info.batchAxis, 0, info.dynamic ? 'N' : sizes[0]);
  const graph = new ProtoWriter();
  for (const n of g.nodeMessages()) graph.message(1, n);
  graph.string(2, info.graphName);
  for (const init of g.initializers) graph.message(5, init);
  graph.message(11, valueInfo(info.inputName, inDims, ELEM[xa.dtype]));
  for (const o of outInfos) graph.message(12, o);
  return new ProtoWriter().int(1, IR_VERSION[g.opset]).string(2, 'strata').message(7, graph).message(8, new ProtoWriter().string(1, '').int(2, g.opset)).finish();
}
