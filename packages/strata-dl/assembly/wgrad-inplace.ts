// SPDX-License-Identifier: MIT
// A convolution's weight gradient (GEMM mode CONV_SUM, matmul.ts) with the image read in place.
// The product Σ_l g[o, l]·x_tap(l) runs with the taps as the micro-kernel's rows, each a scalar
// read straight from the image (a table gives each output position's offset from position (0, 0);
// where some tap reads padding, from a zero-padded copy of the image made once per image),
// and g's transpose as its packed 8-wide panels. The other order (g as rows, the image's transposed
// columns as panels) packs the columns with 4x4 transposes, 166K floats per image for W3's second
// layer; g's transpose is 4.5 times smaller. The tiles come out [tap][filter], so an item keeps its
// sum transposed (whole vectors add into it) and writes C once at the end. Each element of C sums
// the same products in the same order as the packed path (k blocks from kStep, positions in order,
// the batch in order within a chunk): the same bits.

import { madd } from './generated/micro';
import { gemmConv_channels, gemmConv_dh, gemmConv_dw, gemmConv_H, gemmConv_kh, gemmConv_kw, gemmConv_OW, gemmConv_padLeft, gemmConv_padTop, gemmConv_sh, gemmConv_sw, gemmConv_W } from './generated/interface';
import { padImage } from './dconv';
import { edgeTileRegion, kStep, packB, packedARegionBytes, packedBRegion, packedBRegionBytes } from './matmul';

const NR: i32 = 8; // g's panels: 8 filters per position
const TR: i32 = 6; // taps per tile (12 accumulators, 2 panel loads and a splat: 15 vector registers)
const PANELS_MAX: i32 = 2048; // filters whose panels the packed-B region holds at the largest k block

// The geometry, read once per task (wgradInPlaceReady): that of the image the taps read, which is a
// zero-padded copy of each image (gCopy) where some tap reads padding.
let gH: i32 = 0, gW: i32 = 0, gSh: i32 = 1, gSw: i32 = 1, gOW: i32 = 1, gKh: i32 = 1, gKw: i32 = 1, gDh: i32 = 1, gDw: i32 = 1;
let gCopy = false, gC: i32 = 0, gInH: i32 = 0, gInW: i32 = 0, gPt: i32 = 0, gPl: i32 = 0;

/** Bytes of g's panels for `M` filters at a k block of `kc` positions, 64-byte aligned: the padded copy follows them. */
// @ts-ignore: decorator
@inline function panelsBytes(kc: i32, M: i32): i32 { return (kc * ((M + NR - 1) & ~(NR - 1)) * 4 + 63) & ~63; }

/**
 * Bytes of the packed-B region left after g's panels for `M` filters at the largest k block of `L`
 * positions: room for the zero-padded copy of one image (C·(rows read)·(columns read) floats).
 */
function copyRoom(L: i32, M: i32): i32 {
  return packedBRegionBytes() - panelsBytes(kStep(L), M);
}

/** What the taps read: the image in place (READS_IMAGE), a zero-padded copy of each image (READS_COPY), or nothing here (READS_PACKED: the packed path runs). */
const READS_PACKED: i32 = 0, READS_COPY: i32 = 1, READS_IMAGE: i32 = 2;

/**
 * Says what the in-place path's taps read: the image, or where a tap reads padding, a zero-padded
 * copy of it (its rows and columns that the taps read), if there is room for one; READS_PACKED where
 * the path does not apply (the plain-SIMD build, more than PANELS_MAX filters `M`, no room for the
 * copy). With `set`, also sets the geometry the path's items read (the task's threads do; a query
 * from the caller does not).
 */
function decide(C: i32, H: i32, W: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32, dh: i32, dw: i32, OW: i32, L: i32, M: i32, set: bool): i32 {
  // FMA only: with mul + add the product takes a register of its own, the 6x8 tile spills an
  // accumulator (a 5x8 one does not), and neither beat the packed path (W3's second layer on one
  // thread, median of 10 interleaved rounds: 64.6 ms against 59.3 with 5 rows)
  if (!ASC_FEATURE_RELAXED_SIMD || M > PANELS_MAX || OW <= 0 || C <= 0 || L % OW != 0) return READS_PACKED;
  // the rows and columns that the taps read, from -padTop and -padLeft
  const rows = (L / OW - 1) * sh + (kh - 1) * dh + 1, cols = (OW - 1) * sw + (kw - 1) * dw + 1;
  const copy = pt != 0 || pl != 0 || rows > H || cols > W;
  if (set) {
    gSh = sh; gSw = sw; gOW = OW; gKh = kh; gKw = kw; gDh = dh; gDw = dw;
    gC = C; gInH = H; gInW = W; gPt = pt; gPl = pl;
    gCopy = copy;
    gH = copy ? rows : H;
    gW = copy ? cols : W;
  }
  if (!copy) return READS_IMAGE;
  return <i64>C * <i64>rows * <i64>cols * 4 <= <i64>copyRoom(L, M) ? READS_COPY : READS_PACKED;
}

