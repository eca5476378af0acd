// SPDX-License-Identifier: MIT
// Truncated backpropagation through time: run a long sequence in chunks, carrying the recurrent state
// forward but cutting the graph between chunks, so each backward pass spans at most one chunk.
import { StrataError, fmtShape } from '../../core/errors.js';
import type { Tensor } from '../../tensor/tensor.js';

/** A recurrent state: h alone (RNN, GRU) or [h, c] (LSTM). */
export type RecurrentState = Tensor | readonly [Tensor, Tensor];

/**
 * The same state cut from the graph (values kept, no gradient history), for the next chunk of a
 * truncated-BPTT loop. Works on `h` and on LSTM's `[h, c]`.
 *
 * @example
 * let state: [Tensor, Tensor] | null = null;
 * for (const [x, y] of zip(timeChunks(xs, 32), timeChunks(ys, 32))) {
 *   const [out, next] = lstm.forwardWithState(x, state);
 *   lossOf(out, y).backward(); opt.step(); opt.zeroGrad();
 *   state = detachState(next);
 * }
 */
export function detachState<S extends RecurrentState>(state: S): S;
export function detachState(state: RecurrentState): RecurrentState {
  if (Array.isArray(state)) {
    const [h, c] = state as readonly [Tensor, Tensor];
    return [h.detach(), c.detach()];
  }
  return (state as Tensor).detach();
}

/**
 * Splits a sequence into consecutive chunks of `size` steps along the time dimension (0, or 1 with
 * `batchFirst`); the last chunk may be shorter.
 *
 * @example timeChunks(randn([100, 4, 8]), 32).map((c) => c.shape[0]); // [32, 32, 32, 4]
 */
export function timeChunks(x: Tensor, size: number, opts: { batchFirst?: boolean } = {}): Tensor[] {
  const dim = opts.batchFirst ? 1 : 0;
  if (x.ndim <= dim) throw new StrataError('timeChunks', `input ${fmtShape(x.shape)} has no time dimension ${dim}`);
  if (!(Number.isInteger(size) && size > 0)) throw new StrataError('timeChunks', `size must be a positive integer, got ${size}`);
  return x.split(size, dim);
}
