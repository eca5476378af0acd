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

export { type HookHandle, HookList } from '../core/hook-list.js';
