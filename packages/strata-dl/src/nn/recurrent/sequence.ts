// SPDX-License-Identifier: MIT
// The unrolled loop over time for a stack of layers and directions. Backpropagation through time is
// nothing more than autograd over this loop. Per layer and direction, the input part of every gate
// is one matmul over the whole sequence ([T·N, in] × [in, G·H]); each step then does only the
// recurrent matmul [N, H] × [H, G·H] and the gate nonlinearities.
import type { Generator } from '../../core/rng.js';
import { StrataError, fmtShape } from '../../core/errors.js';
import { cat, stack } from '../../tensor/composite.js';
import { tensor, zeros } from '../../tensor/creation.js';
import { Tensor } from '../../tensor/tensor.js';
import { dropout } from '../functional/dropout.js';
import { lstmSequence } from './fused-sequence.js';
import { sharedWeightProducts } from './shared-weight.js';
import { type CellWeights, MODE_NAME, type RecurrentMode, gruStep, hiddenSizeOf, inputProjection, lstmStep, rnnStep } from './gates.js';

/** Options of the recurrent layers and `recurrent` that concern the sequence (layout, lengths, dropout). */
export interface SequenceOptions {
  /** Input and output are [N, T, features] instead of PyTorch's default [T, N, features]. */
  batchFirst?: boolean;
  /**
   * Valid steps of each batch element (numbers, or an int32 tensor [N]); the rest is padding.
   * Past its length an element's state is carried unchanged and its output is zero, so `h_n` is the
   * state after its last valid step and the reverse direction starts there: the semantics of
   * PyTorch's packed sequences, with no packing.
   */
  lengths?: readonly number[] | Tensor;
  /** Dropout probability on the outputs of every layer but the last (active only when training). */
  dropout?: number;
  training?: boolean;
  /** Source of the dropout masks; defaults to the global generator. */
  generator?: Generator;
}

/** Initial states: `h` [L·D, N, H] (and `c`, same shape, for LSTM); either may be left out (zeros). */
export interface SequenceState {
  h?: Tensor | null;
  c?: Tensor | null;
}

/** The output [T, N, D·H] (or [N, T, D·H]) and the final states [L·D, N, H] (c only for LSTM). */
export interface SequenceResult {
  output: Tensor;
  h: Tensor;
  c: Tensor | null;
}

/**
 * Runs a multi-layer, optionally bidirectional recurrence over a sequence. `weights[layer][direction]`
 * holds each cell's weights (direction 1 reads the sequence backwards). Unbatched input [T, in] gives
 * unbatched results, as in PyTorch.
 *
 * @example
 * const { output, h, c } = recurrent('lstm', x, null, [[weights]]); // one layer, one direction
 */
export function recurrent(mode: RecurrentMode, input: Tensor, state: SequenceState | null, weights: readonly (readonly CellWeights[])[], opts: SequenceOptions = {}): SequenceResult {
  const op = MODE_NAME[mode];
  if (input.ndim !== 2 && input.ndim !== 3) throw new StrataError(op, `input must be [T, N, features], [N, T, features] with batchFirst, or unbatched [T, features], got ${fmtShape(input.shape)}`);
  if (weights.length === 0 || weights.some((l) => l.length !== weights[0].length) || !(weights[0].length === 1 || weights[0].length === 2)) {
    throw new StrataError(op, `weights must be a non-empty list of layers with 1 or 2 directions each, got [${weights.map((l) => l.length).join(', ')}]`);
  }
  const unbatched = input.ndim === 2;
  const tDim = opts.batchFirst && !unbatched ? 1 : 0;
  let x = unbatched ? input.unsqueeze(1) : input;
  const steps = x.shape[tDim];
  const batch = x.shape[1 - tDim];
  if (steps === 0) throw new StrataError(op, `input ${fmtShape(input.shape)} has no time steps`);
  const layers = weights.length;
  const dirs = weights[0].length;
  const hidden = hiddenSizeOf(weights[0][0]);
  const full = [layers * dirs, batch, hidden];
  const h0 = checkState(op, 'h0', state?.h, full, unbatched);
  const c0 = mode === 'lstm' ? checkState(op, 'c0', state?.c, full, unbatched) : null;
  if (mode !== 'lstm' && state?.c) throw new StrataError(op, `has no cell state, but c0 ${fmtShape(state.c.shape)} was given`);
  const masks = opts.lengths === undefined ? null : stepMasks(op, opts.lengths, steps, batch, x);
  const zero = (): Tensor => zeros([batch, hidden], { dtype: x.dtype, backend: x.backend.name });
  const hs: Tensor[] = [];
  const cs: Tensor[] = [];
  for (let l = 0; l < layers; l++) {
    const outs: Tensor[] = [];
    for (let d = 0; d < dirs; d++) {
      const k = l * dirs + d;
      const w = weights[l][d];
      const r = runDirection(mode, inputProjection(mode, x, w), tDim, h0 ? h0.index(k) : zero(), c0 ? c0.index(k) : zero(), w, masks, d === 1);
      outs.push(r.output);
      hs.push(r.h);
      if (mode === 'lstm') cs.push(r.c);
    }
    x = dirs === 1 ? outs[0] : cat(outs, -1);
    if (l < layers - 1 && opts.dropout && opts.training) x = dropout(x, opts.dropout, true, opts.generator);
  }
  const fin = (t: Tensor): Tensor => (unbatched ? t.squeeze(1) : t);
  return { output: fin(x), h: fin(stack(hs, 0)), c: mode === 'lstm' ? fin(stack(cs, 0)) : null };
}

