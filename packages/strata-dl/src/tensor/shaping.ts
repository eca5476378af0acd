// SPDX-License-Identifier: MIT
// Triangles, outer products, repetition and rolling: compositions of movement
// primitives, so their gradients (sums over the copies, shifts back) come for free.
import { StrataError, fmtShape } from '../core/errors.js';
import { normAxis } from '../core/shape.js';
import type { Tensor } from './tensor.js';
import { cat } from './composite.js';

/** Keeps the entries on and below (tril) or on and above (triu) the `diagonal`-th diagonal of the last two dims. */
function triangle(op: 'tril' | 'triu', x: Tensor, diagonal: number): Tensor {
  if (x.ndim < 2) throw new StrataError(op, `expects at least 2 dimensions, got ${fmtShape(x.shape)}`);
  if (!Number.isInteger(diagonal)) throw new StrataError(op, `diagonal must be an integer, got ${diagonal}`);
  const [r, c] = x.shape.slice(-2);
  const keep = new Array<number>(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) keep[i * c + j] = +(op === 'tril' ? j - i <= diagonal : j - i >= diagonal);
  const mask = x._make(keep, [r, c], 'bool');
  return x.where(mask, x._make([0], [], x.dtype));
}

/** The lower triangle of the last two dims (entries with col − row ≤ diagonal), zeros elsewhere. */
export const tril = (x: Tensor, diagonal = 0): Tensor => triangle('tril', x, diagonal);
/** The upper triangle of the last two dims (entries with col − row ≥ diagonal), zeros elsewhere. */
export const triu = (x: Tensor, diagonal = 0): Tensor => triangle('triu', x, diagonal);

/** a ⊗ b for 1-D a [n] and b [m]: [n, m] with out[i, j] = a[i]·b[j]. */
export function outer(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1 || b.ndim !== 1) throw new StrataError('outer', `expects two 1-D tensors, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  return a.reshape([a.shape[0], 1]).mul(b.reshape([1, b.shape[0]]));
}

function checkReps(op: string, reps: readonly number[]): void {
  for (const r of reps) if (!Number.isInteger(r) || r < 0) throw new StrataError(op, `repetitions must be non-negative integers, got [${reps.join(', ')}]`);
}

/**
 * PyTorch's `repeat`: tiles x `reps[i]` times along each dim; reps may be longer than x's rank
 * (x gets leading dims of 1), not shorter. One expand of an interleaved view, then a reshape.
 */
export function repeat(x: Tensor, reps: readonly number[]): Tensor {
  checkReps('repeat', reps);
  if (reps.length < x.ndim) throw new StrataError('repeat', `needs at least ${x.ndim} repetitions for ${fmtShape(x.shape)}, got [${reps.join(', ')}]`);
  const shape = [...reps.slice(0, reps.length - x.ndim).map(() => 1), ...x.shape];
  const inter = shape.flatMap((d) => [1, d]);
  const big = shape.flatMap((d, i) => [reps[i], d]);
  return x.reshape(inter).expand(big).reshape(shape.map((d, i) => d * reps[i]));
}

/** NumPy/PyTorch `tile`: like `repeat`, with missing leading reps taken as 1. */
export function tile(x: Tensor, reps: readonly number[]): Tensor {
  checkReps('tile', reps);
  return repeat(x, [...new Array<number>(Math.max(x.ndim - reps.length, 0)).fill(1), ...reps]);
}

/** Shifts entries along `dims` circularly by `shifts` (one each); without dims, over the flattened tensor. */
export function roll(x: Tensor, shifts: number | readonly number[], dims?: number | readonly number[]): Tensor {
  const sh = typeof shifts === 'number' ? [shifts] : [...shifts];
  if (sh.some((s) => !Number.isInteger(s))) throw new StrataError('roll', `shifts must be integers, got [${sh.join(', ')}]`);
  if (dims === undefined) {
    if (sh.length !== 1) throw new StrataError('roll', `without dims, shifts must be one number, got [${sh.join(', ')}]`);
    return roll(x.reshape([x.size]), sh, 0).reshape(x.shape);
  }
  const ds = typeof dims === 'number' ? [dims] : [...dims];
  if (ds.length !== sh.length) throw new StrataError('roll', `${sh.length} shifts for ${ds.length} dims`);
  const axes = ds.map((d) => normAxis('roll', d, x.ndim));
  let r = x;
  axes.forEach((ax, i) => {
    const n = r.shape[ax];
    const s = n === 0 ? 0 : ((sh[i] % n) + n) % n;
    if (s !== 0) r = cat([r.slice(ax, n - s, n), r.slice(ax, 0, n - s)], ax);
  });
  return r;
}
