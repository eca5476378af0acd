// SPDX-License-Identifier: MIT
import type { DType } from '../core/dtype.js';
import type { Generator } from '../core/rng.js';

/** Construction options every layer with parameters accepts (PyTorch's factory keywords). */
export interface LayerOptions {
  /** Parameter dtype: float32 (default), or float64 for gradient checks. */
  dtype?: DType;
  /** Backend name for the parameters; defaults to the current one. */
  backend?: string;
  /** Source of the initial weights; defaults to the global generator (`manualSeed`). */
  generator?: Generator;
}
