// SPDX-License-Identifier: MIT
// One time step: functional cells and the RNNCell / LSTMCell / GRUCell modules (PyTorch's names,
// so `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh` load from PyTorch state dicts).
import { StrataError, fmtShape } from '../../core/errors.js';
import { zeros } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Module } from '../module.js';
import type { LayerOptions } from '../options.js';
import type { Parameter } from '../parameter.js';
import { type CellWeights, MODE_NAME, type RecurrentMode, gruStep, hiddenSizeOf, inputProjection, lstmStep, rnnStep } from './gates.js';
import { checkSizes, initCell } from './init.js';

/** Options of the cell modules. */
export interface CellOptions extends LayerOptions {
  /** Learn b_ih and b_hh (default true). */
  bias?: boolean;
}

/**
 * Checks a cell's input [N, in] or unbatched [in] and its state, returning them batched (a zero
 * state when none is given) and whether the batch dimension must be removed again.
 */
function prepare(mode: RecurrentMode, x: Tensor, states: readonly (Tensor | undefined)[], w: CellWeights): { x: Tensor; states: Tensor[]; unbatched: boolean } {
  const op = `${MODE_NAME[mode]}Cell`;
  if (x.ndim !== 1 && x.ndim !== 2) throw new StrataError(op, `input must be [batch, features] or [features], got ${fmtShape(x.shape)}`);
  const unbatched = x.ndim === 1;
  const xb = unbatched ? x.unsqueeze(0) : x;
  const hidden = hiddenSizeOf(w);
  const expected = [xb.shape[0], hidden];
  const out = states.map((s, k) => {
    if (!s) return zeros(expected, { dtype: xb.dtype, backend: xb.backend.name });
    const sb = unbatched && s.ndim === 1 ? s.unsqueeze(0) : s;
    if (sb.shape.join() !== expected.join()) {
      throw new StrataError(op, `${k === 0 ? 'h' : 'c'} ${fmtShape(s.shape)} must be ${fmtShape(unbatched ? [hidden] : expected)} for input ${fmtShape(x.shape)}`);
    }
    return sb;
  });
  return { x: xb, states: out, unbatched };
}

const unbatch = (t: Tensor, unbatched: boolean): Tensor => (unbatched ? t.squeeze(0) : t);

/**
 * One Elman RNN step: h' = tanh(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh) (or ReLU). `h` defaults to zeros.
 *
 * @example rnnCell(randn([3, 10]), null, weights).shape; // [3, H]
 */
export function rnnCell(x: Tensor, h: Tensor | null, w: CellWeights, nonlinearity: 'tanh' | 'relu' = 'tanh'): Tensor {
  const mode = nonlinearity === 'tanh' ? 'rnnTanh' : 'rnnRelu';
  const p = prepare(mode, x, [h ?? undefined], w);
  return unbatch(rnnStep(mode, inputProjection(mode, p.x, w), p.states[0], w), p.unbatched);
}

/**
 * One LSTM step; returns [h', c'] (PyTorch's `(h_1, c_1)`). Missing states default to zeros.
 *
 * @example const [h, c] = lstmCell(randn([3, 10]), null, weights);
 */
export function lstmCell(x: Tensor, state: readonly [Tensor, Tensor] | null, w: CellWeights): [Tensor, Tensor] {
  const p = prepare('lstm', x, state ? [state[0], state[1]] : [undefined, undefined], w);
  const [h, c] = lstmStep(inputProjection('lstm', p.x, w), p.states[0], p.states[1], w);
  return [unbatch(h, p.unbatched), unbatch(c, p.unbatched)];
}

/** One GRU step: h' = (1 − z)⊙n + z⊙h with PyTorch's gate equations. `h` defaults to zeros. */
export function gruCell(x: Tensor, h: Tensor | null, w: CellWeights): Tensor {
  const p = prepare('gru', x, [h ?? undefined], w);
  return unbatch(gruStep(inputProjection('gru', p.x, w), p.states[0], w), p.unbatched);
}

abstract class CellBase extends Module {
  readonly weightIh: Parameter;
  readonly weightHh: Parameter;
  readonly biasIh: Parameter | null;
  readonly biasHh: Parameter | null;
  constructor(mode: RecurrentMode, readonly inputSize: number, readonly hiddenSize: number, opts: CellOptions) {
    super();
    checkSizes(mode, inputSize, hiddenSize);
    const w = initCell(mode, inputSize, hiddenSize, opts.bias !== false, opts);
    this.weightIh = w.weightIh;
    this.weightHh = w.weightHh;
    this.biasIh = w.biasIh;
    this.biasHh = w.biasHh;
  }
}

/**
 * An Elman RNN cell, h' = tanh(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh), weights U(±1/√H) as PyTorch.
 *
 * @example
 * const cell = new RNNCell(10, 20);
 * let h = cell.forward(x0);  // [N, 20], starting from zeros
 * h = cell.forward(x1, h);
 */
export class RNNCell extends CellBase {
  readonly nonlinearity: 'tanh' | 'relu';
  constructor(inputSize: number, hiddenSize: number, opts: CellOptions & { nonlinearity?: 'tanh' | 'relu' } = {}) {
    super('rnnTanh', inputSize, hiddenSize, opts);
    this.nonlinearity = opts.nonlinearity ?? 'tanh';
  }
  forward(x: Tensor, h?: Tensor): Tensor { return rnnCell(x, h ?? null, this, this.nonlinearity); }
}

/**
 * An LSTM cell (gates i, f, g, o in PyTorch's order). `forward` returns h'; `forwardWithState`
 * returns [h', c'] as PyTorch's `LSTMCell` does.
 *
 * @example
 * const cell = new LSTMCell(10, 20);
 * let state = cell.forwardWithState(x0);      // [h, c], from zeros
 * state = cell.forwardWithState(x1, state);
 */
export class LSTMCell extends CellBase {
  constructor(inputSize: number, hiddenSize: number, opts: CellOptions = {}) {
    super('lstm', inputSize, hiddenSize, opts);
  }
  /** h' only; `h` and `c` are given together or not at all. */
  forward(x: Tensor, h?: Tensor, c?: Tensor): Tensor {
    if (!h !== !c) throw new StrataError('LSTMCell', `give both h and c or neither, got only ${h ? 'h' : 'c'} (input ${fmtShape(x.shape)})`);
    return this.forwardWithState(x, h && c ? [h, c] : undefined)[0];
  }
  /** One step: `[h', c']` from `x` [N, input] and `state` `[h, c]` (zeros when omitted). */
  forwardWithState(x: Tensor, state?: readonly [Tensor, Tensor]): [Tensor, Tensor] { return lstmCell(x, state ?? null, this); }
}

/**
 * A GRU cell (gates r, z, n in PyTorch's order).
 *
 * @example
 * const cell = new GRUCell(10, 20);
 * const h = cell.forward(x0);   // [N, 20]
 */
export class GRUCell extends CellBase {
  constructor(inputSize: number, hiddenSize: number, opts: CellOptions = {}) {
    super('gru', inputSize, hiddenSize, opts);
  }
  forward(x: Tensor, h?: Tensor): Tensor { return gruCell(x, h ?? null, this); }
}
