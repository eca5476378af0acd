// SPDX-License-Identifier: MIT
import { StrataError } from '../core/errors.js';

/**
 * A character vocabulary with one boundary token, `.`, at index 0: it is the start token when fed
 * as input and the end token when predicted (the makemore convention; one token for both keeps the
 * output layer free of a class that is never a target). The other symbols are sorted, so the same
 * texts always give the same ids. For the English first names: `.`, `-` and a–z, 28 symbols.
 *
 * @example
 * const v = CharVocab.fromTexts(['ann', 'bo']);
 * v.symbols.join('');  // '.abno'
 * v.encode('bob');     // [2, 4, 2]
 */
export class CharVocab {
  /** The boundary symbol (start and end of every text). */
  static readonly BOUNDARY = '.';
  /** Index of the boundary token. */
  static readonly BOUNDARY_ID = 0;
  readonly symbols: readonly string[];
  private readonly ids: ReadonlyMap<string, number>;

  /** A vocabulary over `chars` (duplicates dropped, sorted); the boundary is added at index 0. */
  constructor(chars: Iterable<string>) {
    const set = new Set(chars);
    if (set.has(CharVocab.BOUNDARY)) throw new StrataError('CharVocab', `'${CharVocab.BOUNDARY}' is the boundary token and cannot be an ordinary symbol`);
    for (const c of set) if ([...c].length !== 1) throw new StrataError('CharVocab', `symbols must be single characters, got '${c}'`);
    this.symbols = [CharVocab.BOUNDARY, ...[...set].sort()];
    this.ids = new Map(this.symbols.map((s, i) => [s, i]));
  }

  /** The vocabulary of every character that occurs in `texts`. */
  static fromTexts(texts: readonly string[]): CharVocab {
    return new CharVocab(texts.flatMap((t) => [...t]));
  }

  /** Number of symbols, the boundary included. */
  get size(): number {
    return this.symbols.length;
  }

  /** Ids of the characters of `text` (no boundary tokens added). */
  encode(text: string): number[] {
    return [...text].map((c) => {
      const id = this.ids.get(c);
      if (id === undefined || id === CharVocab.BOUNDARY_ID) throw new StrataError('CharVocab', `'${c}' in '${text}' is not in the vocabulary '${this.symbols.join('')}'`);
      return id;
    });
  }

  /** The text of `ids`, stopping at the first boundary token. */
  decode(ids: Iterable<number>): string {
    let s = '';
    for (const id of ids) {
      if (id === CharVocab.BOUNDARY_ID) break;
      const c = this.symbols[id];
      if (c === undefined) throw new StrataError('CharVocab', `id ${id} is out of range for ${this.size} symbols`);
      s += c;
    }
    return s;
  }

  /** Plain data for a JSON file: the symbols after the boundary, in order. */
  toJSON(): { symbols: string } {
    return { symbols: this.symbols.slice(1).join('') };
  }

  /** The vocabulary `toJSON()` saved. */
  static fromJSON(json: { symbols: string }): CharVocab {
    return new CharVocab([...json.symbols]);
  }
}
