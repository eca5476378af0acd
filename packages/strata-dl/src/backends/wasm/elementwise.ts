// SPDX-License-Identifier: MIT
import type { Buf, Kernel, View } from '../../backend/backend.js';
import { broadcastStrides, shapesEqual, sizeOf, stridesOf } from '../../core/shape.js';
import { RECORDS, type BinaryPrim, type ComparePrim, type UnaryPrim } from '../../ir/prims.js';
import type { Ctx } from './context.js';
import { MAX_RANK, coalesce } from './nd.js';
import { BINARY_CODE, ELTWISE_KIND as KIND, ELTWISE_SLOTS, TASK, UNARY_CODE, writeEltwise, writeUnary } from './generated/interface.js';
import { floatsToInt32 } from '../../core/cast.js';

/** Elements per thread below which an elementwise op stays on the calling thread. */
const PAR_MIN = 1 << 15;
/** The same for the primitives whose record says `cost: 'heavy'` (a polynomial per element). */
const PAR_MIN_TRANSCENDENTAL = 1 << 13;
/**
 * Elements below which an op does not wake a sleeping worker (it still takes one that is polling):
 * about 130 us of a light op on one thread (W2's 221K-element ops took 57 us), a few wake-ups.
 */
const WAKE_MIN = 1 << 19;
const WAKE_MIN_TRANSCENDENTAL = 1 << 17;

/**
 * The op codes of the wasm schema (scripts/wasm-interface.mjs), checked against the records: a
 * primitive of the family without a code, or a code for no primitive, is a compile error naming it.
 */
const UNARY_CODES: { readonly [P in UnaryPrim]: number } = UNARY_CODE;
const BINARY_CODES: { readonly [P in BinaryPrim | ComparePrim]: number } = BINARY_CODE;
type NoExtra<K, Family> = [Exclude<K, Family>] extends [never] ? true : { 'wasm schema op without a primitive': Exclude<K, Family> };
const unaryExact: NoExtra<keyof typeof UNARY_CODE, UnaryPrim> = true;
const binaryExact: NoExtra<keyof typeof BINARY_CODE, BinaryPrim | ComparePrim> = true;
void unaryExact; void binaryExact;

export function unaryKernel<P extends UnaryPrim>(ctx: Ctx, op: P): Kernel<P> {
  const code = UNARY_CODES[op];
  const heavy = RECORDS[op].cost === 'heavy';
  const fb = ctx.fallback(op);
  return (out, ins, attrs) => {
    const [x] = ins;
    if (x.dtype !== 'float32') return fb(out, ins, attrs);
    const n = sizeOf(out.shape);
    if (n === 0) return;
    const rt = ctx.rt;
    writeUnary(rt.i32, rt.desc, { op: code, n, out: ctx.ptr(out), src: ctx.ptr(x) });
    rt.pool.run(TASK.UNARY, rt.desc, rt.threadsFor(n, heavy ? PAR_MIN_TRANSCENDENTAL : PAR_MIN), n >= (heavy ? WAKE_MIN_TRANSCENDENTAL : WAKE_MIN));
  };
}

/** Broadcasting N-d elementwise op through the ELTWISE task; false when the layout does not fit a descriptor. */
function eltwise(ctx: Ctx, kind: number, op: number, heavy: boolean, out: View, ins: readonly View[]): boolean {
  const n = sizeOf(out.shape);
  if (n === 0) return true;
  const rt = ctx.rt;
  const i32 = rt.i32;
  // the header (descriptor `eltwise`), then the N-d layout: rank, shape[8], three stride rows of 8
  const d = (rt.desc >>> 2) + ELTWISE_SLOTS;
  let rows: number;
  // Fast path (most calls in training): every input is the output's shape or a single value.
  // Plain loops, no closures: for small tensors this bookkeeping is most of the op's cost.
  let flat = true;
  for (let k = 0; k < ins.length && flat; k++) flat = sizeOf(ins[k].shape) === 1 || shapesEqual(ins[k].shape, out.shape);
  if (flat) {
    rows = 1;
    i32[d] = 1;
    i32[d + 1] = n;
    for (let k = 0; k < 3; k++) i32[d + 9 + 8 * k] = k < ins.length && n !== 1 && sizeOf(ins[k].shape) === n ? 1 : 0;
  } else {
    const strides = [stridesOf(out.shape), ...ins.map((v) => broadcastStrides(v.shape, out.shape))];
    const c = coalesce(out.shape, strides);
    const rank = c.shape.length;
    if (rank > MAX_RANK) return false;
    rows = n / c.shape[rank - 1];
    i32[d] = rank;
    for (let j = 0; j < rank; j++) {
      i32[d + 1 + j] = c.shape[j];
      for (let k = 0; k < 3; k++) i32[d + 9 + 8 * k + j] = k < ins.length ? c.strides[k + 1][j] : 0;
    }
  }
  const [x, y, z] = ins;
  writeEltwise(i32, rt.desc, { kind, op, out: ctx.ptr(out), x: ctx.ptr(x), y: y ? ctx.ptr(y) : 0, z: z ? ctx.ptr(z) : 0, rows, odometers: rt.ctr });
  rt.pool.run(TASK.ELTWISE, rt.desc, rt.threadsFor(n, heavy ? PAR_MIN_TRANSCENDENTAL : PAR_MIN), n >= (heavy ? WAKE_MIN_TRANSCENDENTAL : WAKE_MIN));
  return true;
}

