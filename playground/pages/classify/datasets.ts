// SPDX-License-Identifier: MIT
// The five 2-D data sets, each a deterministic function of (name, size, noise, seed): points in
// [-1, 1]² with labels 0/1, as in TensorFlow Playground. Pure (no DOM), so the page, the training
// worker and the Node tests all generate the same points.
import { Generator } from 'strata-dl';

export const DATASETS = ['spiral', 'circles', 'xor', 'moons', 'blobs'] as const;
export type DatasetName = (typeof DATASETS)[number];

/** Points as interleaved x, y pairs and a label per point. */
export interface Points { xy: Float32Array; label: Uint8Array }

/** `n` points of `name`; `noise` in [0, 1] scales the jitter. */
export function makeDataset(name: DatasetName, n: number, noise: number, seed: number): Points {
  const g = new Generator(seed);
  const xy = new Float32Array(2 * n);
  const label = new Uint8Array(n);
  const put = (i: number, x: number, y: number, l: number): void => {
    xy[2 * i] = Math.max(-1, Math.min(1, x));
    xy[2 * i + 1] = Math.max(-1, Math.min(1, y));
    label[i] = l;
  };
  const half = Math.floor(n / 2);
  for (let i = 0; i < n; i++) {
    const l = i < half ? 0 : 1;
    const j = l === 0 ? i : i - half; // index within the class
    const m = l === 0 ? half : n - half;
    switch (name) {
      case 'spiral': {
        // two interleaved arms, 1.75 turns each, radius growing from the centre
        const r = (j / m) * 0.9;
        const t = (1.75 * j / m) * 2 * Math.PI + l * Math.PI;
        put(i, r * Math.sin(t) + 0.1 * noise * g.normal(), r * Math.cos(t) + 0.1 * noise * g.normal(), l);
        break;
      }
      case 'circles': {
        // a disc inside a ring
        const r = l === 0 ? g.random() * 0.4 : 0.6 + g.random() * 0.3;
        const t = g.random() * 2 * Math.PI;
        put(i, r * Math.sin(t) + 0.15 * noise * g.normal(), r * Math.cos(t) + 0.15 * noise * g.normal(), l);
        break;
      }
      case 'xor': {
        // uniform in the square, the label the sign of x·y (points near the axes pushed off them)
        let x = g.random() * 2 - 1;
        let y = g.random() * 2 - 1;
        x += x > 0 ? 0.05 : -0.05;
        y += y > 0 ? 0.05 : -0.05;
        const lab = x * y > 0 ? 0 : 1;
        put(i, x + 0.2 * noise * g.normal(), y + 0.2 * noise * g.normal(), lab);
        break;
      }
      case 'moons': {
        // two interleaving half circles
        const t = g.random() * Math.PI;
        const x = l === 0 ? Math.cos(t) - 0.5 : 0.5 - Math.cos(t);
        const y = l === 0 ? Math.sin(t) - 0.25 : 0.25 - Math.sin(t);
        put(i, 0.6 * x + 0.15 * noise * g.normal(), 0.6 * y + 0.15 * noise * g.normal(), l);
        break;
      }
      case 'blobs': {
        // two Gaussian clusters
        const c = l === 0 ? -0.45 : 0.45;
        const s = 0.15 + 0.35 * noise;
        put(i, c + s * g.normal(), c + s * g.normal(), l);
        break;
      }
    }
  }
  return { xy, label };
}

/**
 * Splits the points at random (seeded) into a training part of ⌊ratio·n⌋ points and a test part.
 */
export function splitPoints(p: Points, ratio: number, seed: number): { train: Points; test: Points } {
  const n = p.label.length;
  const order = Array.from({ length: n }, (_, i) => i);
  const g = new Generator(seed + 7919);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(g.random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const nTrain = Math.max(1, Math.min(n - 1, Math.floor(ratio * n)));
  const take = (idx: number[]): Points => {
    const xy = new Float32Array(2 * idx.length);
    const label = new Uint8Array(idx.length);
    idx.forEach((k, i) => { xy[2 * i] = p.xy[2 * k]; xy[2 * i + 1] = p.xy[2 * k + 1]; label[i] = p.label[k]; });
    return { xy, label };
  };
  return { train: take(order.slice(0, nTrain)), test: take(order.slice(nTrain)) };
}
