// SPDX-License-Identifier: MIT
// Scalar helpers whose edge cases follow JavaScript's Math (the js reference backend), not C's.

/** Math.pow semantics: pow(x, NaN) and pow(±1, ±Infinity) are NaN (C's powf returns 1). */
export function powf(x: f32, y: f32): f32 {
  if (y != y) return NaN;
  if (abs<f32>(x) == 1 && abs<f32>(y) == Infinity) return NaN;
  return NativeMathf.pow(x, y);
}

/** Math.max semantics: NaN if either is NaN (wasm f32.max does the same). */
// @ts-ignore: decorator
@inline export function maxf(x: f32, y: f32): f32 { return max<f32>(x, y); }
// @ts-ignore: decorator
@inline export function minf(x: f32, y: f32): f32 { return min<f32>(x, y); }
