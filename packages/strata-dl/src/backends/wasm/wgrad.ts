// SPDX-License-Identifier: MIT
import type { WindowAttrs } from '../../ir/prims.js';
import type { Ctx } from './context.js';
import { TASK, writeWgrad } from './generated/interface.js';
import { sumChunks } from './matmul.js';

/** Flops per thread below which the direct weight gradient stays on the calling thread (as the GEMM's). */
const WGRAD_PAR_MIN = 1 << 20;
/** Flops below which it does not wake a sleeping worker (as the GEMM's). */
const WGRAD_WAKE_MIN = 1 << 22;

/** Which way conv.ts computes a weight gradient: chosen by the shapes ('auto'), or forced (tests, benchmarks). */
export type WgradPath = 'auto' | 'direct' | 'gemm';
let path: WgradPath = 'auto';
/** Forces the weight gradient's path (tests and measurements); returns the previous setting. */
export function setWgradPath(p: WgradPath): WgradPath {
  const prev = path;
  path = p;
  return prev;
}

/** The geometry of one weight gradient. */
export interface WgradShape {
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly o: number;
  readonly oh: number;
  readonly ow: number;
  readonly win: WindowAttrs;
}

/**
 * Floats of one image channel's zero-padded copy, and bytes of the taps' table before the copies:
 * the formulas of assembly/wgrad.ts (which traps if a workspace is smaller than they make it).
 */
function planeFloats(s: WgradShape): number {
  const [kh, kw] = s.win.kernel, [sh, sw] = s.win.stride, [dh, dw] = s.win.dilation;
  const wq = ((s.ow + 3) & ~3) + Math.floor(((kw - 1) * dw) / sw);
  return ((s.oh - 1) * sh + (kh - 1) * dh + 1) * sw * wq;
}
const tapBytes = (taps: number): number => (taps * 4 + 15) & ~15;

/**
 * Whether the direct kernel beats the implicit GEMM (mode CONV_SUM) for this shape. The GEMM packs
 * every image's transposed columns, C·kh·kw·OH·OW floats, and each packed float then feeds O
 * multiply-adds; the direct kernel packs nothing but does a vector load of x per tap for every
 * block of at most 6 filters, and wastes the lanes of a ragged last vector per row. So few filters
 * favour it; many filters (W3's second layer, 64 of them over 32 channels) favour the GEMM.
 */
export function useDirectWgrad(s: WgradShape): boolean {
  if (path !== 'auto') return path === 'direct';
  return s.o <= 8 || s.c * s.win.kernel[0] * s.win.kernel[1] <= 16;
}

/**
 * The conv rule's weight gradient, out [O, C·kh·kw], by the direct kernel (assembly/wgrad.ts),
 * summed over the batch in sumChunks' fixed chunks (the same count as the GEMM path's), each into
 * a partial of its own, then added up in chunk order: the same bits on any number of threads.
 * Returns false (nothing written) where the padded copies would not fit the GEMM workspaces.
 */
export function directWgrad(ctx: Ctx, s: WgradShape, g: number, x: number, out: number): boolean {
  const rt = ctx.rt;
  const [kh, kw] = s.win.kernel;
  const k = s.c * kh * kw, L = s.oh * s.ow;
  const chunks = sumChunks(s.n, s.o, k, L);
  const per = tapBytes(kh * kw) + Math.ceil(s.n / chunks) * planeFloats(s) * 4;
  const flops = 2 * s.n * s.o * k * L;
  const threads = Math.max(1, Math.min(chunks * s.c, rt.threadsFor(flops, WGRAD_PAR_MIN)));
  const [ws, wsPer] = rt.gemmWorkspace(threads);
  if (per > wsPer) return false;
  const part = chunks > 1 ? rt.temp(chunks * s.o * k * 4) : null;
  try {
    writeWgrad(rt.i32, rt.desc, {
      N: s.n, C: s.c, H: s.h, W: s.w, O: s.o, kh, kw, sh: s.win.stride[0], sw: s.win.stride[1],
      padTop: s.win.padding[0], padLeft: s.win.padding[2], dh: s.win.dilation[0], dw: s.win.dilation[1],
      OH: s.oh, OW: s.ow, g, x, parts: part ? part[0] : out, chunks, ws, wsPerThread: wsPer, counter: 0,
    });
    rt.pool.run(TASK.WGRAD, rt.desc, threads, flops >= WGRAD_WAKE_MIN);
    if (part) rt.x.reduceF32(0, 1, chunks, s.o * k, part[0], out);
  } finally {
    if (part) rt.heap.free(part[0], part[1]);
  }
  return true;
}
