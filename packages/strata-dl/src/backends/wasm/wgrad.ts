// SPDX-License-Identifier: MIT
import type { Ctx } from './context.js';
import type { WasmExports } from './runtime.js';
import { TASK, writeWgrad } from './generated/interface.js';
import { GEMM_PAR_MIN, GEMM_WAKE_MIN, sumChunks } from './matmul.js';
import type { DconvShape } from './dconv.js';


/** Which way conv.ts computes a weight gradient: chosen by the shapes ('auto'), or forced (tests, benchmarks). */
export type WgradPath = 'auto' | 'direct' | 'gemm';
let path: WgradPath = 'auto';
/** Forces the weight gradient's path (tests and measurements); returns the previous setting. */
export function setWgradPath(p: WgradPath): WgradPath {
  const prev = path;
  path = p;
  return prev;
}

/** The geometry of one weight gradient: its convolution's (images [N, C, H, W] to [N, O, OH, OW]). */
export type WgradShape = DconvShape;

/**
 * Floats of one image channel's zero-padded copy: the formulas of assembly/wgrad.ts (which traps if
 * a workspace is smaller than they make it). Rows with a ragged last vector at stride 1 down are
 * copied as kw shifted planes of [Hp, OW], others as Hp rows of sw phases of Wq floats.
 */
function planeFloats(s: WgradShape): number {
  const [kh, kw] = s.window.kernel, [sh, sw] = s.window.stride, [dh, dw] = s.window.dilation;
  const hp = (s.oh - 1) * sh + (kh - 1) * dh + 1;
  if (sh === 1 && s.ow % 4 !== 0) return kw * hp * s.ow;
  return hp * sw * (((s.ow + 3) & ~3) + Math.floor(((kw - 1) * dw) / sw));
}
const tapBytes = (taps: number): number => (taps * 4 + 15) & ~15;

/**
 * Whether the direct kernel is used rather than the implicit GEMM (mode CONV_SUM). The GEMM packs
 * every image's transposed columns, C·kh·kw·OH·OW floats, each of which then feeds O multiply-adds,
 * and its 8-tap panels are ragged for small windows; the direct kernel packs nothing (it copies the
 * image, zero-padded) but loads x once per block of at most 7 filters. CPU time on one thread
 * (relaxed SIMD, 2 cores shared with other jobs at load 4.5-5.6, median of 5-9 interleaved rounds),
 * GEMM / direct, ms: LeNet's conv1 (6 filters, batch 64) 1.35 / 0.51, its conv2 (16) 1.30 / 1.17,
 * W3's conv1 (32, batch 128) 3.58 / 2.24; at batch 32-64: 3->16 3x3 32x32 1.47 / 0.80, 16->32 3x3
 * 16x16 3.00 / 2.02, 6->32 5x5 14x14 1.86 / 1.81, 64->32 3x3 14x14 8.66 / 6.61, 32->48 3x3 16x16
 * 6.97 / 6.08, 16->32 5x5 28x28 16.9 / 18.8; with 64 filters: W3's conv2 63.7 / 68.3, 32->64 3x3
 * 8x8 7.5 / 8.4, but 3->64 3x3 32x32 3.85 / 3.30, and windows of at most 16 taps (one or two ragged
 * 8-tap panels for the GEMM) favour the direct kernel whatever the filters: 1->64 3x3 28x28 5.32 /
 * 4.26, 1->128 6.37 / 5.36. So: the direct kernel up to 48 filters, or for windows of at most 16 taps.
 * Where the GEMM reads the image in place (wgradReads), it packs only g and wins with fewer
 * filters too (wall time, one thread, median of 5-7 rounds, GEMM / direct, ms): LeNet's conv2 0.71
 * / 0.98, 16->32 3x3 16x16 1.34 / 1.52, 8->24 5x5 20x20 1.73 / 1.90, 2->8 3x3 28x28 0.44 / 0.54,
 * 3->16 3x3 32x32 and 32->48 3x3 14x14 even; but not with 16 taps or fewer (W3's conv1, 9 taps:
 * 0.95 / 0.67 on two threads). So there: the direct kernel for windows of at most 16 taps only.
 * Reading a zero-padded copy of each image instead, it does not win with few filters: LeNet's
 * conv1 0.82 / 0.48, 3->16 3x3 same 32x32 0.89 / 0.75, 16->32 3x3 same 16x16 1.84 / 1.90, 4->12
 * 3x3 stride 2 0.55 / 0.61; so with padding the rule stays the first one.
 */
