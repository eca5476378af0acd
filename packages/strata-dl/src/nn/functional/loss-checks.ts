// SPDX-License-Identifier: MIT
// Value checks for loss inputs: class indices in range, probabilities in [0, 1], no NaN targets.
// They read the values (as PyTorch does on the CPU), so that a bad label names itself instead of
// surfacing as gather's out-of-bounds index or as a silent NaN loss.
import { StrataError, fmtShape } from '../../core/errors.js';
import type { Tensor } from '../../tensor/tensor.js';

/** Flat index `i` of a tensor of `shape` as the message prints it: `5` in 1-D, `[1,2]` beyond. */
export function fmtIndex(i: number, shape: readonly number[]): string {
  if (shape.length <= 1) return String(i);
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return fmtShape(idx);
}

/**
 * Checks that an int32 `target` holds classes in [0, classes) or `ignoreIndex`, and returns how many
 * entries equal `ignoreIndex`. `explicitIgnore` says whether the user chose the ignore index (then
 * the message mentions it). `v`: the target's values, where the caller has read them already.
 */
export function checkClassTarget(op: string, target: Tensor, classes: number, ignoreIndex: number | null, explicitIgnore = false,
  v: ArrayLike<number> = target.dataSync() as ArrayLike<number>): number {
  let ignored = 0;
  for (let i = 0; i < v.length; i++) {
    const k = Number(v[i]);
    if (k === ignoreIndex) { ignored++; continue; }
    if (!(k >= 0 && k < classes)) {
      const also = explicitIgnore && ignoreIndex !== null ? ` (or ignoreIndex ${ignoreIndex})` : '';
      throw new StrataError(op, `target holds class ${k} at index ${fmtIndex(i, target.shape)}, expected 0 ≤ class < ${classes}${also}`);
    }
  }
  return ignored;
}

/**
 * For a floating-point target where class indices were expected: names a non-integer value, or says
 * how to pass integer labels, so that `tensor([0, 2, 1])` (float32 by default) reads as a fix.
 */
export function floatClassTargetError(op: string, target: Tensor, classes: number): StrataError {
  const v = target.dataSync();
  for (let i = 0; i < v.length; i++) {
    const k = Number(v[i]);
    if (!Number.isInteger(k)) return new StrataError(op, `target holds ${k} at index ${fmtIndex(i, target.shape)}, not a class index: expected integers 0 ≤ class < ${classes} in an int32 tensor`);
  }
  return new StrataError(op, `target must hold int32 class indices, got ${target.dtype} ${fmtShape(target.shape)}; pass tensor(labels, { dtype: 'int32' })`);
}

/** Throws if `t` (the argument `arg` of `op`) holds a value outside [0, 1] or NaN. */
export function checkProbabilities(op: string, arg: string, t: Tensor, hint = ''): void {
  const v = t.dataSync();
  for (let i = 0; i < v.length; i++) {
    const p = Number(v[i]);
    if (!(p >= 0 && p <= 1)) throw new StrataError(op, `${arg} holds ${p} at index ${fmtIndex(i, t.shape)}, expected every value in [0, 1]${hint}`);
  }
}

/** Throws if `t` (the argument `arg` of `op`) holds a NaN. */
export function checkNoNaN(op: string, arg: string, t: Tensor): void {
  const v = t.dataSync();
  for (let i = 0; i < v.length; i++) {
    if (Number.isNaN(Number(v[i]))) throw new StrataError(op, `${arg} holds NaN at index ${fmtIndex(i, t.shape)}`);
  }
}

/** A per-class `weight` must be a 1-D tensor of C entries. */
export function checkClassWeight(op: string, weight: Tensor, classes: number): void {
  if (weight.ndim !== 1 || weight.shape[0] !== classes) throw new StrataError(op, `weight must be a 1-D tensor of ${classes} class weights, got ${fmtShape(weight.shape)}`);
}
