// SPDX-License-Identifier: MIT
// What the fused cells (fused-lstm.ts, fused-gru.ts) share: which tensors their kernels take, when a
// backward may run the backward kernel, and the backward otherwise (the composed equations
// differentiated, so each cell's maths is written once here and once as a SIMD kernel).
import { activeLevels, isGradEnabled } from '../../autograd/mode.js';
import { cat } from '../../tensor/composite.js';
import type { Tensor } from '../../tensor/tensor.js';
import { vjp } from '../../tensor/transforms.js';

/**
 * Whether a step on these tensors fits the kernels: all 2-D, the gate tensors (first) with
 * `gates`·H columns for the states' H, and the same batch. Backend, dtype, disposal and tangents
 * are checked when a kernel runs (`fusedKernel`).
 */
export function cellShapes(gates: number, gateInputs: readonly Tensor[], states: readonly Tensor[]): boolean {
  const [n, h] = states[0].shape;
  for (const t of [...gateInputs, ...states]) {
    if (t.ndim !== 2 || t.shape[0] !== n || t.shape[1] !== (gateInputs.includes(t) ? gates * h : h)) return false;
  }
  return true;
}

/**
 * Whether a backward may use a backward kernel: its result carries no graph, so only when this
 * backward is not itself recorded (no createGraph, no forward-mode level).
 */
export function plainBackward(): boolean {
  return !isGradEnabled() && activeLevels().length === 0;
}

/**
 * The gradients of a cell's inputs for the gradients `grads` of its outputs, by differentiating its
 * composed equations `f`: recorded where the surrounding backward records (gradients of gradients),
 * with tangents in forward mode.
 */
export function composedBackward(f: (...xs: Tensor[]) => Tensor[], inputs: readonly Tensor[], grads: readonly Tensor[]): Tensor[] {
  const flat = (...xs: Tensor[]): Tensor => cat(f(...xs).map((o) => o.reshape([-1])), 0);
  const [, pullback] = vjp(flat, ...inputs);
  return pullback(cat(grads.map((g) => g.reshape([-1])), 0));
}
