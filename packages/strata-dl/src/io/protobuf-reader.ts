// SPDX-License-Identifier: MIT
/**
 * A minimal reader of the protobuf wire format: it splits a message into its fields by number,
 * without a schema (the caller knows which field holds what). Enough for ONNX files; the writer
 * side is in onnx.ts. Varints come back as `bigint` (int64 fields may use all 64 bits) and as
 * numbers through `int`.
 */
import { StrataError } from '../core/errors.js';

/** One field occurrence: a varint, 64-bit or 32-bit fixed value, or length-delimited bytes. */
export type ProtoValue =
  | { wire: 0; varint: bigint }
  | { wire: 1; bytes: Uint8Array }
  | { wire: 2; bytes: Uint8Array }
  | { wire: 5; bytes: Uint8Array };

/** A decoded message: the occurrences of each field number, in order. */
export class ProtoMessage {
  readonly fields = new Map<number, ProtoValue[]>();

  constructor(bytes: Uint8Array, readonly op: string) {
    let pos = 0;
    const fail = (msg: string): never => { throw new StrataError(op, `malformed protobuf: ${msg}`); };
    const varint = (): bigint => {
      let x = 0n;
      for (let shift = 0n; ; shift += 7n) {
        if (pos >= bytes.length) fail('a varint runs past the end');
        if (shift > 63n) fail('a varint is longer than 10 bytes');
        const b = bytes[pos++];
        x |= BigInt(b & 0x7f) << shift;
        if (!(b & 0x80)) return x;
      }
    };
    const take = (n: number): Uint8Array => {
      if (pos + n > bytes.length) fail(`a field of ${n} bytes runs past the end of the ${bytes.length}-byte message`);
      pos += n;
      return bytes.subarray(pos - n, pos);
    };
    while (pos < bytes.length) {
      const key = varint();
      const field = Number(key >> 3n);
      const wire = Number(key & 7n);
      let v: ProtoValue;
      if (wire === 0) v = { wire, varint: varint() };
      else if (wire === 1) v = { wire, bytes: take(8) };
      else if (wire === 2) v = { wire, bytes: take(Number(varint())) };
      else if (wire === 5) v = { wire, bytes: take(4) };
      else return fail(`wire type ${wire} (field ${field}) is not supported`);
      const list = this.fields.get(field);
      if (list) list.push(v);
      else this.fields.set(field, [v]);
    }
  }

  has(field: number): boolean {
    return this.fields.has(field);
  }

  private last(field: number): ProtoValue | undefined {
    const l = this.fields.get(field);
    return l?.[l.length - 1];
  }

  /** A varint field as a signed 64-bit integer (number; precision beyond 2^53 is not needed here). */
  int(field: number, fallback = 0): number {
    const v = this.last(field);
    return v?.wire === 0 ? Number(BigInt.asIntN(64, v.varint)) : fallback;
  }

  string(field: number, fallback = ''): string {
    const v = this.last(field);
    return v?.wire === 2 ? new TextDecoder().decode(v.bytes) : fallback;
  }

  bytes(field: number): Uint8Array | undefined {
    const v = this.last(field);
    return v?.wire === 2 ? v.bytes : undefined;
  }

  /** A 32-bit float field. */
  float(field: number, fallback = 0): number {
    const v = this.last(field);
    return v?.wire === 5 ? new DataView(v.bytes.buffer, v.bytes.byteOffset, 4).getFloat32(0, true) : fallback;
  }

  strings(field: number): string[] {
    return (this.fields.get(field) ?? []).map((v) => (v.wire === 2 ? new TextDecoder().decode(v.bytes) : ''));
  }

  messages(field: number): ProtoMessage[] {
    return (this.fields.get(field) ?? []).flatMap((v) => (v.wire === 2 ? [new ProtoMessage(v.bytes, this.op)] : []));
  }

  message(field: number): ProtoMessage | undefined {
    const b = this.bytes(field);
    return b ? new ProtoMessage(b, this.op) : undefined;
  }

  /** A repeated signed integer field, packed or not. */
  ints(field: number): number[] {
    const out: number[] = [];
    for (const v of this.fields.get(field) ?? []) {
      if (v.wire === 0) out.push(Number(BigInt.asIntN(64, v.varint)));
      else if (v.wire === 2) {
        let x = 0n;
        let shift = 0n;
        for (const b of v.bytes) {
          x |= BigInt(b & 0x7f) << shift;
          shift += 7n;
          if (!(b & 0x80)) { out.push(Number(BigInt.asIntN(64, x))); x = 0n; shift = 0n; }
        }
      }
    }
    return out;
  }

  /** A repeated float (wire 5) or double (wire 1) field, packed or not. */
  floats(field: number, double = false): number[] {
    const out: number[] = [];
    const size = double ? 8 : 4;
    for (const v of this.fields.get(field) ?? []) {
      if (v.wire === 0) continue;
      const view = new DataView(v.bytes.buffer, v.bytes.byteOffset, v.bytes.byteLength);
      for (let at = 0; at + size <= v.bytes.byteLength; at += size) out.push(double ? view.getFloat64(at, true) : view.getFloat32(at, true));
    }
    return out;
  }
}
