// SPDX-License-Identifier: MIT
/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
 * `{ name: { dtype, shape, data_offsets: [begin, end] }, __metadata__?: { string: string } }`, then
 * the raw little-endian data. Files written by PyTorch's `safetensors.torch.save_file` read here,
 * and ours read there.
 *
 * @example
 * const bytes = encodeSafetensors({ weight: randn([2, 3]) });
 * decodeSafetensors(bytes).tensors.weight.shape; // [2, 3]
 */
import type { DType, TypedArray } from '../core/dtype.js';
import { StrataError, fmtShape } from '../core/errors.js';
import { tensor } from '../tensor/creation.js';
import { knownFormat } from './file-kind.js';
import type { Tensor } from '../tensor/tensor.js';

const WRITE_NAMES: Record<DType, string> = { float32: 'F32', float64: 'F64', int32: 'I32', bool: 'BOOL' };
const BYTES: Record<string, number> = { F32: 4, F64: 8, I32: 4, BOOL: 1, I64: 8 };
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

interface HeaderEntry { dtype: string; shape: number[]; data_offsets: [number, number] }

/** Raw little-endian bytes of a typed array. */
function toBytes(a: TypedArray): Uint8Array {
  if (LITTLE_ENDIAN || a instanceof Uint8Array) return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const out = new Uint8Array(a.byteLength);
  const view = new DataView(out.buffer);
  const size = a.BYTES_PER_ELEMENT;
  for (let i = 0; i < a.length; i++) {
    if (a instanceof Float32Array) view.setFloat32(i * size, a[i], true);
    else if (a instanceof Float64Array) view.setFloat64(i * size, a[i], true);
    else view.setInt32(i * size, a[i], true);
  }
  return out;
}

/** Serializes named tensors (and optional string metadata) to safetensors bytes. */
export function encodeSafetensors(tensors: Record<string, Tensor>, metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, HeaderEntry | Record<string, string>> = {};
  if (metadata) header.__metadata__ = metadata;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    if (name === '__metadata__') throw new StrataError('encodeSafetensors', "'__metadata__' is reserved and cannot name a tensor");
    const bytes = toBytes(t.dataSync());
    header[name] = { dtype: WRITE_NAMES[t.dtype], shape: [...t.shape], data_offsets: [offset, offset + bytes.byteLength] };
    chunks.push(bytes);
    offset += bytes.byteLength;
  }
  let json = JSON.stringify(header);
  // Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
  json += ' '.repeat((8 - ((8 + new TextEncoder().encode(json).byteLength) % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.byteLength), true);
  out.set(head, 8);
  let at = 8 + head.byteLength;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

function readValues(op: string, name: string, dtype: string, bytes: Uint8Array, count: number): { values: TypedArray; dtype: DType } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (dtype) {
    case 'F32': { const a = new Float32Array(count); for (let i = 0; i < count; i++) a[i] = view.getFloat32(4 * i, true); return { values: a, dtype: 'float32' }; }
    case 'F64': { const a = new Float64Array(count); for (let i = 0; i < count; i++) a[i] = view.getFloat64(8 * i, true); return { values: a, dtype: 'float64' }; }
    case 'I32': { const a = new Int32Array(count); for (let i = 0; i < count; i++) a[i] = view.getInt32(4 * i, true); return { values: a, dtype: 'int32' }; }
    case 'BOOL': return { values: Uint8Array.from(bytes.subarray(0, count), (v) => (v ? 1 : 0)), dtype: 'bool' };
    case 'I64': {
      // PyTorch saves integer buffers (num_batches_tracked, token ids) as int64; we hold int32.
      const a = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const v = view.getBigInt64(8 * i, true);
        if (v > 2147483647n || v < -2147483648n) throw new StrataError(op, `'${name}' holds the int64 value ${v}, outside int32`);
        a[i] = Number(v);
      }
      return { values: a, dtype: 'int32' };
    }
    default: throw new StrataError(op, `'${name}' has dtype ${dtype}; supported: F32, F64, I32, BOOL, I64 (read as int32)`);
  }
}

