// SPDX-License-Identifier: MIT
// The primitives, read off their records (never a hand-kept list), and the check that a table
// covers them, which names what is missing.
import { RECORDS, type Prim } from '../packages/strata-dl/src/ir/prims.js';

/** Every primitive, in record order. */
export const ALL_PRIMS: readonly Prim[] = Object.keys(RECORDS) as Prim[];

/** The primitives of `prims` that no entry of a table lists (each entry names the primitives it exercises). */
export function uncovered(entries: readonly { readonly prims: readonly string[] }[], prims: readonly string[] = ALL_PRIMS): string[] {
  const covered = new Set(entries.flatMap((e) => e.prims));
  return prims.filter((p) => !covered.has(p));
}
