// SPDX-License-Identifier: MIT
import type { Kernel } from '../../backend/backend.js';
import { broadcastStrides, matmulDims, sizeOf } from '../../core/shape.js';
import type { WindowAttrs } from '../../ir/prims.js';
import type { Ctx } from './context.js';
import { GEMM_MODE as MODE, GEMM_SPLIT, type GemmConvDesc, TASK, writeGemm, writeGemmConv, writeGemmConvSum, writeGemmFold, writeGemmSum } from './generated/interface.js';

/** Flops per thread below which a GEMM stays on the calling thread (the probe: ~1 MFLOP total). */
export const GEMM_PAR_MIN = 1 << 20;
/** Flops below which a GEMM does not wake a sleeping worker (~85 us on one thread at 50 GFLOP/s, a few wake-ups). */
export const GEMM_WAKE_MIN = 1 << 22;
/** The GEMM's epilogue: bias address (0: none), ReLU (1), and 1 where the bias is per column of C (else per row). */
export type Epilogue = readonly [bias: number, relu: number, colBias?: number];
const NO_EPILOGUE: Epilogue = [0, 0];
/** The offset table of a batch of one matrix, and the plain mode: shared by every product of one matrix. */
const ONE_MATRIX: readonly number[] = [0, 0];
const NO_BATCH: number[] = [];
const PLAIN: GemmMode = { mode: MODE.PLAIN };
/** Descriptor slot where a small per-batch offset table goes (else a temporary block). */
const TABLE_AT = 64;
const TABLE_MAX = 448;

/** A convolution's geometry in the GEMM descriptor (mode CONV). */
export type ConvGeometry = Pick<GemmConvDesc, 'channels' | 'H' | 'W' | 'kh' | 'kw' | 'sh' | 'sw' | 'padTop' | 'padLeft' | 'dh' | 'dw' | 'OW'>;

/** The GEMM descriptor's geometry of a convolution of images [C, H, W] with `ow` outputs per row. */
export const convGeometry = (c: number, h: number, w: number, a: WindowAttrs, ow: number): ConvGeometry => ({
  channels: c, H: h, W: w, kh: a.kernel[0], kw: a.kernel[1], sh: a.stride[0], sw: a.stride[1],
  padTop: a.padding[0], padLeft: a.padding[2], dh: a.dilation[0], dw: a.dilation[1], OW: ow,
});
/**
 * The GEMM task's mode and what it needs: products per matrix, an implicit conv, summed over the
 * batch in `chunks` fixed chunks into `parts`, or both (a conv's weight gradient, B the transposed columns).
 */
export type GemmMode = { mode: typeof MODE.PLAIN } | ({ mode: typeof MODE.CONV } & ConvGeometry) | { mode: typeof MODE.SUM; parts: number; chunks: number }
  | ({ mode: typeof MODE.CONV_SUM; parts: number; chunks: number } & ConvGeometry)
  | ({ mode: typeof MODE.FOLD; out: number; OH: number; mask: number } & ConvGeometry);

/**
 * How the GEMM task cuts its work into items for the threads' shared counter: 0 = whole matrices
 * (a batch of at least 2 per thread: dynamic, at no cost), else shares of the longer side, each a
 * multiple of the micro-tile (8 columns or MR rows). Every item repacks the other operand, so a big
 * one (more than GEMM_SPLIT.FINE_MAX floats) gets one share per thread: 128-column items of W5 gave
 * 53 GFLOP/s against 64 for halves (SIMD128), 67 against 71-83 (relaxed), when each packed all of
 * A; where the threads pack A once together first (`packedA`, sharesPackedA), two per thread and
 * the tails. A small one (an MLP's weight gradient, A = 256x128) gets four per thread, so that a
 * thread whose core is busier than the other's does not hold the call up: W1's dW went from 35-42
 * to 38-52 GFLOP/s, and a W1 step was faster in 40 of 60 interleaved rounds (median 3%).
 */
export function gemmBlock(batch: number, m: number, n: number, k: number, threads: number, mr: number, packedA = false): number {
  if (threads === 1 || batch >= 2 * threads) return 0;
  const splitN = n >= m;
  const unit = splitN ? 8 : mr;
  const shares = packedA ? 2 * threads : (splitN ? m : n) * k <= GEMM_SPLIT.FINE_MAX ? 4 * threads : threads;
  return Math.ceil(Math.max(m, n) / shares / unit) * unit;
}

/** The fewest columns of C for which a big A is packed once and shared (sharesPackedA). */
const SHARED_A_MIN_N = 512;

/**
 * Whether the threads pack A together, once, for all the blocks of columns to read (mode PLAIN's
 * `packedA`, assembly/matmul.ts), so that it is not packed again in every block and the blocks can
 * be two per thread and the tails (gemmBlock) instead of one: one matrix, at least as many columns
 * as rows and SHARED_A_MIN_N of them, and an A of more than GEMM_SPLIT.FINE_MAX floats (W5's). Not
 * for fewer columns: each block reads all of the packed A from the shared cache, and W3's dense
 * layer (A 128x9216, 128 columns) reads its A in place in two blocks instead. The same for blocks of
 * rows and a shared packed B was slower when quiet: W3 inference's dense layer (256 rows against a
 * 9216x128 B) took 7.1-7.6 ms against 6.2-6.6 in 2 or 6 blocks, each reading all of B from the
 * shared cache, though faster beside a busy process (12.9 against 14.6).
 */
