// SPDX-License-Identifier: MIT
import { StrataError, fmtShape } from './errors.js';

/** A tensor's dimension sizes, outermost first. */
export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** Row-major (C-contiguous) strides, in elements. */
export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** NumPy broadcasting of several shapes; throws naming the op and every shape. */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = rank - s.length + i;
      const d = s[i];
      if (d === out[o] || d === 1) continue;
      if (out[o] === 1) out[o] = d;
      else {
        throw new StrataError(op, `shapes ${shapes.map(fmtShape).join(' and ')} cannot be broadcast together (dimension ${o}: ${out[o]} vs ${d})`);
      }
    }
  }
  return out;
}

/**
 * Strides to read an input of `shape` as if it had been broadcast to `outShape`:
 * broadcast dimensions get stride 0.
 */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const st = stridesOf(shape);
  const out = new Array<number>(outShape.length).fill(0);
  const off = outShape.length - shape.length;
  for (let i = 0; i < shape.length; i++) out[off + i] = shape[i] === 1 && outShape[off + i] !== 1 ? 0 : st[i];
  return out;
}

/**
 * A matmul kernel's sizes: C [M, N] from `out`'s last two axes, K from `a` (its last axis, or the
 * one before when `transA`), and the broadcast batch shape of the operands' leading axes.
 */
export function matmulDims(out: Shape, a: Shape, b: Shape, transA: boolean): { m: number; n: number; k: number; batch: number[] } {
  const r = out.length, ra = a.length;
  return {
    m: out[r - 2], n: out[r - 1], k: transA ? a[ra - 2] : a[ra - 1],
    batch: broadcastShapes('matmul', a.slice(0, -2), b.slice(0, -2)),
  };
}

/**
 * Normalizes a possibly negative axis; throws naming the op when out of range. A 0-d tensor has the
 * one axis 0 (also spelled -1), as in PyTorch.
 */
export function normAxis(op: string, axis: number, rank: number): number {
  const a = axis < 0 ? axis + Math.max(rank, 1) : axis;
  if (!Number.isInteger(axis) || a < 0 || a >= Math.max(rank, 1)) {
    throw new StrataError(op, `axis ${axis} is out of range for a tensor of rank ${rank}`);
  }
  return a;
}

/** Normalizes, sorts and deduplicates axes; `undefined` means all axes. */
export function normAxes(op: string, axes: number | readonly number[] | undefined, rank: number): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === 'number' ? [axes] : axes;
  const out = [...new Set(list.map((a) => normAxis(op, a, rank)))].sort((x, y) => x - y);
  return out;
}

export function checkShape(op: string, shape: Shape): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new StrataError(op, `invalid shape ${fmtShape(shape)}: dimensions must be non-negative integers`);
  }
}
