// SPDX-License-Identifier: MIT
// The page's whole configuration, and its round trip through the URL's hash
// (#dataset=spiral&layers=16,16&...), so that a configuration is a link. Parsing never throws: a
// missing or malformed value falls back to its default, so any link opens a working page.
import { DATASETS, type DatasetName } from './datasets.js';

export const ACTIVATIONS = ['tanh', 'relu', 'sigmoid', 'linear'] as const;
export const OPTIMIZERS = ['sgd', 'momentum', 'adam'] as const;
export const LEARNING_RATES = [0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3] as const;
export const BATCH_SIZES = [1, 8, 16, 32, 64, 128, 256] as const;
export const POINTS = [100, 200, 300, 500, 1000] as const;
export type Activation = (typeof ACTIVATIONS)[number];
export type OptimizerName = (typeof OPTIMIZERS)[number];

export interface ClassifyState {
  dataset: DatasetName;
  /** widths of the hidden layers (empty: a linear classifier) */
  layers: number[];
  activation: Activation;
  lr: number;
  optimizer: OptimizerName;
  batch: number;
  l1: number;
  l2: number;
  /** dropout probability after each hidden layer */
  dropout: number;
  /** data noise, 0 to 1 */
  noise: number;
  /** fraction of the points used for training */
  split: number;
  /** number of points */
  points: number;
  seed: number;
}

/** Defaults chosen so that the spiral trains to ≥ 95% test accuracy within seconds. */
export const DEFAULTS: ClassifyState = {
  dataset: 'spiral', layers: [16, 16, 16], activation: 'relu', lr: 0.01, optimizer: 'adam', batch: 32,
  l1: 0, l2: 0, dropout: 0, noise: 0, split: 0.5, points: 500, seed: 1,
};

export const MAX_LAYERS = 6;
export const MAX_WIDTH = 32;

function num(v: string | null, lo: number, hi: number, fallback: number): number {
  if (v === null || v.trim() === '') return fallback;
  const x = Number(v);
  return Number.isFinite(x) && x >= lo && x <= hi ? x : fallback;
}
function pick<T extends string>(v: string | null, options: readonly T[], fallback: T): T {
  return options.find((o) => o === v) ?? fallback;
}

/** Parses a hidden-layer list such as "16,16" (or "" for none); null if malformed. */
export function parseLayers(v: string): number[] | null {
  if (v.trim() === '') return [];
  const w = v.split(',').map((s) => Number(s.trim()));
  if (w.length > MAX_LAYERS || !w.every((x) => Number.isInteger(x) && x >= 1 && x <= MAX_WIDTH)) return null;
  return w;
}

/** The state a hash (with or without its leading '#') describes. */
export function parseState(hash: string): ClassifyState {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const d = DEFAULTS;
  const layers = q.get('layers');
  return {
    dataset: pick(q.get('dataset'), DATASETS, d.dataset),
    layers: (layers === null ? null : parseLayers(layers)) ?? d.layers,
    activation: pick(q.get('activation'), ACTIVATIONS, d.activation),
    lr: num(q.get('lr'), 1e-6, 10, d.lr),
    optimizer: pick(q.get('optimizer'), OPTIMIZERS, d.optimizer),
    batch: Math.round(num(q.get('batch'), 1, 1024, d.batch)),
    l1: num(q.get('l1'), 0, 1, d.l1),
    l2: num(q.get('l2'), 0, 1, d.l2),
    dropout: num(q.get('dropout'), 0, 0.9, d.dropout),
    noise: num(q.get('noise'), 0, 1, d.noise),
    split: num(q.get('split'), 0.1, 0.9, d.split),
    points: Math.round(num(q.get('points'), 20, 2000, d.points)),
    seed: Math.round(num(q.get('seed'), 0, 2 ** 31, d.seed)),
  };
}

/** The hash (without '#') that `parseState` reads back as `s`. */
export function formatState(s: ClassifyState): string {
  const q = new URLSearchParams();
  q.set('dataset', s.dataset);
  q.set('layers', s.layers.join(','));
  q.set('activation', s.activation);
  q.set('lr', String(s.lr));
  q.set('optimizer', s.optimizer);
  q.set('batch', String(s.batch));
  q.set('l1', String(s.l1));
  q.set('l2', String(s.l2));
  q.set('dropout', String(s.dropout));
  q.set('noise', String(s.noise));
  q.set('split', String(s.split));
  q.set('points', String(s.points));
  q.set('seed', String(s.seed));
  return q.toString().replaceAll('%2C', ',');
}
