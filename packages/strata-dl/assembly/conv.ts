// SPDX-License-Identifier: MIT
// Convolution as an implicit GEMM (the GEMM task's mode CONV, matmul.ts): the image is packed into
// the GEMM's B panels straight from [C, H, W] through per-k offset tables, so the column matrix is
// never written; the epilogue adds the bias and applies ReLU while C is still in cache. Mode
// CONV_SUM, a convolution's weight gradient Σ_b g_b·unfold(x_b)ᵀ, packs the transposed columns the
// same way (B rows are output positions, B columns the window's taps).

import { gemmConv_channels, gemmConv_dh, gemmConv_dw, gemmConv_H, gemmConv_kh, gemmConv_kw, gemmConv_OW, gemmConv_padLeft, gemmConv_padTop, gemmConv_sh, gemmConv_sw, gemmConv_W } from './generated/interface';

import { transpose4 } from './matmul';

const NR: i32 = 8; // the micro-kernel's columns (matmul.ts)

// Implicit-GEMM convolution (conv.ts's task) reads B from the image through per-k offset tables of
// this many entries (K = C·kh·kw at most this; exported to the TypeScript side as convKMax()).
export const CONV_K_MAX: i32 = 16384;

// The convolution being run as a GEMM, if any (set per thread by gemmTask from the descriptor): B(p, l)
// is the input at channel c, row (l / OW)·sh − pt + ki·dh, column (l % OW)·sw − pl + kj·dw, where
// p = (c, ki, kj), or 0 in the padding. cvJ0 is the first column of the current item.
let cvOn = false;
let cvT = false; // B is the transposed columns (mode CONV_SUM)
let cvH: i32 = 0, cvW: i32 = 0, cvSh: i32 = 1, cvSw: i32 = 1, cvPt: i32 = 0, cvPl: i32 = 0, cvOW: i32 = 1, cvL: i32 = 0, cvJ0: i32 = 0;
let cvTab: usize = 0;

/** No convolution: B is an ordinary matrix. */
// @ts-ignore: decorator
@inline export function convOff(): void { cvOn = false; }
/** Whether the running GEMM reads B from an image (setupConv ran for it). */
// @ts-ignore: decorator
@inline export function convActive(): bool { return cvOn; }
/** The first column of the current work item. */
// @ts-ignore: decorator
@inline export function convColumn(j0: i32): void { cvJ0 = j0; }

/**
 * Packs rows [pc, pc + kc) and columns [jc, jc + nc) (from the item's first column) of B, read
 * from the image at `img`, into panels of kc x 8, as packB lays them out: the columns (mode CONV) or
 * the transposed columns (mode CONV_SUM).
 */
export function packBConv(kc: i32, nc: i32, pc: i32, jc: i32, img: usize, dst: usize): void {
  if (cvT) packBConvT(kc, nc, pc, jc, img, dst);
  else packBColumns(kc, nc, pc, jc, img, dst);
}

/**
 * Packs B(p, l) for p in [pc, pc + kc), l in [cvJ0 + jc, + nc) straight from the image at `img` into
 * panels of kc x 8, as packB lays them out. Eight columns in one output row at stride 1 are eight
 * consecutive inputs: two vector loads when the window row lies inside the image.
 */
