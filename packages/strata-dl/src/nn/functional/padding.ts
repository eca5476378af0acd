// SPDX-License-Identifier: MIT
import { StrataError } from '../../core/errors.js';

/** One number for both spatial dimensions, or `[height, width]`. */
export type IntPair = number | readonly [number, number];
/**
 * Padding of a 2-D window op: a number (all sides), `[height, width]` (symmetric),
 * `[top, bottom, left, right]`, or a Keras mode: `'valid'` (none), `'same'` (output size
 * ⌈input / stride⌉, the extra pixel going to the bottom/right as in TensorFlow), `'full'`
 * (every partial overlap: dilation·(kernel − 1) on each side).
 */
export type Padding2d = number | readonly [number, number] | readonly [number, number, number, number] | PaddingMode;
/** Padding of a 1-D window op: a number (both sides), `[left, right]`, or a mode. */
export type Padding1d = number | readonly [number, number] | PaddingMode;
/** Keras-style padding by name: none, output size ⌈input / stride⌉, or every partial overlap. */
export type PaddingMode = 'valid' | 'same' | 'full';

/**
 * @internal Validates a kernel/stride/dilation argument and expands one number to a pair, each at
 * least `min` (1 for strides, dilations and kernels: 0 would divide by zero or select nothing); `op`
 * names the caller in errors.
 */
export function pair(op: string, what: string, v: IntPair, min = 0): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if (!p.every((x) => Number.isInteger(x) && x >= min)) throw new StrataError(op, `${what} must be ${min === 0 ? 'non-negative' : 'positive'} integers, got ${JSON.stringify(v)}`);
  return p;
}

/** Before/after padding of one dimension for a mode. */
function modePads(mode: PaddingMode, size: number, k: number, s: number, d: number): [number, number] {
  const span = d * (k - 1) + 1;
  if (mode === 'valid') return [0, 0];
  if (mode === 'full') return [span - 1, span - 1];
  const out = Math.ceil(size / s);
  const total = Math.max((out - 1) * s + span - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** `[top, bottom, left, right]` for an input of spatial size `[h, w]`. */
export function resolvePadding2d(op: string, padding: Padding2d, [h, w]: readonly number[], [kh, kw]: readonly number[], [sh, sw]: readonly number[], [dh, dw]: readonly number[]): [number, number, number, number] {
  let p: number[];
  if (typeof padding === 'string') {
    if (padding !== 'valid' && padding !== 'same' && padding !== 'full') throw new StrataError(op, `padding must be a number, a tuple, 'valid', 'same' or 'full', got '${String(padding)}'`);
    p = [...modePads(padding, h, kh, sh, dh), ...modePads(padding, w, kw, sw, dw)];
  } else if (typeof padding === 'number') p = [padding, padding, padding, padding];
  else {
    const tuple: readonly number[] = padding;
    if (tuple.length === 2) p = [tuple[0], tuple[0], tuple[1], tuple[1]];
    else if (tuple.length === 4) p = [...tuple];
    else throw new StrataError(op, `padding tuple must have 2 or 4 entries, got ${tuple.length}`);
  }
  if (!p.every((x) => Number.isInteger(x) && x >= 0)) throw new StrataError(op, `padding must be non-negative integers, got ${JSON.stringify(padding)}`);
  return [p[0], p[1], p[2], p[3]];
}

/** A 1-D padding spec as the 2-D spec of an input of height 1. */
export function padding1dAs2d(padding: Padding1d): Padding2d {
  if (typeof padding === 'string') return padding;
  if (typeof padding === 'number') return [0, 0, padding, padding];
  return [0, 0, padding[0], padding[1]];
}

/** Output length of a window op along one dimension: ⌊(n + padding − dilation·(k − 1) − 1) / stride⌋ + 1. */
export function outSize(n: number, padBefore: number, padAfter: number, k: number, s: number, d: number): number {
  return Math.floor((n + padBefore + padAfter - d * (k - 1) - 1) / s) + 1;
}
