// SPDX-License-Identifier: MIT
import { StrataError } from '../../core/errors.js';

/** The IDX format of MNIST: magic (0, 0, type, rank), big-endian dimensions, then the data. */
export interface Idx {
  shape: number[];
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const TYPES: Record<number, { size: number; read: (v: DataView, o: number) => number; make: (n: number) => Idx['data'] }> = {
  0x08: { size: 1, read: (v, o) => v.getUint8(o), make: (n) => new Uint8Array(n) },
  0x09: { size: 1, read: (v, o) => v.getInt8(o), make: (n) => new Int8Array(n) },
  0x0b: { size: 2, read: (v, o) => v.getInt16(o), make: (n) => new Int16Array(n) },
  0x0c: { size: 4, read: (v, o) => v.getInt32(o), make: (n) => new Int32Array(n) },
  0x0d: { size: 4, read: (v, o) => v.getFloat32(o), make: (n) => new Float32Array(n) },
  0x0e: { size: 8, read: (v, o) => v.getFloat64(o), make: (n) => new Float64Array(n) },
};

/**
 * Parses an IDX file. `source` names the file in errors, so a truncated or foreign file says
 * what was expected and where.
 */
export function parseIdx(bytes: Uint8Array, source = 'IDX data'): Idx {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4 || view.getUint16(0) !== 0) throw new StrataError('parseIdx', `${source}: not an IDX file (expected magic bytes 00 00 <type> <rank>)`);
  const type = TYPES[bytes[2]];
  const rank = bytes[3];
  if (!type) throw new StrataError('parseIdx', `${source}: unknown IDX element type 0x${bytes[2].toString(16)}`);
  const header = 4 + 4 * rank;
  if (bytes.length < header) throw new StrataError('parseIdx', `${source}: truncated header (${bytes.length} bytes, expected ${header})`);
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const n = shape.reduce((a, b) => a * b, 1);
  const expected = header + n * type.size;
  if (bytes.length !== expected) throw new StrataError('parseIdx', `${source}: ${bytes.length} bytes, but its header [${shape.join(',')}] needs ${expected}`);
  if (type.size === 1 && bytes[2] === 0x08) return { shape, data: bytes.slice(header) };
  const data = type.make(n);
  for (let i = 0; i < n; i++) data[i] = type.read(view, header + i * type.size);
  return { shape, data };
}
