// SPDX-License-Identifier: MIT
// Drawing indices and events: `torch.randperm`, `torch.multinomial` and `torch.bernoulli`, on the
// host with a seeded generator (one draw after another in a fixed order, so a seed gives the same
// result on every backend and thread count).
import { StrataError, fmtShape } from '../core/errors.js';
import { isFloat } from '../core/dtype.js';
import { type Generator, defaultGenerator } from '../core/rng.js';
import { tensor, type RandomOptions } from './creation.js';
import type { Tensor } from './tensor.js';

/**
 * A random permutation of 0 … n − 1 (`torch.randperm`), int32 unless `opts.dtype` says otherwise:
 * Fisher–Yates over the generator's integers.
 *
 * @example
 * randperm(5, { generator: new Generator(0) }).sort().values.toArray(); // [0, 1, 2, 3, 4]
 */
export function randperm(n: number, opts: RandomOptions = {}): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new StrataError('randperm', `n must be a non-negative integer, got ${n}`);
  const g = opts.generator ?? defaultGenerator();
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = g.int(0, i + 1);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return tensor(p, { dtype: opts.dtype ?? 'int32', backend: opts.backend, requiresGrad: opts.requiresGrad });
}

/** Options of `multinomial`: draws with replacement (default without), and the generator. */
export interface MultinomialOptions {
  replacement?: boolean;
  generator?: Generator;
}

/**
 * `numSamples` category indices per row of `weights` ([n] or [rows, n]: non-negative, finite, not all
 * zero; they need not sum to 1), drawn with probabilities proportional to the weights
 * (`torch.multinomial`), int32 of shape [numSamples] or [rows, numSamples]. Without replacement
 * (the default) each draw removes its category, so a row needs `numSamples` non-zero weights.
 *
 * @example
 * multinomial(tensor([0, 0, 1, 0]), 2, { replacement: true }).toArray(); // [2, 2]
 */
export function multinomial(weights: Tensor, numSamples: number, opts: MultinomialOptions = {}): Tensor {
  const op = 'multinomial';
  if (weights.ndim < 1 || weights.ndim > 2 || !isFloat(weights.dtype)) {
    throw new StrataError(op, `weights must be a 1-D or 2-D floating-point tensor, got ${weights.dtype} ${fmtShape(weights.shape)}`);
  }
  const n = weights.shape[weights.ndim - 1], rows = weights.ndim === 2 ? weights.shape[0] : 1;
  const replacement = opts.replacement ?? false;
  if (!Number.isInteger(numSamples) || numSamples < 1) throw new StrataError(op, `numSamples must be a positive integer, got ${numSamples}`);
  if (!replacement && numSamples > n) throw new StrataError(op, `cannot draw ${numSamples} samples from ${n} categories without replacement`);
  const w = weights.dataSync();
  const g = opts.generator ?? defaultGenerator();
  const out = new Int32Array(rows * numSamples);
  for (let r = 0; r < rows; r++) {
    const row = Array.from(w.subarray(r * n, (r + 1) * n));
    const bad = row.findIndex((v) => !(v >= 0 && v < Infinity));
    if (bad >= 0) throw new StrataError(op, `weights must be finite and non-negative, got ${row[bad]} at row ${r}, category ${bad}`);
    const nonZero = row.filter((v) => v > 0).length;
    if (nonZero === 0) throw new StrataError(op, `row ${r} of the weights is all zero`);
    if (!replacement && nonZero < numSamples) throw new StrataError(op, `row ${r} has ${nonZero} non-zero weights, fewer than the ${numSamples} samples to draw without replacement`);
    for (let s = 0; s < numSamples; s++) {
      // the first category whose running sum passes u · total (never one of weight 0)
      let total = 0;
      for (const v of row) total += v;
      const u = g.random() * total;
      let k = 0, acc = 0;
      for (; k < n; k++) if ((acc += row[k]) > u) break;
      // (u rounded onto the very end of the sum: the last category of non-zero weight)
      if (k === n) for (k = n - 1; row[k] === 0; k--);
      out[r * numSamples + s] = k;
      if (!replacement) row[k] = 0;
    }
  }
  return tensor(out, { shape: weights.ndim === 2 ? [rows, numSamples] : [numSamples], backend: weights.backend.name });
}

/**
 * 1 with probability p and 0 otherwise, for each element p of `probs` (in [0, 1]), in its dtype and
 * shape (`torch.bernoulli`); no gradient.
 *
 * @example
 * bernoulli(tensor([0, 1, 1, 0])).toArray(); // [0, 1, 1, 0]
 */
export function bernoulli(probs: Tensor, opts: { generator?: Generator } = {}): Tensor {
  if (!isFloat(probs.dtype)) throw new StrataError('bernoulli', `probs must be a floating-point tensor, got ${probs.dtype} ${fmtShape(probs.shape)}`);
  const p = probs.dataSync();
  const g = opts.generator ?? defaultGenerator();
  const out = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) {
    if (!(p[i] >= 0 && p[i] <= 1)) throw new StrataError('bernoulli', `probabilities must be in [0, 1], got ${p[i]} at element ${i}`);
    out[i] = g.random() < p[i] ? 1 : 0;
  }
  return tensor(out, { shape: [...probs.shape], dtype: probs.dtype, backend: probs.backend.name });
}
