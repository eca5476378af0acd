// SPDX-License-Identifier: MIT
import type { Generator } from '../core/rng.js';
import type { Tensor } from '../tensor/tensor.js';
import { dropout, dropout1d, dropout2d } from './functional/dropout.js';
import { Module } from './module.js';

/**
 * Zeroes inputs with probability `p` in training mode (scaling the rest by 1/(1 − p)); the
 * identity after `eval()`. Masks come from `generator`, or the global one (`manualSeed`).
 *
 * @example const drop = new Dropout(0.5);
 */
export class Dropout extends Module {
  /** Private (skipped by the module walker): the random source. */
  readonly _generator: Generator | undefined;
  constructor(readonly p = 0.5, opts: { generator?: Generator } = {}) {
    super();
    this._generator = opts.generator;
  }
  forward(x: Tensor): Tensor { return dropout(x, this.p, this.training, this._generator); }
}

/**
 * Zeroes whole channels of [N, C, H, W] (or [C, H, W]) with probability `p` in training mode,
 * scaling the rest by 1/(1 − p) (PyTorch's `Dropout2d`); the identity after `eval()`.
 *
 * @example const drop = new Dropout2d(0.25);
 */
export class Dropout2d extends Dropout {
  override forward(x: Tensor): Tensor { return dropout2d(x, this.p, this.training, this._generator); }
}

/** Zeroes whole channels of [N, C, L] (or [C, L]) in training mode (PyTorch's `Dropout1d`). */
export class Dropout1d extends Dropout {
  override forward(x: Tensor): Tensor { return dropout1d(x, this.p, this.training, this._generator); }
}
