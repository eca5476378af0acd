// SPDX-License-Identifier: MIT
/**
 * Module paths for anomaly detection's messages (`features.0 (Linear)`). A layer may run through
 * `Module.call` or by a direct `forward` call (and instances are never patched), so the module
 * running is known from two sources, both consulted only when an error is being written:
 * - the frame stack: `fit` and `detectAnomaly({ model })` push the model, `Sequential` pushes itself
 *   and each layer it runs (only while detection is on);
 * - the op's inputs: a `Parameter` among them names the module that owns it, which finds layers
 *   a hand-written `forward` calls directly (`this.fc1.forward(x)`).
 * Paths are keys in the outermost frame's `namedModules()`, as in its state dict.
 */
import { type ModulePlace, setModuleLocator } from '../autograd/anomaly.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

function describe(path: string, m: Module): ModulePlace {
  return { path, type: m.typeName };
}

/** The innermost module the frames and the inputs' parameters reveal, with its path from the root. */
export function locateModule(frames: readonly object[], inputs: readonly Tensor[]): ModulePlace | null {
  const mods = frames.filter((f): f is Module => f instanceof Module);
  if (!mods.length) return null;
  const named = mods[0].namedModules();
  const pathOf = new Map<Module, string>(named.map(([p, m]) => [m, p]));
  let inner = mods[0];
  for (const m of mods) if (pathOf.has(m)) inner = m;
  const base = pathOf.get(inner)!;
  const params = inputs.filter((t) => t instanceof Parameter);
  if (params.length) {
    // Reversed depth-first order meets a module's descendants before it, so the first module
    // holding one of the inputs is its owner, the deepest.
    for (const [p, m] of inner.namedModules(base).reverse()) {
      const held = new Set<Tensor>(m.parameters());
      if (params.some((t) => held.has(t))) return describe(p, m);
    }
  }
  return describe(base, inner);
}

setModuleLocator(locateModule);