export function sharesPackedA(batch: number, m: number, n: number, k: number, threads: number): boolean {
  return threads > 1 && batch === 1 && n >= m && n >= SHARED_A_MIN_N && m * k > GEMM_SPLIT.FINE_MAX;
}

/**
 * Batched C = op(A) . op(B), float32, with batch broadcasting, plus a bias per column and ReLU
 * where given (applied to each block of C as it is computed). Transposes are strides of the packing
 * routines (no copies). A batch of A against one shared B becomes a single tall GEMM, a summed
 * batch of Aᵀ·B a single long one; other summed batches accumulate into C item by item.
 */
export function matmulKernel(ctx: Ctx): Kernel<'matmul'> {
  const fb = ctx.fallback('matmul');
  return (out, ins, attrs) => {
    const [x, y, bias] = ins;
    // (a bias has the product's dtype: the shape rule checks it)
    if (x.dtype !== 'float32' || y.dtype !== 'float32') return fb(out, ins, attrs);
    const { transA, transB, sumBatch, relu } = attrs;
    // two matrices (a Linear layer's products): no batch to broadcast, slice or lay out
    const two = x.shape.length === 2 && y.shape.length === 2;
    const dims = two ? { m: out.shape[0], n: out.shape[1], k: transA ? x.shape[0] : x.shape[1], batch: NO_BATCH } : matmulDims(out.shape, x.shape, y.shape, transA);
    const n = dims.n, batchShape = dims.batch;
    let m = dims.m, k = dims.k;
    let batch = two ? 1 : sizeOf(batchShape);
    if (m === 0 || n === 0) return;
    // no product (K = 0): zeros, then the bias and ReLU as the reference applies them
    if (batch === 0 || k === 0) return bias || relu ? fb(out, ins, attrs) : ctx.fill(out, 0);
    let offs: readonly number[] = ONE_MATRIX;
    if (!two) {
      const xBatch = sizeOf(x.shape.slice(0, -2));
      const yBatch = sizeOf(y.shape.slice(0, -2));
      if (!sumBatch && !transA && yBatch === 1 && xBatch === batch) {
        m *= batch;
        batch = 1;
      }
      // Σ_b A_bᵀ·B_b with both stored [batch, K, ·] is one GEMM over the batch's K rows laid end to end
      if (sumBatch && transA && !transB && xBatch === batch && yBatch === batch) {
        k *= batch;
        batch = 1;
      }
      if (batch > 1) offs = batchOffsets(x.shape, y.shape, batchShape, m * k, k * n);
    }
    const g = [batch, m, n, k, transA ? 1 : k, transA ? m : 1, transB ? 1 : n, transB ? k : 1, ctx.ptr(x), ctx.ptr(y), ctx.ptr(out)];
    if (sumBatch && batch > 1) sumGemm(ctx, offs, g);
    else runGemm(ctx, offs, g, PLAIN, undefined, [bias ? ctx.ptr(bias) : 0, relu ? 1 : 0, 1]);
  };
}

/**
 * Element offsets of A and B for each matrix of the broadcast batch `batchShape`, in pairs, where
 * a matrix of A has `aSize` elements and one of B `bSize` (a batch dimension of size 1 broadcasts).
 */
function batchOffsets(xShape: readonly number[], yShape: readonly number[], batchShape: readonly number[], aSize: number, bSize: number): number[] {
  const sa = broadcastStrides(xShape.slice(0, -2), batchShape).map((s) => s * aSize);
  const sb = broadcastStrides(yShape.slice(0, -2), batchShape).map((s) => s * bSize);
  const idx = batchShape.map(() => 0);
  const offs: number[] = [];
  for (let b = 0, batch = sizeOf(batchShape); b < batch; b++) {
    let oa = 0, ob = 0;
    for (let d = 0; d < idx.length; d++) { oa += idx[d] * sa[d]; ob += idx[d] * sb[d]; }
    offs.push(oa, ob);
    for (let d = idx.length - 1; d >= 0; d--) {
      if (++idx[d] < batchShape[d]) break;
      idx[d] = 0;
    }
  }
  return offs;
}

/** Largest [M, N] (floats) that a summed GEMM sums in chunks, and the most floats of all its partials. */
const SUM_PARTIAL_MAX = 1 << 18;
const SUM_PARTIALS_FLOATS = 1 << 20;
/** The most chunks a summed GEMM cuts its batch into. */
const SUM_CHUNKS_MAX = 16;

