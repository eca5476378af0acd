// SPDX-License-Identifier: MIT
// Two-dimensional toy problems for classifiers: points x [n, 2] (float32) and labels y [n] (int32).
import { type Generator, defaultGenerator } from '../../core/rng.js';
import { tensor } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';

/** A toy classification set: points `x` [n, 2] (float32) and labels `y` [n] (int32). */
export interface Toy { x: Tensor; y: Tensor }
/** Options of the toy sets: the random `generator` and the Gaussian `noise` added to the points. */
export interface ToyOptions { generator?: Generator; noise?: number }

function toTensors(points: number[], labels: number[]): Toy {
  return { x: tensor(points, { shape: [labels.length, 2] }), y: tensor(labels, { dtype: 'int32' }) };
}

/**
 * The spiral of lecture 17 (CS231n): `classes` arms of `perClass` points each; not linearly separable.
 *
 * @example
 * const { x, y } = spiral(100, 3); // x [300, 2], y [300]
 */
export function spiral(perClass = 100, classes = 3, { generator = defaultGenerator(), noise = 0.2 }: ToyOptions = {}): Toy {
  const pts: number[] = [];
  const lab: number[] = [];
  for (let j = 0; j < classes; j++) {
    for (let i = 0; i < perClass; i++) {
      const r = perClass === 1 ? 0 : i / (perClass - 1);
      const t = j * 4 + (4 * i) / Math.max(perClass - 1, 1) + generator.normal() * noise;
      pts.push(r * Math.sin(t), r * Math.cos(t));
      lab.push(j);
    }
  }
  return toTensors(pts, lab);
}

/** Two concentric circles (inner radius `factor` of the outer): label 1 is the inner one. */
export function circles(n = 200, { generator = defaultGenerator(), noise = 0.05, factor = 0.5 }: ToyOptions & { factor?: number } = {}): Toy {
  const pts: number[] = [];
  const lab: number[] = [];
  for (let i = 0; i < n; i++) {
    const inner = i % 2;
    const t = 2 * Math.PI * generator.random();
    const r = inner ? factor : 1;
    pts.push(r * Math.cos(t) + noise * generator.normal(), r * Math.sin(t) + noise * generator.normal());
    lab.push(inner);
  }
  return toTensors(pts, lab);
}

/** Two interleaving half circles (scikit-learn's make_moons). */
export function moons(n = 200, { generator = defaultGenerator(), noise = 0.1 }: ToyOptions = {}): Toy {
  const pts: number[] = [];
  const lab: number[] = [];
  for (let i = 0; i < n; i++) {
    const second = i % 2;
    const t = Math.PI * generator.random();
    const [px, py] = second ? [1 - Math.cos(t), 0.5 - Math.sin(t)] : [Math.cos(t), Math.sin(t)];
    pts.push(px + noise * generator.normal(), py + noise * generator.normal());
    lab.push(second);
  }
  return toTensors(pts, lab);
}

/** XOR: points in the four quadrants, label 1 where the signs differ. */
export function xor(n = 200, { generator = defaultGenerator(), noise = 0.1 }: ToyOptions = {}): Toy {
  const pts: number[] = [];
  const lab: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = i % 2;
    const b = Math.floor(i / 2) % 2;
    pts.push((a ? 1 : -1) * 0.5 + noise * generator.normal(), (b ? 1 : -1) * 0.5 + noise * generator.normal());
    lab.push(a ^ b);
  }
  return toTensors(pts, lab);
}
