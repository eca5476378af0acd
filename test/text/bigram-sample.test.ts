// SPDX-License-Identifier: MIT
// The bigram baseline against counts done by hand, and the sampler's temperature, top-k and bans.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as st from 'strata-dl';

const { text } = st;

describe('BigramModel', () => {
  const vocab = text.CharVocab.fromTexts(['ab']); // . a b
  const train = ['ab', 'a', 'b'];
  // Pairs: .a ab b.  .a a.  .b b.  → from '.': a 2, b 1; from 'a': b 1, . 1; from 'b': . 2.

  test('add-k probabilities from the pair counts', () => {
    const m = text.BigramModel.fit(train, vocab, { k: 1 });
    const p = (a: string, b: string): number => 2 ** m.log2Prob(vocab.symbols.indexOf(a), vocab.symbols.indexOf(b));
    assert.ok(Math.abs(p('.', 'a') - 3 / 6) < 1e-12);
    assert.ok(Math.abs(p('.', '.') - 1 / 6) < 1e-12);
    assert.ok(Math.abs(p('b', '.') - 3 / 5) < 1e-12);
    for (const a of vocab.symbols) {
      const total = vocab.symbols.reduce((acc, b) => acc + p(a, b), 0);
      assert.ok(Math.abs(total - 1) < 1e-12, `row ${a} sums to 1`);
    }
  });

  test('bits per character: mean −log₂ P over every predicted symbol, ends included', () => {
    const m = text.BigramModel.fit(train, vocab, { k: 0 });
    // 'ab' → .a (2/3) ab (1/2) b. (1); 'b' → .b (1/3) b. (1)
    const expected = -(Math.log2(2 / 3) + Math.log2(1 / 2) + Math.log2(1) + Math.log2(1 / 3) + Math.log2(1)) / 5;
    assert.ok(Math.abs(m.bitsPerChar(['ab', 'b']) - expected) < 1e-12);
  });

  test('samples use only the vocabulary and follow the counts', () => {
    const m = text.BigramModel.fit(train, vocab, { k: 0 });
    const names = m.sample(300, { generator: new st.Generator(2) });
    // With k = 0 a 'b' is always last, and only ".", "a", "b" transitions seen in training occur.
    assert.ok(names.every((n) => /^a?b?$/.test(n) && n.length > 0));
    const a = names.filter((n) => n.startsWith('a')).length / names.length;
    assert.ok(Math.abs(a - 2 / 3) < 0.1, `share starting with a: ${a}`);
  });
});

describe('pickIndex: temperature and top-k', () => {
  const logits = [1, 3, 0.5, 2.5];

  test('temperature 0 and topK 1 are greedy; banned indices are never picked', () => {
    const g = new st.Generator(0);
    assert.equal(text.pickIndex(logits, 0, 4, { temperature: 0 }, g), 1);
    assert.equal(text.pickIndex([9, ...logits], 1, 4, { temperature: 0 }, g), 1, 'offset into a batch row');
    for (let i = 0; i < 50; i++) assert.equal(text.pickIndex(logits, 0, 4, { topK: 1 }, g), 1);
    for (let i = 0; i < 200; i++) assert.notEqual(text.pickIndex(logits, 0, 4, { banned: 1 }, g), 1);
  });

  test('frequencies follow softmax(logits / temperature) over the top k', () => {
    const g = new st.Generator(1);
    const n = 20000;
    for (const [temperature, topK] of [[1, 4], [0.5, 4], [2, 2]] as const) {
      const counts = [0, 0, 0, 0];
      for (let i = 0; i < n; i++) counts[text.pickIndex(logits, 0, 4, { temperature, topK }, g)]++;
      const kept = [...logits].sort((a, b) => b - a).slice(0, topK);
      const w = logits.map((l) => (kept.includes(l) ? Math.exp(l / temperature) : 0));
      const z = w.reduce((a, b) => a + b);
      counts.forEach((c, j) => assert.ok(Math.abs(c / n - w[j] / z) < 0.015, `T ${temperature} k ${topK} index ${j}: ${c / n} vs ${w[j] / z}`));
    }
  });
});

describe('sample', () => {
  test('untrained model: right count, vocabulary only, no empty names, maxLength, seeded', () => {
    const vocab = text.CharVocab.fromTexts(['abc-']);
    const model = new text.CharLM({ vocabSize: vocab.size, hiddenSize: 8, embeddingDim: 4 }, { generator: new st.Generator(0) });
    const names = text.sample(model, vocab, { count: 50, maxLength: 6, generator: new st.Generator(3) });
    assert.equal(names.length, 50);
    assert.ok(names.every((n) => /^[abc-]{1,6}$/.test(n)), names.join(' '));
    assert.deepEqual(text.sample(model, vocab, { count: 50, maxLength: 6, generator: new st.Generator(3) }), names);
    assert.ok(model.training, 'training mode is restored');
    assert.throws(() => text.sample(model, vocab, { topK: 0 }), /sample: topK must be a positive integer, got 0/);
  });
});