function packBColumns(kc: i32, nc: i32, pc: i32, jc: i32, img: usize, dst: usize): void {
  const H = cvH, W = cvW, OW = cvOW, L = cvL;
  const tab = cvTab + (<usize>pc * 12);
  for (let jp = 0; jp < nc; jp += NR) {
    const l0 = cvJ0 + jc + jp;
    const oy0 = l0 / OW, ox0 = l0 - oy0 * OW;
    const iyb = oy0 * cvSh - cvPt, ixb = ox0 * cvSw - cvPl;
    let d = dst + <usize>(jp * kc * 4);
    if (cvSw == 1 && ox0 + NR <= OW && jp + NR <= nc) {
      for (let p = 0; p < kc; p++) {
        const t = tab + (<usize>p * 12);
        const iy = iyb + load<i32>(t, 4), ix = ixb + load<i32>(t, 8);
        if (<u32>iy < <u32>H && ix >= 0 && ix + NR <= W) {
          const src = img + (<usize>(load<i32>(t) + iy * W + ix) << 2);
          v128.store(d, v128.load(src));
          v128.store(d, v128.load(src, 16), 16);
        } else {
          const row = img + (<usize>(load<i32>(t) + iy * W) << 2);
          for (let j = 0; j < NR; j++) {
            const x = ix + j;
            store<f32>(d + (<usize>j << 2), <u32>iy < <u32>H && <u32>x < <u32>W ? load<f32>(row + (<usize>x << 2)) : 0);
          }
        }
        d += NR * 4;
      }
      continue;
    }
    // columns that wrap to the next output row, strided, or past the end: one at a time
    for (let j = 0; j < NR; j++) {
      const l = l0 + j;
      let e = d + (<usize>j << 2);
      if (jp + j >= nc || l >= L) {
        for (let p = 0; p < kc; p++) { store<f32>(e, 0); e += NR * 4; }
        continue;
      }
      const oy = l / OW;
      const iy0 = oy * cvSh - cvPt, ix0 = (l - oy * OW) * cvSw - cvPl;
      for (let p = 0; p < kc; p++) {
        const t = tab + (<usize>p * 12);
        const iy = iy0 + load<i32>(t, 4), ix = ix0 + load<i32>(t, 8);
        store<f32>(e, <u32>iy < <u32>H && <u32>ix < <u32>W ? load<f32>(img + (<usize>(load<i32>(t) + iy * W + ix) << 2)) : 0);
        e += NR * 4;
      }
    }
  }
}

/** Tap `t` (a per-k table entry) of output position (oy, ox): the input there, or 0 in the padding. */
// @ts-ignore: decorator
@inline function tap(img: usize, t: usize, oy: i32, ox: i32): f32 {
  const iy = oy * cvSh - cvPt + load<i32>(t, 4), ix = ox * cvSw - cvPl + load<i32>(t, 8);
  return <u32>iy < <u32>cvH && <u32>ix < <u32>cvW ? load<f32>(img + (<usize>(load<i32>(t) + iy * cvW + ix) << 2)) : 0;
}

/**
 * Address of tap `t`'s input at output position (0, 0) at stride 1 (possibly outside the image:
 * only read where a position's input lies inside it); position (oy, ox) adds oy·sh·W + ox.
 */
// @ts-ignore: decorator
@inline function tapOrigin(img: usize, t: usize): usize {
  return img + (<usize>(load<i32>(t) + (load<i32>(t, 4) - cvPt) * cvW + load<i32>(t, 8) - cvPl) << 2);
}

/** Panel rows [i0, i1) of one output row's run (positions ox + i), tap by tap: `cols` taps from `tab`, zeros after. */
function packTapsScalar(d: usize, img: usize, tab: usize, cols: i32, oy: i32, ox: i32, i0: i32, i1: i32): void {
  for (let i = i0; i < i1; i++) {
    const e = d + (<usize>i * NR * 4);
    for (let j = 0; j < NR; j++) store<f32>(e + (<usize>j << 2), j < cols ? tap(img, tab + (<usize>j * 12), oy, ox + i) : 0);
  }
}

/**
 * Packs Bᵀ, B(l, p) = unfold(image)(p, l), for l in [pc, pc + kc) and p in [cvJ0 + jc, + nc), into
 * panels of kc x 8, as packB lays out a transposed B. A run of l in one output row at stride 1
 * reads each of a panel's taps from consecutive inputs: where all of them lie inside the image,
 * four positions of each are loaded as a vector and 4x4 transposes make four panel rows of them;
 * positions near the image's edge go tap by tap. A ragged last panel's missing columns repeat its
 * first tap (the micro-kernel's columns are independent, and those of C are never stored).
 */
