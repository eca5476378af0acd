// SPDX-License-Identifier: MIT
/**
 * ONNX export of feed-forward `Sequential` models: an ONNX `ModelProto` (IR version 7, opset 13)
 * whose initializers are the model's float32 weights, named by their state-dict keys (`0.weight`).
 * Supported layers: Conv2d, Linear, ReLU, LeakyReLU, ELU, Sigmoid, Tanh, Softmax, LogSoftmax,
 * MaxPool2d, AvgPool2d, Flatten, Dropout and Identity (both dropped: the export is for inference),
 * and nested Sequentials. The batch axis is symbolic (`N`) unless `batch` is given.
 *
 * The protobuf wire format is written by hand below (about 60 lines: varints, length-delimited
 * fields, fixed32 floats). A protobuf package would be a runtime dependency of the whole library,
 * and a browser-safe one only in its reflection-free "minimal" build, for the few messages that an
 * export needs; the test decodes our bytes with protobufjs and loads them in ONNX Runtime.
 *
 * NOTE: `io` sits below `nn` (STYLE.md §4) and must not import it at run time, so layers are told
 * apart by class name. A bundler that renames classes (minifiers without `keepNames`) breaks the
 * export; it then fails with "unsupported layer", never silently.
 *
 * @example
 * const bytes = exportOnnx(models.cnn(), { inputShape: [1, 28, 28] });
 * // onnxruntime: await InferenceSession.create(bytes); session.run({ input: … }) → { output }
 */
import { StrataError, fmtShape } from '../core/errors.js';
import { zeros } from '../tensor/creation.js';
import { scoped } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Module } from '../nn/module.js';
import type { Sequential } from '../nn/container.js';
import type { Conv2d } from '../nn/conv.js';
import type { Linear } from '../nn/linear.js';
import type { MaxPool2d } from '../nn/pool.js';
import type { Flatten } from '../nn/reshape.js';
import type { ELU, LeakyReLU, LogSoftmax, Softmax } from '../nn/activation.js';

/** Options of the ONNX export. */
export interface OnnxExportOptions {
  /** One sample's shape, without the batch axis: `[C, H, W]` for images, `[features]` for vectors. */
  inputShape: readonly number[];
  /** A fixed batch size; by default the batch axis is the symbolic dimension `N`. */
  batch?: number;
  /** Default `'input'`. */
  inputName?: string;
  /** Default `'output'`. */
  outputName?: string;
  /** Default `'strata'`. */
  graphName?: string;
}

const OPSET = 13;
const IR_VERSION = 7; // the IR version that goes with opset 13 (ONNX 1.8)
const FLOAT = 1;
const INT64 = 7;
const ATTR = { FLOAT: 1, INT: 2, INTS: 7 } as const;

// ---- protobuf wire format -------------------------------------------------------------------

/** Appends protobuf fields to a growing list of byte chunks; nested messages are encoded first. */
class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private bytesOut: number[] = [];
  private flush(): void {
    if (this.bytesOut.length) this.chunks.push(Uint8Array.from(this.bytesOut));
    this.bytesOut = [];
  }
  private varint(v: number | bigint): void {
    // int64 fields encode negative values as 10-byte two's-complement varints.
    let x = typeof v === 'bigint' ? BigInt.asUintN(64, v) : v < 0 ? BigInt.asUintN(64, BigInt(v)) : v;
    if (typeof x === 'number') {
      if (!Number.isSafeInteger(x)) throw new StrataError('exportOnnx', `integer ${x} is out of range`);
      while (x >= 0x80) { this.bytesOut.push((x % 0x80) | 0x80); x = Math.floor(x / 0x80); }
      this.bytesOut.push(x);
    } else {
      while (x >= 0x80n) { this.bytesOut.push(Number(x & 0x7fn) | 0x80); x >>= 7n; }
      this.bytesOut.push(Number(x));
    }
  }
  private tag(field: number, wire: 0 | 2 | 5): void { this.varint(field * 8 + wire); }
  int(field: number, v: number): this { this.tag(field, 0); this.varint(v); return this; }
  float(field: number, v: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.bytesOut.push(...b);
    return this;
  }
  bytes(field: number, b: Uint8Array): this {
    this.tag(field, 2);
    this.varint(b.byteLength);
    this.flush();
    this.chunks.push(b);
    return this;
  }
  string(field: number, s: string): this { return this.bytes(field, new TextEncoder().encode(s)); }
  message(field: number, m: ProtoWriter): this { return this.bytes(field, m.finish()); }
  /** A packed repeated int64 field. */
  packed(field: number, values: readonly number[]): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.varint(v);
    return this.bytes(field, inner.finish());
  }
  finish(): Uint8Array {
    this.flush();
    if (this.chunks.length === 1) return this.chunks[0];
    const out = new Uint8Array(this.chunks.reduce((n, c) => n + c.byteLength, 0));
    let at = 0;
    for (const c of this.chunks) { out.set(c, at); at += c.byteLength; }
    return out;
  }
}

