// SPDX-License-Identifier: MIT
// The gate equations of the three recurrent cells, as PyTorch writes them, composed from existing ops
// (so their gradients, and backpropagation through time, come from autograd with no extra code).
import { StrataError, fmtShape } from '../../core/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { linear } from '../functional/linear.js';
import { gruPointwise } from './fused-gru.js';
import { lstmPointwise } from './fused-lstm.js';

/** The recurrences: Elman RNN with tanh or ReLU, LSTM, GRU. */
export type RecurrentMode = 'rnnTanh' | 'rnnRelu' | 'lstm' | 'gru';

/** How many gate blocks of `hiddenSize` rows each weight matrix stacks (PyTorch's layout). */
export const GATE_COUNT: Readonly<Record<RecurrentMode, number>> = { rnnTanh: 1, rnnRelu: 1, lstm: 4, gru: 3 };

/** The public name of each mode, for error messages. */
export const MODE_NAME: Readonly<Record<RecurrentMode, string>> = { rnnTanh: 'rnn', rnnRelu: 'rnn', lstm: 'lstm', gru: 'gru' };

/**
 * The weights of one cell (one layer and direction of a stack), with PyTorch's shapes and gate order:
 * `weightIh` [G·H, in], `weightHh` [G·H, H], biases [G·H], where the G gate blocks are
 * (i, f, g, o) for LSTM, (r, z, n) for GRU and a single block for the plain RNN.
 */
export interface CellWeights {
  weightIh: Tensor;
  weightHh: Tensor;
  biasIh: Tensor | null;
  biasHh: Tensor | null;
}

/** Hidden size of a cell, read from its recurrent weight [G·H, H]. */
export function hiddenSizeOf(w: CellWeights): number {
  return w.weightHh.shape[1];
}

/**
 * The input part of every gate, x·W_ihᵀ + b_ih, for any leading shape: a whole sequence [T, N, in]
 * becomes one matmul. For RNN and LSTM b_hh is folded in here too (it is added to the same sum);
 * GRU keeps b_hh inside the reset gate's product, so it stays in the recurrent part.
 */
export function inputProjection(mode: RecurrentMode, x: Tensor, w: CellWeights): Tensor {
  const op = MODE_NAME[mode];
  const inSize = w.weightIh.shape[1];
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== inSize) {
    throw new StrataError(op, `input ${fmtShape(x.shape)} has ${x.shape[x.ndim - 1] ?? 0} features, expected ${inSize}`);
  }
  let bias = w.biasIh;
  if (mode !== 'gru' && w.biasHh) bias = bias ? bias.add(w.biasHh) : w.biasHh;
  return linear(x, w.weightIh, bias);
}

/**
 * h·W_hhᵀ, the recurrent part of every gate. A sequence loop passes its own (shared-weight.ts), which
 * computes W_hh's gradient over all steps at once.
 */
export type RecurrentProduct = (h: Tensor) => Tensor;

/** Elman step from the projected input `xg` [N, H]: h' = act(xg + h·W_hhᵀ). */
export function rnnStep(mode: 'rnnTanh' | 'rnnRelu', xg: Tensor, h: Tensor, w: CellWeights, hh: RecurrentProduct = (x) => linear(x, w.weightHh)): Tensor {
  const pre = xg.add(hh(h));
  return mode === 'rnnTanh' ? pre.tanh() : pre.relu();
}

/**
 * LSTM step from the projected input `xg` [N, 4H] (PyTorch's gate order i, f, g, o):
 * i = σ(·), f = σ(·), g = tanh(·), o = σ(·); c' = f⊙c + i⊙g; h' = o⊙tanh(c'). The pointwise part
 * runs fused where the backend has the kernels (fused-lstm.ts).
 */
export function lstmStep(xg: Tensor, h: Tensor, c: Tensor, w: CellWeights, hh: RecurrentProduct = (x) => linear(x, w.weightHh)): [Tensor, Tensor] {
  return lstmPointwise(xg, hh(h), c);
}

/**
 * GRU step from the projected input `xg` [N, 3H] (gate order r, z, n, as PyTorch):
 * r = σ(x_r + h_r), z = σ(x_z + h_z), n = tanh(x_n + r⊙(W_hn·h + b_hn)), h' = (1 − z)⊙n + z⊙h.
 * NOTE: r multiplies the recurrent product *including* b_hn (PyTorch and cuDNN), which differs from
 * the original paper's r⊙h inside the product. The pointwise part runs fused where the backend has
 * the kernels (fused-gru.ts).
 */
export function gruStep(xg: Tensor, h: Tensor, w: CellWeights, hh: RecurrentProduct = (x) => linear(x, w.weightHh)): Tensor {
  return gruPointwise(xg, w.biasHh ? hh(h).add(w.biasHh) : hh(h), h);
}
