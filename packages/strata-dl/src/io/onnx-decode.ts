// SPDX-License-Identifier: MIT
/**
 * Decodes an ONNX file (a `ModelProto`) into plain data: the nodes of its graph with their
 * attributes, its initializers as typed arrays, its inputs and outputs. Field numbers follow
 * onnx.proto. Nothing here runs the graph (that is `importOnnx`, which builds a Module from this).
 * Tensors stored outside the file (`data_location = EXTERNAL`, for models over 2 GiB) are refused.
 */
import { StrataError } from '../core/errors.js';
import { ProtoMessage } from './protobuf-reader.js';

/** A constant tensor of the graph: floats as `Float32Array`/`Float64Array`, integers and booleans as numbers. */
export interface OnnxTensor {
  name: string;
  dims: number[];
  /** ONNX element type, by name: 'float', 'double', 'int64', 'int32', 'bool', … */
  type: string;
  values: Float32Array | Float64Array | number[];
}

/** A node attribute's value as decoded: a number, a string, a list of either, or a tensor. */
export type OnnxAttribute = number | string | number[] | string[] | OnnxTensor;

/** One operator of an ONNX graph: its type, inputs and outputs by name, and attributes. */
export interface OnnxNode {
  opType: string;
  domain: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes: Record<string, OnnxAttribute>;
}

/** A graph input or output: its name and, where the file says, its element type and shape. */
export interface OnnxValueInfo {
  name: string;
  /** Dimensions: a number, or a symbolic name (`'N'`), or null when unknown. */
  shape: (number | string | null)[] | null;
}

