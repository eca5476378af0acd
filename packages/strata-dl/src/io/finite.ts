// SPDX-License-Identifier: MIT
import { isFloat } from '../core/dtype.js';
import { StrataError, fmtShape } from '../core/errors.js';
import type { Tensor } from '../tensor/tensor.js';

/** Options of the functions that write weights to files. */
export interface SaveOptions {
  /**
   * Write tensors holding NaN or ±Inf (default false: saving refuses, so a diverged run never
   * replaces good weights on disk). Set it for state that is non-finite on purpose (a -Infinity mask).
   */
  allowNonFinite?: boolean;
}

/**
 * Throws before anything is written when a floating-point tensor holds NaN or ±Inf, naming the
 * tensor, its shape, how many such values it holds and where the first one is.
 */
export function assertFinite(op: string, path: string, tensors: Record<string, Tensor>): void {
  for (const [name, t] of Object.entries(tensors)) {
    if (!isFloat(t.dtype)) continue;
    const a = t.dataSync();
    let count = 0;
    let first = -1;
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (v - v === 0) continue; // finite
      if (first < 0) first = i;
      count++;
    }
    if (count) {
      throw new StrataError(op, `refusing to write '${path}': tensor '${name}' ${fmtShape(t.shape)} holds ${count} non-finite value(s), ` +
        `the first ${a[first]} at flat index ${first}; the file on disk is left as it was (pass { allowNonFinite: true } to write it anyway)`);
    }
  }
}
