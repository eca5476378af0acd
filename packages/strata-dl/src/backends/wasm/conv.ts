// SPDX-License-Identifier: MIT
import type { Kernel } from '../../backend/backend.js';
import { windowCounts } from '../../ir/infer.js';
import type { Ctx } from './context.js';
import { GEMM_MODE as MODE, TASK } from './generated/interface.js';
import { runGemm } from './matmul.js';
import { windowDesc } from './window.js';

/**
 * conv = w·unfold(x) as an implicit GEMM: each image is packed into the GEMM's B panels straight from
 * [C, H, W] (assembly/matmul.ts, packBConv), so the column matrix, C·kh·kw times the image, is never
 * written or read. The weights are A, packed once per thread for the whole batch. With few filters
 * (M <= inplaceBMaxM() of matmul.ts) the GEMM reads the columns in place without packing them, which
 * beats packing from the image (LeNet's 6 and 16 filters: about 2x), so those unfold into a
 * temporary first, as do windows of more than convKMax() values (the per-k tables' capacity).
 */
export function convKernel(ctx: Ctx): Kernel<'conv'> {
  const fb = ctx.fallback('conv');
  return (out, ins, attrs) => {
    const [x, w, bias] = ins;
    const [n, c, h, wd] = x.shape;
    const k = c * attrs.kernel[0] * attrs.kernel[1];
    if (x.dtype !== 'float32' || w.dtype !== 'float32') return fb(out, ins, attrs);
    const epi: [number, number] = [bias ? ctx.ptr(bias) : 0, attrs.relu ? 1 : 0];
    const [oh, ow] = windowCounts('conv', [h, wd], attrs);
    const o = w.shape[0], L = oh * ow;
    if (n === 0 || o === 0 || L === 0) return;
    if (k === 0) {
      // an empty product: the epilogue alone, relu(bias) per channel (rare, so through the reference)
      if (bias || attrs.relu) return fb(out, ins, attrs);
      return ctx.fill(out, 0);
    }
    const offs: number[] = [];
    if (o > ctx.rt.x.inplaceBMaxM() && k <= ctx.rt.x.convKMax()) {
      for (let b = 0; b < n; b++) offs.push(0, b * c * h * wd);
      runGemm(ctx, offs, [n, o, L, k, k, 1, 0, 0, ctx.ptr(w), ctx.ptr(x), ctx.ptr(out)], {
        mode: MODE.CONV, channels: c, H: h, W: wd, kh: attrs.kernel[0], kw: attrs.kernel[1], sh: attrs.stride[0], sw: attrs.stride[1],
        padTop: attrs.padding[0], padLeft: attrs.padding[2], dh: attrs.dilation[0], dw: attrs.dilation[1], OW: ow,
      }, undefined, epi);
      return;
    }
    const rt = ctx.rt;
    const cols = rt.temp(n * k * L * 4);
    try {
      rt.pool.run(TASK.UNFOLD, rt.desc, windowDesc(ctx, x.shape, L, attrs, ctx.ptr(x), cols[0]));
      for (let b = 0; b < n; b++) offs.push(0, b * k * L);
      runGemm(ctx, offs, [n, o, L, k, k, 1, L, 1, ctx.ptr(w), cols[0], ctx.ptr(out)], { mode: MODE.PLAIN }, undefined, epi);
    } finally {
      rt.heap.free(cols[0], cols[1]);
    }
  };
}

