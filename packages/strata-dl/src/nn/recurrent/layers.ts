// SPDX-License-Identifier: MIT
// The sequence layers RNN, LSTM and GRU: multi-layer stacks, batchFirst, bidirectional, dropout
// between layers, initial states in and final states out, with PyTorch's parameter names.
import { StrataError, fmtShape } from '../../core/errors.js';
import type { Generator } from '../../core/rng.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Module } from '../module.js';
import type { LayerOptions } from '../options.js';
import type { Parameter } from '../parameter.js';
import { MODE_NAME, type RecurrentMode } from './gates.js';
import { type CellParameters, checkSizes, initCell } from './init.js';
import { type SequenceResult, recurrent } from './sequence.js';

/** Options of the sequence layers (PyTorch's keyword arguments in camelCase). */
export interface RecurrentOptions extends LayerOptions {
  /** Stacked layers, each reading the previous one's output (default 1). */
  numLayers?: number;
  /** Learn b_ih and b_hh (default true). */
  bias?: boolean;
  /** Input and output are [N, T, features] (default false: [T, N, features]). */
  batchFirst?: boolean;
  /** Dropout on the outputs of every layer but the last, in training mode (default 0). */
  dropout?: number;
  /** A second set of layers reads the sequence backwards; outputs are concatenated (default false). */
  bidirectional?: boolean;
}

/** Per-call options of `forwardWithState`. */
export interface SequenceCallOptions {
  /** Valid steps per batch element for padded batches (see `SequenceOptions.lengths`). */
  lengths?: readonly number[] | Tensor;
}

abstract class RecurrentBase extends Module {
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  /** Weights per layer and direction; exposed to the walker under PyTorch's names by `entries`. */
  readonly _cells: CellParameters[][];
  readonly _generator: Generator | undefined;

  constructor(readonly _mode: RecurrentMode, readonly inputSize: number, readonly hiddenSize: number, opts: RecurrentOptions) {
    super();
    const op = MODE_NAME[_mode];
    checkSizes(_mode, inputSize, hiddenSize);
    const { numLayers = 1, bias = true, batchFirst = false, dropout = 0, bidirectional = false } = opts;
    if (!(Number.isInteger(numLayers) && numLayers > 0)) throw new StrataError(op, `numLayers must be a positive integer, got ${numLayers}`);
    if (!(dropout >= 0 && dropout <= 1)) throw new StrataError(op, `dropout must be in [0, 1], got ${dropout}`);
    this.numLayers = numLayers;
    this.bias = bias;
    this.batchFirst = batchFirst;
    this.dropout = dropout;
    this.bidirectional = bidirectional;
    this._generator = opts.generator;
    const dirs = bidirectional ? 2 : 1;
    this._cells = Array.from({ length: numLayers }, (_, l) =>
      Array.from({ length: dirs }, () => initCell(_mode, l === 0 ? inputSize : dirs * hiddenSize, hiddenSize, bias, opts)));
  }

  /** `weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`, then `…_l0_reverse`, `…_l1`: PyTorch's keys and order. */
  protected override entries(): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    this._cells.forEach((layer, l) => layer.forEach((w, d) => {
      const sfx = `_l${l}${d === 1 ? '_reverse' : ''}`;
      out.push([`weight_ih${sfx}`, w.weightIh], [`weight_hh${sfx}`, w.weightHh]);
      if (w.biasIh && w.biasHh) out.push([`bias_ih${sfx}`, w.biasIh], [`bias_hh${sfx}`, w.biasHh]);
    }));
    return out;
  }

  /** The weights of one layer and direction (1 = reverse). */
  cell(layer: number, direction = 0): CellParameters {
    const w = this._cells[layer]?.[direction];
    if (!w) throw new StrataError(MODE_NAME[this._mode], `has no layer ${layer} direction ${direction} (${this.numLayers} layers, ${this.bidirectional ? 2 : 1} directions)`);
    return w;
  }

  /** Runs the stack over `x` from the initial states; what `forward` and `forwardWithState` share. */
  protected run(x: Tensor, h0: Tensor | undefined, c0: Tensor | undefined, opts: SequenceCallOptions): SequenceResult {
    return recurrent(this._mode, x, { h: h0 ?? null, c: c0 ?? null }, this._cells, {
      batchFirst: this.batchFirst, lengths: opts.lengths, dropout: this.dropout, training: this.training, generator: this._generator,
    });
  }
}

