// SPDX-License-Identifier: MIT
// MaxPool2d(2)'s case of poolIndex (kernel 2x2, stride 2, no padding, dilation 1, every window
// inside the plane), called from pooling.ts for one (n, c) plane at a time.
// Each output row is made from two whole input rows, 8 outputs (16 columns) per step: per row the
// even and odd columns are split by shuffles and combined (the window's first and second tap),
// then the two rows are. Combining a row's pair before the rows keeps PyTorch's row-major search
// order, (0,0) (0,1) (1,0) (1,1): the later tap takes over when greater or NaN, so ties keep the
// first and the last NaN wins, with the same bits and indices as the general search.
// The ragged end of a row is one more group that overlaps the previous one (same outputs rewritten).

/** Lanes where `b`, the later tap, takes over from `a`: greater (max) or less (min), or NaN. */
// @ts-ignore: decorator
@inline function takes(b: v128, a: v128, isMax: bool): v128 {
  return v128.or(isMax ? f32x4.gt(b, a) : f32x4.lt(b, a), f32x4.ne(b, b));
}

/**
 * Four outputs of one input row pair: `lo`, `hi` hold columns 2ox .. 2ox+7 of the top row (`lo2`,
 * `hi2` of the bottom one); `e` the flat index of each window's top-left tap. Writes the values
 * (bits of the chosen input) or the flat indices at `o`.
 */
// @ts-ignore: decorator
@inline function four(o: usize, lo: v128, hi: v128, lo2: v128, hi2: v128, e: v128, Wv: v128, isMax: bool, values: bool): void {
  const a0 = v128.shuffle<f32>(lo, hi, 0, 2, 4, 6), a1 = v128.shuffle<f32>(lo, hi, 1, 3, 5, 7);
  const b0 = v128.shuffle<f32>(lo2, hi2, 0, 2, 4, 6), b1 = v128.shuffle<f32>(lo2, hi2, 1, 3, 5, 7);
  const ta = takes(a1, a0, isMax), tb = takes(b1, b0, isMax);
  const a = v128.bitselect(a1, a0, ta), b = v128.bitselect(b1, b0, tb);
  const t = takes(b, a, isMax);
  if (values) {
    v128.store(o, v128.bitselect(b, a, t));
  } else {
    // a take mask is -1 per lane: the odd column is e + 1 = e - mask; the bottom row adds W
    v128.store(o, i32x4.sub(i32x4.add(e, v128.and(t, Wv)), v128.bitselect(tb, ta, t)));
  }
}

/** Outputs [ox, ox + 8) of the row pair at r0 (top) and r1 (bottom); `base` is the top row's flat index. */
// @ts-ignore: decorator
@inline function eight(op: usize, r0: usize, r1: usize, ox: i32, base: i32, Wv: v128, isMax: bool, values: bool): void {
  const p = <usize>ox << 3, o = op + (<usize>ox << 2);
  const e = i32x4.add(i32x4.splat(base + 2 * ox), i32x4(0, 2, 4, 6));
  four(o, v128.load(r0 + p), v128.load(r0 + p, 16), v128.load(r1 + p), v128.load(r1 + p, 16), e, Wv, isMax, values);
  four(o + 16, v128.load(r0 + p, 32), v128.load(r0 + p, 48), v128.load(r1 + p, 32), v128.load(r1 + p, 48), i32x4.add(e, i32x4.splat(8)), Wv, isMax, values);
}

/** Outputs [ox, ox + 4). */
// @ts-ignore: decorator
@inline function fourAt(op: usize, r0: usize, r1: usize, ox: i32, base: i32, Wv: v128, isMax: bool, values: bool): void {
  const p = <usize>ox << 3;
  const e = i32x4.add(i32x4.splat(base + 2 * ox), i32x4(0, 2, 4, 6));
  four(op + (<usize>ox << 2), v128.load(r0 + p), v128.load(r0 + p, 16), v128.load(r1 + p), v128.load(r1 + p, 16), e, Wv, isMax, values);
}

// @ts-ignore: decorator
@inline function plane2x2(sp: usize, op: usize, W: i32, OH: i32, OW: i32, isMax: bool, values: bool): void {
  const Wv = i32x4.splat(W);
  for (let oy = 0; oy < OH; oy++) {
    const base = 2 * oy * W;
    const r0 = sp + (<usize>base << 2), r1 = r0 + (<usize>W << 2);
    const orow = op + (<usize>(oy * OW) << 2);
    if (OW < 8) {
      // 4 to 7 outputs: two groups of 4, overlapping unless OW is 4
      fourAt(orow, r0, r1, 0, base, Wv, isMax, values);
      if (OW > 4) fourAt(orow, r0, r1, OW - 4, base, Wv, isMax, values);
      continue;
    }
    let ox = 0;
    for (; ox + 8 <= OW; ox += 8) eight(orow, r0, r1, ox, base, Wv, isMax, values);
    const rest = OW - ox;
    if (rest > 4) eight(orow, r0, r1, OW - 8, base, Wv, isMax, values);
    else if (rest > 0) fourAt(orow, r0, r1, OW - 4, base, Wv, isMax, values);
  }
}

/**
 * One plane of MaxPool2d(2)-shaped pooling at sp into op (OH x OW outputs, OW >= 4, 2*OH <= H,
 * 2*OW <= W): the four variants (max/min, values/indices) as separate loops.
 */
