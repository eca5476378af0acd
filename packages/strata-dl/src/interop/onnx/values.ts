// SPDX-License-Identifier: MIT
// The values an imported ONNX graph passes between nodes. Graphs exported from PyTorch compute
// shapes at run time (Shape → Gather → Unsqueeze → Concat → Reshape) with int64 tensors; those
// are kept here on the host as plain numbers (`HostInts`), so shape arithmetic never touches a
// backend and never needs int64. Everything else is a Tensor, so gradients flow through it.
import type { DType } from '../../core/dtype.js';
import { StrataError, fmtShape } from '../../core/errors.js';
import type { OnnxAttribute, OnnxNode, OnnxTensor } from '../../io/onnx-decode.js';
import { tensor } from '../../tensor/creation.js';
import { Tensor } from '../../tensor/tensor.js';

/** An integer tensor held as host numbers (shapes, axes, indices). */
export class HostInts {
  constructor(readonly dims: number[], readonly values: number[]) {}
}

export type Value = Tensor | HostInts;

/** A constant ONNX tensor as a graph value: integers stay on the host, floats become a Tensor. */
export function constantValue(t: OnnxTensor, backend: string): Value {
  if (t.values instanceof Float32Array || t.values instanceof Float64Array) {
    return tensor(t.values, { shape: t.dims, dtype: t.values instanceof Float64Array ? 'float64' : 'float32', backend }).keep();
  }
  return new HostInts(t.dims, t.values);
}

/** What an op sees: its node, its inputs, the model's mode, and typed access to both. */
export class OpContext {
  constructor(
    readonly node: OnnxNode,
    private readonly values: (Value | undefined)[],
    readonly opset: number,
    readonly training: boolean,
    readonly backend: string,
  ) {}

  get where(): string {
    return `${this.node.opType} node '${this.node.name || this.node.outputs[0]}'`;
  }

  fail(msg: string): never {
    throw new StrataError('importOnnx', `${this.where}: ${msg}`);
  }

  /** Input `i`, or undefined when it is absent or named '' (an omitted optional input). */
  input(i: number): Value | undefined {
    return this.values[i];
  }

  /** Input `i` as a tensor; host integers become an int32 tensor (or `like`'s dtype when given). */
  tensor(i: number, like?: Tensor): Tensor {
    const v = this.values[i];
    if (v === undefined) return this.fail(`input ${i} is missing`);
    if (v instanceof Tensor) return v;
    return tensor(Int32Array.from(v.values), { shape: v.dims, dtype: 'int32', backend: like?.backend.name ?? this.backend }).to(like?.dtype ?? 'int32');
  }

  optionalTensor(i: number): Tensor | null {
    return this.values[i] === undefined ? null : this.tensor(i);
  }

  /** Input `i` as host integers: it must be computable without the data (a shape, a constant). */
  ints(i: number): number[] {
    const v = this.values[i];
    if (v === undefined) return this.fail(`input ${i} is missing`);
    if (v instanceof HostInts) return v.values;
    if (v.size > 64) return this.fail(`input ${i} (${fmtShape(v.shape)}) must be a constant or a shape, not data`);
    return [...v.dataSync()].map(Number);
  }

  /** Input `i` as host numbers (a float scale or ratio). */
  numbers(i: number): number[] {
    const v = this.values[i];
    if (v === undefined) return this.fail(`input ${i} is missing`);
    return v instanceof HostInts ? v.values : [...v.dataSync()].map(Number);
  }

  private attr(name: string): OnnxAttribute | undefined {
    return this.node.attributes[name];
  }

  int(name: string, fallback: number): number {
    const a = this.attr(name);
    return typeof a === 'number' ? a : fallback;
  }

  float(name: string, fallback: number): number {
    return this.int(name, fallback);
  }

  intList(name: string, fallback: number[]): number[] {
    const a = this.attr(name);
    return Array.isArray(a) ? (a as number[]) : fallback;
  }

  string(name: string, fallback: string): string {
    const a = this.attr(name);
    return typeof a === 'string' ? a : fallback;
  }

  has(name: string): boolean {
    return name in this.node.attributes;
  }

  tensorAttr(name: string): OnnxTensor | undefined {
    const a = this.attr(name);
    return a !== undefined && typeof a === 'object' && !Array.isArray(a) ? a : undefined;
  }
}

export type OpImpl = (ctx: OpContext) => Value[];

/** A TensorProto.DataType as Strata's dtype: FLOAT and FLOAT16 (held as float32), DOUBLE, BOOL, and the integer types as int32. */
export function dtypeOfProto(t: number): DType {
  return t === 1 || t === 10 ? 'float32' : t === 11 ? 'float64' : t === 9 ? 'bool' : 'int32';
}

/** The int32 positions 0 … n − 1 along `axis` of a rank-`rank` tensor, size 1 on the other axes (to compare with, broadcasting). */
export function positionsAlong(n: number, axis: number, rank: number, backend: string): Tensor {
  return tensor(Array.from({ length: n }, (_, i) => i), { dtype: 'int32', backend }).reshape(Array.from({ length: rank }, (_, a) => (a === axis ? n : 1)));
}

/** x seen as 2-D at `axis`: [the sizes before it multiplied, the rest] (the coercion of the ops before opset 13). */
export function as2d(x: Tensor, axis: number): Tensor {
  const lead = x.shape.slice(0, axis).reduce((p, d) => p * d, 1);
  return x.reshape([lead, x.size / Math.max(lead, 1)]);
}
