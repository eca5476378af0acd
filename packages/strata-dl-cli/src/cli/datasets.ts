// SPDX-License-Identifier: MIT
// The datasets the CLI knows by name.
import { StrataError } from 'strata-dl';
import { type ImageSet, loadCifar10 } from 'strata-dl/node';
import { loadFashionMnist, loadMnist } from '../datasets/packages.js';

export interface ImageDataset {
  name: string;
  inputShape: [number, number, number];
  classNames: string[];
  /** Per-channel normalization applied to images before the model. */
  mean: number[];
  std: number[];
  load(split: 'train' | 'test', opts: { limit?: number; dataDir?: string }): ImageSet;
}

const digits = Array.from({ length: 10 }, (_, i) => String(i));

export const DATASETS: Record<string, ImageDataset> = {
  mnist: {
    name: 'mnist', inputShape: [1, 28, 28], classNames: digits, mean: [0.1307], std: [0.3081],
    load: (split, { limit, dataDir }) => loadMnist({ split, limit, dir: dataDir }),
  },
  'fashion-mnist': {
    name: 'fashion-mnist', inputShape: [1, 28, 28], mean: [0.286], std: [0.353],
    classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
    load: (split, { limit, dataDir }) => loadFashionMnist({ split, limit, dir: dataDir }),
  },
  cifar10: {
    name: 'cifar10', inputShape: [3, 32, 32], mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.243, 0.261],
    classNames: ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'],
    load: (split, { limit, dataDir }) => {
      if (!dataDir) throw new StrataError('cifar10', 'pass --data-dir with the folder of the CIFAR-10 binary batches (data_batch_1.bin … test_batch.bin)');
      return loadCifar10(dataDir, { split, limit });
    },
  },
};

export function getDataset(name: string): ImageDataset {
  const d = DATASETS[name];
  if (!d) throw new StrataError('train', `unknown dataset '${name}'; choose one of ${Object.keys(DATASETS).join(', ')}`);
  return d;
}
