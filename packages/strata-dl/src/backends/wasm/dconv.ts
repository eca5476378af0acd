// SPDX-License-Identifier: MIT
// The direct convolution (assembly/dconv.ts): its workspace layout, when it is used, and the call.
import type { WindowAttrs } from '../../ir/prims.js';
import type { Ctx } from './context.js';
import { TASK, writeDconv } from './generated/interface.js';
import { GEMM_PAR_MIN, GEMM_WAKE_MIN } from './matmul.js';


/** A direct convolution: images [N, C, H, W] to [N, O, OH, OW] through `window` (padding: top, bottom, left, right). */
export interface DconvShape {
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly o: number;
  readonly oh: number;
  readonly ow: number;
  readonly window: WindowAttrs;
}

const al16 = (b: number): number => Math.ceil(b / 16) * 16;

/**
 * The padded copy's rows and columns per column phase (Hp, Wq), the output's vectors of 4 positions
 * (V, even), and one thread's workspace in bytes, laid out as assembly/dconv.ts reads it: packed
 * weights (O·K floats), tap offsets (K i32), the vectors in pairs (8 i32 each), the padded image (C·sw
 * planes of Hp x Wq, then 16 floats of slack), and for outputs narrower than 4, rows of 4 floats for
 * one block of filters (at most 6), or with `pool` that block's output planes.
 */
export function dconvLayout(s: DconvShape, pool = false): { Hp: number; Wq: number; V: number; bytes: number } {
  const [kh, kw] = s.window.kernel, [sh, sw] = s.window.stride, [dh, dw] = s.window.dilation;
  const k = s.c * kh * kw;
  const Hp = (s.oh - 1) * sh + (kh - 1) * dh + 1;
  const Wq = Math.ceil(((s.ow - 1) * sw + (kw - 1) * dw + 1) / sw);
  const V = 2 * Math.ceil((s.oh * Math.ceil(Math.max(s.ow, 1) / 4)) / 2);
  const img = al16(al16(al16(s.o * k * 4) + k * 4) + V * 16);
  const end = al16(img + (s.c * sw * Hp * Wq + 16) * 4) + (pool ? 6 * s.oh * s.ow * 4 : s.ow < 4 ? 6 * s.oh * 16 : 0);
  return { Hp, Wq, V, bytes: Math.ceil(end / 64) * 64 };
}

/**
 * Whether a convolution of this shape runs direct rather than as a GEMM: up to 128 filters, and
 * images whose padded copy (per thread) is at most 256 KB. CPU time on one thread against unfold +
 * GEMM (up to 24 filters) or the implicit GEMM (more), relaxed build, 2 shared cores under load
 * (so rough): LeNet's layers at batch 64 0.96 -> 0.43 ms and 1.57 -> 0.86; 1 to 3 filters of 6
 * channels, 28x28, 7.4-7.9 -> 1.3-1.4; stride 2, 16 filters 3.5 -> 1.7; W3's first layer 0.90 ->
 * 0.64 and its second (64 filters, batch 16) 8.3 -> 7.0; 128 filters of 128 channels, 8x8, 7.9 -> 6.2.
 * 256 filters on 4x4 lost (8.1 against 7.8). A function of the shape alone (never of the thread
 * count), so the bits do not depend on it.
 */
export function useDirect(s: DconvShape): boolean {
  const { Hp, Wq } = dconvLayout(s);
  return s.o <= 128 && s.c * s.window.stride[1] * Hp * Wq <= 1 << 16;
}

/**
 * Runs the direct convolution: out = conv(x, w) + bias, ReLU'd if `relu`. `flip`: w is another
 * convolution's weights [C, O·kh·kw], read flipped and transposed (that convolution's input gradient).
 * `pool`: out is that max-pooled 2x2 at stride 2, [N, O, OH/2, OW/2] (OW >= 8).
 */
export function runDconv(ctx: Ctx, s: DconvShape, x: number, w: number, out: number, bias: number, relu: boolean, flip: boolean, pool = false): void {
  const rt = ctx.rt;
  const { Hp, Wq, V, bytes } = dconvLayout(s, pool);
  const a = s.window;
  const flops = 2 * s.n * s.o * s.oh * s.ow * s.c * a.kernel[0] * a.kernel[1];
  const threads = rt.threadsFor(flops, GEMM_PAR_MIN);
  const ws = rt.temp(threads * bytes + 64);
  try {
    writeDconv(rt.i32, rt.desc, {
      N: s.n, C: s.c, H: s.h, W: s.w, O: s.o, kh: a.kernel[0], kw: a.kernel[1], sh: a.stride[0], sw: a.stride[1],
      padTop: a.padding[0], padLeft: a.padding[2], dh: a.dilation[0], dw: a.dilation[1], OH: s.oh, OW: s.ow, Hp, Wq, V,
      x, w, out, bias, relu: relu ? 1 : 0, flip: flip ? 1 : 0, ws: Math.ceil(ws[0] / 64) * 64, wsPerThread: bytes, counter: 0, pool: pool ? 1 : 0,
    });
    rt.pool.run(TASK.DCONV, rt.desc, threads, flops >= GEMM_WAKE_MIN);
  } finally {
    rt.heap.free(ws[0], ws[1]);
  }
}