// ---- ONNX messages (field numbers from onnx.proto) -----------------------------------------

type Attr = { name: string; f: number } | { name: string; i: number } | { name: string; ints: readonly number[] };

function attribute(a: Attr): ProtoWriter {
  const w = new ProtoWriter().string(1, a.name);
  if ('f' in a) return w.float(2, a.f).int(20, ATTR.FLOAT);
  if ('i' in a) return w.int(3, a.i).int(20, ATTR.INT);
  return w.packed(8, a.ints).int(20, ATTR.INTS);
}

function node(opType: string, name: string, inputs: readonly string[], outputs: readonly string[], attrs: readonly Attr[] = []): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of inputs) w.string(1, i);
  for (const o of outputs) w.string(2, o);
  w.string(3, name).string(4, opType);
  for (const a of attrs) w.message(5, attribute(a));
  return w;
}

function littleEndian(a: Float32Array | BigInt64Array): Uint8Array {
  const out = new Uint8Array(a.byteLength);
  const view = new DataView(out.buffer);
  if (a instanceof Float32Array) a.forEach((v, i) => view.setFloat32(i * 4, v, true));
  else a.forEach((v, i) => view.setBigInt64(i * 8, v, true));
  return out;
}

function tensorProto(name: string, dims: readonly number[], data: Float32Array | BigInt64Array): ProtoWriter {
  return new ProtoWriter().packed(1, dims).int(2, data instanceof Float32Array ? FLOAT : INT64).string(8, name).bytes(9, littleEndian(data));
}

/** ValueInfoProto of a float32 tensor; a dimension given as a string is symbolic. */
function valueInfo(name: string, dims: readonly (number | string)[]): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of dims) shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
  const tensorType = new ProtoWriter().int(1, FLOAT).message(2, shape);
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
}

// ---- layers to nodes -------------------------------------------------------------------------

type Pair = number | readonly [number, number];
type Pads = number | readonly [number, number] | readonly [number, number, number, number] | 'valid' | 'same' | 'full';
const pair = (v: Pair): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);

/** ONNX `pads` ([top, left, bottom, right]) of a 2-D window op, resolved as Strata's own `padding` is. */
function pads2d(padding: Pads, [h, w]: readonly number[], k: [number, number], s: [number, number], d: [number, number]): number[] {
  let tb: [number, number];
  let lr: [number, number];
  if (typeof padding === 'string') {
    const mode = (n: number, kk: number, ss: number, dd: number): [number, number] => {
      const span = dd * (kk - 1) + 1;
      if (padding === 'valid') return [0, 0];
      if (padding === 'full') return [span - 1, span - 1];
      const total = Math.max((Math.ceil(n / ss) - 1) * ss + span - n, 0);
      return [Math.floor(total / 2), total - Math.floor(total / 2)]; // the extra pixel at the end, as TF's 'SAME'
    };
    tb = mode(h, k[0], s[0], d[0]);
    lr = mode(w, k[1], s[1], d[1]);
  } else if (typeof padding === 'number') {
    tb = [padding, padding];
    lr = [padding, padding];
  } else if (padding.length === 2) {
    tb = [padding[0], padding[0]];
    lr = [padding[1], padding[1]];
  } else {
    tb = [padding[0], padding[1]];
    lr = [padding[2], padding[3]];
  }
  return [tb[0], lr[0], tb[1], lr[1]];
}

interface Emit {
  node(opType: string, inputs: readonly string[], attrs?: readonly Attr[]): string;
  initializer(suffix: string, dims: readonly number[], data: Float32Array | BigInt64Array): string;
}

function float32(op: string, t: Tensor): Float32Array {
  const d = t.dataSync();
  if (!(d instanceof Float32Array)) throw new StrataError('exportOnnx', `${op}: weights must be float32, got ${t.dtype}`);
  return d;
}