export function pool2x2(sp: usize, op: usize, W: i32, OH: i32, OW: i32, isMax: bool, values: bool): void {
  if (isMax) {
    if (values) plane2x2(sp, op, W, OH, OW, true, true);
    else plane2x2(sp, op, W, OH, OW, true, false);
  } else {
    if (values) plane2x2(sp, op, W, OH, OW, false, true);
    else plane2x2(sp, op, W, OH, OW, false, false);
  }
}

/**
 * The input gradient of four windows (the fused poolGrad: g scattered onto zeros at each window's
 * extremum, as pool's rule composes it): the same search as `four`, then for each window +0 + g at
 * the chosen tap (+0 + g: the composed sum's bits, -0 becoming +0) and +0 at the other three,
 * written as columns 2ox .. 2ox+7 of both rows. Rewriting a group gives the same bits, so the
 * ragged end can overlap as in the forward pass.
 */
// @ts-ignore: decorator
@inline function fourGrad(d0: usize, d1: usize, g: v128, lo: v128, hi: v128, lo2: v128, hi2: v128, isMax: bool, relu: bool): void {
  const a0 = v128.shuffle<f32>(lo, hi, 0, 2, 4, 6), a1 = v128.shuffle<f32>(lo, hi, 1, 3, 5, 7);
  const b0 = v128.shuffle<f32>(lo2, hi2, 0, 2, 4, 6), b1 = v128.shuffle<f32>(lo2, hi2, 1, 3, 5, 7);
  const ta = takes(a1, a0, isMax), tb = takes(b1, b0, isMax);
  const va = v128.bitselect(a1, a0, ta), vb = v128.bitselect(b1, b0, tb);
  const t = takes(vb, va, isMax);
  let gz = f32x4.add(f32x4.splat(0), g);
  // with `relu`, reluGrad at x: +0 where x at the chosen tap (the window's extremum) is <= 0, as
  // the reluGrad kernel writes it (the other taps are +0 either way; NaN is not <= 0, so kept)
  if (relu) gz = v128.andnot(gz, f32x4.le(v128.bitselect(vb, va, t), f32x4.splat(0)));
  const top = v128.andnot(gz, t), bottom = v128.and(gz, t);
  const v00 = v128.andnot(top, ta), v01 = v128.and(top, ta), v10 = v128.andnot(bottom, tb), v11 = v128.and(bottom, tb);
  v128.store(d0, v128.shuffle<f32>(v00, v01, 0, 4, 1, 5));
  v128.store(d0, v128.shuffle<f32>(v00, v01, 2, 6, 3, 7), 16);
  v128.store(d1, v128.shuffle<f32>(v10, v11, 0, 4, 1, 5));
  v128.store(d1, v128.shuffle<f32>(v10, v11, 2, 6, 3, 7), 16);
}

/** Outputs [ox, ox + 4) of the gradient: input rows at r0, r1, gradient rows at e0, e1, `grow` g's row. */
// @ts-ignore: decorator
@inline function gradAt(e0: usize, e1: usize, grow: usize, r0: usize, r1: usize, ox: i32, isMax: bool, relu: bool): void {
  const p = <usize>ox << 3;
  fourGrad(e0 + p, e1 + p, v128.load(grow + (<usize>ox << 2)), v128.load(r0 + p), v128.load(r0 + p, 16), v128.load(r1 + p), v128.load(r1 + p, 16), isMax, relu);
}

// @ts-ignore: decorator
@inline function planeGrad2x2(sp: usize, gp: usize, dp: usize, H: i32, W: i32, OH: i32, OW: i32, isMax: bool, relu: bool): void {
  const rowB = <usize>W << 2;
  for (let oy = 0; oy < OH; oy++) {
    const r0 = sp + <usize>(2 * oy) * rowB, r1 = r0 + rowB;
    const e0 = dp + <usize>(2 * oy) * rowB, e1 = e0 + rowB;
    const grow = gp + (<usize>(oy * OW) << 2);
    let ox = 0;
    for (; ox + 4 <= OW; ox += 4) gradAt(e0, e1, grow, r0, r1, ox, isMax, relu);
    if (ox < OW) gradAt(e0, e1, grow, r0, r1, OW - 4, isMax, relu);
    // columns past the last window (an odd width) take no gradient
    for (let x = 2 * OW; x < W; x++) { store<f32>(e0 + (<usize>x << 2), 0); store<f32>(e1 + (<usize>x << 2), 0); }
  }
  // rows past the last window (an odd height) neither
  const done = <usize>(2 * OH) * rowB;
  memory.fill(dp + done, 0, <usize>H * rowB - done);
}

/**
 * One plane of MaxPool2d(2)-shaped pooling's input gradient: x at sp, the output's gradient g at gp
 * (OH x OW), the input's gradient written in full at dp (H x W); same conditions as pool2x2. With
 * `relu`, reluGrad(·, x) of it (x a ReLU's output whose backward follows).
 */
export function poolGrad2x2(sp: usize, gp: usize, dp: usize, H: i32, W: i32, OH: i32, OW: i32, isMax: bool, relu: bool): void {
  if (relu) {
    if (isMax) planeGrad2x2(sp, gp, dp, H, W, OH, OW, true, true);
    else planeGrad2x2(sp, gp, dp, H, W, OH, OW, false, true);
  } else if (isMax) planeGrad2x2(sp, gp, dp, H, W, OH, OW, true, false);
  else planeGrad2x2(sp, gp, dp, H, W, OH, OW, false, false);
}
