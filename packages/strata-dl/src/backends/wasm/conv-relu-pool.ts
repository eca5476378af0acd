// SPDX-License-Identifier: MIT
import type { FusedKernels, View } from '../../backend/backend.js';
import { windowCounts } from '../../ir/infer.js';
import { WasmBuf, wbuf } from './buf.js';
import { convKernel } from './conv.js';
import type { Ctx } from './context.js';
import { type DconvShape, runDconv, useDirect } from './dconv.js';
import { poolKernel } from './pooling.js';

/**
 * Conv, ReLU (or none), MaxPool2d(2) in inference (nn/functional/conv-relu-pool.ts). Where the convolution
 * runs direct and the pooled rows are at least 4 wide (pool2x2.ts's least), in one task: each
 * block of filters' planes are computed into the thread's scratch, take the bias and ReLU, and are
 * pooled into `out` at once, so the convolution's output never reaches memory (assembly/dconv.ts).
 * Elsewhere the conv kernel writes it to a temporary and the pool kernel reads it: the composed
 * definition's kernels, so the same bits either way.
 */
export function fusedConvReluPool(ctx: () => Ctx): FusedKernels {
  return {
    convReluPool: { dtypes: ['float32'], run(a): void {
      const c = ctx(), rt = c.rt;
      const [n, ch, h, wd] = a.xShape;
      const win = a.window;
      const [oh, ow] = windowCounts('conv', [h, wd], win);
      if (a.out.size === 0) return;
      const k = ch * win.kernel[0] * win.kernel[1];
      const o = a.out.size / (n * (oh >> 1) * (ow >> 1));
      const x = wbuf(a.x, rt), w = wbuf(a.w, rt), out = wbuf(a.out, rt), bias = a.bias ? wbuf(a.bias, rt) : null;
      const s: DconvShape = { n, c: ch, h, w: wd, o, oh, ow, window: win };
      if (k > 0 && ow >= 8 && useDirect(s)) return runDconv(c, s, x.ptr, w.ptr, out.ptr, bias ? bias.ptr : 0, a.relu, false, true);
      const size = n * o * oh * ow;
      const t = rt.temp(size * 4);
      try {
        const mid = new WasmBuf('float32', size, rt, t[0], t[1]);
        const ins: View[] = [{ buf: x, shape: a.xShape, dtype: 'float32' }, { buf: w, shape: [o, k], dtype: 'float32' }];
        if (bias) ins.push({ buf: bias, shape: [o], dtype: 'float32' });
        convKernel(c)({ buf: mid, shape: [n, o, oh * ow], dtype: 'float32' }, ins, a.relu ? { ...win, relu: true } : win);
        poolKernel(c)({ buf: out, shape: [n, o, oh >> 1, ow >> 1], dtype: 'float32' }, [{ buf: mid, shape: [n, o, oh, ow], dtype: 'float32' }],
          { kernel: [2, 2], stride: [2, 2], padding: [0, 0, 0, 0], dilation: [1, 1], mode: 'max' });
      } finally {
        rt.heap.free(t[0], t[1]);
      }
    } },
  };
}
