// SPDX-License-Identifier: MIT
// Drawing names from a trained character model, one character at a time.
import { StrataError } from '../core/errors.js';
import { type Generator, defaultGenerator } from '../core/rng.js';
import { noGrad } from '../autograd/mode.js';
import { tensor } from '../tensor/creation.js';
import { scoped } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';
import type { CharLM } from './charlm.js';
import { CharVocab } from './vocab.js';

/** Options of sampling names from a `CharLM`. */
export interface SampleOptions {
  /** How many names (default 20). They are drawn together, as one batch. */
  count?: number;
  /** Divides the logits: < 1 sharpens, > 1 flattens, 0 is greedy (default 1). */
  temperature?: number;
  /** Keep only the k most likely characters at each step (default: all). */
  topK?: number;
  /** Source of randomness (default: the global generator). */
  generator?: Generator;
  /** Longest name; longer ones are cut (default 24). */
  maxLength?: number;
  /** The end token is not drawn before this many characters (default 1: no empty names). */
  minLength?: number;
}

/**
 * Picks an index from the scores `logits[offset … offset + n)` after temperature and top-k.
 * `banned` indices are never picked.
 *
 * @example pickIndex([0, 5, 1], 0, 3, { temperature: 0 }, g); // 1 (greedy)
 */
export function pickIndex(logits: ArrayLike<number>, offset: number, n: number, opts: { temperature?: number; topK?: number; banned?: number }, g: Generator): number {
  const { temperature = 1, topK = n, banned = -1 } = opts;
  const scores = Array.from({ length: n }, (_, j) => (j === banned ? -Infinity : logits[offset + j]));
  if (temperature === 0) return scores.indexOf(Math.max(...scores));
  const k = Math.max(1, Math.min(topK, n));
  const cut = k < n ? [...scores].sort((a, b) => b - a)[k - 1] : -Infinity;
  const top = Math.max(...scores);
  // Softmax of the scaled scores, shifted by the maximum so exp cannot overflow.
  const w = scores.map((s) => (s >= cut && s > -Infinity ? Math.exp((s - top) / temperature) : 0));
  let u = g.random() * w.reduce((a, b) => a + b, 0);
  for (let j = 0; j < n; j++) {
    u -= w[j];
    if (u < 0 && w[j] > 0) return j;
  }
  // Rounding left u just above 0: the last candidate.
  let last = n - 1;
  while (last > 0 && w[last] === 0) last--;
  return last;
}

/**
 * Names sampled from `model`: start from the boundary token, draw each next character from the
 * model's distribution (with temperature and top-k), feed it back, stop at the boundary.
 *
 * @example sample(model, vocab, { count: 20, temperature: 0.8, generator: new Generator(1) });
 */
export function sample(model: CharLM, vocab: CharVocab, opts: SampleOptions = {}): string[] {
  const { count = 20, temperature = 1, topK, generator = defaultGenerator(), maxLength = 24, minLength = 1 } = opts;
  if (!(Number.isInteger(count) && count > 0)) throw new StrataError('sample', `count must be a positive integer, got ${count}`);
  if (!(temperature >= 0)) throw new StrataError('sample', `temperature must be non-negative, got ${temperature}`);
  if (topK !== undefined && !(Number.isInteger(topK) && topK > 0)) throw new StrataError('sample', `topK must be a positive integer, got ${topK}`);
  if (model.config.vocabSize !== vocab.size) throw new StrataError('sample', `model predicts ${model.config.vocabSize} symbols, vocabulary has ${vocab.size}`);
  const v = vocab.size;
  const wasTraining = model.training;
  model.eval();
  const ids: number[][] = Array.from({ length: count }, () => []);
  const done = new Array<boolean>(count).fill(false);
  const tokens = new Int32Array(count).fill(CharVocab.BOUNDARY_ID);
  let state: [Tensor, Tensor] | null = null;
  try {
    for (let step = 0; step < maxLength && done.includes(false); step++) {
      const prev: [Tensor, Tensor] | null = state;
      const [scores, next] = noGrad(() => scoped(() => {
        const [logits, s] = model.forwardWithState(tensor(tokens, { shape: [count, 1], backend: model.head.weight.backend.name }), prev);
        return [logits.dataSync(), s] as const;
      }));
      prev?.forEach((t) => t.dispose());
      state = next;
      const banned = step < minLength ? CharVocab.BOUNDARY_ID : -1;
      for (let r = 0; r < count; r++) {
        if (done[r]) continue;
        const c = pickIndex(scores, r * v, v, { temperature, topK, banned }, generator);
        if (c === CharVocab.BOUNDARY_ID) done[r] = true;
        else ids[r].push(c);
        tokens[r] = c;
      }
    }
  } finally {
    model.train(wasTraining);
  }
  return ids.map((x) => vocab.decode(x));
}
