// SPDX-License-Identifier: MIT
import type { FusedKernels } from '../../backend/backend.js';
import { windowCounts } from '../../ir/infer.js';
import type { WindowAttrs } from '../../ir/prims.js';
import { wbuf } from './buf.js';
import type { Ctx } from './context.js';
import { type DconvShape, runDconv, useDirect } from './dconv.js';
import { reluGradInPlace } from './elementwise.js';
import { GEMM_MODE as MODE } from './generated/interface.js';
import { GEMM_PAR_MIN, convGeometry, runGemm } from './matmul.js';

/**
 * The conv rule's input gradient, fold(wᵀ·g) (nn/functional/conv-input-grad.ts). At stride 1 it is
 * the "full" convolution of g [N, O, OH, OW] with the flipped, transposed weights w'[c, o, i, j] =
 * w[o, c, kh − 1 − i, kw − 1 − j], padding (k − 1)·d − p (the bottom and right follow from the
 * input's size), so the columns wᵀ·g (kh·kw times the image) are never written: a direct
 * convolution (dconv.ts, reading w flipped) where that wins (directInputGrad). Other strides and
 * shapes: the product image by image into a thread's scratch, each folded at once (GEMM mode FOLD),
 * the same bits as composed on wasm without the batch's column matrix (85 MB for W3's second layer
 * at batch 128). With `reluOf`, reluGrad at it follows: in FOLD, on each image as it is folded
 * (W3's first layer's ReLU); after the direct convolution, as a pass of its own.
 */
export function fusedConvInputGrad(ctx: () => Ctx): FusedKernels {
  return {
    convInputGrad: { dtypes: ['float32'], run(a): void {
      const c = ctx(), rt = c.rt;
      const [n, ch, h, wd] = a.xShape;
      const win = a.window;
      const [kh, kw] = win.kernel;
      const [oh, ow] = windowCounts('conv', [h, wd], win);
      const L = oh * ow, k = ch * kh * kw, o = k === 0 ? 0 : a.w.size / k;
      const out = wbuf(a.out, rt).ptr, g = wbuf(a.g, rt).ptr, w = wbuf(a.w, rt).ptr;
      if (n * ch * h * wd === 0) return;
      if (o === 0 || L === 0) return rt.x.fill32(out, 0, n * ch * h * wd);
      if (win.stride[0] === 1 && win.stride[1] === 1) {
        const s = fullConvShape(a.xShape, o, win);
        // the full convolution multiplies the padding's zeros (across rows) by the weights, which
        // the reference never does: NaN instead of ±Inf where a weight is not finite
        if (directInputGrad(s) && allFinite(rt.f32, w >>> 2, o * k)) {
          runDconv(c, s, g, w, out, 0, false, true);
          if (a.reluOf) reluGradInPlace(c, a.out, a.reluOf, n * ch * h * wd);
          return;
        }
      }
      // per image: its columns wᵀ·g (A = w read transposed in place) into the thread's scratch,
      // folded into the image at once (GEMM mode FOLD): no column matrix for the whole batch
      const threads = rt.threadsFor(2 * n * k * L * o, GEMM_PAR_MIN);
      const per = Math.ceil((k * L * 4) / 64) * 64;
      const scratch = rt.temp(threads * per + 64);
      try {
        const offs: number[] = [];
        for (let b = 0; b < n; b++) offs.push(0, b * o * L);
        runGemm(c, offs, [n, k, L, o, 1, k, L, 1, w, g, Math.ceil(scratch[0] / 64) * 64],
          { mode: MODE.FOLD, ...convGeometry(ch, h, wd, win, ow), OH: oh, out, mask: a.reluOf ? wbuf(a.reluOf, rt).ptr : 0 }, threads);
      } finally {
        rt.heap.free(scratch[0], scratch[1]);
      }
    } },
  };
}

/**
 * The input gradient of a stride-1 convolution of images `xShape` by `o` filters as the full
 * convolution of g: padding (k − 1)·d − p at the top and left (possibly negative; the bottom and
 * right follow from the sizes), g's O channels in, the image's C out.
 */
export function fullConvShape(xShape: readonly number[], o: number, win: WindowAttrs): DconvShape {
  const [n, ch, h, wd] = xShape;
  const [kh, kw] = win.kernel;
  const [oh, ow] = windowCounts('conv', [h, wd], win);
  const full: WindowAttrs = {
    kernel: win.kernel, stride: [1, 1], dilation: win.dilation,
    padding: [(kh - 1) * win.dilation[0] - win.padding[0], 0, (kw - 1) * win.dilation[1] - win.padding[2], 0],
  };
  return { n, c: o, h: oh, w: ow, o: ch, oh: h, ow: wd, window: full };
}

/**
 * Whether the input gradient runs as a direct full convolution: where the direct kernel applies to
 * it, with at least 2 input channels (one filter keeps few accumulators busy: LeNet's first layer,
 * 1.0 ms as product + fold, 1.1-1.2 direct), and either few filters in the forward convolution (the
 * product wᵀ·g has K = O: LeNet's second layer, 16, 1.21-1.27 ms -> 1.13-1.19) or a padding that
 * adds little to the image (the full convolution computes (H·W rounded to 4 columns) / (OH·OW) times
 * the products: W3's second layer, 26x28 / 24x24 = 1.26, lost, 15.4 ms against 16.7 at batch 32;
 * 'same' 3x3 layers, 1.0, won: 16 filters of 32x32 9.8 -> 6.4, 64 of 16x16 9.6 -> 7.8). The
 * implicit GEMM (mode CONV) on the flipped weights lost everywhere tried (W3's second layer 29.7
 * ms, 64 and 128 channels 7.9 and 8.8 against 7.0 and 7.7). CPU time, one thread, loaded machine.
 */
export function directInputGrad(s: DconvShape): boolean {
  const extra = (s.oh * Math.ceil(s.ow / 4) * 4) / (s.h * s.w);
  return s.o >= 2 && (s.c <= 16 || extra <= 1.25) && useDirect(s);
}

/** Whether the `n` floats from index `at` are all finite. */
function allFinite(f: Float32Array, at: number, n: number): boolean {
  for (let i = at; i < at + n; i++) if (!Number.isFinite(f[i])) return false;
  return true;
}
