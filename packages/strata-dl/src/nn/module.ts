// SPDX-License-Identifier: MIT
import { StrataError, fmtShape } from '../core/errors.js';
import { type DType, isDType, isFloat } from '../core/dtype.js';
import { noGrad } from '../autograd/mode.js';
import { Tensor } from '../tensor/tensor.js';
import { tensor } from '../tensor/creation.js';
import { retype } from '../tensor/retype.js';
import { Parameter } from './parameter.js';
import { type ForwardHook, type ForwardPreHook, type HookHandle, HookList } from './hooks.js';
import { snakeCase } from './naming.js';
import { type ModelSummary, type SummaryOptions, summarize } from './summary.js';

/** Named tensors: parameters and buffers, keyed like PyTorch (`layers.0.weight`). */
export type StateDict = Record<string, Tensor>;

/** What `loadStateDict` could not match (`missingKeys`/`unexpectedKeys` are PyTorch's names for the same lists). */
export interface LoadResult {
  missing: string[];
  unexpected: string[];
  missingKeys: string[];
  unexpectedKeys: string[];
}

/** One entry of a module: a sub-module, or a tensor (a parameter or a buffer). */
export type ModuleEntry = Module | Tensor;

/**
 * What `Module.fuse` gives: a function running a layer and the one after it (or, with `layers` 3,
 * the two after it) in fewer passes.
 */
export type Fused = ((x: Tensor) => Tensor) & { readonly layers?: 2 | 3 };

/**
 * Base class of every layer and model. Parameters, buffers and sub-modules are found by walking the
 * object's own fields (no registration calls, no `Proxy`): a `Parameter` field is a parameter, any
 * other `Tensor` field is a buffer (state that is saved but not learned, such as batch norm's running
 * mean), a `Module` field is a child, and arrays of these are walked element by element. Fields whose
 * name starts with `_` are private and skipped. State-dict keys are the field names in snake_case,
 * so PyTorch weights of the same structure load unchanged.
 *
 * @example
 * class Mlp extends Module {
 *   fc1 = new Linear(3, 4);
 *   fc2 = new Linear(4, 2);
 *   forward(x: Tensor): Tensor { return this.fc2.forward(this.fc1.forward(x).relu()); }
 * }
 * new Mlp().numParameters(); // 26
 */
export abstract class Module {
  /** Training mode (dropout active, batch norm uses batch statistics); see `train()` and `eval()`. */
  training = true;

  // hooks of `call`; fields starting with `_` are not entries of the module (see `entries`)
  private readonly _forwardPreHooks = new HookList<ForwardPreHook>();
  private readonly _forwardHooks = new HookList<ForwardHook>();

  /** The computation; sub-classes choose their arity (most take one tensor). Run it with `call`. */
  abstract forward(...inputs: Tensor[]): Tensor;

  /**
   * Runs the module: its forward pre-hooks, `forward`, then its forward hooks (PyTorch's
   * `__call__`). Layers and models call their children this way, so hooks see every layer.
   *
   * @example
   * const fc = new Linear(3, 2);
   * fc.call(zeros([4, 3])).shape; // [4, 2]
   */
  call(...inputs: Parameters<this['forward']>): ReturnType<this['forward']> {
    let xs: readonly Tensor[] = inputs;
    for (const hook of this._forwardPreHooks.list()) {
      const r = hook(this, xs);
      if (r !== undefined) xs = r instanceof Tensor ? [r] : r;
    }
    let y = this.forward(...xs);
    for (const hook of this._forwardHooks.list()) y = hook(this, xs, y) ?? y;
    return y as ReturnType<this['forward']>;
  }

  /**
   * Adds a hook that runs before each `call`'s forward and may replace its inputs
   * (PyTorch's `register_forward_pre_hook`).
   *
   * @example
   * const h = layer.registerForwardPreHook((m, [x]) => x.clamp(-1, 1));
   * h.remove();
   */
  registerForwardPreHook(hook: ForwardPreHook): HookHandle {
    return this._forwardPreHooks.add(hook);
  }

