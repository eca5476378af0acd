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
import { memoryOf, sharesMemory } from '../tensor/fused-op.js';
import { Tensor } from '../tensor/tensor.js';

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

/** One parameter's step ready for a list kernel: its kernel record, the tensors the kernel writes in place, and the step's result. */
export interface Planned<A, R> { readonly args: A; readonly written: readonly Tensor[]; readonly result: R }

/**
 * Runs the planned steps of several parameters in one call of a list kernel (`fusedListKernel`) and
 * returns each one's result, null where there was no plan. All null (each parameter then takes its
 * own path) when the kernel cannot take the list, or when a tensor that one step writes in place is
 * read or written by another: a list runs its steps interleaved, over threads, not one after another.
 */
export function runPlanned<A extends object, R>(run: (list: readonly A[]) => boolean, plans: readonly (Planned<A, R> | null)[]): (R | null)[] {
  const none = plans.map(() => null);
  const list = plans.filter((p) => p !== null);
  if (list.length === 0) return none;
  const owner = new Map<object, number>();
  list.forEach((p, i) => {
    for (const v of Object.values(p.args)) {
      if (!(v instanceof Tensor)) continue;
      const at = owner.get(memoryOf(v));
      owner.set(memoryOf(v), at === undefined || at === i ? i : -1);
    }
  });
  for (const p of list) for (const w of p.written) if (owner.get(memoryOf(w)) === -1) return none;
  if (!run(list.map((p) => p.args))) return none;
  return plans.map((p) => p?.result ?? null);
}