/** Emits the nodes of one layer that maps `x` (of traced shape `shape`) and returns its output name. */
function emitLayer(layer: Module, x: string, shape: readonly number[], e: Emit): string {
  const kind = layer.constructor.name;
  switch (kind) {
    case 'Conv2d': {
      const c = layer as Conv2d;
      if (shape.length !== 4) throw new StrataError('exportOnnx', `Conv2d needs a 4-D input, got ${fmtShape(shape)}`);
      const k = c.kernelSize, s = pair(c.stride), d = pair(c.dilation);
      const inputs = [x, e.initializer('weight', c.weight.shape, float32('Conv2d', c.weight))];
      if (c.bias) inputs.push(e.initializer('bias', c.bias.shape, float32('Conv2d', c.bias)));
      return e.node('Conv', inputs, [
        { name: 'kernel_shape', ints: k }, { name: 'strides', ints: s }, { name: 'dilations', ints: d },
        { name: 'pads', ints: pads2d(c.padding, shape.slice(2), k, s, d) }, { name: 'group', i: c.groups },
      ]);
    }
    case 'Linear': {
      const l = layer as Linear;
      const w = float32('Linear', l.weight);
      const b = l.bias ? e.initializer('bias', l.bias.shape, float32('Linear', l.bias)) : null;
      if (shape.length === 2) {
        return e.node('Gemm', [x, e.initializer('weight', l.weight.shape, w), ...(b ? [b] : [])], [{ name: 'transB', i: 1 }]);
      }
      // Gemm takes matrices only: other ranks get MatMul with the transposed weight, then Add.
      const [out, inp] = l.weight.shape;
      const wt = new Float32Array(w.length);
      for (let o = 0; o < out; o++) for (let i = 0; i < inp; i++) wt[i * out + o] = w[o * inp + i];
      const y = e.node('MatMul', [x, e.initializer('weight_t', [inp, out], wt)]);
      return b ? e.node('Add', [y, b]) : y;
    }
    case 'ReLU': return e.node('Relu', [x]);
    case 'Sigmoid': return e.node('Sigmoid', [x]);
    case 'Tanh': return e.node('Tanh', [x]);
    case 'LeakyReLU': return e.node('LeakyRelu', [x], [{ name: 'alpha', f: (layer as LeakyReLU).negativeSlope }]);
    case 'ELU': return e.node('Elu', [x], [{ name: 'alpha', f: (layer as ELU).alpha }]);
    case 'Softmax': return e.node('Softmax', [x], [{ name: 'axis', i: (layer as Softmax).dim }]);
    case 'LogSoftmax': return e.node('LogSoftmax', [x], [{ name: 'axis', i: (layer as LogSoftmax).dim }]);
    case 'Dropout': case 'Identity': return x;
    case 'MaxPool2d': case 'AvgPool2d': {
      const p = layer as MaxPool2d; // AvgPool2d has the same fields
      if (shape.length !== 4) throw new StrataError('exportOnnx', `${kind} needs a 4-D input, got ${fmtShape(shape)}`);
      // Not mapped yet (ONNX's ceil_mode edge rule and divisor need checking against onnxruntime): refuse rather than export other windows.
      if (p.options.ceilMode || p.options.divisorOverride !== undefined) throw new StrataError('exportOnnx', `${kind} with ceilMode or divisorOverride is not supported by the ONNX exporter yet`);
      const k = pair(p.kernelSize), s = pair(p.options.stride ?? p.kernelSize), d = pair(p.options.dilation ?? 1);
      const attrs: Attr[] = [{ name: 'kernel_shape', ints: k }, { name: 'strides', ints: s }, { name: 'pads', ints: pads2d(p.options.padding ?? 0, shape.slice(2), k, s, d) }];
      if (kind === 'MaxPool2d') return e.node('MaxPool', [x], [...attrs, { name: 'dilations', ints: d }]);
      if (d[0] !== 1 || d[1] !== 1) throw new StrataError('exportOnnx', 'AvgPool2d with dilation has no opset-13 ONNX equivalent');
      return e.node('AveragePool', [x], [...attrs, { name: 'count_include_pad', i: (p.options.countIncludePad ?? true) ? 1 : 0 }]);
    }
    case 'Flatten': {
      const f = layer as Flatten;
      const start = f.startDim < 0 ? f.startDim + shape.length : f.startDim;
      const end = f.endDim < 0 ? f.endDim + shape.length : f.endDim;
      if (start === 0) throw new StrataError('exportOnnx', 'Flatten over the batch axis (startDim 0) is not supported');
      if (start === 1 && end === shape.length - 1) return e.node('Flatten', [x], [{ name: 'axis', i: 1 }]);
      // 0 in a Reshape target copies the input's dimension: the batch axis stays symbolic.
      const target = [0, ...shape.slice(1, start), shape.slice(start, end + 1).reduce((a, b) => a * b, 1), ...shape.slice(end + 1)];
      return e.node('Reshape', [x, e.initializer('shape', [target.length], BigInt64Array.from(target, BigInt))]);
    }
    default:
      throw new StrataError('exportOnnx', `unsupported layer ${kind}; supported: Conv2d, Linear, ReLU, LeakyReLU, ELU, Sigmoid, Tanh, Softmax, LogSoftmax, MaxPool2d, AvgPool2d, Flatten, Dropout, Identity, Sequential`);
  }
}

