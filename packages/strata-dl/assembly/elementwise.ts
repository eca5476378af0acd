// SPDX-License-Identifier: MIT
// N-d driver for broadcasting elementwise ops. The TypeScript side coalesces dimensions, so the
// innermost dimension has stride 0 or 1 for every input; this walks the outer dimensions with an
// odometer and hands each row to a SIMD row function.
//
// The descriptor at `d` is the N-d layout (scripts/wasm-interface.mjs), one stride row (elements)
// per input. The odometer lives in `ctr` (per thread, 8 i32).
// Kinds (ELTWISE_KIND): BINARY float32 x float32 -> float32, COMPARE float32 x float32 -> bool,
// WHERE bool x float32 x float32 -> float32.
import { binaryRow } from './generated/eltwise';
import { ELTWISE_KIND_COMPARE as KIND_COMPARE, ELTWISE_KIND_WHERE as KIND_WHERE, nd_dim, nd_rank, nd_strides_at } from './generated/interface';


function whereRow(n: i32, o: usize, c: usize, ic: i32, x: usize, ix: i32, y: usize, iy: i32): void {
  let i = 0;
  if (ic && ix && iy) {
    for (; i + 4 <= n; i += 4) {
      const cv = i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(c + <usize>i)));
      const m = i32x4.ne(cv, i32x4.splat(0));
      v128.store(o + (<usize>i << 2), v128.bitselect(v128.load(x + (<usize>i << 2)), v128.load(y + (<usize>i << 2)), m));
    }
  }
  for (; i < n; i++) {
    const cc = load<u8>(c + <usize>(i * ic));
    store<f32>(o + (<usize>i << 2), cc ? load<f32>(x + (<usize>(i * ix) << 2)) : load<f32>(y + (<usize>(i * iy) << 2)));
  }
}

/**
 * Rows [r0, r1) of the outer index space (all dims but the last, flattened).
 * x, y, z: input base pointers; out: contiguous output.
 */
export function eltwiseND(kind: i32, op: i32, d: usize, out: usize, x: usize, y: usize, z: usize, r0: i32, r1: i32, ctr: usize): void {
  const rank = nd_rank(d);
  const n = nd_dim(d, rank - 1);
  const esz: usize = kind == KIND_COMPARE ? 1 : 4;
  const xsz: usize = kind == KIND_WHERE ? 1 : 4; // first input's element size
  const sx = nd_strides_at(d, 0), sy = nd_strides_at(d, 1), sz = nd_strides_at(d, 2);
  const ix = load<i32>(sx + (<usize>(rank - 1) << 2));
  const iy = load<i32>(sy + (<usize>(rank - 1) << 2));
  const iz = load<i32>(sz + (<usize>(rank - 1) << 2));
  // decompose r0 into the odometer and starting offsets
  let px: usize = x, py: usize = y, pz: usize = z;
  let rem = r0;
  for (let k = rank - 2; k >= 0; k--) {
    const dim = nd_dim(d, k);
    const c = rem % dim;
    rem = rem / dim;
    store<i32>(ctr + (<usize>k << 2), c);
    px += <usize>(c * load<i32>(sx + (<usize>k << 2))) * xsz;
    py += <usize>(c * load<i32>(sy + (<usize>k << 2))) << 2;
    pz += <usize>(c * load<i32>(sz + (<usize>k << 2))) << 2;
  }
  let po = out + <usize>r0 * <usize>n * esz;
  for (let r = r0; r < r1; r++) {
    if (kind == KIND_WHERE) whereRow(n, po, px, ix, py, iy, pz, iz);
    else binaryRow(op, n, po, px, ix, py, iy);
    po += <usize>n * esz;
    for (let k = rank - 2; k >= 0; k--) {
      const kp = <usize>k << 2;
      const c = load<i32>(ctr + kp) + 1;
      const stx = load<i32>(sx + kp), sty = load<i32>(sy + kp), stz = load<i32>(sz + kp);
      if (c < nd_dim(d, k)) {
        store<i32>(ctr + kp, c);
        px += <usize>stx * xsz; py += <usize>sty << 2; pz += <usize>stz << 2;
        break;
      }
      store<i32>(ctr + kp, 0);
      const back = c - 1;
      px -= <usize>(back * stx) * xsz; py -= <usize>(back * sty) << 2; pz -= <usize>(back * stz) << 2;
    }
  }
}
