// SPDX-License-Identifier: MIT
import { StrataError } from '../../core/errors.js';
import { uniform } from '../init.js';
import type { LayerOptions } from '../options.js';
import { Parameter } from '../parameter.js';
import { GATE_COUNT, MODE_NAME, type RecurrentMode } from './gates.js';

/** The weights of one cell as parameters (a `CellWeights` whose tensors are learned). */
export interface CellParameters {
  weightIh: Parameter;
  weightHh: Parameter;
  biasIh: Parameter | null;
  biasHh: Parameter | null;
}

export function checkSizes(mode: RecurrentMode, inputSize: number, hiddenSize: number): void {
  for (const [name, v] of [['inputSize', inputSize], ['hiddenSize', hiddenSize]] as const) {
    if (!(Number.isInteger(v) && v > 0)) throw new StrataError(MODE_NAME[mode], `${name} must be a positive integer, got ${v}`);
  }
}

/**
 * PyTorch's initialization of every recurrent weight and bias: U(−1/√H, 1/√H). Drawn in PyTorch's
 * parameter order (weight_ih, weight_hh, bias_ih, bias_hh), so one seed gives one set of weights.
 */
export function initCell(mode: RecurrentMode, inputSize: number, hiddenSize: number, bias: boolean, opts: LayerOptions): CellParameters {
  const rows = GATE_COUNT[mode] * hiddenSize;
  const k = 1 / Math.sqrt(hiddenSize);
  const u = (shape: number[]): Parameter => {
    const t = uniform(shape, -k, k, opts);
    const p = new Parameter(t);
    t.dispose(); // drops only this tensor's reference: the parameter shares (and keeps) the storage
    return p;
  };
  const weightIh = u([rows, inputSize]);
  const weightHh = u([rows, hiddenSize]);
  const biasIh = bias ? u([rows]) : null;
  const biasHh = bias ? u([rows]) : null;
  return { weightIh, weightHh, biasIh, biasHh };
}
