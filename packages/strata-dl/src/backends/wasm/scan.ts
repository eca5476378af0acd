// SPDX-License-Identifier: MIT
// cumsum, cumprod and argsort on float32 (assembly/scan.ts); other dtypes run the js reference.
import type { Kernel } from '../../backend/backend.js';
import { sizeOf, stridesOf } from '../../core/shape.js';
import type { Ctx } from './context.js';

/** [outer, n, inner] of a row along `axis` (a 0-d tensor is one row of one). */
function rows(shape: readonly number[], axis: number): [number, number, number] {
  if (shape.length === 0) return [1, 1, 1];
  const inner = stridesOf(shape)[axis];
  return [sizeOf(shape) / (shape[axis] * inner) || 0, shape[axis], inner];
}

export function scanKernel<P extends 'cumsum' | 'cumprod'>(ctx: Ctx, prim: P): Kernel<P> {
  const fb = ctx.fallback(prim);
  return (out, ins, attrs) => {
    const [x] = ins;
    if (x.dtype !== 'float32') return fb(out, ins, attrs);
    if (sizeOf(x.shape) === 0) return;
    const [outer, n, inner] = rows(x.shape, attrs.axis);
    const reverse = 'reverse' in attrs && attrs.reverse ? 1 : 0;
    const rt = ctx.rt;
    const ws = inner > 1 ? rt.temp(inner * 8) : null;
    rt.x.scanF32(prim === 'cumsum' ? 0 : 1, reverse, outer, n, inner, ctx.ptr(x), ctx.ptr(out), ws ? ws[0] : 0);
    if (ws) rt.heap.free(ws[0], ws[1]);
  };
}

export function argsortKernel(ctx: Ctx): Kernel<'argsort'> {
  const fb = ctx.fallback('argsort');
  return (out, ins, attrs) => {
    const [x] = ins;
    if (x.dtype !== 'float32') return fb(out, ins, attrs);
    if (sizeOf(x.shape) === 0) return;
    const [outer, n, inner] = rows(x.shape, attrs.axis);
    const rt = ctx.rt;
    const ws = rt.temp(n * 16);
    rt.x.argsortF32(attrs.descending ? 1 : 0, outer, n, inner, ctx.ptr(x), ctx.ptr(out), ws[0]);
    rt.heap.free(ws[0], ws[1]);
  };
}