/**
 * Elman RNN over a sequence: h_t = tanh(x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh) (or ReLU), per layer.
 * `forward` returns the output [T, N, D·H]; `forwardWithState` returns `[output, h_n]` as PyTorch.
 *
 * @example
 * const rnn = new RNN(10, 20, { numLayers: 2 });
 * const [output, hN] = rnn.forwardWithState(randn([5, 3, 10])); // [5,3,20], [2,3,20]
 */
export class RNN extends RecurrentBase {
  readonly nonlinearity: 'tanh' | 'relu';
  constructor(inputSize: number, hiddenSize: number, opts: RecurrentOptions & { nonlinearity?: 'tanh' | 'relu' } = {}) {
    super(opts.nonlinearity === 'relu' ? 'rnnRelu' : 'rnnTanh', inputSize, hiddenSize, opts);
    this.nonlinearity = opts.nonlinearity ?? 'tanh';
  }
  forward(x: Tensor, h0?: Tensor): Tensor { return this.run(x, h0, undefined, {}).output; }
  /** The output and the final hidden state h_n [layers·directions, N, H], from `h0` or zeros. */
  forwardWithState(x: Tensor, h0?: Tensor, opts: SequenceCallOptions = {}): [Tensor, Tensor] {
    const r = this.run(x, h0, undefined, opts);
    return [r.output, r.h];
  }
}

/**
 * Long short-term memory over a sequence, PyTorch's gates (i, f, g, o) and parameter names, so its
 * state dict loads PyTorch's `nn.LSTM` weights. `forwardWithState` returns `[output, [h_n, c_n]]`.
 *
 * @example
 * const lstm = new LSTM(8, 16, { batchFirst: true });
 * const [out, [h, c]] = lstm.forwardWithState(randn([4, 12, 8])); // [4,12,16], [1,4,16], [1,4,16]
 * lstm.stateDict(); // weight_ih_l0 [64,8], weight_hh_l0 [64,16], bias_ih_l0 [64], bias_hh_l0 [64]
 */
export class LSTM extends RecurrentBase {
  constructor(inputSize: number, hiddenSize: number, opts: RecurrentOptions = {}) {
    super('lstm', inputSize, hiddenSize, opts);
  }
  /** The output only; `h0` and `c0` are given together or not at all. */
  forward(x: Tensor, h0?: Tensor, c0?: Tensor): Tensor {
    if (!h0 !== !c0) throw new StrataError('lstm', `give both h0 and c0 or neither, got only ${h0 ? 'h0' : 'c0'} (input ${fmtShape(x.shape)})`);
    return this.run(x, h0, c0, {}).output;
  }
  /** The output and the final `[h_n, c_n]` (each [layers·directions, N, H]), from `state` or zeros. */
  forwardWithState(x: Tensor, state?: readonly [Tensor, Tensor] | null, opts: SequenceCallOptions = {}): [Tensor, [Tensor, Tensor]] {
    const r = this.run(x, state?.[0], state?.[1], opts);
    return [r.output, [r.h, r.c!]];
  }
}

/**
 * Gated recurrent unit over a sequence, PyTorch's gates (r, z, n) and parameter names.
 * `forwardWithState` returns `[output, h_n]`.
 *
 * @example
 * const gru = new GRU(10, 20, { bidirectional: true });
 * const [output, hN] = gru.forwardWithState(randn([5, 3, 10])); // [5,3,40], [2,3,20]
 */
export class GRU extends RecurrentBase {
  constructor(inputSize: number, hiddenSize: number, opts: RecurrentOptions = {}) {
    super('gru', inputSize, hiddenSize, opts);
  }
  forward(x: Tensor, h0?: Tensor): Tensor { return this.run(x, h0, undefined, {}).output; }
  /** The output and the final hidden state h_n [layers·directions, N, H], from `h0` or zeros. */
  forwardWithState(x: Tensor, h0?: Tensor, opts: SequenceCallOptions = {}): [Tensor, Tensor] {
    const r = this.run(x, h0, undefined, opts);
    return [r.output, r.h];
  }
}
