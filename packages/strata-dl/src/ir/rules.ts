// SPDX-License-Identifier: MIT
// The derivative (VJP) and tangent (JVP) tables, read off the primitives' records (src/ir/): one
// rule of each kind per primitive, written with differentiable tensor ops, so gradients of
// gradients (and forward-over-reverse) work.
import { RECORDS, type Prim } from './prims.js';
import type { JvpRule, VjpRule } from './record.js';

export type { JvpRule, VjpRule } from './record.js';
export { sumTo } from './sum-to.js';

type Table<R> = { [P in Prim]: R };
const vjp = {} as Table<VjpRule<Prim>>;
const jvp = {} as Table<JvpRule<Prim>>;
for (const p of Object.keys(RECORDS) as Prim[]) {
  const r = RECORDS[p];
  // a non-differentiable primitive's rules are never called (its output records no node)
  vjp[p] = r.differentiable ? (r.vjp as VjpRule<Prim>) : (_g, ins) => ins.map(() => null);
  jvp[p] = r.differentiable ? (r.jvp as JvpRule<Prim>) : () => null;
}
export const VJP = vjp as { [P in Prim]: VjpRule<P> };
export const JVP = jvp as { [P in Prim]: JvpRule<P> };
