// SPDX-License-Identifier: MIT
// fit's validationSplit: Keras takes the last fraction of the samples, unshuffled. On data ordered
// by class that validates on classes the model never trained on (validation accuracy near 0, and
// nothing says why); this module takes the split, optionally shuffled, and says when it looks wrong.
import { StrataError, fmtShape } from '../core/errors.js';
import type { Generator } from '../core/rng.js';
import { DataLoader, permutation } from '../data/loader.js';
import type { Tensor } from '../tensor/tensor.js';
import { type FitData, splitTail } from './batches.js';

/** Class labels of `y` when it holds them: int32 [N], or one-hot rows [N, C] (as their argmax). */
function classLabels(y: Tensor): number[] | null {
  if (y.dtype === 'int32' && y.ndim === 1) return Array.from(y.dataSync(), Number);
  if (y.ndim !== 2 || y.dtype === 'bool' || y.dtype === 'int32' || y.shape[1] < 2) return null;
  const v = y.dataSync();
  const [n, c] = y.shape;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let hot = -1;
    for (let j = 0; j < c; j++) {
      const e = Number(v[i * c + j]);
      if (e === 1 && hot < 0) hot = j;
      else if (e !== 0) return null; // not one-hot: regression targets or soft labels
    }
    if (hot < 0) return null;
    out[i] = hot;
  }
  return out;
}

/**
 * What is wrong with taking the tail of `labels` at `at` for validation, in one sentence, or null:
 * the validation part holds classes the training part lacks, or the labels come in a few long runs
 * (ordered by class: at most two runs per class over at least 20 samples per class).
 */
export function splitProblem(labels: readonly number[], at: number): string | null {
  const trainClasses = new Set(labels.slice(0, at));
  const valClasses = new Set(labels.slice(at));
  const missing = [...valClasses].filter((c) => !trainClasses.has(c)).sort((a, b) => a - b);
  let runs = labels.length > 0 ? 1 : 0;
  for (let i = 1; i < labels.length; i++) if (labels[i] !== labels[i - 1]) runs++;
  const classes = new Set(labels).size;
  const ordered = classes > 1 && runs <= 2 * classes && labels.length >= 20 * classes;
  if (missing.length === 0 && !ordered) return null;
  const parts: string[] = [];
  if (ordered) parts.push(`the labels look ordered by class (${runs} runs of equal labels over ${labels.length} samples)`);
  if (missing.length > 0) parts.push(`the validation part holds class${missing.length > 1 ? 'es' : ''} ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''} that the training part lacks`);
  return parts.join(', and ');
}

/**
 * Splits `data` for fit: the last `fraction` of the samples (Keras), or, with `shuffle`, a random
 * `fraction` drawn from `generator`. Unshuffled, warns once through `warn` when the split looks
 * wrong for class labels (see `splitProblem`).
 */
export function validationSplit(data: FitData, fraction: number, opts: { shuffle: boolean; generator: Generator; warn: (line: string) => void }): { train: FitData; validation: FitData } {
  if (!opts.shuffle) {
    const tail = splitTail(data, fraction); // checks the data's form and the fraction
    const { y } = data as { x: Tensor; y: Tensor };
    const n = y.shape[0];
    const at = Math.floor(n * (1 - fraction));
    const labels = classLabels(y);
    const problem = labels ? splitProblem(labels, at) : null;
    if (problem) {
      opts.warn(`fit: validationSplit ${fraction} holds out the last ${n - at} of ${n} samples, unshuffled (as Keras does), but ${problem}; `
        + 'shuffle the data first or pass validationShuffle: true');
    }
    return tail;
  }
  if (!(typeof data === 'object' && 'x' in data && 'y' in data && !(data instanceof DataLoader))) {
    throw new StrataError('fit', 'validationSplit needs tensor data { x, y }; pass validationData for loaders and iterables');
  }
  if (!(fraction > 0 && fraction < 1)) throw new StrataError('fit', `validationSplit must be in (0, 1), got ${fraction}`);
  const { x, y } = data;
  const n = x.shape[0];
  if (y.shape[0] !== n) throw new StrataError('fit', `x ${fmtShape(x.shape)} and y ${fmtShape(y.shape)} have different numbers of samples`);
  const at = Math.floor(n * (1 - fraction));
  if (at === 0 || at === n) throw new StrataError('fit', `validationSplit ${fraction} of ${n} samples leaves an empty part`);
  const order = permutation(n, opts.generator);
  const trainIdx = order.slice(0, at);
  const valIdx = order.slice(at);
  return {
    train: { x: x.indexSelect(0, trainIdx).keep(), y: y.indexSelect(0, trainIdx).keep() },
    validation: { x: x.indexSelect(0, valIdx).keep(), y: y.indexSelect(0, valIdx).keep() },
  };
}
