// SPDX-License-Identifier: MIT
// Softmax cross-entropy of [N, C] logits at class indices as one fused op, like PyTorch's
// log_softmax + nll_loss pair: composed, it is about twenty recorded primitives forward and backward
// (max, sub, exp, sum, log, gather, the mean and their rules), each a kernel call on a small tensor;
// on a backend with the kernels it is one pass forward, which keeps each row's softmax, and one pass
// backward, (softmax − one-hot)·g/count. An MLP step on MNIST spends about as long in the loss
// as in one of its layers otherwise.
//
// Differentiability is kept as for the fused recurrent cells: the backward kernel runs only where the
// backward pass is not itself recorded; otherwise the composed definition is differentiated. Inputs
// carrying forward-mode tangents, other dtypes and other options take the composed path.
import { willRecord } from '../../autograd/mode.js';
import { type Lowered, fusedKernel, kernelOutput } from '../../tensor/fused-op.js';
import { GroupedOp } from '../../tensor/grouped-op.js';
import type { Tensor } from '../../tensor/tensor.js';
import { composedBackward, plainBackward } from '../recurrent/fused-buffers.js';

/** The fused forward: the mean (or sum) over the non-ignored rows of logsumexp(x_i) − x_i[t_i]. */
export interface CrossEntropyForwardArgs {
  readonly n: number;
  readonly classes: number;
  /** The logits [n, classes]. */
  readonly input: Tensor;
  /** The class of each row (checked to lie in [0, classes) or to equal `ignoreIndex`). */
  readonly targets: Int32Array;
  readonly ignoreIndex: number;
  /** Divides the sum by `count` (0/0 = NaN when all rows are ignored, as PyTorch). */
  readonly mean: boolean;
  /** The number of rows whose class is not `ignoreIndex`. */
  readonly count: number;
  /** Receives the loss, a scalar. */
  readonly loss: Tensor;
  /** Receives each row's softmax [n, classes] for the backward, or null (no backward will run). */
  readonly probs: Tensor | null;
}

/** The fused backward: dInput = (softmax(x) − one-hot(t))·g / divisor, zero rows where t is ignored. */
export interface CrossEntropyBackwardArgs {
  readonly n: number;
  readonly classes: number;
  readonly targets: Int32Array;
  readonly ignoreIndex: number;
  /** The forward's softmax per row. */
  readonly probs: Tensor;
  /** The loss's gradient, a scalar. */
  readonly g: Tensor;
  /** What the forward divided by (the count of non-ignored rows, or 1 for a sum). */
  readonly divisor: number;
  /** Receives the gradient of the logits [n, classes]. */
  readonly dInput: Tensor;
}

declare module '../../backend/backend.js' {
  interface FusedKernelArgs {
    crossEntropyForward: Lowered<CrossEntropyForwardArgs>;
    crossEntropyBackward: Lowered<CrossEntropyBackwardArgs>;
  }
}

/**
 * The loss by the backend's kernels, or null where they do not apply (then the caller composes it).
 * `readTargets` checks and returns the class indices and how many equal `ignoreIndex` (called only
 * where the kernels apply), and `composed` is the same loss as a function of the logits alone
 * (differentiated where the backward is recorded).
 */
export function fusedCrossEntropy(input: Tensor, readTargets: () => { targets: Int32Array; ignored: number }, ignoreIndex: number, mean: boolean, composed: (x: Tensor) => Tensor): Tensor | null {
  if (input.ndim !== 2) return null;
  const forward = fusedKernel<CrossEntropyForwardArgs>('crossEntropyForward', input);
  if (!forward) return null;
  const { targets, ignored } = readTargets();
  const [n, classes] = input.shape;
  const loss = kernelOutput(input, []);
  const probs = willRecord([input]) ? kernelOutput(input) : null;
  const count = n - ignored;
  if (!forward({ n, classes, input, targets, ignoreIndex, mean, count, loss, probs })) return null;
  if (!probs) return loss;
  const divisor = mean ? count : 1;
  const backward = fusedKernel<CrossEntropyBackwardArgs>('crossEntropyBackward', input);
  const op = new GroupedOp({
    name: 'crossEntropy',
    size: 1,
    backward: ([g]) => {
      if (!g) return [null];
      if (backward && plainBackward()) {
        const dInput = kernelOutput(input);
        if (backward({ n, classes, targets, ignoreIndex, probs, g, divisor, dInput })) return [dInput];
      }
      return composedBackward((x) => [composed(x)], [input], [g]);
    },
  });
  op.join(loss, 0, { inputs: [input], deferred: [0], vjp: () => [null] });
  return loss;
}
