// SPDX-License-Identifier: MIT
import { bind } from './bind.js';
import { shapesEqual } from '../core/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Sums a broadcast gradient back down to `shape` (the adjoint of broadcasting): over the leading
 * axes `shape` lacks and the axes where it has 1. The engine applies it to every gradient a rule
 * returns, so rules may return the output's broadcast shape.
 */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.shape.length - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.shape.length; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  const s = axes.length ? bind('sum', [g], { axes }) : g;
  return bind('reshape', [s], { shape: [...shape] });
}

/**
 * Whether `shape` broadcasts to `from` (so a gradient of shape `from` sums down to it): the
 * engine's test before it sums a rule's gradient, so that any other mismatch still fails loudly.
 */
export function broadcastsTo(shape: readonly number[], from: readonly number[]): boolean {
  const lead = from.length - shape.length;
  return lead >= 0 && shape.every((d, i) => d === from[lead + i] || d === 1);
}
