// SPDX-License-Identifier: MIT
// Scalar helpers whose edge cases follow JavaScript's Math (the js reference backend), not C's.

/**
 * C's powf (PyTorch's): pow(1, y) = 1 and pow(-1, ±Infinity) = 1 for every y, NaN included (Math.pow
 * gives NaN there); pow(x, ±0) = 1 for every x, NaN included. The js reference's powC is the same.
 */
export function powf(x: f32, y: f32): f32 {
  if (x == 1 || (x == -1 && abs<f32>(y) == Infinity)) return 1;
  return NativeMathf.pow(x, y);
}

/** Math.max semantics: NaN if either is NaN (wasm f32.max does the same). */
// @ts-ignore: decorator
@inline export function maxf(x: f32, y: f32): f32 { return max<f32>(x, y); }
// @ts-ignore: decorator
@inline export function minf(x: f32, y: f32): f32 { return min<f32>(x, y); }
