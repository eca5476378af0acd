// SPDX-License-Identifier: MIT
// ONNX's RNN, LSTM and GRU on Strata's recurrence (nn/recurrent). ONNX stacks the gate blocks in
// another order than PyTorch: LSTM i, o, f, c (PyTorch i, f, g, o) and GRU z, r, h (PyTorch r, z, n). The
// parameters keep ONNX's layout (they are the file's initializers, trained in place), and the blocks
// are reordered at every call with slices and a concatenation, through which gradients flow back.
import { recurrent } from '../../nn/recurrent/sequence.js';
import type { CellWeights } from '../../nn/recurrent/gates.js';
import { cat } from '../../tensor/composite.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { OpContext, OpImpl, Value } from './values.js';

/** PyTorch's gate blocks, as indices into ONNX's. */
const ORDER = { lstm: [0, 2, 3, 1], gru: [1, 0, 2], rnn: [0] } as const;
const DEFAULT_ACTIVATIONS = { lstm: ['Sigmoid', 'Tanh', 'Tanh'], gru: ['Sigmoid', 'Tanh'], rnn: ['Tanh'] } as const;

function reorder(t: Tensor, order: readonly number[], h: number): Tensor {
  return cat(order.map((k) => t.slice(0, k * h, (k + 1) * h)), 0);
}

function sequence(ctx: OpContext, mode: 'lstm' | 'gru' | 'rnn'): Value[] {
  const x = ctx.tensor(0), w = ctx.tensor(1), r = ctx.tensor(2);
  const b = ctx.optionalTensor(3);
  const h = ctx.int('hidden_size', r.shape[2]);
  const direction = ctx.string('direction', 'forward');
  if (direction !== 'forward' && direction !== 'bidirectional') return ctx.fail(`direction ${direction} is not supported (forward and bidirectional are)`);
  const dirs = direction === 'bidirectional' ? 2 : 1;
  if (ctx.input(4) !== undefined) return ctx.fail('sequence_lens is not supported (export without packed sequences)');
  if (mode === 'lstm' && ctx.input(7) !== undefined) return ctx.fail('peephole weights (P) are not supported');
  if (ctx.has('clip')) return ctx.fail('clip is not supported');
  if (ctx.int('input_forget', 0) !== 0) return ctx.fail('input_forget=1 is not supported');
  if (mode === 'gru' && ctx.int('linear_before_reset', 0) !== 1) {
    return ctx.fail("linear_before_reset=0 is not supported: only PyTorch's GRU (linear_before_reset=1, as torch.onnx exports it) is");
  }
  const activations = ctx.node.attributes.activations;
  const expected = Array.from({ length: dirs }, () => DEFAULT_ACTIVATIONS[mode]).flat();
  // a plain RNN may use ReLU in every direction (PyTorch's nonlinearity='relu')
  const relu = mode === 'rnn' && Array.isArray(activations) && activations.length === dirs && activations.every((a) => a === 'Relu');
  if (Array.isArray(activations) && !relu && activations.join() !== expected.join()) return ctx.fail(`activations ${activations.join(',')} are not supported (only the defaults${mode === 'rnn' ? ', or Relu' : ''})`);
  const layout = ctx.int('layout', 0);
  const gates = ORDER[mode].length;
  const cells: CellWeights[] = Array.from({ length: dirs }, (_, d) => {
    const pick = (t: Tensor): Tensor => t.slice(0, d, d + 1).reshape(t.shape.slice(1));
    const bias = b ? pick(b) : null;
    return {
      weightIh: reorder(pick(w), ORDER[mode], h),
      weightHh: reorder(pick(r), ORDER[mode], h),
      biasIh: bias ? reorder(bias.slice(0, 0, gates * h), ORDER[mode], h) : null,
      biasHh: bias ? reorder(bias.slice(0, gates * h, 2 * gates * h), ORDER[mode], h) : null,
    };
  });
  // Initial states are [D, N, H] (or [N, D, H] with layout 1).
  const state = (i: number): Tensor | null => {
    const s = ctx.optionalTensor(i);
    return s && layout === 1 ? s.permute([1, 0, 2]) : s;
  };
  const res = recurrent(mode === 'rnn' ? (relu ? 'rnnRelu' : 'rnnTanh') : mode, x, { h: state(5), c: mode === 'lstm' ? state(6) : null }, [cells], { batchFirst: layout === 1 });
  const [s0, s1] = res.output.shape;
  // Strata gives [T, N, D·H]; ONNX's Y is [T, D, N, H] (layout 0) or [N, T, D, H] (layout 1).
  const y = layout === 1 ? res.output.reshape([s0, s1, dirs, h]) : res.output.reshape([s0, s1, dirs, h]).permute([0, 2, 1, 3]);
  const final = (t: Tensor | null): Tensor | null => (t && layout === 1 ? t.permute([1, 0, 2]) : t);
  const outs: Value[] = [y, final(res.h) as Tensor];
  if (mode === 'lstm') outs.push(final(res.c) as Tensor);
  return outs;
}

export const RECURRENT_OPS: Record<string, OpImpl> = {
  RNN: (ctx) => sequence(ctx, 'rnn'),
  LSTM: (ctx) => sequence(ctx, 'lstm'),
  GRU: (ctx) => sequence(ctx, 'gru'),
};
