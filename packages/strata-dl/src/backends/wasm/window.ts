// SPDX-License-Identifier: MIT
import type { Kernel } from '../../backend/backend.js';
import { sizeOf } from '../../core/shape.js';
import { windowCounts } from '../../ir/infer.js';
import type { WindowAttrs } from '../../ir/prims.js';
import type { Ctx } from './context.js';
import { TASK, writeWindow } from './generated/interface.js';

const WINDOW_PAR_MIN = 1 << 15;

/** Writes the UNFOLD/FOLD descriptor; returns the thread count. */
export function windowDesc(ctx: Ctx, image: readonly number[], L: number, a: WindowAttrs, src: number, dst: number): number {
  const [n, c, h, w] = image;
  const [oh, ow] = windowCounts('unfold', [h, w], a);
  writeWindow(ctx.rt.i32, ctx.rt.desc, {
    N: n, C: c, H: h, W: w, kh: a.kernel[0], kw: a.kernel[1], sh: a.stride[0], sw: a.stride[1],
    padTop: a.padding[0], padLeft: a.padding[2], dh: a.dilation[0], dw: a.dilation[1], OH: oh, OW: ow, src, dst,
  });
  return Math.max(1, Math.min(n * c, ctx.rt.threadsFor(n * c * a.kernel[0] * a.kernel[1] * L, WINDOW_PAR_MIN)));
}

/**
 * im2col ([N, C, H, W] -> [N, C*kh*kw, OH*OW]) and col2im (the sum back), shared out by (n, c)
 * planes. Both describe the same windows over the image side, so one kernel body serves both.
 */
function windowKernel<P extends 'unfold' | 'fold'>(ctx: Ctx, prim: P): Kernel<P> {
  const fb = ctx.fallback(prim);
  const task = prim === 'unfold' ? TASK.UNFOLD : TASK.FOLD;
  return (out, ins, attrs) => {
    const [src] = ins;
    if (src.dtype !== 'float32') return fb(out, ins, attrs);
    if (sizeOf(out.shape) === 0) return;
    const [image, cols] = prim === 'unfold' ? [src, out] : [out, src];
    const threads = windowDesc(ctx, image.shape, cols.shape[2], attrs, ctx.ptr(src), ctx.ptr(out));
    ctx.rt.pool.run(task, ctx.rt.desc, threads);
  };
}

export const unfoldKernel = (ctx: Ctx): Kernel<'unfold'> => windowKernel(ctx, 'unfold');
export const foldKernel = (ctx: Ctx): Kernel<'fold'> => windowKernel(ctx, 'fold');
