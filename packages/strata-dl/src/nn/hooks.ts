// SPDX-License-Identifier: MIT
// Forward hooks of `Module.call` (PyTorch's `register_forward_pre_hook` / `register_forward_hook`):
// code that observes or adjusts a layer's inputs and output without changing its class or patching
// its instance (`summary` uses them to see each layer's output).
import type { Tensor } from '../tensor/tensor.js';
import type { Module } from './module.js';

/** Runs before `forward`; returning inputs replaces them (a single tensor for one input). */
export type ForwardPreHook = (module: Module, inputs: readonly Tensor[]) => Tensor | readonly Tensor[] | void;
/** Runs after `forward`; returning a tensor replaces the output. */
export type ForwardHook = (module: Module, inputs: readonly Tensor[], output: Tensor) => Tensor | void;

/** What registering a hook returns: `remove()` unregisters it (a second call does nothing). */
export interface HookHandle {
  /** Unregisters the hook. */
  remove(): void;
}

/** An ordered set of hooks of one kind, as `Module` keeps them. */
export class HookList<H> {
  private readonly hooks = new Map<number, H>();
  private next = 0;

  /** Adds `hook` after the others and returns its handle. */
  add(hook: H): HookHandle {
    const id = this.next++;
    this.hooks.set(id, hook);
    return { remove: () => { this.hooks.delete(id); } };
  }

  get size(): number { return this.hooks.size; }

  /** The hooks in registration order (a copy: a hook may remove itself while they run). */
  list(): H[] { return [...this.hooks.values()]; }
}
