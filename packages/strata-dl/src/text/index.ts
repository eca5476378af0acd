// SPDX-License-Identifier: MIT
/**
 * Text: a character vocabulary, names as padded batches, a character-level LSTM language model with
 * its training loop, sampling, and a bigram baseline.
 *
 * @example
 * import { text } from 'strata-dl';
 * import { loadFirstNames } from 'strata-dl/node';
 * const { train, validation } = text.splitNames(text.normalizeNames(loadFirstNames()));
 * const { model, vocab } = text.trainCharLM(train, { validation, epochs: 10 });
 * text.sample(model, vocab, { count: 20, temperature: 0.8 }).map(text.displayName);
 *
 * @packageDocumentation
 */
export { CharVocab } from './vocab.js';
export { normalizeNames, displayName, splitNames, makeBatch, nameBatches, novelty } from './names.js';
export type { NameBatch, BatchOptions } from './names.js';
export { BigramModel } from './bigram.js';
export { CharLM, maskedCrossEntropy, bitsPerChar } from './charlm.js';
export type { CharLMConfig } from './charlm.js';
export { trainCharLM } from './train.js';
export type { TrainCharLMOptions, TrainCharLMResult, EpochInfo } from './train.js';
export { sample, pickIndex } from './sample.js';
export type { SampleOptions } from './sample.js';