/** The largest header the reference implementation accepts (100 MB): a longer one means another format. */
const MAX_HEADER = 100_000_000;

/**
 * Checks the structure of safetensors bytes before parsing: an 8-byte header length that fits the
 * file and a JSON object header. Returns the header length. `name` is the file's name for messages.
 */
function checkStructure(op: string, bytes: Uint8Array, name: string): number {
  const notOne = (why: string): StrataError => {
    const kind = knownFormat(bytes);
    return new StrataError(op, `${name} is not a safetensors file: ${kind ? `it is ${kind}` : why}`);
  };
  if (bytes.byteLength < 8) throw notOne(`${bytes.byteLength} bytes, fewer than the 8-byte header length that begins one`);
  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  const opensJson = bytes.byteLength > 8 && bytes[8] === 0x7b; // '{'
  if (!opensJson || n > BigInt(MAX_HEADER)) {
    throw notOne(`a safetensors file begins with an 8-byte little-endian header length and a JSON header '{…}'; this one begins ${hex(bytes.subarray(0, 12))}`);
  }
  // A plausible header cut short: the file was truncated (an interrupted download or copy).
  if (8n + n > BigInt(bytes.byteLength)) throw new StrataError(op, `${name} is truncated: its header of ${n} bytes runs past the end of the ${bytes.byteLength}-byte file`);
  return Number(n);
}

function hex(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ');
}

function checkEntry(op: string, name: string, key: string, raw: unknown): HeaderEntry {
  const e = raw as Partial<HeaderEntry> | null;
  const ok = e !== null && typeof e === 'object' && typeof e.dtype === 'string'
    && Array.isArray(e.shape) && e.shape.every((d) => Number.isInteger(d) && d >= 0)
    && Array.isArray(e.data_offsets) && e.data_offsets.length === 2 && e.data_offsets.every((o) => Number.isInteger(o) && o >= 0);
  if (!ok) throw new StrataError(op, `${name}: header entry '${key}' is ${JSON.stringify(raw)?.slice(0, 120)}, expected { dtype, shape, data_offsets: [begin, end] }`);
  return e as HeaderEntry;
}

/**
 * Parses safetensors bytes into tensors (on `backend`, default the current one) and metadata.
 * `source` names the file in errors (`loadSafetensors` passes its path); bytes of another format
 * are recognized before parsing (`model.bin is not a safetensors file: it is a zip archive …`).
 */
export function decodeSafetensors(bytes: Uint8Array, opts: { backend?: string; source?: string } = {}): { tensors: Record<string, Tensor>; metadata: Record<string, string> } {
  const op = 'decodeSafetensors';
  const name = opts.source ?? `the input (${bytes.byteLength} bytes)`;
  const n = checkStructure(op, bytes, name);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    throw new StrataError(op, `${name}: header is not valid JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw new StrataError(op, `${name}: header is not a JSON object`);
  const data = bytes.subarray(8 + n);
  const tensors: Record<string, Tensor> = {};
  let metadata: Record<string, string> = {};
  for (const [key, raw] of Object.entries(header)) {
    if (key === '__metadata__') {
      metadata = raw as Record<string, string>;
      continue;
    }
    const e = checkEntry(op, name, key, raw);
    const count = e.shape.reduce((a, b) => a * b, 1);
    const [begin, end] = e.data_offsets;
    const size = BYTES[e.dtype];
    if (size !== undefined && (end - begin !== count * size || end > data.byteLength || begin < 0)) {
      throw new StrataError(op, `${name}: '${key}' ${e.dtype} ${fmtShape(e.shape)} needs ${count * size} bytes, its offsets [${begin}, ${end}] give ${end - begin} in ${data.byteLength} bytes of data`);
    }
    const { values, dtype } = readValues(op, key, e.dtype, data.subarray(begin, end), count);
    tensors[key] = tensor(values, { shape: e.shape, dtype, backend: opts.backend });
  }
  return { tensors, metadata };
}
