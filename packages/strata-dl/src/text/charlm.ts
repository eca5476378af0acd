// SPDX-License-Identifier: MIT
// A character-level language model: embedding → LSTM → linear scores over the next character.
import { StrataError, fmtShape } from '../core/errors.js';
import { noGrad } from '../autograd/mode.js';
import { scoped } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';
import { Embedding } from '../nn/embedding.js';
import type { Generator } from '../core/rng.js';
import { crossEntropy } from '../nn/functional/classification-loss.js';
import { dropout } from '../nn/functional/dropout.js';
import { Linear } from '../nn/linear.js';
import { Module } from '../nn/module.js';
import type { LayerOptions } from '../nn/options.js';
import { LSTM } from '../nn/recurrent/layers.js';
import type { NameBatch } from './names.js';

/** The architecture, as plain data (saved next to the weights so a run can be rebuilt). */
export interface CharLMConfig {
  vocabSize: number;
  embeddingDim: number;
  hiddenSize: number;
  numLayers: number;
  /** Dropout on the LSTM's output (and between LSTM layers), in training mode; 0 turns it off. */
  dropout: number;
}

/**
 * Embedding(V, E) → LSTM(E, H, numLayers, batchFirst) → dropout → Linear(H, V). State-dict keys read
 * `embedding.weight`, `lstm.weight_ih_l0`, …, `head.weight`.
 *
 * @example
 * const model = new CharLM({ vocabSize: 28, hiddenSize: 128 });
 * model.call(batch.input).shape; // [N, T, 28]
 */
export class CharLM extends Module {
  readonly config: CharLMConfig;
  readonly embedding: Embedding;
  readonly lstm: LSTM;
  readonly head: Linear;
  /** Source of the dropout masks (the one that initialized the weights, when given). */
  readonly _generator: Generator | undefined;

  constructor(config: Partial<CharLMConfig> & { vocabSize: number }, opts: LayerOptions = {}) {
    super();
    this.config = { embeddingDim: 32, hiddenSize: 128, numLayers: 1, dropout: 0, ...config };
    const { vocabSize, embeddingDim, hiddenSize, numLayers, dropout } = this.config;
    this.embedding = new Embedding(vocabSize, embeddingDim, opts);
    this.lstm = new LSTM(embeddingDim, hiddenSize, { ...opts, numLayers, dropout, batchFirst: true });
    this.head = new Linear(hiddenSize, vocabSize, opts);
    this._generator = opts.generator;
  }

  /** Next-character scores (logits) [N, T, V] for int32 ids [N, T], from a zero state. */
  forward(input: Tensor): Tensor {
    return this.forwardWithState(input, null)[0];
  }

  /** Logits and the final LSTM state, to continue from (sampling feeds one character at a time). */
  forwardWithState(input: Tensor, state: readonly [Tensor, Tensor] | null): [Tensor, [Tensor, Tensor]] {
    if (input.ndim !== 2 || input.dtype !== 'int32') throw new StrataError('CharLM', `input must be int32 ids [N, T], got ${input.dtype} ${fmtShape(input.shape)}`);
    const [out, next] = this.lstm.forwardWithState(this.embedding.call(input), state);
    return [this.head.call(dropout(out, this.config.dropout, this.training, this._generator)), next];
  }
}

/**
 * Mean cross-entropy in nats over the positions where `mask` is 1: logits [N, T, V], int32 target
 * [N, T], mask [N, T]. Padding contributes neither loss nor gradient.
 */
export function maskedCrossEntropy(logits: Tensor, target: Tensor, mask: Tensor): Tensor {
  const v = logits.shape[logits.ndim - 1];
  const perToken = crossEntropy(logits.reshape([-1, v]), target.reshape([-1]), { reduction: 'none' });
  return perToken.mul(mask.reshape([-1])).sum().div(mask.sum());
}

/**
 * Bits per character of `model` on `batches`: total −log₂ P of every real target (each name's end
 * included) divided by their number. Runs without the tape, in evaluation mode.
 */
export function bitsPerChar(model: CharLM, batches: readonly NameBatch[]): number {
  const wasTraining = model.training;
  model.eval();
  let nats = 0;
  let tokens = 0;
  try {
    noGrad(() => {
      for (const b of batches) {
        nats += scoped(() => maskedCrossEntropy(model.call(b.input), b.target, b.mask).item()) * b.tokens;
        tokens += b.tokens;
      }
    });
  } finally {
    model.train(wasTraining);
  }
  return nats / tokens / Math.LN2;
}
