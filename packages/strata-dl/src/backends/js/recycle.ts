// SPDX-License-Identifier: MIT
import { type DType, type TypedArray, bytesPerElement } from '../../core/dtype.js';

/**
 * Small typed arrays of disposed tensors, kept for the next allocation of the same dtype and length.
 * Making a typed array costs more than a small op's loop (its backing store is allocated outside the
 * JS heap and tracked by the GC), and training steps allocate the same shapes every step. Arrays of
 * at most `MAX_LENGTH` elements are kept, `PER_LENGTH` of each length, `MAX_BYTES` in all; the rest
 * is left to the garbage collector as before.
 */
const MAX_LENGTH = 4096;
const PER_LENGTH = 16;
const MAX_BYTES = 4 * 2 ** 20;

const bins: Record<DType, Map<number, TypedArray[]>> = { float32: new Map(), float64: new Map(), int32: new Map(), bool: new Map() };
let keptBytes = 0;

/** A kept array of `dtype` and `size` elements, zeroed, or null when there is none. */
export function reuse(dtype: DType, size: number): TypedArray | null {
  const list = bins[dtype].get(size);
  if (list === undefined || list.length === 0) return null;
  const a = list.pop()!;
  keptBytes -= a.byteLength;
  return a.fill(0);
}

/** Keeps `data` (no longer used by anyone) for `reuse`, if it is small and there is room. */
export function keep(dtype: DType, data: TypedArray): void {
  const n = data.length;
  if (n === 0 || n > MAX_LENGTH || keptBytes + n * bytesPerElement(dtype) > MAX_BYTES) return;
  let list = bins[dtype].get(n);
  if (list === undefined) bins[dtype].set(n, (list = []));
  if (list.length >= PER_LENGTH) return;
  list.push(data);
  keptBytes += data.byteLength;
}
