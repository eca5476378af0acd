// SPDX-License-Identifier: MIT
import type { Generator } from '../core/rng.js';
import type { Tensor } from '../tensor/tensor.js';
import { dropout } from './functional/dropout.js';
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
