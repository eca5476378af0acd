// SPDX-License-Identifier: MIT
import { StrataError } from '../core/errors.js';
import { type Generator, defaultGenerator } from '../core/rng.js';
import { stack } from '../tensor/composite.js';
import type { Tensor } from '../tensor/tensor.js';
import { type Dataset, Subset, TensorDataset } from './dataset.js';

/** Options of `DataLoader`. */
export interface LoaderOptions<B> {
  batchSize?: number;
  /** Reshuffle at the start of every epoch (seeded by `generator`). */
  shuffle?: boolean;
  /** Drop the last batch when it is smaller than `batchSize`. */
  dropLast?: boolean;
  generator?: Generator;
  /** Turns a list of examples into a batch; the default stacks tensors position by position. */
  collate?: (examples: unknown[]) => B;
  /** Applied to each batch after collation (e.g. augmentation). */
  transform?: (batch: B, generator: Generator) => B;
}

/** Stacks each position of tensor-tuple examples into a batch tensor. */
export function defaultCollate(examples: unknown[]): Tensor[] {
  const first = examples[0];
  if (!Array.isArray(first)) throw new StrataError('DataLoader', 'the default collate expects examples that are arrays of tensors; pass `collate`');
  return first.map((_, k) => stack(examples.map((e) => (e as Tensor[])[k])));
}

/** Fisher–Yates with the library generator, so shuffles are reproducible from a seed. */
export function permutation(n: number, g: Generator): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = g.int(0, i + 1);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/**
 * Batches a dataset: seeded shuffling, drop-last, custom collate. Iterate it synchronously, or with
 * `for await`, which prepares the next batch while the consumer works on the current one.
 *
 * @example
 * const loader = new DataLoader(new TensorDataset(x, y), { batchSize: 128, shuffle: true });
 * for (const [xb, yb] of loader) { ... }
 */
export class DataLoader<B = Tensor[]> implements Iterable<B>, AsyncIterable<B> {
  readonly batchSize: number;
  private readonly opts: LoaderOptions<B>;
  constructor(readonly dataset: Dataset<unknown>, opts: LoaderOptions<B> = {}) {
    this.batchSize = opts.batchSize ?? 32;
    if (!(Number.isInteger(this.batchSize) && this.batchSize > 0)) throw new StrataError('DataLoader', `batchSize must be a positive integer, got ${opts.batchSize}`);
    this.opts = opts;
  }

  /** Number of batches per epoch. */
  get length(): number {
    const n = this.dataset.length;
    return this.opts.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** The example indices of each batch for one epoch. */
  batches(): number[][] {
    const g = this.opts.generator ?? defaultGenerator();
    const order = this.opts.shuffle ? permutation(this.dataset.length, g) : Array.from({ length: this.dataset.length }, (_, i) => i);
    const out: number[][] = [];
    for (let i = 0; i < this.length; i++) out.push(order.slice(i * this.batchSize, (i + 1) * this.batchSize));
    return out;
  }

  /** Builds the batch for a list of indices. */
  load(indices: readonly number[]): B {
    const { collate, transform } = this.opts;
    let batch: B;
    const base = this.dataset instanceof Subset && this.dataset.dataset instanceof TensorDataset ? this.dataset : null;
    if (!collate && this.dataset instanceof TensorDataset) batch = this.dataset.take(indices) as B;
    else if (!collate && base) batch = (base.dataset as TensorDataset).take(indices.map((i) => base.indices[i])) as B;
    else batch = (collate ?? (defaultCollate as (e: unknown[]) => B))(indices.map((i) => this.dataset.get(i)));
    return transform ? transform(batch, this.opts.generator ?? defaultGenerator()) : batch;
  }

  /**
   * The batches of one epoch (reshuffled each time when `shuffle`).
   *
   * @example
   * for (const [xb, yb] of loader) { ... }
   */
  *[Symbol.iterator](): Iterator<B> {
    for (const idx of this.batches()) yield this.load(idx);
  }

  /**
   * The batches of one epoch, asynchronously: the next batch is built while the consumer awaits.
   *
   * @example
   * for await (const [xb, yb] of loader) { ... }
   */
  async *[Symbol.asyncIterator](): AsyncIterator<B> {
    const plan = this.batches();
    // Prefetch: the next batch is built in a macrotask that runs while the consumer awaits.
    const build = (k: number): Promise<B> => new Promise((resolve, reject) => setTimeout(() => {
      try { resolve(this.load(plan[k])); } catch (e) { reject(e); }
    }, 0));
    let next = plan.length ? build(0) : null;
    for (let k = 0; k < plan.length; k++) {
      const cur = await next!;
      next = k + 1 < plan.length ? build(k + 1) : null;
      yield cur;
    }
  }
}