  /**
   * Adds a hook that runs after each `call`'s forward and may replace its output
   * (PyTorch's `register_forward_hook`).
   *
   * @example
   * const shapes: number[][] = [];
   * const h = layer.registerForwardHook((m, inputs, y) => { shapes.push([...y.shape]); });
   * h.remove();
   */
  registerForwardHook(hook: ForwardHook): HookHandle {
    return this._forwardHooks.add(hook);
  }

  /** Whether any forward hook or pre-hook is registered (a container then runs this layer by itself, unfused). */
  hasForwardHooks(): boolean {
    return this._forwardPreHooks.size + this._forwardHooks.size > 0;
  }

  /**
   * The explicit fusion step containers take before running this layer then `next`: a function
   * computing `next.call(this.call(x))` in fewer passes, or null (the default) to run them one by
   * one. Conv1d, Conv2d and Linear fuse a following layer whose `epilogue` is ReLU. `then`, the layer
   * after `next`, may join too: the function then computes all three and has `layers` 3 (Conv2d,
   * ReLU, MaxPool2d(2): `conv2dReluPool`).
   */
  fuse(next: Module, then?: Module): Fused | null {
    void next;
    void then;
    return null;
  }

  /**
   * The elementwise function this layer is, for a preceding layer to apply as its epilogue
   * (`'relu'` for ReLU); null for layers that are not one.
   */
  get epilogue(): 'relu' | null {
    return null;
  }

  /**
   * The direct entries of this module: sub-modules, parameters and buffers, with their key.
   * Containers override this to name children by position (`0`, `1`, ...).
   */
  protected entries(): [string, ModuleEntry][] {
    const out: [string, ModuleEntry][] = [];
    for (const field of Object.keys(this)) {
      if (field.startsWith('_') || field === 'training') continue;
      const v: unknown = Reflect.get(this, field);
      const key = snakeCase(field);
      if (v instanceof Module || v instanceof Tensor) out.push([key, v]);
      else if (Array.isArray(v)) {
        v.forEach((e: unknown, i) => {
          if (e instanceof Module || e instanceof Tensor) out.push([`${key}.${i}`, e]);
        });
      }
    }
    return out;
  }

  /** Direct sub-modules with their names. */
  namedChildren(): [string, Module][] {
    return this.entries().flatMap(([k, v]): [string, Module][] => (v instanceof Module ? [[k, v]] : []));
  }

  /** Direct sub-modules (PyTorch `children()`). */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module (named `''`, or `prefix`) and every descendant, depth first, each once. */
  namedModules(prefix = '', seen = new Set<Module>()): [string, Module][] {
    if (seen.has(this)) return [];
    seen.add(this);
    const out: [string, Module][] = [[prefix, this]];
    for (const [k, m] of this.namedChildren()) out.push(...m.namedModules(join(prefix, k), seen));
    return out;
  }

  /** This module and every descendant, depth first, each once (PyTorch `modules()`). */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /**
   * Calls `fn` on every sub-module, children first (recursively), then on this module, as PyTorch's
   * `Module.apply`: how weights are initialized by layer type. Returns this module.
   *
   * @example
   * const net = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
   * net.apply((m) => { if (m instanceof Linear) m.weight.set_(init.xavierUniform(m.weight.shape)); });
   */
  apply(fn: (m: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  /** Every parameter with its state-dict key; a parameter shared by two layers appears once. */
  namedParameters(): [string, Parameter][] {
    return this.namedTensors().flatMap(([k, t]): [string, Parameter][] => (t instanceof Parameter ? [[k, t]] : []));
  }

  /**
   * Every parameter, each once; what an optimizer takes (PyTorch `parameters()`).
   *
   * @example
   * const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
   */
  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Tensor state that is not learned (running statistics, counters). */
  namedBuffers(): [string, Tensor][] {
    return this.namedTensors().filter(([, t]) => !(t instanceof Parameter));
  }

  private namedTensors(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [k, v] of m.entries()) {
        if (v instanceof Tensor && !seen.has(v)) {
          seen.add(v);
          out.push([join(prefix, k), v]);
        }
      }
    }
    return out;
  }

