// SPDX-License-Identifier: MIT
import type { FusedKernels, Kernel, View } from '../../backend/backend.js';
import { sizeOf } from '../../core/shape.js';
import { windowCounts } from '../../ir/infer.js';
import type { PrimAttrs } from '../../ir/prims.js';
import { wbuf } from './buf.js';
import type { Ctx } from './context.js';
import { reluGradInPlace } from './elementwise.js';
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
      src: ctx.ptr(x), dst: ctx.ptr(out), max: attrs.mode === 'max' ? 1 : 0, values: prim === 'pool' ? 1 : 0, grad: 0, counter: 0,
    });
    const threads = Math.max(1, Math.min(planes, rt.threadsFor(planes * oh * ow * k[0] * k[1], PAR_MIN)));
    rt.pool.run(TASK.POOL_INDEX, rt.desc, threads);
  };
}

export const poolIndexKernel = (ctx: Ctx): Kernel<'poolIndex'> => extremumKernel(ctx, 'poolIndex');
export const poolKernel = (ctx: Ctx): Kernel<'pool'> => extremumKernel(ctx, 'pool');

/** MaxPool2d(2)'s geometry with every window inside the plane and 4 or more outputs a row: assembly/pool2x2.ts's. */
const is2x2 = (h: number, w: number, oh: number, ow: number, a: PrimAttrs['pool']): boolean =>
  a.kernel[0] === 2 && a.kernel[1] === 2 && a.stride[0] === 2 && a.stride[1] === 2 && a.padding[0] === 0 && a.padding[2] === 0 &&
  a.dilation[0] === 1 && a.dilation[1] === 1 && 2 * oh <= h && 2 * ow <= w && ow >= 4;

/**
 * Pooling's input gradient (nn/functional/pool-grad.ts): the output's gradient scattered onto zeros
 * at each window's extremum, then with `relu` passed through reluGrad at x (in the same pass for
 * MaxPool2d(2)'s geometry). MaxPool2d(2)'s geometry in one pass shared out by planes, each 2x2
 * window searched again and the gradient's rows written whole (assembly/pool2x2.ts); other
 * geometries as the composed definition runs them (poolIndex, zeros, the scatter), the same bits.
 * CPU time on one thread (2 cores shared with other jobs, rough) against the composed steps:
 * [64, 6, 28, 28] 0.31-0.38 ms composed, 0.09 fused; [64, 16, 10, 10] 0.09-0.10, 0.05-0.10;
 * [128, 64, 24, 24] 3.7-4.0, 1.4-1.5 (reading x and g and writing the gradient: about the memory bandwidth).
 */
export function fusedPooling(ctx: () => Ctx): FusedKernels {
  return {
    poolGrad: { dtypes: ['float32'], run(a): void {
      const c = ctx(), rt = c.rt;
      const [n, ch, h, w] = a.xShape;
      const [oh, ow] = windowCounts('pool', [h, w], a.attrs);
      const out = wbuf(a.out, rt).ptr, g = wbuf(a.g, rt).ptr, x = wbuf(a.x, rt).ptr;
      const planes = n * ch;
      if (planes * h * w === 0) return;
      const { kernel: k, stride: s, padding: p, dilation: d } = a.attrs;
      // one literal, its last fields set per path (a spread of it into a new object costs microseconds a call)
      const fields = { planes, H: h, W: w, kh: k[0], kw: k[1], sh: s[0], sw: s[1], padTop: p[0], padLeft: p[2], dh: d[0], dw: d[1], OH: oh, OW: ow, src: x, max: a.attrs.mode === 'max' ? 1 : 0, dst: out, values: a.relu ? 3 : 2, grad: g, counter: 0 };
      const threads = Math.max(1, Math.min(planes, rt.threadsFor(planes * oh * ow * k[0] * k[1], PAR_MIN)));
      if (is2x2(h, w, oh, ow, a.attrs)) {
        // values 3: the gradient zeroed where the window's extremum (x at the tap taking it) is <= 0
        writePoolIndex(rt.i32, rt.desc, fields);
        rt.pool.run(TASK.POOL_INDEX, rt.desc, threads);
        return;
      }
      const idx = rt.temp(planes * oh * ow * 4);
      try {
        fields.dst = idx[0];
        fields.values = 0;
        fields.grad = 0;
        writePoolIndex(rt.i32, rt.desc, fields);
        rt.pool.run(TASK.POOL_INDEX, rt.desc, threads);
        rt.x.fill32(out, 0, planes * h * w);
        rt.x.scatterAddRowsF32(planes, h * w, oh * ow, oh * ow, out, idx[0], g);
      } finally {
        rt.heap.free(idx[0], idx[1]);
      }
      if (a.relu) reluGradInPlace(c, a.out, a.x, planes * h * w);
    } },
  };
}
