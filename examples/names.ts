// SPDX-License-Identifier: MIT
// The lecture's "RNN on baby names", with an LSTM: a character-level language model trained on the
// English first names of the stdlib dataset packages (female and male lists, lowercased, distinct),
// 90% for training and 10% held out. Reports bits per character on the held-out names for the LSTM
// and for a character-bigram baseline fitted on the same training names, then prints 20 samples at
// temperature 0.8 and how many of 1,000 samples are not training names.
//
//   npx tsx --conditions=strata-source examples/names.ts [--epochs 20] [--hidden 128] [--temperature 0.8] [--top-k 0] [--seed 0]
import { parseArgs } from 'node:util';
import * as st from 'strata-dl';
import { loadFirstNames } from 'strata-dl-cli';

const { text } = st;

const { values } = parseArgs({
  options: {
    epochs: { type: 'string', default: '20' },
    hidden: { type: 'string', default: '128' },
    embedding: { type: 'string', default: '32' },
    lr: { type: 'string', default: '0.005' },
    dropout: { type: 'string', default: '0.3' },
    batch: { type: 'string', default: '64' },
    temperature: { type: 'string', default: '0.8' },
    'top-k': { type: 'string', default: '0' },
    seed: { type: 'string', default: '0' },
  },
});
const num = (k: keyof typeof values): number => Number(values[k]);
const seed = num('seed');

const names = text.normalizeNames(loadFirstNames());
const { train, validation } = text.splitNames(names, { validation: 0.1, seed });
const vocab = text.CharVocab.fromTexts(names);
console.log(`${names.length} distinct names: ${train.length} for training, ${validation.length} held out; ${vocab.size} symbols '${vocab.symbols.join('')}' (. = start/end)`);

// The baseline: add-k bigrams. k = 1 is the textbook choice; the best k on the held-out names is
// reported too, so the comparison is against the strongest bigram.
const ks = [0.01, 0.1, 0.5, 1, 2];
const bigramBits = ks.map((k) => text.BigramModel.fit(train, vocab, { k }).bitsPerChar(validation));
const best = bigramBits.indexOf(Math.min(...bigramBits));
console.log(`bigram: ${bigramBits[ks.indexOf(1)].toFixed(3)} bits/char held out (k = 1), best ${bigramBits[best].toFixed(3)} (k = ${ks[best]})`);

const start = performance.now();
const { model, history } = text.trainCharLM(train, {
  validation, vocab, seed,
  epochs: num('epochs'), hiddenSize: num('hidden'), embeddingDim: num('embedding'), lr: num('lr'), batchSize: num('batch'), dropout: num('dropout'),
  onEpoch: (e) => console.log(`epoch ${String(e.epoch).padStart(2)}/${e.epochs}: train ${e.trainBitsPerChar.toFixed(3)}, held out ${e.validationBitsPerChar!.toFixed(3)} bits/char (${e.seconds.toFixed(1)} s)`),
});
const lstmBits = history[history.length - 1].validationBitsPerChar!;
console.log(`trained ${model.numParameters().toLocaleString('en-US')} parameters in ${((performance.now() - start) / 1000).toFixed(0)} s on the ${st.getBackend().name} backend`);
console.log(`held-out bits per character: LSTM ${lstmBits.toFixed(3)}, bigram ${bigramBits[best].toFixed(3)} (${(bigramBits[best] - lstmBits).toFixed(3)} lower)`);

const temperature = num('temperature');
const topK = num('top-k') || undefined;
const generator = new st.Generator(seed + 100);
const samples = text.sample(model, vocab, { count: 1000, temperature, topK, generator });
// A better model of names reproduces more real names, and a lower temperature favours the common
// ones, so novelty falls as training goes on; temperature 1 is shown for comparison.
const atOne = text.sample(model, vocab, { count: 1000, temperature: 1, generator });
console.log(`new names (not in the training set) among 1,000 samples: ${(100 * text.novelty(samples, train)).toFixed(1)}% at temperature ${temperature}${topK ? `, top-${topK}` : ''}, ${(100 * text.novelty(atOne, train)).toFixed(1)}% at temperature 1; ${(100 * text.novelty(samples, names)).toFixed(1)}% at ${temperature} are in neither split`);
console.log(`20 samples at temperature ${temperature}: ${samples.slice(0, 20).map(text.displayName).join(' ')}`);
const novel = samples.filter((s) => !train.includes(s));
console.log(`20 of the new ones: ${novel.slice(0, 20).map(text.displayName).join(' ')}`);
