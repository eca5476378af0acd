// SPDX-License-Identifier: MIT
// Names as training data: normalization, a seeded train/validation split, padded batches with masks.
import { StrataError } from '../core/errors.js';
import { Generator } from '../core/rng.js';
import { permutation } from '../data/loader.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { CharVocab } from './vocab.js';

/**
 * Lowercased, trimmed, de-duplicated (first occurrence kept, order otherwise unchanged), empty ones
 * dropped. The stdlib lists hold 8,849 names, 8,422 of them distinct this way.
 *
 * @example normalizeNames(['Ann', 'ann ', 'Bo']); // ['ann', 'bo']
 */
export function normalizeNames(names: readonly string[]): string[] {
  return [...new Set(names.map((n) => n.trim().toLowerCase()).filter((n) => n.length > 0))];
}

/** How a name is shown: each hyphen-separated part capitalized ('anne-marie' → 'Anne-Marie'). */
export function displayName(name: string): string {
  return name.replace(/(^|-)(\p{L})/gu, (_, sep: string, c: string) => sep + c.toUpperCase());
}

/**
 * A seeded random split into training and validation names (`validation` a fraction or a count).
 *
 * @example const { train, validation } = splitNames(names, { validation: 0.1, seed: 0 });
 */
export function splitNames(names: readonly string[], opts: { validation?: number; seed?: number } = {}): { train: string[]; validation: string[] } {
  const { validation = 0.1, seed = 0 } = opts;
  const k = validation < 1 ? Math.round(names.length * validation) : validation;
  if (!(Number.isInteger(k) && k > 0 && k < names.length)) throw new StrataError('splitNames', `validation ${validation} leaves no training or no validation names out of ${names.length}`);
  const order = permutation(names.length, new Generator(seed));
  return { validation: order.slice(0, k).map((i) => names[i]), train: order.slice(k).map((i) => names[i]) };
}

/**
 * A batch of names for next-character prediction, batch-first. For a name c₁…cₙ the input row is
 * `. c₁ … cₙ` and the target row `c₁ … cₙ .`; rows are padded to the longest with the boundary id,
 * and `mask` is 1 on the n + 1 real positions, 0 on padding.
 */
export interface NameBatch {
  /** int32 [N, T] */
  input: Tensor;
  /** int32 [N, T] */
  target: Tensor;
  /** float32 [N, T] */
  mask: Tensor;
  /** Real positions per row (name length + 1). */
  lengths: number[];
  /** Number of predicted characters in the batch (the sum of `lengths`). */
  tokens: number;
}

/** Options of `nameBatches`. */
export interface BatchOptions {
  /** Names per batch (default 64). */
  batchSize?: number;
  /** Shuffle with this generator (else the order given is kept). */
  generator?: Generator;
  /** Backend of the tensors (default: the current one). */
  backend?: string;
}

/** One padded batch from `names`. */
export function makeBatch(names: readonly string[], vocab: CharVocab, backend?: string): NameBatch {
  const encoded = names.map((n) => vocab.encode(n));
  const lengths = encoded.map((e) => e.length + 1);
  const t = Math.max(...lengths);
  const n = names.length;
  const input = new Int32Array(n * t);
  const target = new Int32Array(n * t);
  const mask = new Float32Array(n * t);
  encoded.forEach((ids, r) => {
    for (let j = 0; j < ids.length; j++) {
      input[r * t + j + 1] = ids[j];
      target[r * t + j] = ids[j];
    }
    mask.fill(1, r * t, r * t + ids.length + 1);
  });
  // Boundary ids (0) fill the rest of both rows: input starts with it, target ends with it.
  const shape = [n, t];
  return {
    input: tensor(input, { shape, backend }),
    target: tensor(target, { shape, backend }),
    mask: tensor(mask, { shape, backend }),
    lengths,
    tokens: lengths.reduce((a, b) => a + b, 0),
  };
}

/**
 * All names as batches. With a generator the names are shuffled, then grouped in buckets of similar
 * length (sorted within windows of 16 batches) so little of each batch is padding, and the batch
 * order is shuffled again.
 *
 * @example for (const b of nameBatches(train, vocab, { batchSize: 64, generator })) step(b);
 */
export function nameBatches(names: readonly string[], vocab: CharVocab, opts: BatchOptions = {}): NameBatch[] {
  const { batchSize = 64, generator, backend } = opts;
  if (!(Number.isInteger(batchSize) && batchSize > 0)) throw new StrataError('nameBatches', `batchSize must be a positive integer, got ${batchSize}`);
  let order = names.map((_, i) => i);
  if (generator) {
    order = permutation(names.length, generator);
    const window = 16 * batchSize;
    const sorted: number[] = [];
    for (let s = 0; s < order.length; s += window) sorted.push(...order.slice(s, s + window).sort((a, b) => names[a].length - names[b].length));
    order = sorted;
  }
  const groups: number[][] = [];
  for (let s = 0; s < order.length; s += batchSize) groups.push(order.slice(s, s + batchSize));
  const batchOrder = generator ? permutation(groups.length, generator) : groups.map((_, i) => i);
  return batchOrder.map((g) => makeBatch(groups[g].map((i) => names[i]), vocab, backend));
}

/**
 * The fraction of `samples` that are not in `training` (compared lowercase).
 *
 * @example novelty(['ann', 'zed'], ['ann']); // 0.5
 */
export function novelty(samples: readonly string[], training: readonly string[]): number {
  if (samples.length === 0) return 0;
  const known = new Set(training.map((n) => n.toLowerCase()));
  return samples.filter((s) => !known.has(s.toLowerCase())).length / samples.length;
}