function packBConvT(kc: i32, nc: i32, pc: i32, jc: i32, img: usize, dst: usize): void {
  const H = cvH, W = cvW, OW = cvOW;
  for (let jp = 0; jp < nc; jp += NR) {
    const cols = min(NR, nc - jp);
    const tab = cvTab + (<usize>(cvJ0 + jc + jp) * 12);
    // per panel: the taps' row and column offsets' extremes (for one validity test per run), and
    // each tap's input address at output position (0, 0) (missing columns repeat the first tap's)
    let rMin = i32.MAX_VALUE, rMax = i32.MIN_VALUE, cMin = i32.MAX_VALUE, cMax = i32.MIN_VALUE;
    for (let j = 0; j < cols; j++) {
      const t = tab + (<usize>j * 12);
      const ro = load<i32>(t, 4), co = load<i32>(t, 8);
      rMin = min(rMin, ro); rMax = max(rMax, ro); cMin = min(cMin, co); cMax = max(cMax, co);
    }
    const a0 = tapOrigin(img, tab), a1 = cols > 1 ? tapOrigin(img, tab + 12) : a0, a2 = cols > 2 ? tapOrigin(img, tab + 24) : a0;
    const a3 = cols > 3 ? tapOrigin(img, tab + 36) : a0, a4 = cols > 4 ? tapOrigin(img, tab + 48) : a0, a5 = cols > 5 ? tapOrigin(img, tab + 60) : a0;
    const a6 = cols > 6 ? tapOrigin(img, tab + 72) : a0, a7 = cols > 7 ? tapOrigin(img, tab + 84) : a0;
    let d = dst + <usize>(jp * kc * 4);
    let r = 0;
    // runs of positions along output rows: the first from pc, each later one a whole row's start
    let oy = pc / OW, ox = pc - oy * OW;
    while (r < kc) {
      const run = min(kc - r, OW - ox); // positions left in this output row
      // [lo, hi): positions where every tap's input lies inside the image (stride 1 only)
      const iy = oy * cvSh - cvPt, ix = ox - cvPl;
      let lo = 0, hi = 0;
      if (cvSw == 1 && iy + rMin >= 0 && iy + rMax < H) {
        lo = max(0, -(ix + cMin));
        hi = min(run, W - (ix + cMax));
      }
      if (hi <= lo) {
        packTapsScalar(d, img, tab, cols, oy, ox, 0, run);
      } else {
        if (lo > 0) packTapsScalar(d, img, tab, cols, oy, ox, 0, lo);
        const at = <usize>(oy * cvSh * W + ox) << 2;
        const b0 = a0 + at, b1 = a1 + at, b2 = a2 + at, b3 = a3 + at, b4 = a4 + at, b5 = a5 + at, b6 = a6 + at, b7 = a7 + at;
        let i = lo;
        for (; i + 4 <= hi; i += 4) {
          const o = <usize>i << 2, e = d + (<usize>i * NR * 4);
          transpose4(v128.load(b0 + o), v128.load(b1 + o), v128.load(b2 + o), v128.load(b3 + o), e);
          transpose4(v128.load(b4 + o), v128.load(b5 + o), v128.load(b6 + o), v128.load(b7 + o), e + 16);
        }
        for (; i < hi; i++) {
          const o = <usize>i << 2, e = d + (<usize>i * NR * 4);
          store<f32>(e, load<f32>(b0 + o)); store<f32>(e, load<f32>(b1 + o), 4);
          store<f32>(e, load<f32>(b2 + o), 8); store<f32>(e, load<f32>(b3 + o), 12);
          store<f32>(e, load<f32>(b4 + o), 16); store<f32>(e, load<f32>(b5 + o), 20);
          store<f32>(e, load<f32>(b6 + o), 24); store<f32>(e, load<f32>(b7 + o), 28);
        }
        if (hi < run) packTapsScalar(d, img, tab, cols, oy, ox, hi, run);
      }
      d += <usize>run * NR * 4;
      r += run;
      oy++;
      ox = 0;
    }
  }
}

