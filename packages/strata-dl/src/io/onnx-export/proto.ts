// SPDX-License-Identifier: MIT
// The protobuf wire format and the few ONNX messages an export writes (field numbers from
// onnx.proto), by hand: a protobuf package would be a runtime dependency of the whole library.
import { StrataError } from '../../core/errors.js';

/** The opset an export writes, unless a primitive needs a later one (GraphBuilder.needOpset). */
export const OPSET = 13;
/** The IR version that goes with each opset an export may write (ONNX 1.8 and 1.11). */
export const IR_VERSION: Readonly<Record<number, number>> = { 13: 7, 16: 8 };
export const FLOAT = 1;
export const INT64 = 7;
export const INT32 = 6;
export const BOOL = 9;
const ATTR = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, INTS: 7 } as const;

// ---- protobuf wire format -------------------------------------------------------------------

/** Appends protobuf fields to a growing list of byte chunks; nested messages are encoded first. */
export class ProtoWriter {
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

export type Attr = { name: string; f: number } | { name: string; i: number } | { name: string; s: string } | { name: string; ints: readonly number[] } | { name: string; t: ProtoWriter };

export function attribute(a: Attr): ProtoWriter {
  const w = new ProtoWriter().string(1, a.name);
  if ('f' in a) return w.float(2, a.f).int(20, ATTR.FLOAT);
  if ('i' in a) return w.int(3, a.i).int(20, ATTR.INT);
  if ('t' in a) return w.message(5, a.t).int(20, ATTR.TENSOR);
  if ('s' in a) return w.string(4, a.s).int(20, ATTR.STRING);
  return w.packed(8, a.ints).int(20, ATTR.INTS);
}

export function node(opType: string, name: string, inputs: readonly string[], outputs: readonly string[], attrs: readonly Attr[] = []): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of inputs) w.string(1, i);
  for (const o of outputs) w.string(2, o);
  w.string(3, name).string(4, opType);
  for (const a of attrs) w.message(5, attribute(a));
  return w;
}

/** Tensor data an initializer holds: float32, int32, int64, or bool (one byte each). */
export type TensorData = Float32Array | Int32Array | BigInt64Array | Uint8Array;

export function littleEndian(a: TensorData): Uint8Array {
  if (a instanceof Uint8Array) return a;
  const out = new Uint8Array(a.byteLength);
  const view = new DataView(out.buffer);
  if (a instanceof Float32Array) a.forEach((v, i) => view.setFloat32(i * 4, v, true));
  else if (a instanceof Int32Array) a.forEach((v, i) => view.setInt32(i * 4, v, true));
  else a.forEach((v, i) => view.setBigInt64(i * 8, v, true));
  return out;
}

/** The ONNX element type of tensor data. */
export function elemType(data: TensorData): number {
  return data instanceof Float32Array ? FLOAT : data instanceof Int32Array ? INT32 : data instanceof BigInt64Array ? INT64 : BOOL;
}

export function tensorProto(name: string, dims: readonly number[], data: TensorData): ProtoWriter {
  return new ProtoWriter().packed(1, dims).int(2, elemType(data)).string(8, name).bytes(9, littleEndian(data));
}

/** ValueInfoProto of a float32 tensor; a dimension given as a string is symbolic. */
export function valueInfo(name: string, dims: readonly (number | string | null)[], elem = FLOAT): ProtoWriter {
  const shape = new ProtoWriter();
  // null: a dimension of unknown size (neither a number nor a named symbol)
  for (const d of dims) shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : d === null ? new ProtoWriter() : new ProtoWriter().string(2, d));
  const tensorType = new ProtoWriter().int(1, elem).message(2, shape);
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
}

