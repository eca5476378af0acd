// SPDX-License-Identifier: MIT
// The direct convolution (assembly/dconv.ts): its workspace layout, when it is used, and the call.
import type { WindowAttrs } from '../../ir/prims.js';
import type { Ctx } from './context.js';
import { TASK, writeDconv } from './generated/interface.js';

/** Flops per thread below which the direct convolution stays on the calling thread (as the GEMM's). */
const DCONV_PAR_MIN = 1 << 20;

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
 * weights (O·K floats), tap offsets (K i32), the vectors' offsets (2·V i32), the padded image (C·sw
 * planes of Hp x Wq, then 16 floats of slack), and for outputs narrower than 4, O·OH rows of 4 floats.
 */
export function dconvLayout(s: DconvShape): { Hp: number; Wq: number; V: number; bytes: number } {
  const [kh, kw] = s.window.kernel, [sh, sw] = s.window.stride, [dh, dw] = s.window.dilation;
  const k = s.c * kh * kw;
  const Hp = (s.oh - 1) * sh + (kh - 1) * dh + 1;
  const Wq = Math.ceil(((s.ow - 1) * sw + (kw - 1) * dw + 1) / sw);
  const V = 2 * Math.ceil((s.oh * Math.ceil(Math.max(s.ow, 1) / 4)) / 2);
  const img = al16(al16(al16(s.o * k * 4) + k * 4) + V * 8);
  const end = al16(img + (s.c * sw * Hp * Wq + 16) * 4) + (s.ow < 4 ? s.o * s.oh * 16 : 0);
  return { Hp, Wq, V, bytes: Math.ceil(end / 64) * 64 };
}

/**
 * Whether a convolution of this shape runs direct rather than as a GEMM: few filters (a block of
 * the micro-kernel's rows, or a few: LeNet's 6 and 16), and images whose padded copy stays small.
 * A function of the shape alone (never of the thread count), so the bits do not depend on it.
 */
export function useDirect(s: DconvShape): boolean {
  const { Hp, Wq } = dconvLayout(s);
  return s.o <= 16 && s.window.stride[0] === 1 && s.window.stride[1] === 1 && s.c * Hp * Wq <= 1 << 16;
}

/**
 * Runs the direct convolution: out = conv(x, w) + bias, ReLU'd if `relu`. `flip`: w is another
 * convolution's weights [C, O·kh·kw], read flipped and transposed (that convolution's input gradient).
 */
export function runDconv(ctx: Ctx, s: DconvShape, x: number, w: number, out: number, bias: number, relu: boolean, flip: boolean): void {
  const rt = ctx.rt;
  const { Hp, Wq, V, bytes } = dconvLayout(s);
  const a = s.window;
  const flops = 2 * s.n * s.o * s.oh * s.ow * s.c * a.kernel[0] * a.kernel[1];
  const threads = Math.max(1, Math.min(s.n, rt.threadsFor(flops, DCONV_PAR_MIN)));
  const ws = rt.temp(threads * bytes + 64);
  try {
    writeDconv(rt.i32, rt.desc, {
      N: s.n, C: s.c, H: s.h, W: s.w, O: s.o, kh: a.kernel[0], kw: a.kernel[1], sh: a.stride[0], sw: a.stride[1],
      padTop: a.padding[0], padLeft: a.padding[2], dh: a.dilation[0], dw: a.dilation[1], OH: s.oh, OW: s.ow, Hp, Wq, V,
      x, w, out, bias, relu: relu ? 1 : 0, flip: flip ? 1 : 0, ws: Math.ceil(ws[0] / 64) * 64, wsPerThread: bytes, counter: 0,
    });
    rt.pool.run(TASK.DCONV, rt.desc, threads, flops >= 1 << 22);
  } finally {
    rt.heap.free(ws[0], ws[1]);
  }
}