/** One layer, one direction: the loop over time. `xg` is the projected input [.., G·H]. */
function runDirection(mode: RecurrentMode, xg: Tensor, tDim: number, h0: Tensor, c0: Tensor, w: CellWeights, masks: readonly (Tensor | null)[] | null, reverse: boolean): { output: Tensor; h: Tensor; c: Tensor } {
  if (mode === 'lstm' && !masks && tDim === 0) {
    // the whole loop as one op where the backend has the sequence kernels (fused-sequence.ts)
    const r = lstmSequence(xg, h0, c0, w.weightHh, reverse);
    if (r) return r;
  }
  const steps = xg.shape[tDim];
  const xs = xg.unbind(tDim);
  const outs = new Array<Tensor>(steps);
  const hh = sharedWeightProducts(w.weightHh, steps);
  let h = h0;
  let c = c0;
  for (let s = 0; s < steps; s++) {
    const t = reverse ? steps - 1 - s : s;
    const xt = xs[t];
    let hNew: Tensor;
    let cNew = c;
    if (mode === 'lstm') [hNew, cNew] = lstmStep(xt, h, c, w, hh);
    else if (mode === 'gru') hNew = gruStep(xt, h, w, hh);
    else hNew = rnnStep(mode, xt, h, w, hh);
    const m = masks?.[t];
    if (m) {
      // Padding: keep the old state, emit zeros.
      outs[t] = hNew.where(m, 0);
      h = hNew.where(m, h);
      c = mode === 'lstm' ? cNew.where(m, c) : c;
    } else {
      outs[t] = hNew;
      h = hNew;
      c = cNew;
    }
  }
  return { output: stack(outs, tDim), h, c };
}

function checkState(op: string, name: string, s: Tensor | null | undefined, full: number[], unbatched: boolean): Tensor | null {
  if (!s) return null;
  const expected = unbatched ? [full[0], full[2]] : full;
  if (s.shape.join() !== expected.join()) {
    const what = unbatched ? '(numLayers·numDirections, hiddenSize)' : '(numLayers·numDirections, batch, hiddenSize)';
    throw new StrataError(op, `${name} ${fmtShape(s.shape)} must be ${fmtShape(expected)} ${what}`);
  }
  return unbatched ? s.unsqueeze(1) : s;
}

/** Per step, a bool [N, 1] mask of the elements still inside their sequence; null where all are. */
function stepMasks(op: string, lengths: readonly number[] | Tensor, steps: number, batch: number, like: Tensor): (Tensor | null)[] {
  const lens = lengths instanceof Tensor ? Array.from(lengths.dataSync()) : lengths;
  if (lens.length !== batch) throw new StrataError(op, `lengths has ${lens.length} entries for a batch of ${batch}`);
  const bad = lens.find((n) => !(Number.isInteger(n) && n >= 0 && n <= steps));
  if (bad !== undefined) throw new StrataError(op, `lengths must be integers in [0, ${steps}] (the sequence length), got ${bad}`);
  return Array.from({ length: steps }, (_, t) => {
    if (lens.every((n) => n > t)) return null;
    return tensor(lens.map((n) => (n > t ? 1 : 0)), { shape: [batch, 1], dtype: 'bool', backend: like.backend.name });
  });
}