  /** Number of parameter elements (only those that require gradients with `trainable`). */
  numParameters(opts: { trainable?: boolean } = {}): number {
    return this.parameters().filter((p) => !opts.trainable || p.requiresGrad).reduce((n, p) => n + p.size, 0);
  }

  /** Sets training mode on this module and every descendant. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode: dropout off, batch norm uses its running statistics. */
  eval(): this {
    return this.train(false);
  }

  /**
   * Stops gradients to parameters (for transfer learning: a frozen feature extractor). With no
   * argument, every parameter; with name prefixes, those whose state-dict key (as `namedParameters`
   * and `summary` name them) is a prefix, starts with it followed by `.`, or starts with a prefix
   * that itself ends in `.`: `'0'` freezes `0.weight` and `0.bias` but not `10.weight`. A prefix
   * that names no parameter is an error (a typo would otherwise freeze nothing).
   *
   * @example
   * const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 2));
   * model.freeze('0');           // the first layer is a fixed feature extractor
   * model.numParameters({ trainable: true }); // 18: only the head trains
   */
  freeze(...prefixes: string[]): this {
    for (const p of selectParameters(this, 'freeze', prefixes)) p.requiresGrad = false;
    return this;
  }

  /** Lets gradients reach parameters again: every one, or those matching the prefixes (as `freeze`). */
  unfreeze(...prefixes: string[]): this {
    for (const p of selectParameters(this, 'unfreeze', prefixes)) p.requiresGrad = true;
    return this;
  }

  /** Clears `.grad` of every parameter. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /**
   * Moves every parameter and buffer, and their gradients, to another registered backend, in place
   * (PyTorch's `module.to(device)`), or converts the floating-point ones to another float dtype
   * (`module.to(torch.float64)`; integer buffers stay as they are, as in PyTorch). The module keeps
   * its tensors, so references to them and hooks stay valid. As in PyTorch, move or convert a
   * model before creating its optimizer: state an optimizer already holds (momentum, Adam's
   * averages) stays as it was.
   *
   * @example
   * const m = new Linear(3, 2);
   * m.to('js').weight.backend.name; // 'js'
   * m.to('float64').weight.dtype;   // 'float64'
   */
  to(target: string): this {
    if (isDType(target)) return this.convert(target);
    noGrad(() => {
      for (const [, t] of this.namedTensors()) {
        const g = t.grad;
        t.set_(t.to(target));
        if (g) t.grad = g.to(target);
      }
    });
    return this;
  }

  /** Every floating-point parameter and buffer (and gradient) as float64 (PyTorch's `module.double()`): what `gradcheck` wants. */
  double(): this { return this.convert('float64'); }

  /** Every floating-point parameter and buffer (and gradient) as float32 (PyTorch's `module.float()`). */
  float(): this { return this.convert('float32'); }

  private convert(dtype: DType): this {
    if (!isFloat(dtype)) throw new StrataError('Module.to', `'${dtype}' is not a floating-point dtype: a module converts its floating-point parameters and buffers to float32 or float64`);
    noGrad(() => {
      for (const [, t] of this.namedTensors()) {
        if (!isFloat(t.dtype) || t.dtype === dtype) continue;
        const g = t.grad;
        retype(t, t.to(dtype));
        if (g) t.grad = g.to(dtype);
      }
    });
    return this;
  }

