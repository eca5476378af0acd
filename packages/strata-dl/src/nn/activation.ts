// SPDX-License-Identifier: MIT
// Activation layers (no parameters). Each forwards to a Tensor method or nn/functional.
import type { Tensor } from '../tensor/tensor.js';
import { elu, gelu, leakyRelu } from './functional/activation.js';
import { softplus } from './functional/activation-more.js';
import { Module } from './module.js';

/** Heaviside step, 1 for x > 0 else 0: Rosenblatt's perceptron activation (zero gradient). */
export class Step extends Module { forward(x: Tensor): Tensor { return x.step(); } }
/** σ(x) = 1 / (1 + e^−x). */
export class Sigmoid extends Module { forward(x: Tensor): Tensor { return x.sigmoid(); } }
export class Tanh extends Module { forward(x: Tensor): Tensor { return x.tanh(); } }
/** max(0, x). @example new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2)) */
export class ReLU extends Module {
  forward(x: Tensor): Tensor { return x.relu(); }
  /** ReLU, unless a subclass computes something else in its own forward. */
  override get epilogue(): 'relu' | null { return this.forward === ReLU.prototype.forward ? 'relu' : null; }
}
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) { super(); }
  forward(x: Tensor): Tensor { return leakyRelu(x, this.negativeSlope); }
}
export class ELU extends Module {
  constructor(readonly alpha = 1) { super(); }
  forward(x: Tensor): Tensor { return elu(x, this.alpha); }
}
export class GELU extends Module {
  constructor(readonly approximate: 'none' | 'tanh' = 'none') { super(); }
  forward(x: Tensor): Tensor { return gelu(x, this.approximate); }
}
/**
 * log(1 + e^(βx)) / β, linear (x) where βx > threshold, as PyTorch's Softplus(beta, threshold).
 * @example new Softplus(2).forward(tensor([0])).toArray(); // [0.3465735912322998]
 */
export class Softplus extends Module {
  constructor(readonly beta = 1, readonly threshold = 20) { super(); }
  forward(x: Tensor): Tensor { return softplus(x, this.beta, this.threshold); }
}
/** Softmax along `dim` (default the last). */
export class Softmax extends Module {
  constructor(readonly dim = -1) { super(); }
  forward(x: Tensor): Tensor { return x.softmax(this.dim); }
}
export class LogSoftmax extends Module {
  constructor(readonly dim = -1) { super(); }
  forward(x: Tensor): Tensor { return x.logSoftmax(this.dim); }
}
/** Passes its input through (a placeholder that keeps state-dict keys aligned). */
export class Identity extends Module { forward(x: Tensor): Tensor { return x; } }
