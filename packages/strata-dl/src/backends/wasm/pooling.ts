// SPDX-License-Identifier: MIT
import type { Kernel, View } from '../../backend/backend.js';
import { sizeOf } from '../../core/shape.js';
import { windowCounts } from '../../ir/infer.js';
import type { PrimAttrs } from '../../ir/prims.js';
import type { Ctx } from './context.js';
import { TASK } from './runtime.js';

/** Window taps per thread below which the search stays on the calling thread (as unfold's). */
const PAR_MIN = 1 << 15;

/**
 * Each window's max or min (assembly/pooling.ts), float32, shared out by (n, c) planes: where it
 * is (poolIndex) or its value (pool, which saves pooling a gather).
 */
function extremumKernel<P extends 'poolIndex' | 'pool'>(ctx: Ctx, prim: P): Kernel<P> {
  const fb = ctx.fallback(prim);
  return (out: View, ins: readonly View[], attrs: PrimAttrs[P]) => {
    const [x] = ins;
    if (x.dtype !== 'float32') return fb(out, ins, attrs);
    if (sizeOf(out.shape) === 0) return;
    const [n, c, h, w] = x.shape;
    const [oh, ow] = windowCounts(prim, [h, w], attrs);
    const { kernel: k, stride: s, padding: p, dilation: d } = attrs;
    const planes = n * c;
    const rt = ctx.rt;
    rt.setDesc(0, [planes, h, w, k[0], k[1], s[0], s[1], p[0], p[2], d[0], d[1], oh, ow, ctx.ptr(x), ctx.ptr(out), attrs.mode === 'max' ? 1 : 0, prim === 'pool' ? 1 : 0]);
    const threads = Math.max(1, Math.min(planes, rt.threadsFor(planes * oh * ow * k[0] * k[1], PAR_MIN)));
    rt.pool.run(TASK.POOL_INDEX, rt.desc, threads);
  };
}

export const poolIndexKernel = (ctx: Ctx): Kernel<'poolIndex'> => extremumKernel(ctx, 'poolIndex');
export const poolKernel = (ctx: Ctx): Kernel<'pool'> => extremumKernel(ctx, 'pool');
