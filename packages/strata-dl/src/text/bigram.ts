// SPDX-License-Identifier: MIT
// The baseline a character model must beat: next-character counts given the previous character.
import { StrataError } from '../core/errors.js';
import { type Generator, defaultGenerator } from '../core/rng.js';
import { CharVocab } from './vocab.js';

/**
 * A character-bigram model with add-k smoothing: P(b | a) = (count(a→b) + k) / (count(a→·) + k·V),
 * over the same symbols and boundary token as the LSTM (so both predict the same V outcomes per
 * character, the end of the name included, and their bits per character compare directly).
 *
 * @example
 * const bigram = BigramModel.fit(train, vocab, { k: 1 });
 * bigram.bitsPerChar(validation); // ≈ 3.5 on the first names
 */
export class BigramModel {
  private constructor(readonly vocab: CharVocab, readonly counts: Float64Array, readonly k: number) {}

  /** Counts character pairs in `names`, with add-`k` smoothing (default 1). */
  static fit(names: readonly string[], vocab: CharVocab, opts: { k?: number } = {}): BigramModel {
    const { k = 1 } = opts;
    if (!(k >= 0)) throw new StrataError('BigramModel', `k must be non-negative, got ${k}`);
    const v = vocab.size;
    const counts = new Float64Array(v * v);
    for (const name of names) eachPair(vocab, name, (a, b) => { counts[a * v + b]++; });
    return new BigramModel(vocab, counts, k);
  }

  /** log₂ P(b | a). */
  log2Prob(a: number, b: number): number {
    const v = this.vocab.size;
    let row = 0;
    for (let j = 0; j < v; j++) row += this.counts[a * v + j];
    return Math.log2((this.counts[a * v + b] + this.k) / (row + this.k * v));
  }

  /** Average −log₂ P per predicted character (each name's end included): bits per character. */
  bitsPerChar(names: readonly string[]): number {
    let bits = 0;
    let n = 0;
    for (const name of names) {
      eachPair(this.vocab, name, (a, b) => {
        bits -= this.log2Prob(a, b);
        n++;
      });
    }
    return bits / n;
  }

  /** Names drawn from the model, for comparison with the LSTM's samples. */
  sample(count: number, opts: { generator?: Generator; maxLength?: number } = {}): string[] {
    const { generator = defaultGenerator(), maxLength = 32 } = opts;
    const v = this.vocab.size;
    return Array.from({ length: count }, () => {
      const ids: number[] = [];
      let a = CharVocab.BOUNDARY_ID;
      while (ids.length < maxLength) {
        const p = Array.from({ length: v }, (_, b) => 2 ** this.log2Prob(a, b));
        let u = generator.random();
        let b = 0;
        while (b < v - 1 && (u -= p[b]) > 0) b++;
        if (b === CharVocab.BOUNDARY_ID) break;
        ids.push(b);
        a = b;
      }
      return this.vocab.decode(ids);
    });
  }
}

/** Calls `f` for every (previous, next) pair of `. name .`. */
function eachPair(vocab: CharVocab, name: string, f: (a: number, b: number) => void): void {
  const ids = [CharVocab.BOUNDARY_ID, ...vocab.encode(name), CharVocab.BOUNDARY_ID];
  for (let i = 1; i < ids.length; i++) f(ids[i - 1], ids[i]);
}
