// SPDX-License-Identifier: MIT
import type { Kernel } from '../../backend/backend.js';
import { StrataError, fmtShape } from '../../core/errors.js';
import { sizeOf, stridesOf } from '../../core/shape.js';
import type { Ctx } from './context.js';
import { MAX_RANK } from './nd.js';
import { writeIndexing, writeNd } from './generated/interface.js';

function outOfBounds(op: string, v: number, n: number, shape: readonly number[], axis: number): StrataError {
  return new StrataError(op, `index ${v} is out of bounds for dimension ${axis} of size ${n} (input ${fmtShape(shape)})`);
}

/** Writes the indexing descriptor: index shape, strides A (axis zeroed), strides B, axis stride, axis size. */
function desc(ctx: Ctx, idxShape: readonly number[], a: readonly number[], b: readonly number[], axis: number, n: number): void {
  const rt = ctx.rt;
  writeNd(rt.i32, rt.desc, idxShape, [a.map((s, j) => (j === axis ? 0 : s)), idxShape.map((_, j) => b[j] ?? 0)]);
  writeIndexing(rt.i32, rt.desc, { axisStride: a[axis], n });
}

/**
 * Whether the index runs along the last axis of `a` with the same leading dimensions, so both walk
 * row by row (pooling's gather and its gradient): the kernels then need no odometer.
 */
function lastAxisRows(axis: number, a: readonly number[], index: readonly number[]): boolean {
  if (axis !== a.length - 1 || index.length !== a.length) return false;
  for (let i = 0; i < axis; i++) if (a[i] !== index[i]) return false;
  return true;
}

/** gather for 4-byte dtypes (float32, int32); others through the reference. */
export function gatherKernel(ctx: Ctx): Kernel<'gather'> {
  const fb = ctx.fallback('gather');
  return (out, ins, attrs) => {
    const [x, index] = ins;
    if ((x.dtype !== 'float32' && x.dtype !== 'int32') || index.shape.length > MAX_RANK) return fb(out, ins, attrs);
    if (sizeOf(index.shape) === 0) return;
    const { axis } = attrs;
    const rt = ctx.rt;
    let bad: number;
    if (lastAxisRows(axis, x.shape, index.shape)) {
      const n = x.shape[axis], m = index.shape[axis];
      bad = rt.x.gatherRows4(sizeOf(index.shape) / m, n, m, ctx.ptr(out), ctx.ptr(x), ctx.ptr(index));
    } else {
      desc(ctx, index.shape, stridesOf(x.shape), [], axis, x.shape[axis]);
      bad = rt.x.gather4(rt.desc, ctx.ptr(out), ctx.ptr(x), ctx.ptr(index), rt.ctr);
    }
    if (bad >= 0) throw outOfBounds('gather', ctx.array(index)[bad], x.shape[axis], x.shape, axis);
  };
}

/** scatterAdd for float32 into float32; others through the reference. */
export function scatterAddKernel(ctx: Ctx): Kernel<'scatterAdd'> {
  const fb = ctx.fallback('scatterAdd');
  return (out, ins, attrs) => {
    const [x, index, src] = ins;
    if (out.dtype !== 'float32' || x.dtype !== 'float32' || src.dtype !== 'float32' || index.shape.length > MAX_RANK) return fb(out, ins, attrs);
    ctx.rt.x.copyBytes(ctx.ptr(out), ctx.ptr(x), sizeOf(out.shape) * 4);
    if (sizeOf(index.shape) === 0) return;
    const { axis } = attrs;
    const rt = ctx.rt;
    let bad: number;
    if (lastAxisRows(axis, out.shape, index.shape) && lastAxisRows(axis, src.shape, index.shape)) {
      const m = index.shape[axis];
      bad = rt.x.scatterAddRowsF32(sizeOf(index.shape) / m, out.shape[axis], m, src.shape[axis], ctx.ptr(out), ctx.ptr(index), ctx.ptr(src));
    } else {
      desc(ctx, index.shape, stridesOf(out.shape), stridesOf(src.shape), axis, out.shape[axis]);
      bad = rt.x.scatterAddF32(rt.desc, ctx.ptr(out), ctx.ptr(index), ctx.ptr(src), rt.ctr);
    }
    if (bad >= 0) throw outOfBounds('scatterAdd', ctx.array(index)[bad], out.shape[axis], out.shape, axis);
  };
}
