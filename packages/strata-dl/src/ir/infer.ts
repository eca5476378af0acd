// SPDX-License-Identifier: MIT
import { StrataError } from '../core/errors.js';
import { RECORDS, type Prim, type PrimAttrs } from './prims.js';
import type { Meta, OutMeta, PrimRecord } from './record.js';

export type { Meta, OutMeta } from './record.js';
export { poolWindowCounts, windowCounts } from './geometry.js';

/** Output shape and dtype of a primitive (its record's shape rule); validates its inputs and throws errors that name the op. */
export function infer<P extends Prim>(prim: P, ins: readonly Meta[], attrs: PrimAttrs[P]): OutMeta {
  const record = RECORDS[prim] as PrimRecord<P> | undefined;
  if (!record) throw new StrataError(prim, 'unknown primitive');
  return record.shape(ins, attrs);
}