/**
 * How many fixed chunks a GEMM summed over `batch` matrices sums in, each into a partial of its own
 * (then added up in order): a function of the shapes alone, never of the thread count, so that the
 * sum's rounding is the same on any number of threads (docs/determinism.md). Chunks of at least two
 * matrices and of at least GEMM_PAR_MIN flops each, at most SUM_CHUNKS_MAX of them (16 keeps up to
 * 8 threads busy with two items each); 1 (no partials: blocks of C accumulate through the whole
 * batch) when C is big.
 */
export function sumChunks(batch: number, m: number, n: number, k: number): number {
  const mn = m * n;
  if (mn > SUM_PARTIAL_MAX) return 1;
  return Math.max(1, Math.min(SUM_CHUNKS_MAX, Math.floor(batch / 2), Math.floor((2 * batch * mn * k) / GEMM_PAR_MIN), Math.floor(SUM_PARTIALS_FLOATS / mn)));
}

/**
 * A GEMM summed over its batch, in `sumChunks` fixed chunks of the batch: the threads take (chunk,
 * block of C) items, each chunk's matrices add into its partial in batch order, and the partials are
 * summed in chunk order after. One chunk writes C directly. With `conv`, B is each image read as
 * its transposed columns (a convolution's weight gradient, conv.ts).
 */
export function sumGemm(ctx: Ctx, offs: readonly number[], g: readonly number[], conv?: ConvGeometry): void {
  const [batch, m, n, k] = g;
  const rt = ctx.rt;
  const chunks = sumChunks(batch, m, n, k);
  const how = (parts: number, c: number): GemmMode => (conv ? { mode: MODE.CONV_SUM, parts, chunks: c, ...conv } : { mode: MODE.SUM, parts, chunks: c });
  if (chunks === 1) return runGemm(ctx, offs, g, how(g[10], 1));
  const part = rt.temp(chunks * m * n * 4);
  try {
    runGemm(ctx, offs, g, how(part[0], chunks));
    rt.x.reduceF32(0, 1, chunks, m * n, part[0], g[10]);
  } finally {
    rt.heap.free(part[0], part[1]);
  }
}

/**
 * Writes the GEMM descriptor (slots 0-15, the per-batch offset table, the mode in slot 16 and its
 * extra slots from 17: a convolution's geometry, or the partials' address; the epilogue's bias
 * address, ReLU flag and bias-per-column flag in 29-31) and runs the task on `nt` threads (default:
 * by the work).
 * `g` = batch, M, N, K, the four strides, A, B, C.
 */
export function runGemm(ctx: Ctx, offs: readonly number[], g: readonly number[], how: GemmMode, nt?: number, epi: Epilogue = NO_EPILOGUE): void {
  const rt = ctx.rt;
  const [batch, m, n, k] = g;
  let table = rt.desc + TABLE_AT * 4;
  let temp: [number, number] | null = null;
  if (offs.length <= TABLE_MAX) rt.setDesc(TABLE_AT, offs);
  else {
    temp = rt.temp(offs.length * 4);
    table = temp[0];
    rt.i32.set(offs, table >>> 2);
  }
  const threads = nt ?? rt.threadsFor(2 * batch * m * n * k, GEMM_PAR_MIN);
  const [ws, wsPer] = rt.gemmWorkspace(threads);
  const mr = rt.x.microRows();
  const shared = how.mode === MODE.PLAIN && sharesPackedA(batch, m, n, k, threads) ? rt.temp(rt.x.packedABytes(m, k)) : null;
  // mode FOLD folds whole products: never blocks of one
  const block = how.mode === MODE.FOLD ? 0 : gemmBlock(how.mode === MODE.SUM || how.mode === MODE.CONV_SUM ? how.chunks : batch, m, n, k, threads, mr, shared !== null);
  // One object literal, the mode's fields assigned onto it: spreading a 20-field header into a new
  // object ({ ...header, mode }) cost about 4 us a call in V8, more than a 4x4 product's kernel.
  const d = {
    batch, M: m, N: n, K: k, ars: g[4], acs: g[5], brs: g[6], bcs: g[7], A: g[8], B: g[9], C: g[10],
    table, ws, wsPerThread: wsPer, counter: 0, block, bias: epi[0], relu: epi[1], colBias: epi[2] ?? 0, mode: how.mode,
    packedA: shared ? shared[0] : 0, packed: 0,
  };
  const i32 = rt.i32;
  if (how.mode === MODE.CONV) writeGemmConv(i32, rt.desc, Object.assign(d, how));
  else if (how.mode === MODE.SUM) writeGemmSum(i32, rt.desc, Object.assign(d, how));
  else if (how.mode === MODE.CONV_SUM) writeGemmConvSum(i32, rt.desc, Object.assign(d, how));
  else if (how.mode === MODE.FOLD) writeGemmFold(i32, rt.desc, Object.assign(d, how));
  else writeGemm(i32, rt.desc, d);
  try {
    rt.pool.run(TASK.GEMM, rt.desc, threads, 2 * batch * m * n * k >= GEMM_WAKE_MIN);
  } finally {
    if (temp) rt.heap.free(temp[0], temp[1]);
    if (shared) rt.heap.free(shared[0], shared[1]);
  }
}