  /**
   * Parameters and buffers by key. The tensors are detached views of the current values; copy them
   * (`clone()`) to keep a snapshot that later training steps do not change.
   */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [k, t] of this.namedTensors()) out[k] = t.detach();
    return out;
  }

  /**
   * Copies values into the parameters and buffers, in place (optimizers holding them stay valid).
   * Keys may be snake_case (PyTorch) or camelCase. As in PyTorch, with `strict` (default) missing or
   * unexpected keys are an error, and otherwise they are returned; a shape mismatch is an error either
   * way. Everything is checked before anything is copied, and the error lists every problem at once,
   * so a failed load leaves the module unchanged.
   *
   * @example
   * const a = new Linear(3, 2), b = new Linear(3, 2);
   * b.loadStateDict(a.stateDict());
   * b.loadStateDict({ weight: a.weight }, { strict: false }).missingKeys; // ['bias']
   */
  loadStateDict(dict: StateDict, opts: { strict?: boolean } = {}): LoadResult {
    const { strict = true } = opts;
    const own = this.namedTensors();
    const ownKeys = new Set(own.map(([k]) => k));
    const byKey = new Map<string, Tensor>();
    // A key the module has verbatim is taken as is (an imported ONNX graph's `onnx::LSTM_12`).
    for (const [k, v] of Object.entries(dict)) byKey.set(ownKeys.has(k) ? k : k.split('.').map(snakeCase).join('.'), v);
    const missing = own.filter(([k]) => !byKey.has(k)).map(([k]) => k);
    const unexpected = [...byKey.keys()].filter((k) => !ownKeys.has(k));
    const mismatched = own.flatMap(([k, t]) => {
      const v = byKey.get(k);
      return v && v.shape.join() !== t.shape.join() ? [`'${k}' has shape ${fmtShape(v.shape)} in the state dict, but the module expects ${fmtShape(t.shape)}`] : [];
    });
    const problems = [
      ...(strict && missing.length ? [`missing keys [${missing.join(', ')}]`] : []),
      ...(strict && unexpected.length ? [`unexpected keys [${unexpected.join(', ')}]`] : []),
      ...mismatched,
    ];
    if (problems.length) throw new StrataError('loadStateDict', problems.join('; '));
    noGrad(() => {
      for (const [k, t] of own) {
        const v = byKey.get(k);
        if (!v) continue;
        t.set_(v.backend === t.backend ? v : tensor(v.dataSync(), { shape: v.shape, dtype: v.dtype, backend: t.backend.name }));
      }
    });
    return { missing, unexpected, missingKeys: missing, unexpectedKeys: unexpected };
  }

  /**
   * Runs one forward pass on zeros of `[1, ...inputShape]` and reports each layer's output shape
   * and parameter count (printed unless `print` is null), like Keras' `summary()`.
   *
   * @example
   * new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2)).summary([3]).totalParams; // 26
   */
  summary(inputShape: readonly number[], opts: SummaryOptions = {}): ModelSummary {
    return summarize(this, inputShape, opts);
  }

  /** The class name, used by `summary` and error messages. */
  get typeName(): string {
    return this.constructor.name;
  }
}

function join(prefix: string, key: string): string {
  return prefix ? `${prefix}.${key}` : key;
}

/** The parameters of `m` named by `prefixes` (all with none), for `freeze`/`unfreeze`. */
function selectParameters(m: Module, fn: string, prefixes: readonly string[]): Parameter[] {
  const named = m.namedParameters();
  if (prefixes.length === 0) return named.map(([, p]) => p);
  const out = new Set<Parameter>();
  for (const prefix of prefixes) {
    const hits = named.filter(([k]) => k === prefix || k.startsWith(prefix.endsWith('.') ? prefix : `${prefix}.`));
    if (hits.length === 0) {
      const names = named.map(([k]) => k);
      const shown = names.length > 12 ? [...names.slice(0, 12), '…'] : names;
      throw new StrataError(`Module.${fn}`, `no parameter name starts with '${prefix}'; the parameters are ${shown.join(', ')}`);
    }
    for (const [, p] of hits) out.add(p);
  }
  return [...out];
}