/** A decoded ONNX graph: nodes in file order, initializers, inputs and outputs. */
export interface OnnxGraph {
  name: string;
  irVersion: number;
  producer: string;
  /** The default-domain opset (`ai.onnx`). */
  opset: number;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  /** Graph inputs that are not initializers: what the caller feeds. */
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

const OP = 'decodeOnnx';

const TYPES: Record<number, string> = {
  1: 'float', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string', 9: 'bool', 10: 'float16', 11: 'double', 12: 'uint32', 13: 'uint64', 16: 'bfloat16',
};

function f16(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/** A `TensorProto`: values from `raw_data` (little-endian) or from the typed repeated fields. */
export function decodeTensor(t: ProtoMessage): OnnxTensor {
  const name = t.string(8);
  const dims = t.ints(1);
  const code = t.int(2);
  const type = TYPES[code] ?? `type ${code}`;
  if (t.int(14) === 1 || t.has(13)) throw new StrataError(OP, `tensor '${name}' is stored in an external file (external_data); only self-contained .onnx files are supported`);
  const count = dims.reduce((a, b) => a * b, 1);
  const raw = t.bytes(9);
  let values: Float32Array | Float64Array | number[];
  if (raw) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const read = (size: number, get: (at: number) => number): number[] => {
      if (raw.byteLength !== count * size) throw new StrataError(OP, `tensor '${name}' (${type} [${dims.join(',')}]) has ${raw.byteLength} bytes of raw_data, expected ${count * size}`);
      return Array.from({ length: count }, (_, i) => get(i * size));
    };
    switch (type) {
      case 'float': values = Float32Array.from(read(4, (a) => view.getFloat32(a, true))); break;
      case 'double': values = Float64Array.from(read(8, (a) => view.getFloat64(a, true))); break;
      case 'float16': values = Float32Array.from(read(2, (a) => f16(view.getUint16(a, true)))); break;
      case 'int64': values = read(8, (a) => Number(view.getBigInt64(a, true))); break;
      case 'uint64': values = read(8, (a) => Number(view.getBigUint64(a, true))); break;
      case 'int32': values = read(4, (a) => view.getInt32(a, true)); break;
      case 'uint32': values = read(4, (a) => view.getUint32(a, true)); break;
      case 'int16': values = read(2, (a) => view.getInt16(a, true)); break;
      case 'uint16': values = read(2, (a) => view.getUint16(a, true)); break;
      case 'int8': values = read(1, (a) => view.getInt8(a)); break;
      case 'uint8': case 'bool': values = read(1, (a) => view.getUint8(a)); break;
      default: throw new StrataError(OP, `tensor '${name}' has element type ${type}, which is not supported`);
    }
  } else if (type === 'float' || type === 'float16') {
    // float16 in int32_data (5) holds the raw bits.
    values = type === 'float' ? Float32Array.from(t.floats(4)) : Float32Array.from(t.ints(5).map(f16));
  } else if (type === 'double') {
    values = Float64Array.from(t.floats(10, true));
  } else if (type === 'int64') {
    values = t.ints(7);
  } else if (type === 'uint64' || type === 'uint32') {
    values = t.ints(11);
  } else if (['int32', 'int16', 'int8', 'uint16', 'uint8', 'bool'].includes(type)) {
    values = t.ints(5);
  } else {
    throw new StrataError(OP, `tensor '${name}' has element type ${type}, which is not supported`);
  }
  if (values.length !== count) throw new StrataError(OP, `tensor '${name}' (${type} [${dims.join(',')}]) holds ${values.length} values, expected ${count}`);
  return { name, dims, type, values };
}

function decodeAttribute(a: ProtoMessage): [string, OnnxAttribute] {
  const name = a.string(1);
  // AttributeType: FLOAT 1, INT 2, STRING 3, TENSOR 4, GRAPH 5, FLOATS 6, INTS 7, STRINGS 8.
  switch (a.int(20)) {
    case 1: return [name, a.float(2)];
    case 2: return [name, a.int(3)];
    case 3: return [name, a.string(4)];
    case 4: return [name, decodeTensor(a.message(5) ?? new ProtoMessage(new Uint8Array(0), OP))];
    case 6: return [name, a.floats(7)];
    case 7: return [name, a.ints(8)];
    case 8: return [name, a.strings(9)];
    default: throw new StrataError(OP, `attribute '${name}' has type ${a.int(20)} (a subgraph or sparse tensor), which is not supported`);
  }
}

function decodeValueInfo(v: ProtoMessage): OnnxValueInfo {
  const shape = v.message(2)?.message(1)?.message(2);
  return {
    name: v.string(1),
    shape: shape ? shape.messages(1).map((d) => (d.has(1) ? d.int(1) : d.has(2) ? d.string(2) : null)) : null,
  };
}

/**
 * Parses ONNX bytes into an `OnnxGraph`.
 *
 * @example
 * const g = io.decodeOnnx(bytes);
 * g.nodes.map((n) => n.opType); // ['Conv', 'Relu', …]
 */
export function decodeOnnx(bytes: Uint8Array): OnnxGraph {
  const model = new ProtoMessage(bytes, OP);
  const graph = model.message(7);
  if (!graph) throw new StrataError(OP, 'no graph in the model (is this an ONNX file?)');
  const opsets = model.messages(8).map((o) => ({ domain: o.string(1), version: o.int(2) }));
  const opset = opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? 0;
  if (graph.has(15)) throw new StrataError(OP, 'the graph has sparse initializers, which are not supported');
  const initializers = graph.messages(5).map(decodeTensor);
  const constant = new Set(initializers.map((t) => t.name));
  const nodes = graph.messages(1).map((n): OnnxNode => ({
    inputs: n.strings(1),
    outputs: n.strings(2),
    name: n.string(3),
    opType: n.string(4),
    domain: n.string(7),
    attributes: Object.fromEntries(n.messages(5).map(decodeAttribute)),
  }));
  return {
    name: graph.string(2),
    irVersion: model.int(1),
    producer: `${model.string(2)} ${model.string(3)}`.trim(),
    opset,
    nodes,
    initializers,
    inputs: graph.messages(11).map(decodeValueInfo).filter((v) => !constant.has(v.name)),
    outputs: graph.messages(12).map(decodeValueInfo),
  };
}
