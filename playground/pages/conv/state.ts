// SPDX-License-Identifier: MIT
// The convolution explorer's configuration and its round trip through the URL hash. Parsing never
// throws: a malformed value falls back to its default. (A drawn image is not in the link.)
import { IMAGES, type ImageName } from './images.js';
import { KERNELS, KERNEL_NAMES, type KernelName } from './kernels.js';

export const PADDINGS = ['valid', 'same', 'full'] as const;
export const POOLS = ['none', 'max', 'min', 'avg'] as const;
export type PaddingName = (typeof PADDINGS)[number];
export type PoolName = (typeof POOLS)[number];

export interface ConvState {
  image: ImageName | 'drawn';
  kernel: KernelName;
  /** the k×k weights, row-major (the preset's, or the custom grid's) */
  weights: number[];
  padding: PaddingName;
  stride: number;
  dilation: number;
  pool: PoolName;
  /** pooling window (and stride) */
  poolSize: number;
}

export const DEFAULTS: ConvState = {
  image: 'digit', kernel: 'edges', weights: [...KERNELS.edges], padding: 'same', stride: 1, dilation: 1, pool: 'max', poolSize: 2,
};

const int = (v: string | null, lo: number, hi: number, fallback: number): number => {
  const x = Number(v);
  return v !== null && Number.isInteger(x) && x >= lo && x <= hi ? x : fallback;
};
const pick = <T extends string>(v: string | null, options: readonly T[], fallback: T): T => options.find((o) => o === v) ?? fallback;

/** Weights "a,b,..." of a 3×3 or 5×5 kernel, or null. */
export function parseWeights(v: string): number[] | null {
  const w = v.split(',').map((s) => Number(s.trim()));
  return (w.length === 9 || w.length === 25) && w.every((x) => Number.isFinite(x) && Math.abs(x) <= 1e6) ? w : null;
}

export function parseState(hash: string): ConvState {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const d = DEFAULTS;
  const kernel = pick(q.get('kernel'), KERNEL_NAMES, d.kernel);
  const custom = q.get('weights');
  const weights = kernel === 'custom' ? (custom === null ? null : parseWeights(custom)) ?? [...KERNELS.identity] : [...KERNELS[kernel]];
  return {
    image: pick(q.get('image'), IMAGES, d.image),
    kernel,
    weights,
    padding: pick(q.get('padding'), PADDINGS, d.padding),
    stride: int(q.get('stride'), 1, 8, d.stride),
    dilation: int(q.get('dilation'), 1, 8, d.dilation),
    pool: pick(q.get('pool'), POOLS, d.pool),
    poolSize: int(q.get('poolSize'), 1, 8, d.poolSize),
  };
}

export function formatState(s: ConvState): string {
  const q = new URLSearchParams();
  q.set('image', s.image === 'drawn' ? 'digit' : s.image);
  q.set('kernel', s.kernel);
  if (s.kernel === 'custom') q.set('weights', s.weights.join(','));
  q.set('padding', s.padding);
  q.set('stride', String(s.stride));
  q.set('dilation', String(s.dilation));
  q.set('pool', s.pool);
  q.set('poolSize', String(s.poolSize));
  return q.toString().replaceAll('%2C', ',');
}
