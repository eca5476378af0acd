// SPDX-License-Identifier: MIT
// Train/validation/test splits and resampling (lecture 17's validation slide): hold-out splits,
// k-fold cross-validation, bootstrap samples and bagging.
import { StrataError, fmtShape } from '../core/errors.js';
import { type Generator, defaultGenerator } from '../core/rng.js';
import type { Tensor } from '../tensor/tensor.js';
import { type Dataset, Subset } from './dataset.js';
import { permutation } from './loader.js';

/** Options of `trainTestSplit`. */
export interface SplitOptions {
  /** Fraction (0..1) or count of examples for the test part (default 0.25, as scikit-learn). */
  testSize?: number;
  /** Shuffle before splitting (default true). */
  shuffle?: boolean;
  /** The random stream of the shuffle (default the global one). */
  generator?: Generator;
}

function testCount(n: number, testSize: number): number {
  const k = testSize < 1 ? Math.round(n * testSize) : testSize;
  if (!(Number.isInteger(k) && k > 0 && k < n)) throw new StrataError('trainTestSplit', `testSize ${testSize} leaves no train or no test examples out of ${n}`);
  return k;
}

/**
 * Splits tensors (same first dimension) into train and test parts.
 *
 * @example
 * const [[xTrain, yTrain], [xTest, yTest]] = trainTestSplit([x, y], { testSize: 0.2 });
 */
export function trainTestSplit(tensors: readonly Tensor[], opts: SplitOptions = {}): [Tensor[], Tensor[]] {
  const n = tensors[0].shape[0];
  for (const t of tensors) if (t.shape[0] !== n) throw new StrataError('trainTestSplit', `first dimensions differ: ${tensors.map((u) => fmtShape(u.shape)).join(', ')}`);
  const k = testCount(n, opts.testSize ?? 0.25);
  const order = opts.shuffle === false ? Array.from({ length: n }, (_, i) => i) : permutation(n, opts.generator ?? defaultGenerator());
  const test = order.slice(0, k);
  const train = order.slice(k);
  return [tensors.map((t) => t.indexSelect(0, train)), tensors.map((t) => t.indexSelect(0, test))];
}

/** Splits a dataset into random disjoint subsets of the given fractions (summing to 1) or lengths. */
export function randomSplit<T>(dataset: Dataset<T>, sizes: readonly number[], generator: Generator = defaultGenerator()): Subset<T>[] {
  const n = dataset.length;
  const fractional = sizes.every((s) => s < 1) || Math.abs(sizes.reduce((a, b) => a + b, 0) - 1) < 1e-9;
  let counts = fractional ? sizes.map((s) => Math.floor(s * n)) : [...sizes];
  if (fractional) {
    // Hand the rounding remainder out one by one, as PyTorch does.
    let rest = n - counts.reduce((a, b) => a + b, 0);
    for (let i = 0; rest > 0; i = (i + 1) % counts.length, rest--) counts[i]++;
  }
  if (counts.reduce((a, b) => a + b, 0) !== n) throw new StrataError('randomSplit', `sizes [${sizes.join(',')}] do not add up to the ${n} examples`);
  const order = permutation(n, generator);
  let start = 0;
  return counts.map((c) => {
    const s = new Subset(dataset, order.slice(start, start + c));
    start += c;
    return s;
  });
}

/** The k folds of cross-validation: for each, the train and validation indices. */
export function kFold(n: number, k: number, opts: { shuffle?: boolean; generator?: Generator } = {}): { train: number[]; validation: number[] }[] {
  if (!(Number.isInteger(k) && k >= 2 && k <= n)) throw new StrataError('kFold', `k must be an integer in [2, ${n}], got ${k}`);
  const order = opts.shuffle ? permutation(n, opts.generator ?? defaultGenerator()) : Array.from({ length: n }, (_, i) => i);
  const folds: number[][] = Array.from({ length: k }, () => []);
  // The first n % k folds get one extra example, as scikit-learn's KFold.
  let pos = 0;
  for (let f = 0; f < k; f++) {
    const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
    folds[f] = order.slice(pos, pos + size);
    pos += size;
  }
  return folds.map((validation, f) => ({ train: folds.filter((_, g) => g !== f).flat(), validation }));
}

/** A bootstrap sample: n indices drawn with replacement, and the out-of-bag indices never drawn. */
export function bootstrap(n: number, generator: Generator = defaultGenerator()): { sample: number[]; outOfBag: number[] } {
  const sample = Array.from({ length: n }, () => generator.int(0, n));
  const seen = new Set(sample);
  return { sample, outOfBag: Array.from({ length: n }, (_, i) => i).filter((i) => !seen.has(i)) };
}

/**
 * Bagging: trains `k` models, each on its own bootstrap sample, and predicts with their average
 * (of probabilities or regression outputs).
 *
 * @typeParam M - A trained model: a function from inputs to predictions.
 *
 * @example
 * const ensemble = bagging(x.shape[0], 5, (idx) => trainModel(x.indexSelect(0, idx), y.indexSelect(0, idx)));
 * const p = ensemble.predict(xTest);
 */
export function bagging<M extends (x: Tensor) => Tensor>(n: number, k: number, train: (indices: number[], round: number) => M, generator: Generator = defaultGenerator()): {
  /** The k trained models. */
  members: M[];
  /** For each member, the examples its bootstrap sample left out. */
  outOfBag: number[][];
  /** The members' mean prediction. */
  predict: (x: Tensor) => Tensor;
} {
  if (!(Number.isInteger(k) && k >= 1)) throw new StrataError('bagging', `k must be a positive integer, got ${k}`);
  const members: M[] = [];
  const outOfBag: number[][] = [];
  for (let r = 0; r < k; r++) {
    const { sample, outOfBag: oob } = bootstrap(n, generator);
    members.push(train(sample, r));
    outOfBag.push(oob);
  }
  const predict = (x: Tensor): Tensor => members.map((m) => m(x)).reduce((a, b) => a.add(b)).div(k);
  return { members, outOfBag, predict };
}
