// SPDX-License-Identifier: MIT
// The character-level LSTM on the English first names: after a short training run its validation
// loss is clearly below the character bigram's on the same split, and most samples are new names.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as st from 'strata-dl';
import { loadFirstNames } from 'strata-dl-cli';

const { text } = st;

describe('masked cross-entropy', () => {
  test('padding positions change neither the loss nor get a gradient', () => {
    const g = new st.Generator(0);
    const logits = st.randn([2, 3, 5], { generator: g, requiresGrad: true });
    const target = st.tensor([[1, 2, 0], [4, 0, 0]], { dtype: 'int32' });
    const mask = st.tensor([[1, 1, 1], [1, 0, 0]]);
    const loss = text.maskedCrossEntropy(logits, target, mask);
    loss.backward();
    const grad = logits.grad!.toArray() as number[][][];
    assert.ok(grad[1][1].every((v) => v === 0) && grad[1][2].every((v) => v === 0));
    const changed = logits.detach().add(st.tensor([[0, 0, 0], [0, 5, -5]]).unsqueeze(-1));
    assert.ok(Math.abs(text.maskedCrossEntropy(changed, target, mask).item() - loss.item()) < 1e-6);
    // The mean over the 4 real positions of −log softmax.
    const lp = logits.detach().logSoftmax(-1).toArray() as number[][][];
    const expected = -(lp[0][0][1] + lp[0][1][2] + lp[0][2][0] + lp[1][0][4]) / 4;
    assert.ok(Math.abs(loss.item() - expected) < 1e-5);
  });
});

describe('CharLM', () => {
  test('rebuilds from its config and state dict (how a saved run is loaded), with PyTorch-style keys', () => {
    const vocab = text.CharVocab.fromTexts(['abc']);
    const model = new text.CharLM({ vocabSize: vocab.size, hiddenSize: 6, embeddingDim: 3, numLayers: 2 }, { generator: new st.Generator(1) });
    assert.deepEqual(Object.keys(model.stateDict()).filter((k) => k.endsWith('l1') || !k.startsWith('lstm')), [
      'embedding.weight', 'lstm.weight_ih_l1', 'lstm.weight_hh_l1', 'lstm.bias_ih_l1', 'lstm.bias_hh_l1', 'head.weight', 'head.bias',
    ]);
    const copy = new text.CharLM(JSON.parse(JSON.stringify(model.config)) as st.text.CharLMConfig);
    copy.loadStateDict(model.stateDict());
    const batch = text.makeBatch(['abc', 'b'], vocab);
    assert.deepEqual(Array.from(copy.forward(batch.input).dataSync()), Array.from(model.forward(batch.input).dataSync()));
    assert.throws(() => model.forward(st.zeros([2, 3])), /CharLM: input must be int32 ids \[N, T\], got float32 \[2,3\]/);
  });

  test('output dropout is active in training mode only', () => {
    const model = new text.CharLM({ vocabSize: 4, hiddenSize: 8, embeddingDim: 2, dropout: 0.5 }, { generator: new st.Generator(2) });
    const x = st.tensor([[0, 1, 2]], { dtype: 'int32' });
    assert.notDeepEqual(Array.from(model.forward(x).dataSync()), Array.from(model.forward(x).dataSync()));
    model.eval();
    assert.deepEqual(Array.from(model.forward(x).dataSync()), Array.from(model.forward(x).dataSync()));
  });
});

describe('names model', () => {
  test('beats the character bigram on the validation names; ≥ 80% of 1,000 samples at T = 0.8 are new', () => {
    const names = text.normalizeNames(loadFirstNames());
    const { train, validation } = text.splitNames(names, { validation: 0.1, seed: 0 });
    const vocab = text.CharVocab.fromTexts(names);
    // The strongest bigram over a grid of k, judged on the validation names themselves (in its favour).
    const bigram = Math.min(...[0.01, 0.1, 0.5, 1, 2].map((k) => text.BigramModel.fit(train, vocab, { k }).bitsPerChar(validation)));
    // Small and short, for the test's time budget; examples/names.ts trains longer.
    const { model, history } = text.trainCharLM(train, { validation, vocab, hiddenSize: 64, embeddingDim: 16, epochs: 2, batchSize: 128, lr: 0.02, schedule: 'constant', seed: 0 });
    const lstm = history[history.length - 1].validationBitsPerChar!;
    const again = text.bitsPerChar(model, text.nameBatches(validation, vocab, { batchSize: 100 }));
    assert.ok(Math.abs(lstm - again) < 1e-4, `reported ${lstm}, evaluated ${again}`);
    console.log(`validation bits/char: LSTM ${lstm.toFixed(3)}, bigram ${bigram.toFixed(3)}`);
    assert.ok(lstm < bigram - 0.2, `LSTM ${lstm} vs bigram ${bigram}`);
    const samples = text.sample(model, vocab, { count: 1000, temperature: 0.8, generator: new st.Generator(1) });
    const novel = text.novelty(samples, train);
    console.log(`novel samples: ${(100 * novel).toFixed(1)}%: ${samples.slice(0, 10).map(text.displayName).join(' ')}`);
    assert.ok(novel >= 0.8, `${novel}`);
    assert.ok(new Set(samples).size > 500, 'samples are varied');
  });
});
