// SPDX-License-Identifier: MIT
import type { Kernel, View } from '../../backend/backend.js';
import { sizeOf } from '../../core/shape.js';
import { windowCounts } from '../../ir/infer.js';
import type { PrimAttrs } from '../../ir/prims.js';
import type { Ctx } from './context.js';
import { TASK, writePoolIndex } from './generated/interface.js';

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
    writePoolIndex(rt.i32, rt.desc, {
      planes, H: h, W: w, kh: k[0], kw: k[1], sh: s[0], sw: s[1], padTop: p[0], padLeft: p[2], dh: d[0], dw: d[1], OH: oh, OW: ow,
      src: ctx.ptr(x), dst: ctx.ptr(out), max: attrs.mode === 'max' ? 1 : 0, values: prim === 'pool' ? 1 : 0,
    });
    const threads = Math.max(1, Math.min(planes, rt.threadsFor(planes * oh * ow * k[0] * k[1], PAR_MIN)));
    rt.pool.run(TASK.POOL_INDEX, rt.desc, threads);
  };
}

export const poolIndexKernel = (ctx: Ctx): Kernel<'poolIndex'> => extremumKernel(ctx, 'poolIndex');
export const poolKernel = (ctx: Ctx): Kernel<'pool'> => extremumKernel(ctx, 'pool');