/** Reads the convolution's geometry from the GEMM descriptor (mode CONV_SUM) and says whether the in-place path applies (decide). */
export function wgradInPlaceReady(d: usize, M: i32, L: i32): bool {
  return decide(gemmConv_channels(d), gemmConv_H(d), gemmConv_W(d), gemmConv_kh(d), gemmConv_kw(d), gemmConv_sh(d), gemmConv_sw(d),
    gemmConv_padTop(d), gemmConv_padLeft(d), gemmConv_dh(d), gemmConv_dw(d), gemmConv_OW(d), L, M, true) != READS_PACKED;
}

/**
 * What a weight gradient's taps read, for the choice between it and the direct kernel
 * (src/backends/wasm/wgrad.ts): 2 the image in place, 1 a zero-padded copy of each image, 0 the
 * packed transposed columns (also where the whole gradient's transposed sum would not fit an item).
 */
export function wgradReads(C: i32, H: i32, W: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32, dh: i32, dw: i32, OW: i32, L: i32, M: i32): i32 {
  const r = decide(C, H, W, kh, kw, sh, sw, pt, pl, dh, dw, OW, L, M, false);
  return wgradInPlaceFits(C * kh * kw, M) ? r : READS_PACKED;
}

/**
 * The byte offset of each tap's input at output position (0, 0) from the image's start, for taps
 * [t0, t1), into `at`: once per item, rather than two integer divisions per tap in every tile of
 * every panel (12 a tile, against about 1,700 cycles of multiply-adds).
 */
function tapOrigins(t0: i32, t1: i32, at: usize): void {
  const kk = gKh * gKw;
  for (let t = t0; t < t1; t++) {
    const c = t / kk, r = t - c * kk, ki = r / gKw, kj = r - ki * gKw;
    store<i32>(at + (<usize>(t - t0) << 2), (c * gH * gW + ki * gDh * gW + kj * gDw) << 2);
  }
}

/**
 * One 6x8 tile: rows = six taps (their inputs at output position (0, 0) at o0..o5), columns = the
 * 8 filters of the packed panel `b`, summed over kc positions whose byte offsets from position
 * (0, 0) are the table `offs`; stored (not added) at `tile`, 8 floats per tap. One flat loop over
 * the positions: with a loop per output row inside it, V8 kept four accumulators on the stack.
 */
function kernTaps(kc: i32, offs: usize, o0: usize, o1: usize, o2: usize, o3: usize, o4: usize, o5: usize, b: usize, tile: usize): void {
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  let c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  for (let p = 0; p < kc; p++) {
    const off = <usize>load<i32>(offs);
    const b0 = v128.load(b), b1 = v128.load(b, 16);
    let av = v128.load32_splat(o0 + off);
    c00 = madd(av, b0, c00); c01 = madd(av, b1, c01);
    av = v128.load32_splat(o1 + off);
    c10 = madd(av, b0, c10); c11 = madd(av, b1, c11);
    av = v128.load32_splat(o2 + off);
    c20 = madd(av, b0, c20); c21 = madd(av, b1, c21);
    av = v128.load32_splat(o3 + off);
    c30 = madd(av, b0, c30); c31 = madd(av, b1, c31);
    av = v128.load32_splat(o4 + off);
    c40 = madd(av, b0, c40); c41 = madd(av, b1, c41);
    av = v128.load32_splat(o5 + off);
    c50 = madd(av, b0, c50); c51 = madd(av, b1, c51);
    offs += 4; b += 32;
  }
  v128.store(tile, c00); v128.store(tile, c01, 16); v128.store(tile, c10, 32); v128.store(tile, c11, 48);
  v128.store(tile, c20, 64); v128.store(tile, c21, 80); v128.store(tile, c30, 96); v128.store(tile, c31, 112);
  v128.store(tile, c40, 128); v128.store(tile, c41, 144); v128.store(tile, c50, 160); v128.store(tile, c51, 176);
}

/**
 * The packed-A region of the workspace (unused here) holds the positions' offsets (KC ints at most),
 * the item's taps' origins (one int per tap), then C's transpose, 64-byte aligned.
 */
const OFFS_BYTES: i32 = 4096;

/** Bytes from the taps' origins to the transposed sum, for an item of `taps` taps. */
// @ts-ignore: decorator
@inline function originsBytes(taps: i32): i32 { return (taps * 4 + 63) & ~63; }

