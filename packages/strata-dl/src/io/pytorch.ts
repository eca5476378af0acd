// SPDX-License-Identifier: MIT
/**
 * PyTorch checkpoints: the files of `torch.save(model.state_dict(), 'model.pt')`. Since PyTorch 1.6
 * such a file is a zip archive (entries stored, not compressed) holding `<name>/data.pkl`, a pickle
 * of the state dict, `<name>/data/<key>`, the raw bytes of each tensor storage, `<name>/version`
 * and maybe `<name>/byteorder`. The pickle is read by `unpickle` (pickle.ts), which runs nothing:
 * the only Python globals it accepts are the ones a state dict holds (`collections.OrderedDict`,
 * `torch._utils._rebuild_tensor_v2`, `_rebuild_parameter`, the `torch.*Storage` types). Any other
 * global, such as `posix.system` in a crafted file, is refused with an error before anything else
 * is read.
 */
import type { DType, TypedArray } from '../core/dtype.js';
import { StrataError, fmtShape } from '../core/errors.js';
import { tensor } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { PickleDict, type PickleCallable, unpickle } from './pickle.js';
import { readZip } from './zip.js';

/** Options of `loadPyTorch` and `decodePyTorch`. */
export interface PyTorchLoadOptions {
  /** The file's name, for error messages (default `'checkpoint'`). */
  name?: string;
  /** Backend of the tensors (default: the current one). */
  backend?: string;
}

/** What a PyTorch checkpoint holds: its tensors by key, and its other values (numbers, strings). */
export interface PyTorchCheckpoint {
  /** Tensors by key; tensors in nested dicts get dotted keys (`{ model: { 'fc.weight': … } }` → `model.fc.weight`). */
  tensors: Record<string, Tensor>;
  /** Non-tensor leaves (an `epoch` number, a string), by the same dotted keys. */
  other: Record<string, unknown>;
}

const OP = 'loadPyTorch';
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

interface StorageKind { bytes: number; dtype: DType; read(view: DataView, at: number, little: boolean): number }

const f16 = (h: number): number => {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
};
const bf16 = (h: number): number => {
  const v = new DataView(new ArrayBuffer(4));
  v.setUint32(0, h << 16);
  return v.getFloat32(0);
};
const int64 = (view: DataView, at: number, little: boolean): number => {
  const v = view.getBigInt64(at, little);
  // We hold integers as int32 (num_batches_tracked, token ids); larger values would be wrong silently.
  if (v > 2147483647n || v < -2147483648n) throw new StrataError(OP, `an int64 tensor holds ${v}, outside int32`);
  return Number(v);
};

const STORAGES: Record<string, StorageKind> = {
  FloatStorage: { bytes: 4, dtype: 'float32', read: (v, a, l) => v.getFloat32(a, l) },
  DoubleStorage: { bytes: 8, dtype: 'float64', read: (v, a, l) => v.getFloat64(a, l) },
  HalfStorage: { bytes: 2, dtype: 'float32', read: (v, a, l) => f16(v.getUint16(a, l)) },
  BFloat16Storage: { bytes: 2, dtype: 'float32', read: (v, a, l) => bf16(v.getUint16(a, l)) },
  LongStorage: { bytes: 8, dtype: 'int32', read: int64 },
  IntStorage: { bytes: 4, dtype: 'int32', read: (v, a, l) => v.getInt32(a, l) },
  ShortStorage: { bytes: 2, dtype: 'int32', read: (v, a, l) => v.getInt16(a, l) },
  CharStorage: { bytes: 1, dtype: 'int32', read: (v, a) => v.getInt8(a) },
  ByteStorage: { bytes: 1, dtype: 'int32', read: (v, a) => v.getUint8(a) },
  BoolStorage: { bytes: 1, dtype: 'bool', read: (v, a) => (v.getUint8(a) ? 1 : 0) },
};

/** A storage type named by the pickle (`torch.FloatStorage`); only a tag, never called. */
interface StorageType extends PickleCallable { kind: StorageKind }
/** A storage read from `data/<key>`: its values, widened to our dtype. */
interface Storage { values: TypedArray; dtype: DType; key: string }

/**
 * Reads a PyTorch checkpoint into named tensors. Nested dicts flatten to dotted keys; numbers and
 * strings beside the tensors are ignored (see `decodePyTorch` for them). float16 and bfloat16 load as
 * float32, int64 and the smaller integers as int32 (a value outside int32 is an error).
 *
 * @example
 * // bytes = the file written by torch.save(model.state_dict(), 'lenet.pt')
 * const weights = io.loadPyTorch(bytes, { name: 'lenet.pt' });
 * model.loadStateDict(weights);
 */
export function loadPyTorch(bytes: Uint8Array, opts: PyTorchLoadOptions = {}): Record<string, Tensor> {
  return decodePyTorch(bytes, opts).tensors;
}

