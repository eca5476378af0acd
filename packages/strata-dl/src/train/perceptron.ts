// SPDX-License-Identifier: MIT
// Rosenblatt's perceptron (1958): a linear layer followed by a step, and its own learning rule,
// which needs no gradient: w ← w + η·(y − ŷ)·x for every misclassified sample.
import { StrataError, fmtShape } from '../core/errors.js';
import { noGrad } from '../autograd/mode.js';
import { Linear } from '../nn/linear.js';
import { Module } from '../nn/module.js';
import type { LayerOptions } from '../nn/options.js';
import { scoped } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * `outFeatures` threshold units: ŷ = step(W·x + b), 1 where the weighted sum is positive.
 *
 * @example
 * const p = new Perceptron(3, 2); // the lecture's network: 3 inputs, 2 output neurons
 */
export class Perceptron extends Module {
  readonly linear: Linear;
  constructor(inFeatures: number, outFeatures = 1, opts: LayerOptions = {}) {
    super();
    this.linear = new Linear(inFeatures, outFeatures, opts);
  }
  forward(x: Tensor): Tensor {
    return this.linear.call(x).step();
  }
}

/** Options of `Perceptron.fit`. */
export interface PerceptronFitOptions {
  /** Learning rate η (default 1). */
  lr?: number;
  /** Passes over the data at most (default 100). */
  maxEpochs?: number;
}

/** What `Perceptron.fit` returns. */
export interface PerceptronFitResult {
  /** Misclassified samples in each pass. */
  errors: number[];
  /** True when a pass made no mistake (the data was separated). */
  converged: boolean;
}

/**
 * Rosenblatt's learning rule, one sample at a time in order, until a pass makes no mistake.
 * Targets are 0/1, shaped [N, out] (or [N] for one output). It converges whenever the classes are
 * linearly separable (Novikoff, 1962).
 *
 * @example
 * const p = new Perceptron(2);
 * trainPerceptron(p, tensor([[0, 0], [0, 1], [1, 0], [1, 1]]), tensor([0, 0, 0, 1])); // learns AND
 */
export function trainPerceptron(model: Perceptron, x: Tensor, y: Tensor, opts: PerceptronFitOptions = {}): PerceptronFitResult {
  const { lr = 1, maxEpochs = 100 } = opts;
  const { weight, bias } = model.linear;
  const out = weight.shape[0];
  const targets = y.ndim === 1 ? y.reshape([-1, 1]) : y;
  if (x.ndim !== 2 || targets.shape[0] !== x.shape[0] || targets.shape[1] !== out) {
    throw new StrataError('trainPerceptron', `x ${fmtShape(x.shape)} and y ${fmtShape(y.shape)} must be [N, ${weight.shape[1]}] and [N, ${out}]`);
  }
  const errors: number[] = [];
  for (let epoch = 0; epoch < maxEpochs; epoch++) {
    let mistakes = 0;
    for (let i = 0; i < x.shape[0]; i++) {
      noGrad(() => scoped(() => {
        const xi = x.index(i);
        const err = targets.index(i).to(weight.dtype).sub(model.call(xi)); // y − ŷ per output, in {−1, 0, 1}
        const wrong = err.abs().sum().item();
        if (wrong === 0) return;
        mistakes += wrong;
        weight.set_(weight.add(err.unsqueeze(1).mul(xi.unsqueeze(0)).mul(lr)));
        if (bias) bias.set_(bias.add(err.mul(lr)));
      }));
    }
    errors.push(mistakes);
    if (mistakes === 0) return { errors, converged: true };
  }
  return { errors, converged: false };
}
