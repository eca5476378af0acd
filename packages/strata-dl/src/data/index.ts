// SPDX-License-Identifier: MIT
export { type Dataset, TensorDataset, Subset, MappedDataset } from './dataset.js';
export { DataLoader, defaultCollate, permutation, type LoaderOptions } from './loader.js';
export { trainTestSplit, randomSplit, kFold, bootstrap, bagging, type SplitOptions } from './split.js';
export {
  type Transform, compose, normalize, meanSubtraction, randomShift, randomRotation, randomHorizontalFlip, randomVerticalFlip,
} from './transforms.js';
export { parseIdx, type Idx } from './datasets/idx.js';
export { parseCifar10, CIFAR10_CLASSES } from './datasets/cifar10.js';
export { parseCsv } from './datasets/csv.js';
export { spiral, circles, moons, xor, type Toy } from './datasets/toy.js';
