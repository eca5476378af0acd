// SPDX-License-Identifier: MIT
import type { Kernel } from '../../backend/backend.js';
import { sizeOf, stridesOf } from '../../core/shape.js';
import type { Ctx } from './context.js';
import { TASK, writeReduce } from './generated/interface.js';
import type { Runtime } from './runtime.js';

const OP = { sum: 0, max: 1, min: 2 } as const;

/** Input elements per thread below which a pass stays on the calling thread (as the elementwise ops'). */
const PAR_MIN = 1 << 15;
/** Input elements below which a pass does not wake a sleeping worker (as the elementwise ops'). */
const WAKE_MIN = 1 << 19;
/** Blocks a parallel pass is cut into, at most: a function of the shape alone. */
const ITEMS = 16;
/** Fewest inner outputs in a block, when the inner axis is cut (few outer indices, as in [1, N, C]). */
const INNER_MIN = 64;

/**
 * One pass over the middle axis of [outer, R, inner], cut into fixed blocks of the outputs (outer
 * indices, or inner ones when there are few outer) that the threads claim (assembly/reduce.ts).
 * Every output is computed the same way in any block, so the bits do not depend on the threads. A
 * conv's bias gradient, Σ over N, H, W of [N, C, H, W], is 5M elements in W3's step.
 */
function reducePass(rt: Runtime, op: number, outer: number, R: number, inner: number, src: number, dst: number): void {
  const n = outer * R * inner;
  const threads = rt.threadsFor(n, PAR_MIN);
  const oBlock = outer >= ITEMS ? Math.ceil(outer / ITEMS) : 1;
  const iBlock = outer >= ITEMS ? inner : Math.max(INNER_MIN, Math.ceil(inner / Math.ceil(ITEMS / outer) / 16) * 16);
  if (threads === 1 || (oBlock >= outer && iBlock >= inner)) {
    rt.x.reduceF32(op, outer, R, inner, src, dst);
    return;
  }
  writeReduce(rt.i32, rt.desc, { op, outer, R, inner, src, dst, oBlock, iBlock, counter: 0 });
  rt.pool.run(TASK.REDUCE, rt.desc, threads, n >= WAKE_MIN);
}

/**
 * sum/max/min over any set of axes of a float32 tensor. Dimensions are grouped into alternating
 * kept/reduced blocks; each reduced block is one [outer, R, inner] pass of the wasm kernel
 * (innermost first), through temporaries when there is more than one.
 */
export function reduceKernel<P extends 'sum' | 'max' | 'min'>(ctx: Ctx, prim: P): Kernel<P> {
  const fb = ctx.fallback(prim);
  const code = OP[prim];
  return (out, ins, attrs) => {
    const [x] = ins;
    if (x.dtype !== 'float32' || out.dtype !== 'float32') return fb(out, ins, attrs);
    const n = sizeOf(out.shape);
    if (n === 0) return;
    const rt = ctx.rt;
    // plain loops and arrays: a Set, forEach and slices cost a small sum about 1 µs a call
    const axes = attrs.axes;
    const sizes: number[] = [], red: boolean[] = [];
    for (let i = 0; i < x.shape.length; i++) {
      const d = x.shape[i];
      if (d === 1) continue;
      const r = axes.includes(i), last = sizes.length - 1;
      if (last >= 0 && red[last] === r) sizes[last] *= d;
      else {
        sizes.push(d);
        red.push(r);
      }
    }
    let passes = 0;
    for (const r of red) if (r) passes++;
    const total = sizeOf(x.shape);
    if (total === 0) {
      // only sum reaches here (infer rejects empty max/min)
      ctx.fill(out, 0);
      return;
    }
    if (passes === 0) {
      ctx.rt.x.copyBytes(ctx.ptr(out), ctx.ptr(x), total * 4);
      return;
    }
    let src = ctx.ptr(x);
    let tmp: [number, number] | null = null;
    let done = 0;
    for (let j = sizes.length - 1; j >= 0; j--) {
      if (!red[j]) continue;
      let outer = 1, inner = 1;
      for (let i = 0; i < j; i++) outer *= sizes[i];
      for (let i = j + 1; i < sizes.length; i++) inner *= sizes[i];
      const R = sizes[j];
      done++;
      let dst: number;
      let next: [number, number] | null = null;
      if (done === passes) dst = ctx.ptr(out);
      else {
        next = rt.temp(outer * inner * 4);
        dst = next[0];
      }
      reducePass(rt, code, outer, R, inner, src, dst);
      if (tmp) rt.heap.free(tmp[0], tmp[1]);
      tmp = next;
      src = dst;
      sizes.splice(j, 1);
      red.splice(j, 1);
    }
  };
}

export function argKernel<P extends 'argmax' | 'argmin'>(ctx: Ctx, prim: P): Kernel<P> {
  const fb = ctx.fallback(prim);
  return (out, ins, attrs) => {
    const [x] = ins;
    if (x.dtype !== 'float32') return fb(out, ins, attrs);
    const n = sizeOf(out.shape);
    if (n === 0) return;
    const { axis } = attrs;
    // A 0-d input (axis 0, as PyTorch allows) is one row of length 1.
    const len = x.shape[axis] ?? 1;
    const inner = stridesOf(x.shape)[axis] ?? 1;
    ctx.rt.x.argF32(prim === 'argmax' ? 1 : 0, n / inner, len, inner, ctx.ptr(x), ctx.ptr(out));
  };
}
