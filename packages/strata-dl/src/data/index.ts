// SPDX-License-Identifier: MIT
/**
 * Data: datasets, the `DataLoader` (batching, shuffling, collation), splits and resampling
 * (train/test, k-fold, bootstrap, bagging), image transforms and small built-in datasets.
 *
 * @example
 * const loader = new data.DataLoader(new data.TensorDataset(x, y), { batchSize: 32, shuffle: true });
 *
 * @packageDocumentation
 */
export { type Dataset, TensorDataset, Subset, MappedDataset } from './dataset.js';
export { DataLoader, defaultCollate, permutation, type LoaderOptions } from './loader.js';
export { trainTestSplit, randomSplit, kFold, bootstrap, bagging, type SplitOptions } from './split.js';
export {
  type Transform, compose, normalize, meanSubtraction, randomShift, randomRotation, randomHorizontalFlip, randomVerticalFlip,
} from './transforms.js';
export { parseIdx, type Idx } from './datasets/idx.js';
export { parseCifar10, CIFAR10_CLASSES } from './datasets/cifar10.js';
export { parseCsv } from './datasets/csv.js';
export { spiral, circles, moons, xor, type Toy, type ToyOptions } from './datasets/toy.js';
