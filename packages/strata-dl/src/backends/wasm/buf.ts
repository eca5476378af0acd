// SPDX-License-Identifier: MIT
import type { DType } from '../../core/dtype.js';
import { StrataError } from '../../core/errors.js';
import type { Buf, View } from '../../backend/backend.js';
import type { Runtime } from './runtime.js';

/** Storage of the `wasm` backend: a block of the shared wasm memory. */
export class WasmBuf implements Buf {
  freed = false;
  constructor(
    readonly dtype: DType,
    readonly size: number,
    readonly rt: Runtime,
    /** byte offset in the memory */
    readonly ptr: number,
    /** bytes reserved (the allocator's size class) */
    readonly cls: number,
  ) {}
}

/** The buffer behind a view; throws if it belongs to another backend or runtime, or was freed. */
export function wbuf(v: View | Buf, rt: Runtime): WasmBuf {
  const b = 'buf' in v ? v.buf : v;
  if (!(b instanceof WasmBuf) || b.rt !== rt) throw new StrataError('wasm backend', 'received a buffer from another backend');
  if (b.freed) throw new StrataError('wasm backend', `buffer of ${b.size} ${b.dtype} was already freed`);
  return b;
}

export function elemSize(dtype: DType): number {
  return dtype === 'float64' ? 8 : dtype === 'bool' ? 1 : 4;
}