/**
 * Reads a convolution's geometry from the GEMM descriptor (`gemmConv` in scripts/wasm-interface.mjs)
 * and fills this thread's per-k tables: for k = (c, ki, kj), the
 * channel's offset c·H·W, the row offset ki·dh and the column offset kj·dw. `taps` is how many
 * there are (the GEMM's K in mode CONV, its N in mode CONV_SUM, whose B is transposed), `L` the
 * output positions per image.
 */
export function setupConv(d: usize, taps: i32, L: i32, transposed: bool, tab: usize): void {
  cvOn = true;
  cvT = transposed;
  const C = gemmConv_channels(d), kh = gemmConv_kh(d), kw = gemmConv_kw(d);
  cvH = gemmConv_H(d); cvW = gemmConv_W(d);
  cvSh = gemmConv_sh(d); cvSw = gemmConv_sw(d); cvPt = gemmConv_padTop(d); cvPl = gemmConv_padLeft(d);
  const dh = gemmConv_dh(d), dw = gemmConv_dw(d);
  cvOW = gemmConv_OW(d);
  cvL = L;
  cvJ0 = 0;
  cvTab = tab;
  const kk = kh * kw;
  for (let k = 0; k < min(taps, C * kk); k++) {
    const c = k / kk, r = k - c * kk, ki = r / kw, kj = r - ki * kw;
    const t = cvTab + (<usize>k * 12);
    store<i32>(t, c * cvH * cvW);
    store<i32>(t, ki * dh, 4);
    store<i32>(t, kj * dw, 8);
  }
}

/**
 * The epilogue of a product, on a block of C while it is still in cache: each row (a convolution's
 * filter) plus its bias (when `bias` is not 0), or with `colBias` each column (a Linear layer's
 * bias, C = x·Wᵀ), then ReLU as the relu kernel computes it (v < 0 ? 0 : v, so NaN stays NaN, as
 * torch.relu).
 */
export function epilogueOf(c: usize, rows: i32, cols: i32, ldc: i32, bias: usize, relu: bool, colBias: bool): void {
  if (colBias && bias != 0) {
    epilogueCols(c, rows, cols, ldc, bias, relu);
    return;
  }
  const zero = f32x4.splat(0);
  for (let i = 0; i < rows; i++) {
    const row = c + <usize>i * (<usize>ldc << 2);
    const b = bias != 0 ? load<f32>(bias + (<usize>i << 2)) : 0;
    const bv = f32x4.splat(b);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const p = row + (<usize>j << 2);
      let v = v128.load(p);
      if (bias != 0) v = f32x4.add(v, bv);
      if (relu) v = f32x4.pmax(v, zero);
      v128.store(p, v);
    }
    for (; j < cols; j++) {
      const p = row + (<usize>j << 2);
      let v = load<f32>(p);
      if (bias != 0) v += b;
      if (relu) v = v < 0 ? 0 : v;
      store<f32>(p, v);
    }
  }
}

/** The epilogue with a bias per column: row i of C plus bias[0..cols), then ReLU. */
function epilogueCols(c: usize, rows: i32, cols: i32, ldc: i32, bias: usize, relu: bool): void {
  const zero = f32x4.splat(0);
  for (let i = 0; i < rows; i++) {
    const row = c + <usize>i * (<usize>ldc << 2);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const p = row + (<usize>j << 2);
      let v = f32x4.add(v128.load(p), v128.load(bias + (<usize>j << 2)));
      if (relu) v = f32x4.pmax(v, zero);
      v128.store(p, v);
    }
    for (; j < cols; j++) {
      const p = row + (<usize>j << 2);
      let v = load<f32>(p) + load<f32>(bias + (<usize>j << 2));
      if (relu) v = v < 0 ? 0 : v;
      store<f32>(p, v);
    }
  }
}
