// SPDX-License-Identifier: MIT
import { type DType, type TypedArray, makeArray } from '../../core/dtype.js';
import { StrataError } from '../../core/errors.js';
import type { Buf, View } from '../../backend/backend.js';

/** Storage of the `js` backend: a plain typed array. */
export class JsBuf implements Buf {
  readonly data: TypedArray;
  /** A zero-filled buffer: a new array, or `data` (zeroed) when given. */
  constructor(readonly dtype: DType, readonly size: number, data: TypedArray | null = null) {
    this.data = data ?? makeArray(dtype, size);
  }
}

/** The typed array behind a view; throws if the view belongs to another backend. */
export function arr(v: View | Buf): TypedArray {
  const b = 'buf' in v ? v.buf : v;
  if (!(b instanceof JsBuf)) throw new StrataError('js backend', 'received a buffer from another backend');
  return b.data;
}
