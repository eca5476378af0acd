// SPDX-License-Identifier: MIT
// Scans, sorting, norms, triangles, repetition and masks in one place, for Tensor's methods and
// the package root.
export { cumsum, cumprod, prod, diff } from './scan.js';
export { sort, argsort, topk, extremumAlong } from './sorting.js';
export { norm, vectorNorm } from './norm.js';
export { tril, triu, outer, repeat, tile, roll } from './shaping.js';
export { isnan, isinf, isfinite, nanToNum, nansum, nanmean, isclose, maskedFill, maskedSelect, nonzero } from './masking.js';
export { einsum } from './einsum.js';