/** Leaf layers in order with their state-dict prefixes (`0.`, `3.1.`), nested Sequentials unrolled. */
function leaves(model: Sequential, prefix = ''): [string, Module][] {
  return [...model].flatMap((m, i): [string, Module][] =>
    m.constructor.name === 'Sequential' ? leaves(m as Sequential, `${prefix}${i}.`) : [[`${prefix}${i}`, m]]);
}

/**
 * Serializes a `Sequential` model to ONNX bytes (opset 13): one input `[N, ...inputShape]`, one
 * output, float32 weights as initializers. The layers' output shapes are found by running them
 * once on a zero sample of `inputShape` (Dropout is skipped, so the global generator is untouched).
 *
 * @example
 * const bytes = exportOnnx(models.mlp(), { inputShape: [1, 28, 28] }); // a Uint8Array
 */
export function exportOnnx(model: Sequential, opts: OnnxExportOptions): Uint8Array {
  const { inputShape, batch, inputName = 'input', outputName = 'output', graphName = 'strata' } = opts;
  if (!inputShape.every((d) => Number.isInteger(d) && d > 0)) throw new StrataError('exportOnnx', `inputShape must be positive integers, got ${JSON.stringify(inputShape)}`);
  interface Node { opType: string; name: string; inputs: readonly string[]; outputs: string[]; attrs: readonly Attr[] }
  const nodes: Node[] = [];
  const initializers: ProtoWriter[] = [];
  let prefix = '';
  const emit: Emit = {
    node(opType, inputs, attrs = []) {
      const name = `${prefix}.${opType}${nodes.filter((n) => n.name.startsWith(`${prefix}.${opType}`)).length || ''}`;
      nodes.push({ opType, name, inputs, outputs: [`${name}.out`], attrs });
      return `${name}.out`;
    },
    initializer(suffix, dims, data) {
      const name = `${prefix}.${suffix}`;
      initializers.push(tensorProto(name, dims, data));
      return name;
    },
  };
  let current = inputName;
  let shape: number[] = [1, ...inputShape];
  scoped(() => {
    let x = zeros(shape);
    for (const [p, layer] of leaves(model)) {
      prefix = p;
      current = emitLayer(layer, current, shape, emit);
      if (layer.constructor.name === 'Dropout') continue; // shape-preserving; skipping keeps the global generator untouched
      x = layer.forward(x);
      shape = [...x.shape];
    }
  });
  if (current === inputName) { prefix = 'output'; current = emit.node('Identity', [current]); }
  nodes[nodes.length - 1].outputs[0] = outputName; // the last node's output is the graph's
  const n = batch ?? 'N';
  const graph = new ProtoWriter();
  for (const nd of nodes) graph.message(1, node(nd.opType, nd.name, nd.inputs, nd.outputs, nd.attrs));
  graph.string(2, graphName);
  for (const init of initializers) graph.message(5, init);
  graph.message(11, valueInfo(inputName, [n, ...inputShape])).message(12, valueInfo(outputName, [n, ...shape.slice(1)]));
  return new ProtoWriter()
    .int(1, IR_VERSION)
    .string(2, 'strata')
    .message(7, graph)
    .message(8, new ProtoWriter().string(1, '').int(2, OPSET))
    .finish();
}
