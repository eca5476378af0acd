// SPDX-License-Identifier: MIT
// Four float32 lanes loaded and stored whole, or only the first 1-3 for the ragged tail of a row, so
// a fused kernel (cells.ts, optim.ts) runs its tail through the same vector code as the rest, one
// body per kernel instead of a vector loop and a scalar copy of it. IEEE operations give each lane
// the same result as the scalar operation, so the tail is computed exactly like the other elements.

/** Four floats at `p`, or the first `lanes` (1-3) of them for a ragged tail (the rest zero). */
// @ts-ignore: decorator
@inline export function ld(p: usize, lanes: i32): v128 {
  if (lanes == 4) return v128.load(p);
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(p));
  if (lanes > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (lanes > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

/** Stores four lanes at `p`, or the first `lanes`. */
// @ts-ignore: decorator
@inline export function st(p: usize, v: v128, lanes: i32): void {
  if (lanes == 4) { v128.store(p, v); return; }
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (lanes > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (lanes > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}
