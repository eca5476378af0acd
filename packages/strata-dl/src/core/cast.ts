// SPDX-License-Identifier: MIT
import type { TypedArray } from './dtype.js';

/**
 * Float to int32 as PyTorch does it on x86-64: truncation toward zero, and -2147483648 (the
 * instruction's "integer indefinite") for NaN, ±Infinity and anything whose truncation is outside
 * int32's range. C++ leaves those cases undefined, so PyTorch on other CPUs may differ (ARM
 * saturates and gives 0 for NaN); a plain typed-array store would wrap modulo 2^32 instead
 * (3e9 → -1294967296), which no framework does.
 */
export function floatsToInt32(src: ArrayLike<number>, dst: TypedArray): void {
  for (let i = 0; i < dst.length; i++) {
    const t = Math.trunc(src[i]);
    // NaN fails both comparisons
    dst[i] = t >= -2147483648 && t <= 2147483647 ? t : -2147483648;
  }
}
