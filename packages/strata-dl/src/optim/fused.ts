// SPDX-License-Identifier: MIT
/**
 * What the fused update rules (sgd.ts, adam.ts) share: whether their kernel may take a parameter.
 *
 * The new parameter goes to a fresh tensor, not over the old one: a parameter's memory is often
 * shared (a `Parameter` shares its initial tensor's, `Module.loadStateDict` the loaded tensor's,
 * `Module.stateDict` hands out views of it), and the composed rules leave every such sharer its old
 * values, as `set_` does. The optimizer state is its own (made here or cloned on load), so it is
 * updated in place.
 */
import { sharesMemory } from '../tensor/fused-op.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Whether a kernel may update `param` from `grad` writing the state tensors `written`: all of
 * `param`'s shape, and each state tensor's memory its own (not the parameter's, the gradient's or
 * another state tensor's). Backend, dtype and disposal are checked when the kernel runs
 * (`fusedKernel`); where any check fails the composed rule runs (and reports any error).
 */
export function updatable(param: Tensor, grad: Tensor, written: readonly Tensor[]): boolean {
  for (const t of [grad, ...written]) {
    if (t.ndim !== param.ndim || t.shape.some((d, i) => d !== param.shape[i])) return false;
  }
  const seen: Tensor[] = [param, grad];
  for (const t of written) {
    if (seen.some((u) => sharesMemory(t, u))) return false;
    seen.push(t);
  }
  return true;
}
