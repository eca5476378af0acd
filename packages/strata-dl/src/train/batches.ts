// SPDX-License-Identifier: MIT
import { StrataError, fmtShape } from '../core/errors.js';
import type { Generator } from '../core/rng.js';
import { DataLoader } from '../data/loader.js';
import { TensorDataset } from '../data/dataset.js';
import type { Tensor } from '../tensor/tensor.js';

/** Training data: tensors `{ x, y }` (batched by `fit`), a `DataLoader`, or any re-iterable of [x, y] batches. */
export type FitData = { x: Tensor; y: Tensor } | DataLoader<Tensor[]> | Iterable<readonly Tensor[]>;

/** Batches for one epoch, each built lazily (inside the step's `scoped` block, so it is freed with it). */
export interface BatchPlan {
  steps: number | null;
  samples: number | null;
  batches: Iterable<() => readonly Tensor[]>;
}

function isTensorPair(d: FitData): d is { x: Tensor; y: Tensor } {
  return typeof d === 'object' && 'x' in d && 'y' in d && !(d instanceof DataLoader);
}

/** Plans one epoch over `data`; reshuffles (from `generator`) on every call when `shuffle` is set. */
export function planEpoch(data: FitData, opts: { batchSize: number; shuffle: boolean; generator: Generator }): BatchPlan {
  let loader: DataLoader<Tensor[]> | null = null;
  if (isTensorPair(data)) {
    if (data.x.shape[0] !== data.y.shape[0]) throw new StrataError('fit', `x ${fmtShape(data.x.shape)} and y ${fmtShape(data.y.shape)} have different numbers of samples`);
    loader = new DataLoader<Tensor[]>(new TensorDataset(data.x, data.y), opts);
  } else if (data instanceof DataLoader) loader = data;
  if (loader) {
    const l = loader;
    return { steps: l.length, samples: l.dataset.length, batches: l.batches().map((idx) => () => l.load(idx)) };
  }
  const it = data as Iterable<readonly Tensor[]>;
  return { steps: null, samples: null, batches: { *[Symbol.iterator]() { for (const b of it) yield () => b; } } };
}

/** Keras' validationSplit: the last `fraction` of the samples (taken before any shuffling). */
export function splitTail(data: FitData, fraction: number): { train: FitData; validation: FitData } {
  if (!isTensorPair(data)) throw new StrataError('fit', 'validationSplit needs tensor data { x, y }; pass validationData for loaders and iterables');
  if (!(fraction > 0 && fraction < 1)) throw new StrataError('fit', `validationSplit must be in (0, 1), got ${fraction}`);
  const n = data.x.shape[0];
  const at = Math.floor(n * (1 - fraction));
  if (at === 0 || at === n) throw new StrataError('fit', `validationSplit ${fraction} of ${n} samples leaves an empty part`);
  return {
    train: { x: data.x.slice(0, 0, at).keep(), y: data.y.slice(0, 0, at).keep() },
    validation: { x: data.x.slice(0, at).keep(), y: data.y.slice(0, at).keep() },
  };
}

/** Unpacks a batch into (input, target), checking its form. */
export function xy(batch: readonly Tensor[]): [Tensor, Tensor] {
  if (batch.length < 2) throw new StrataError('fit', `a batch must be [x, y], got ${batch.length} tensor(s)`);
  return [batch[0], batch[1]];
}
