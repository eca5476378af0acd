// SPDX-License-Identifier: MIT
import type { FusedKernels, Kernel } from '../../backend/backend.js';
import { windowCounts } from '../../ir/infer.js';
import { wbuf } from './buf.js';
import { type DconvShape, runDconv, useDirect } from './dconv.js';
import type { Ctx } from './context.js';
import { GEMM_MODE as MODE, TASK } from './generated/interface.js';
import { convGeometry as geometry, runGemm, sumGemm } from './matmul.js';
import { windowDesc } from './window.js';
import { directWgrad, useDirectWgrad } from './wgrad.js';

/**
 * conv = w·unfold(x): direct (dconv.ts) for up to 128 filters on images of moderate size
 * (useDirect), else as an implicit GEMM: each image is packed into the GEMM's B panels straight from
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
    const shape: DconvShape = { n, c, h, w: wd, o, oh, ow, window: attrs };
    if (useDirect(shape)) return runDconv(ctx, shape, ctx.ptr(x), ctx.ptr(w), ctx.ptr(out), epi[0], attrs.relu === true, false);
    const offs: number[] = [];
    if (o > ctx.rt.x.inplaceBMaxM() && k <= ctx.rt.x.convKMax()) {
      for (let b = 0; b < n; b++) offs.push(0, b * c * h * wd);
      runGemm(ctx, offs, [n, o, L, k, k, 1, 0, 0, ctx.ptr(w), ctx.ptr(x), ctx.ptr(out)], { mode: MODE.CONV, ...geometry(c, h, wd, attrs, ow) }, undefined, epi);
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


/**
 * The conv rule's weight gradient, out [O, C·kh·kw] = Σ_n g[n]·unfold(x[n])ᵀ, as one GEMM summed over
 * the batch (matmul.ts's sumGemm, so in the same fixed chunks, and bit for bit what matmul gives on
 * the columns) whose B panels are packed from each image as its transposed columns (mode CONV_SUM,
 * assembly/conv.ts), or, where no tap reads padding, which reads the image in place
 * (assembly/wgrad-inplace.ts): the columns are never written. Windows of more than convKMax() values unfold
 * into a temporary first (the same bits). CPU time on one thread (2 cores shared with other jobs,
 * rough), against unfold + the summed GEMM and against the summed GEMM alone on columns kept from
 * the forward pass: W3's second layer 63-66 ms, 72-77, 69-71; its first 3.2-3.3, 3.5-4.0, 3.4-4.2;
 * LeNet's first 2.0-2.2, 2.2-2.7, 1.4-1.7; its second 1.5-2.4, 1.9-3.3, 1.2-2.3.
 */
export function fusedConv(ctx: () => Ctx): FusedKernels {
  return {
    convWeightGrad: { dtypes: ['float32'], run(a): void {
      const c = ctx(), rt = c.rt;
      const [n, ch, h, w] = a.xShape;
      const win = a.window;
      const [oh, ow] = windowCounts('conv', [h, w], win);
      const L = oh * ow, k = ch * win.kernel[0] * win.kernel[1], o = a.out.size / Math.max(1, k);
      const out = wbuf(a.out, rt).ptr, g = wbuf(a.g, rt).ptr, x = wbuf(a.x, rt).ptr;
      if (o === 0 || k === 0) return;
      if (n === 0 || L === 0) return rt.x.fill32(out, 0, o * k);
      // few filters: the direct kernel, which packs no columns (wgrad.ts)
      const shape = { n, c: ch, h, w, o, oh, ow, window: win };
      if (useDirectWgrad(shape, rt.x) && directWgrad(c, shape, g, x, out)) return;
      const offs: number[] = [];
      if (k <= rt.x.convKMax()) {
        for (let b = 0; b < n; b++) offs.push(b * o * L, b * ch * h * w);
        return sumGemm(c, offs, [n, o, k, L, L, 1, 0, 0, g, x, out], geometry(ch, h, w, win, ow));
      }
      const cols = rt.temp(n * k * L * 4);
      try {
        rt.pool.run(TASK.UNFOLD, rt.desc, windowDesc(c, a.xShape, L, win, x, cols[0]));
        for (let b = 0; b < n; b++) offs.push(b * o * L, b * k * L);
        sumGemm(c, offs, [n, o, k, L, L, 1, 1, L, g, cols[0], out]);
      } finally {
        rt.heap.free(cols[0], cols[1]);
      }
    } },
  };
}