/** Like `loadPyTorch`, and also returns the checkpoint's non-tensor values (an epoch, a step). */
export function decodePyTorch(bytes: Uint8Array, opts: PyTorchLoadOptions = {}): PyTorchCheckpoint {
  const file = opts.name ?? 'checkpoint';
  const fail = (msg: string): never => { throw new StrataError(OP, `${file}: ${msg}`); };
  if (bytes.length >= 2 && bytes[0] === 0x80 && bytes[1] <= 5) {
    fail('is a legacy (pre-1.6, non-zip) PyTorch file; re-save it with a current torch.save, or as safetensors');
  }
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) fail('is not a PyTorch checkpoint (not a zip archive)');
  const entries = new Map(readZip(bytes, OP, file).map((e) => [e.name, e.data]));
  const pkl = [...entries.keys()].find((k) => k.endsWith('data.pkl') && k.split('/').length === 2);
  if (pkl === undefined) return fail(`has no '<name>/data.pkl' entry (entries: ${[...entries.keys()].slice(0, 8).join(', ')})`);
  const prefix = pkl.slice(0, -'data.pkl'.length);
  const order = entries.get(`${prefix}byteorder`);
  const little = order === undefined || new TextDecoder().decode(order).trim() !== 'big';

  const storages = new Map<string, Storage>();
  const loadStorage = (pid: unknown): Storage => {
    if (!Array.isArray(pid) || pid[0] !== 'storage' || pid.length < 5) return fail(`unexpected persistent id ${describe(pid)}; only tensor storages are supported`);
    const [, type, key, , numel] = pid as [string, unknown, unknown, unknown, unknown];
    if (!isStorageType(type)) return fail(`persistent id names ${describe(type)}, not a torch storage type`);
    if (typeof key !== 'string' || typeof numel !== 'number') return fail(`storage with key ${describe(key)} and size ${describe(numel)}`);
    const cached = storages.get(key);
    if (cached) return cached;
    const data = entries.get(`${prefix}data/${key}`) ?? fail(`storage '${key}' is missing from the archive`);
    const { kind } = type;
    if (data.byteLength !== numel * kind.bytes) fail(`storage '${key}' (${type.qualifiedName}) has ${data.byteLength} bytes for ${numel} elements of ${kind.bytes}`);
    let values: TypedArray;
    if (little && LITTLE_ENDIAN && (type.qualifiedName === 'torch.FloatStorage' || type.qualifiedName === 'torch.DoubleStorage')) {
      // The common case is a byte copy (slice() also gives the alignment the typed array needs).
      const buf = data.slice().buffer;
      values = kind.dtype === 'float64' ? new Float64Array(buf) : new Float32Array(buf);
    } else {
      values = alloc(kind.dtype, numel);
      const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
      for (let i = 0; i < numel; i++) values[i] = kind.read(view, i * kind.bytes, little);
    }
    const s = { values, dtype: kind.dtype, key };
    storages.set(key, s);
    return s;
  };

  const rebuild = (storage: unknown, offset: unknown, size: unknown, stride: unknown): Tensor => {
    if (!isStorage(storage)) return fail(`_rebuild_tensor_v2 on ${describe(storage)}, not a storage`);
    const shape = intList(size, 'size');
    const strides = intList(stride, 'stride');
    if (typeof offset !== 'number' || strides.length !== shape.length) return fail(`tensor over storage '${storage.key}' has offset ${describe(offset)}, size ${describe(size)} and stride ${describe(stride)}`);
    const n = shape.reduce((a, b) => a * b, 1);
    if (n > 2 ** 30) fail(`tensor ${fmtShape(shape)} over storage '${storage.key}' has ${n} elements, more than this loader allocates`);
    if (shape.some((d) => d < 0)) fail(`tensor over storage '${storage.key}' has a negative size ${fmtShape(shape)}`);
    // Bounds first, from the extreme corners, so a damaged size never allocates more than the storage holds.
    let lo = offset, hi = offset;
    shape.forEach((d, i) => { const span = (d - 1) * strides[i]; if (span > 0) hi += span; else lo += span; });
    if (n > 0 && (lo < 0 || hi >= storage.values.length)) {
      fail(`tensor ${fmtShape(shape)} with strides ${fmtShape(strides)} at offset ${offset} reads element ${lo < 0 ? lo : hi} of storage '${storage.key}', which holds ${storage.values.length}`);
    }
    const out = alloc(storage.dtype, n);
    // Strided gather: handles transposed and sliced views (non-contiguous strides), not only dense tensors.
    const idx = new Array<number>(shape.length).fill(0);
    let src = offset;
    for (let i = 0; i < n; i++) {
      out[i] = storage.values[src];
      for (let d = shape.length - 1; d >= 0; d--) {
        idx[d]++;
        src += strides[d];
        if (idx[d] < shape[d]) break;
        src -= strides[d] * shape[d];
        idx[d] = 0;
      }
    }
    return tensor(out, { shape, dtype: storage.dtype, backend: opts.backend });
  };
  const intList = (v: unknown, what: string): number[] => {
    if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x))) return fail(`tensor ${what} ${describe(v)} is not a tuple of integers`);
    return v as number[];
  };

  const callable = (qualifiedName: string, call: (args: unknown[]) => unknown): PickleCallable => ({ qualifiedName, call });
  const allowed: Record<string, PickleCallable> = {
    'collections.OrderedDict': callable('collections.OrderedDict', (args) => {
      const d = new PickleDict();
      if (Array.isArray(args[0])) for (const pair of args[0]) if (Array.isArray(pair) && pair.length === 2) d.map.set(pair[0], pair[1]);
      return d;
    }),
    'torch._utils._rebuild_tensor_v2': callable('torch._utils._rebuild_tensor_v2', (a) => rebuild(a[0], a[1], a[2], a[3])),
    'torch._utils._rebuild_tensor': callable('torch._utils._rebuild_tensor', (a) => rebuild(a[0], a[1], a[2], a[3])),
    'torch._utils._rebuild_parameter': callable('torch._utils._rebuild_parameter', (a) => (a[0] instanceof Tensor ? a[0] : fail(`_rebuild_parameter on ${describe(a[0])}`))),
    'torch._utils._rebuild_parameter_with_state': callable('torch._utils._rebuild_parameter_with_state', (a) => (a[0] instanceof Tensor ? a[0] : fail(`_rebuild_parameter_with_state on ${describe(a[0])}`))),
  };
  for (const [name, kind] of Object.entries(STORAGES)) {
    const type: StorageType = { qualifiedName: `torch.${name}`, kind, call: () => fail(`calls torch.${name}, which a state dict never does`) };
    allowed[`torch.${name}`] = type;
  }

  const root = unpickle(entries.get(pkl) as Uint8Array, {
    global: (module, name) => {
      const q = `${module}.${name}`;
      const f = allowed[q];
      if (f) return f;
      return fail(`refuses the pickle global '${q}': a state dict holds only tensors and dicts, and loading any other global could run code, so nothing was loaded (save model.state_dict(), not the model; allowed: ${Object.keys(allowed).filter((k) => !k.endsWith('Storage')).join(', ')} and torch.*Storage)`);
    },
    persistentLoad: loadStorage,
  }, OP, file);

  if (!(root instanceof PickleDict)) return fail(`holds a ${describe(root)}, not a state dict (a dict of tensors)`);
  const tensors: Record<string, Tensor> = {};
  const other: Record<string, unknown> = {};
  // defineProperty, not assignment: a key such as '__proto__' from the file stays a plain key.
  const put = (o: Record<string, unknown>, key: string, value: unknown): void => { Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true }); };
  const walk = (d: PickleDict, prefix: string): void => {
    for (const [k, v] of d.map) {
      const key = prefix + String(k);
      if (v instanceof Tensor) put(tensors, key, v);
      else if (v instanceof PickleDict) walk(v, `${key}.`);
      else put(other, key, v);
    }
  };
  walk(root, '');
  return { tensors, other };
}

