// SPDX-License-Identifier: MIT
import type { Prim } from '../ir/prims.js';
import type { Kernel } from './backend.js';

/**
 * A family's part of a kernel table: one kernel per primitive of `prims` (a family list read off
 * the records, such as UNARY), each made by `make`. A primitive added to the family's records gets
 * its entry here without an edit; `make` is where its particular code is looked up (and found
 * missing by the compiler).
 */
export function perPrim<K extends Prim>(prims: readonly K[], make: (prim: K) => Kernel<K>): { [P in K]: Kernel<P> } {
  const table = {} as Record<K, Kernel<K>>;
  for (const p of prims) table[p] = make(p);
  return table as unknown as { [P in K]: Kernel<P> };
}
