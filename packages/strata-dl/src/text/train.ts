// SPDX-License-Identifier: MIT
// Training the character model: Adam, gradient clipping, masked cross-entropy, bits per character.
import { StrataError } from '../core/errors.js';
import { Generator } from '../core/rng.js';
import { scoped } from '../tensor/scope.js';
import { Adam } from '../optim/adam.js';
import { clipGradNorm } from '../optim/clip.js';
import { cosineAnnealing } from '../optim/schedule.js';
import { CharLM, bitsPerChar, maskedCrossEntropy } from './charlm.js';
import { nameBatches } from './names.js';
import { CharVocab } from './vocab.js';

/** Options of `trainCharLM`. */
export interface TrainCharLMOptions {
  /** Passes over the training names (default 10). */
  epochs?: number;
  /** LSTM hidden size (default 128). */
  hiddenSize?: number;
  /** Character embedding size (default 32). */
  embeddingDim?: number;
  numLayers?: number;
  /** Dropout on the LSTM's output and between its layers (default 0). */
  dropout?: number;
  /** Adam learning rate (default 0.005). */
  lr?: number;
  /** 'cosine' (default) anneals the learning rate to lr/20 over all batches; 'constant' keeps it. */
  schedule?: 'cosine' | 'constant';
  /** Names per batch (default 64). */
  batchSize?: number;
  /** Gradient norm limit (default 1; 0 turns clipping off). */
  clipNorm?: number;
  /** Seeds the weights and the batch order (default 0). */
  seed?: number;
  /** Held-out names, evaluated after every epoch. */
  validation?: readonly string[];
  /** The vocabulary (default: every character of the training and validation names). */
  vocab?: CharVocab;
  /** Called after every epoch. */
  onEpoch?: (info: EpochInfo) => void;
  /** Called after every batch with its loss in bits per character. */
  onBatch?: (info: { epoch: number; batch: number; batches: number; bitsPerChar: number }) => void;
}

/** One epoch of `trainCharLM`, as `onEpoch` receives it and `history` keeps it. */
export interface EpochInfo {
  /** 1-based. */
  epoch: number;
  epochs: number;
  /** Mean training loss over the epoch, bits per character. */
  trainBitsPerChar: number;
  /** Validation bits per character after the epoch, or null without validation names. */
  validationBitsPerChar: number | null;
  seconds: number;
}

/** What `trainCharLM` returns: the model, its vocabulary and the per-epoch history. */
export interface TrainCharLMResult {
  model: CharLM;
  vocab: CharVocab;
  history: EpochInfo[];
}

/**
 * Trains a `CharLM` on `names` (normalize them first, see `normalizeNames`). Every name is one
 * sequence `. c₁ … cₙ .`; batches are padded and the loss is masked (see `nameBatches`).
 *
 * @example
 * const { model, vocab, history } = trainCharLM(train, { validation, epochs: 20, onEpoch: console.log });
 */
export function trainCharLM(names: readonly string[], opts: TrainCharLMOptions = {}): TrainCharLMResult {
  const { epochs = 10, hiddenSize = 128, embeddingDim = 32, numLayers = 1, dropout = 0, lr = 0.005, batchSize = 64, clipNorm = 1, seed = 0, schedule = 'cosine' } = opts;
  if (names.length === 0) throw new StrataError('trainCharLM', 'got no training names');
  if (!(Number.isInteger(epochs) && epochs >= 0)) throw new StrataError('trainCharLM', `epochs must be a non-negative integer, got ${epochs}`);
  const validation = opts.validation ?? [];
  const vocab = opts.vocab ?? CharVocab.fromTexts([...names, ...validation]);
  const init = new Generator(seed);
  const order = new Generator(seed + 1);
  const model = new CharLM({ vocabSize: vocab.size, embeddingDim, hiddenSize, numLayers, dropout }, { generator: init });
  const params = model.parameters();
  const opt = new Adam(params, { lr });
  const valBatches = validation.length ? nameBatches(validation, vocab, { batchSize: 256 }) : [];
  const history: EpochInfo[] = [];
  const totalSteps = epochs * Math.ceil(names.length / batchSize);
  let stepCount = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const start = performance.now();
    model.train();
    const batches = nameBatches(names, vocab, { batchSize, generator: order });
    let nats = 0;
    let tokens = 0;
    batches.forEach((b, i) => {
      if (schedule === 'cosine') opt.paramGroups[0].lr = cosineAnnealing(lr, stepCount++, { tMax: totalSteps, etaMin: lr / 20 });
      const loss = scoped(() => {
        const l = maskedCrossEntropy(model.call(b.input), b.target, b.mask);
        opt.zeroGrad();
        l.backward();
        if (clipNorm > 0) clipGradNorm(params, clipNorm);
        return l.item();
      });
      opt.step();
      nats += loss * b.tokens;
      tokens += b.tokens;
      opts.onBatch?.({ epoch, batch: i + 1, batches: batches.length, bitsPerChar: loss / Math.LN2 });
    });
    // Free the batches now rather than whenever the collector runs (wasm memory is not the GC's).
    for (const b of batches) for (const t of [b.input, b.target, b.mask]) t.dispose();
    const info: EpochInfo = {
      epoch,
      epochs,
      trainBitsPerChar: nats / tokens / Math.LN2,
      validationBitsPerChar: valBatches.length ? bitsPerChar(model, valBatches) : null,
      seconds: (performance.now() - start) / 1000,
    };
    history.push(info);
    opts.onEpoch?.(info);
  }
  opt.zeroGrad();
  for (const b of valBatches) for (const t of [b.input, b.target, b.mask]) t.dispose();
  return { model, vocab, history };
}