function alloc(dtype: DType, n: number): TypedArray {
  return dtype === 'float64' ? new Float64Array(n) : dtype === 'int32' ? new Int32Array(n) : dtype === 'bool' ? new Uint8Array(n) : new Float32Array(n);
}

function isStorageType(v: unknown): v is StorageType {
  return typeof v === 'object' && v !== null && 'kind' in v && 'qualifiedName' in v;
}

function isStorage(v: unknown): v is Storage {
  return typeof v === 'object' && v !== null && 'values' in v && 'key' in v && 'dtype' in v;
}

/** A short description of a pickle value for error messages (never a dump of a large object). */
function describe(v: unknown, depth = 0): string {
  if (v === null || v === undefined) return 'None';
  if (v instanceof PickleDict) return 'a dict';
  if (v instanceof Tensor) return `a tensor ${fmtShape(v.shape)}`;
  if (v instanceof Uint8Array) return `${v.length} bytes`;
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return depth > 1 ? '(…)' : `(${v.slice(0, 5).map((x) => describe(x, depth + 1)).join(', ')}${v.length > 5 ? ', …' : ''})`;
  if (isStorageType(v)) return `the global ${v.qualifiedName}`;
  if (isStorage(v)) return `storage '${v.key}'`;
  if (typeof v === 'object' && 'qualifiedName' in v) return `the global ${String((v as PickleCallable).qualifiedName)}`;
  return typeof v;
}
