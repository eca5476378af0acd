// SPDX-License-Identifier: MIT
// The ONNX graph under construction: nodes, initializers, fresh names, and int64 shape vectors that
// may depend on the batch size (found by comparing two traces at different batch sizes).
import { StrataError } from '../../core/errors.js';
import { type Attr, OPSET, ProtoWriter, type TensorData, node, tensorProto } from './proto.js';

export interface NodeSpec { readonly opType: string; readonly name: string; readonly inputs: readonly string[]; readonly outputs: readonly string[]; readonly attrs: readonly Attr[] }

/** Where the batch size lives in the graph: the input's axis, and the two traced sizes. */
export interface BatchInfo {
  readonly input: string;
  readonly axis: number;
  readonly sizes: readonly [number, number];
  /** False with a fixed batch size: every shape is then a constant. */
  readonly dynamic: boolean;
}

export class GraphBuilder {
  readonly nodes: NodeSpec[] = [];
  readonly initializers: ProtoWriter[] = [];
  private readonly used = new Set<string>();
  private batchDim: string | null = null;
  /** The opset the graph is written for: 13, or a later one that a node needs. */
  opset = OPSET;
  /** The constants made so far, by type, shape and values: each is one initializer, however often used. */
  private readonly constants = new Map<string, string>();

  constructor(readonly batch: BatchInfo) {}

  /** A name not used before, from `base` (`Conv`, `Conv.1`, ...). */
  fresh(base: string): string {
    let name = base;
    for (let k = 1; this.used.has(name); k++) name = `${base}.${k}`;
    this.used.add(name);
    return name;
  }

  /** Adds a node with one output and returns the output's name. */
  node(opType: string, inputs: readonly string[], attrs: readonly Attr[] = []): string {
    return this.nodeOutputs(opType, inputs, 1, attrs)[0];
  }

  /** Writes the graph for at least `opset` (a node whose operator or attribute needs it). */
  needOpset(opset: number): void {
    this.opset = Math.max(this.opset, opset);
  }

  /** Adds a node with `count` outputs and returns their names, in order. */
  nodeOutputs(opType: string, inputs: readonly string[], count: number, attrs: readonly Attr[] = []): string[] {
    const name = this.fresh(opType);
    const outputs = Array.from({ length: count }, (_, i) => `${name}.out${i === 0 ? '' : i}`);
    this.nodes.push({ opType, name, inputs, outputs, attrs });
    return outputs;
  }

  initializer(name: string, dims: readonly number[], data: TensorData): string {
    const unique = this.fresh(name);
    this.initializers.push(tensorProto(unique, dims, data));
    return unique;
  }

  /** A constant int64 tensor: a vector, or a scalar with `scalar`. */
  int64(values: readonly (number | bigint)[], scalar = false): string {
    return this.constant(`i64${scalar ? 's' : 'v'}:${values.join(',')}`, scalar ? [] : [values.length], () => BigInt64Array.from(values, (v) => BigInt(v)));
  }

  /** A constant float32 scalar. */
  float32(value: number): string {
    return this.constant(`f32:${Object.is(value, -0) ? '-0' : value}`, [], () => Float32Array.of(value));
  }

  /** The initializer for the constant `key`, made by `data` the first time it is asked for. */
  private constant(key: string, dims: readonly number[], data: () => TensorData): string {
    let name = this.constants.get(key);
    if (name === undefined) {
      name = this.initializer('const', dims, data());
      this.constants.set(key, name);
    }
    return name;
  }

  /**
   * An int64 vector whose entries are `values` from the trace at the first batch size and `other`
   * at the second: entries that differ are a·N + b of the graph's batch size N (a Shape of the input).
   */
  dims(op: string, values: readonly number[], other: readonly number[]): string {
    const [b1, b2] = this.batch.sizes;
    if (values.length !== other.length) throw new StrataError('exportOnnx', `${op}: the rank changes with the batch size (${values.length} vs ${other.length})`);
    if (!this.batch.dynamic || values.every((v, i) => v === other[i])) return this.int64(values);
    const slope = values.map((v, i) => (other[i] - v) / (b2 - b1));
    const offset = values.map((v, i) => v - slope[i] * b1);
    if (!slope.every(Number.isInteger)) {
      throw new StrataError('exportOnnx', `${op}: [${values.join(', ')}] at batch ${b1} and [${other.join(', ')}] at batch ${b2} are not a multiple of the batch size plus a constant`);
    }
    this.batchDim ??= this.node('Gather', [this.node('Shape', [this.batch.input]), this.int64([this.batch.axis])], [{ name: 'axis', i: 0 }]);
    return this.node('Add', [this.node('Mul', [this.batchDim, this.int64(slope)]), this.int64(offset)]);
  }

  /** The graph's nodes as protobuf messages, in order. */
  nodeMessages(): ProtoWriter[] {
    return this.nodes.map((n) => node(n.opType, n.name, n.inputs, n.outputs, n.attrs));
  }
}