function allFloat32(vs: readonly View[]): boolean {
  for (let i = 0; i < vs.length; i++) if (vs[i].dtype !== 'float32') return false;
  return true;
}

export function binaryKernel<P extends BinaryPrim>(ctx: Ctx, op: P): Kernel<P> {
  const code = BINARY_CODES[op];
  const heavy = RECORDS[op].cost === 'heavy';
  const fb = ctx.fallback(op);
  return (out, ins, attrs) => {
    const ok = out.dtype === 'float32' && allFloat32(ins) && eltwise(ctx, KIND.BINARY, code, heavy, out, ins);
    if (!ok) fb(out, ins, attrs);
  };
}

/**
 * g = reluGrad(g, y) in place over `n` float32s: a ReLU's backward that a fused kernel applies as
 * a pass of its own where it cannot fold it into its writes (the bits of the reluGrad primitive).
 */
export function reluGradInPlace(ctx: Ctx, g: Buf, y: Buf, n: number): void {
  const shape = [n];
  const gv: View = { buf: g, shape, dtype: 'float32' };
  eltwise(ctx, KIND.BINARY, BINARY_CODES.reluGrad, false, gv, [gv, { buf: y, shape, dtype: 'float32' }]);
}

export function compareKernel<P extends ComparePrim>(ctx: Ctx, op: P): Kernel<P> {
  const code = BINARY_CODES[op];
  const fb = ctx.fallback(op);
  return (out, ins, attrs) => {
    const ok = allFloat32(ins) && eltwise(ctx, KIND.COMPARE, code, false, out, ins);
    if (!ok) fb(out, ins, attrs);
  };
}

export function whereKernel(ctx: Ctx): Kernel<'where'> {
  const fb = ctx.fallback('where');
  return (out, ins, attrs) => {
    const [c, x, y] = ins;
    const ok = c.dtype === 'bool' && x.dtype === 'float32' && y.dtype === 'float32' && out.dtype === 'float32' &&
      eltwise(ctx, KIND.WHERE, 0, false, out, ins);
    if (!ok) fb(out, ins, attrs);
  };
}

export function castKernel(ctx: Ctx): Kernel<'cast'> {
  return (out, [x]) => {
    const n = sizeOf(out.shape);
    if (n === 0) return;
    if (out.dtype === 'bool' && (x.dtype === 'float32' || x.dtype === 'int32')) {
      ctx.rt.x.toBool(x.dtype === 'float32' ? 1 : 0, n, ctx.ptr(x), ctx.ptr(out));
      return;
    }
    const src = ctx.array(x);
    const dst = ctx.array(out);
    if (out.dtype === 'bool') {
      for (let i = 0; i < n; i++) dst[i] = src[i] !== 0 ? 1 : 0;
      return;
    }
    // float -> int32 as the reference (NaN, ±Infinity and out-of-range values give -2147483648);
    // otherwise TypedArray.set converts like it: float64 -> float32 rounds, bool reads as 0/1.
    if (out.dtype === 'int32' && (x.dtype === 'float32' || x.dtype === 'float64')) floatsToInt32(src, dst);
    else dst.set(src);
  };
}
