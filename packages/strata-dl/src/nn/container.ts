// SPDX-License-Identifier: MIT
import { StrataError } from '../core/errors.js';
import { anomalyOn, inFrame } from '../autograd/anomaly.js';
import type { Tensor } from '../tensor/tensor.js';
import './anomaly-path.js';
import { type Fused, Module } from './module.js';

/**
 * A list of modules whose parameters are found by the walker, for models whose forward pass
 * loops over layers in its own way. It has no forward of its own.
 */
export class ModuleList extends Module {
  protected readonly _modules: Module[];
  constructor(modules: Iterable<Module> = []) {
    super();
    this._modules = [...modules];
  }
  protected override entries(): [string, Module][] {
    return this._modules.map((m, i): [string, Module] => [String(i), m]);
  }
  /** Number of modules. */
  get length(): number { return this._modules.length; }
  /** The module at position `i` (negative counts from the end); throws when out of range. */
  at(i: number): Module {
    const m = this._modules.at(i);
    if (!m) throw new StrataError(this.typeName, `index ${i} is out of range for ${this._modules.length} modules`);
    return m;
  }
  /** Adds a module at the end (PyTorch's `append`). */
  append(m: Module): this {
    this._modules.push(m);
    return this;
  }
  /** Iterates over the modules in order. */
  [Symbol.iterator](): Iterator<Module> { return this._modules[Symbol.iterator](); }
  forward(..._inputs: Tensor[]): Tensor {
    throw new StrataError('ModuleList', 'has no forward(); iterate over its modules instead');
  }
}

/**
 * Modules by name, in insertion order, whose parameters are found by the walker (PyTorch's
 * `ModuleDict`): state-dict keys read `digit.weight` (or `heads.digit.weight` when held in a field
 * named `heads`). It has no forward of its own.
 *
 * @example
 * const heads = new ModuleDict({ digit: new Linear(8, 10), parity: new Linear(8, 2) });
 * Object.keys(heads.stateDict()); // ['digit.weight', 'digit.bias', 'parity.weight', 'parity.bias']
 */
export class ModuleDict extends Module {
  protected readonly _modules = new Map<string, Module>();
  constructor(modules: Record<string, Module> | Iterable<readonly [string, Module]> = {}) {
    super();
    const pairs = Symbol.iterator in modules ? [...(modules as Iterable<readonly [string, Module]>)] : Object.entries(modules);
    for (const [k, m] of pairs) this.set(k, m);
  }
  protected override entries(): [string, Module][] {
    return [...this._modules];
  }
  /** Number of modules. */
  get size(): number { return this._modules.size; }
  /** Whether a module is held under `key`. */
  has(key: string): boolean { return this._modules.has(key); }
  /** The module under `key`; an error listing the keys when there is none. */
  get(key: string): Module {
    const m = this._modules.get(key);
    if (!m) throw new StrataError(this.typeName, `no module named '${key}'; it holds ${[...this._modules.keys()].map((k) => `'${k}'`).join(', ') || 'none'}`);
    return m;
  }
  /** Puts `m` under `key` (replacing any module there, keeping its place). */
  set(key: string, m: Module): this {
    if (typeof key !== 'string' || key === '' || key.includes('.')) throw new StrataError(this.typeName, `a module name must be a non-empty string without '.', got '${String(key)}'`);
    if (!(m instanceof Module)) throw new StrataError(this.typeName, `'${key}' must be a Module`);
    this._modules.set(key, m);
    return this;
  }
  /** Removes the module under `key`; whether there was one. */
  delete(key: string): boolean { return this._modules.delete(key); }
  /** The names, in order. */
  keys(): string[] { return [...this._modules.keys()]; }
  /** The modules, in order. */
  values(): Module[] { return [...this._modules.values()]; }
  /** Iterates over [name, module] pairs in order. */
  [Symbol.iterator](): Iterator<[string, Module]> { return this._modules[Symbol.iterator](); }
  forward(..._inputs: Tensor[]): Tensor {
    throw new StrataError('ModuleDict', 'has no forward(); call its modules by name instead');
  }
}

/**
 * Layers applied one after another. Children are named by position, so state-dict keys read
 * `0.weight`, `2.bias` (or `layers.0.weight` when held in a field named `layers`), as in PyTorch.
 *
 * @example
 * const mlp = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
 * mlp.numParameters(); // 26
 */
export class Sequential extends ModuleList {
  constructor(...layers: Module[]) {
    super(layers);
  }
  /**
   * Each layer in turn, through `call` (so hooks run). Before running a layer, the explicit fusion
   * step asks it to `fuse` with the next one: a Conv2d, Conv1d or Linear followed by a ReLU runs
   * as one `forwardRelu`, the same values and gradients, but with the bias and ReLU in the
   * product's epilogue instead of two more passes. Layers with forward hooks are never fused,
   * so each hook sees its own layer's output.
   */
  override forward(x: Tensor): Tensor {
    // under anomaly detection, each layer runs in a frame that names it in errors
    if (anomalyOn) return inFrame(this, () => runLayers(this._modules, x, true));
    return runLayers(this._modules, x, false);
  }
}

/**
 * `layer` fused with `next` (and `then`, offered only when it has no hooks; see `Module.fuse`), or
 * null when `layer` or `next` has hooks or the layer does not fuse.
 */
function fused(layer: Module, next: Module | undefined, then: Module | undefined): Fused | null {
  if (!next || layer.hasForwardHooks() || next.hasForwardHooks()) return null;
  return layer.fuse(next, then && !then.hasForwardHooks() ? then : undefined);
}

function runLayers(layers: readonly Module[], x: Tensor, framed: boolean): Tensor {
  let y = x;
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i];
    const input = y;
    const f = fused(layer, layers[i + 1], layers[i + 2]);
    const run = f ? (): Tensor => f(input) : (): Tensor => layer.call(input);
    y = framed ? inFrame(layer, run) : run();
    if (f) i += (f.layers ?? 2) - 1;
  }
  return y;
}