export function useDirectWgrad(s: WgradShape, x: Pick<WasmExports, 'wgradReads'>): boolean {
  if (path !== 'auto') return path === 'direct';
  const taps = s.c * s.window.kernel[0] * s.window.kernel[1];
  return taps <= 16 || (s.o <= 48 && wgradReads(s, x) !== 'image');
}

/**
 * What the implicit GEMM's taps read, as the kernel module decides it: the image in place
 * ('image'), a zero-padded copy of each image where a tap reads padding ('padded copy'), or, in the
 * plain-SIMD build or where the weight gradient's transpose or that copy would not fit the
 * workspace, panels of the transposed columns ('packed').
 */
export function wgradReads(s: WgradShape, x: Pick<WasmExports, 'wgradReads'>): 'image' | 'padded copy' | 'packed' {
  const w = s.window;
  const r = x.wgradReads(s.c, s.h, s.w, w.kernel[0], w.kernel[1], w.stride[0], w.stride[1], w.padding[0], w.padding[2], w.dilation[0], w.dilation[1], s.ow, s.oh * s.ow, s.o);
  return r === 2 ? 'image' : r === 1 ? 'padded copy' : 'packed';
}

/** Items (chunk, channel) that keep the threads busy: 16 keeps up to 8 threads busy with two each. */
const WGRAD_ITEMS = 16;
/**
 * Floats that one micro-kernel call may stream (a chunk's padded copies of one channel and g for
 * 4 filters), so that its blocks of filters and taps re-read them from L2 rather than memory: with
 * all of W3's 128 images in one chunk (26x26, 32 channels) a call read 1.2 MB and took 2.6x longer.
 */
const WGRAD_CALL_FLOATS = 1 << 15;

/**
 * How many fixed chunks the direct kernel sums the batch in: a function of the shapes alone, never
 * of the thread count (docs/determinism.md). Its items are (chunk, channel) pairs, so with several
 * channels it needs fewer chunks than the summed GEMM (sumChunks); fewer chunks mean more images
 * per call of a micro-kernel, whose set-up and final sums then weigh less (LeNet's conv2, 6
 * channels: 3 chunks of about 21 images rather than 16 of 4), and fewer partials to add up; but
 * no more images per chunk than WGRAD_CALL_FLOATS holds.
 */
export function wgradChunks(s: WgradShape): number {
  const [kh, kw] = s.window.kernel, k = s.c * kh * kw, L = s.oh * s.ow;
  const fewest = Math.ceil(s.n / Math.max(1, Math.floor(WGRAD_CALL_FLOATS / (planeFloats(s) + 4 * L))));
  return Math.min(s.n, Math.max(1, fewest, Math.min(sumChunks(s.n, s.o, k, L), Math.ceil(WGRAD_ITEMS / s.c))));
}

/**
 * The conv rule's weight gradient, out [O, C·kh·kw], by the direct kernel (assembly/wgrad.ts),
 * summed over the batch in fixed chunks (wgradChunks), each into
 * a partial of its own, then added up in chunk order: the same bits on any number of threads.
 * Returns false (nothing written) where the padded copies would not fit the GEMM workspaces.
 */
export function directWgrad(ctx: Ctx, s: WgradShape, g: number, x: number, out: number): boolean {
  const rt = ctx.rt;
  const [kh, kw] = s.window.kernel;
  const k = s.c * kh * kw, L = s.oh * s.ow;
  const chunks = wgradChunks(s);
  const per = tapBytes(kh * kw) + Math.ceil(s.n / chunks) * planeFloats(s) * 4 + 16;
  const flops = 2 * s.n * s.o * k * L;
  const threads = Math.max(1, Math.min(chunks * s.c, rt.threadsFor(flops, GEMM_PAR_MIN)));
  const [ws, wsPer] = rt.gemmWorkspace(threads);
  if (per > wsPer) return false;
  const part = chunks > 1 ? rt.temp(chunks * s.o * k * 4) : null;
  try {
    writeWgrad(rt.i32, rt.desc, {
      N: s.n, C: s.c, H: s.h, W: s.w, O: s.o, kh, kw, sh: s.window.stride[0], sw: s.window.stride[1],
      padTop: s.window.padding[0], padLeft: s.window.padding[2], dh: s.window.dilation[0], dw: s.window.dilation[1],
      OH: s.oh, OW: s.ow, g, x, parts: part ? part[0] : out, chunks, ws, wsPerThread: wsPer, counter: 0,
    });
    rt.pool.run(TASK.WGRAD, rt.desc, threads, flops >= GEMM_WAKE_MIN);
    if (part) rt.x.reduceF32(0, 1, chunks, s.o * k, part[0], out);
  } finally {
    if (part) rt.heap.free(part[0], part[1]);
  }
  return true;
}