/** Whether an item of `taps` taps by `M` filters fits its taps' origins and transposed sum in the workspace (after the offsets table). */
export function wgradInPlaceFits(taps: i32, M: i32): bool {
  return <i64>originsBytes(taps) + <i64>taps * <i64>((M + NR - 1) & ~(NR - 1)) * 4 <= <i64>(packedARegionBytes() - OFFS_BYTES);
}

/**
 * One item of the weight gradient: C[o, t] for filters [m0, m1) and taps [t0, t1), summed over
 * images [b0, b1) in order (g [M, L] and the image of image b at A and B plus their offsets in
 * `table`, as matmul.ts's operand reads them). The sum is kept transposed, [tap][filter], where
 * the tiles add into it as whole vectors, and written into C (row stride `ldc` floats) at the end.
 * `ws`: this thread's GEMM workspace (wgradInPlaceFits says whether the item fits it).
 */
export function wgradInPlace(L: i32, A: usize, B: usize, table: usize, b0: i32, b1: i32, c: usize, ldc: i32, m0: i32, m1: i32, t0: i32, t1: i32, ws: usize): void {
  const kcStep = kStep(L), pB = packedBRegion(ws);
  const tile = edgeTileRegion(ws), offs = ws, origins = ws + <usize>OFFS_BYTES, ct = origins + <usize>originsBytes(t1 - t0);
  tapOrigins(t0, t1, origins);
  const M = m1 - m0, Mp = (M + NR - 1) & ~(NR - 1);
  // the padded copy, if any, after g's panels (copyRoom)
  const copy = pB + <usize>panelsBytes(kcStep, M);
  for (let b = b0; b < b1; b++) {
    const gm = A + (<usize>load<i32>(table + (<usize>b << 3)) << 2) + (<usize>m0 * <usize>L << 2);
    let img = B + (<usize>load<i32>(table + (<usize>b << 3), 4) << 2);
    if (gCopy) {
      padImage(img, copy, gC, gInH, gInW, 1, gPt, gPl, gH, gW);
      img = copy;
    }
    for (let pc = 0; pc < L; pc += kcStep) {
      const kc = min(kcStep, L - pc);
      // g's transpose for positions [pc, pc + kc): B(l, o) = g[o, l], panels of 8 filters, zero padded
      packB(kc, M, gm + (<usize>pc << 2), 1, L, pB);
      // each position's input offset from position (0, 0)
      let oy = pc / gOW, ox = pc - oy * gOW;
      for (let p = 0; p < kc; p++) {
        store<i32>(offs + (<usize>p << 2), (oy * gSh * gW + ox * gSw) << 2);
        if (++ox == gOW) { ox = 0; oy++; }
      }
      const add = pc > 0 || b > b0;
      // each panel of 8 filters stays in L1 while every tile of taps passes over it
      for (let jp = 0; jp < M; jp += NR) {
        const panel = pB + <usize>(jp * kc * 4);
        for (let t = t0; t < t1; t += TR) {
          const rows = min(TR, t1 - t);
          const og = origins + (<usize>(t - t0) << 2);
          const o0 = img + <usize>load<i32>(og);
          // (two call sites keep kernTaps out of line: inlined here, V8 left accumulators on the stack)
          if (rows == TR) {
            kernTaps(kc, offs, o0, img + <usize>load<i32>(og, 4), img + <usize>load<i32>(og, 8), img + <usize>load<i32>(og, 12),
              img + <usize>load<i32>(og, 16), img + <usize>load<i32>(og, 20), panel, tile);
          } else {
            // a short last tile repeats its first tap (its rows are computed but not kept)
            const o1 = rows > 1 ? img + <usize>load<i32>(og, 4) : o0, o2 = rows > 2 ? img + <usize>load<i32>(og, 8) : o0;
            const o3 = rows > 3 ? img + <usize>load<i32>(og, 12) : o0, o4 = rows > 4 ? img + <usize>load<i32>(og, 16) : o0;
            kernTaps(kc, offs, o0, o1, o2, o3, o4, o0, panel, tile);
          }
          // the tile's rows (taps) into the transposed sum, 8 filters at a time
          for (let i = 0; i < rows; i++) {
            const at = ct + (<usize>((t - t0 + i) * Mp + jp) << 2), v = tile + (<usize>(i * NR) << 2);
            if (add) {
              v128.store(at, f32x4.add(v128.load(at), v128.load(v)));
              v128.store(at, f32x4.add(v128.load(at, 16), v128.load(v, 16)), 16);
            } else {
              v128.store(at, v128.load(v));
              v128.store(at, v128.load(v, 16), 16);
            }
          }
        }
      }
    }
  }
  for (let o = 0; o < M; o++) {
    const cr = c + (<usize>((m0 + o) * ldc + t0) << 2);
    for (let t = 0; t < t1 - t0; t++) store<f32>(cr + (<usize>t << 2), load<f32>(ct + (<usize>(t * Mp + o) << 2)));
  }
}
