// SPDX-License-Identifier: MIT
import { type DType, type TypedArray, bytesPerElement, isDType, isFloat } from '../core/dtype.js';
import { StrataError, fmtShape } from '../core/errors.js';
import { type Shape, normAxes, normAxis, sizeOf, stridesOf } from '../core/shape.js';
import type { Backend, Buf, Kernel, KernelPrim } from '../backend/backend.js';
import { getBackend, listBackends } from '../backend/registry.js';
import { NON_DIFFERENTIABLE, type Prim, type PrimAttrs } from '../ir/prims.js';
import { infer } from '../ir/infer.js';
import { setRuleContext } from '../ir/bind.js';
import { primObserver } from './trace-hook.js';
import { type BackwardOptions, type GradNode, runBackward } from '../autograd/engine.js';
import { activeLevels, belowLevel, willRecord } from '../autograd/mode.js';
import { anomalyOn } from '../autograd/anomaly.js';
import { checkForward } from '../autograd/anomaly-check.js';
import { JVP } from '../ir/rules.js';
import { Storage } from './storage.js';
import { DROPPED, type Held, rewatch, unwatch, watch } from './reclaim.js';
import { PrimNode } from './prim-node.js';
import { scoped, track } from './scope.js';
import { formatTensor } from './format.js';
import * as C from './composite.js';
import type { IndexSpec } from './composite.js';
import * as Ops from './tensorops.js';
import * as M from './math-ops.js';
import * as A from './arith-ops.js';
import { cumExtremum, searchsorted } from './searching.js';
import { cdist, cross, kron } from './products.js';
import * as V from './conveniences.js';
import * as Q from './quantiles.js';
import * as K from './counting.js';
import { type HookHandle, HookList } from '../core/hook-list.js';
import type { ValuesIndices } from './values-indices.js';

/** The serial number of the next tensor made (`_serial`). */
let nextSerial = 0;

/** A tensor or a plain number (numbers take the tensor's dtype where it is floating point). */
export type TensorLike = Tensor | number;

/** A gradient hook (`Tensor.registerHook`): returns a replacement gradient, or nothing to keep it. */
export type GradHook = (grad: Tensor) => Tensor | void;
/** Tolerances of `isclose` and `allclose`: |a − b| ≤ atol + rtol·|b| (PyTorch's defaults 1e-5 and 1e-8). */
export interface CloseOptions {
  rtol?: number;
  atol?: number;
  /** NaN counts as close to NaN (default false). */
  equalNan?: boolean;
}

/**
 * An n-dimensional array on a backend, with reverse- and forward-mode autodiff.
 * Methods follow PyTorch in camelCase; every method is also a function exported from the package root.
 *
 * @example
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * x.mul(x).sum().backward();
 * x.grad!.toArray(); // [[2, 4], [6, 8]]
 */
export class Tensor {
  /** @internal */ _storage: Storage;
  readonly shape: readonly number[];
  readonly dtype: DType;
  private _grad: Tensor | null = null;
  /** @internal survives the end of a `scoped` block */ _kept = false;
  /** @internal kept with `keep()` (not only as a `.grad`) */ _pinned = false;
  /** @internal the recorded operation that produced this tensor */ _node: GradNode | null = null;
  /** @internal forward-mode tangents by JVP level */ _tangents: Map<number, Tensor> | null = null;
  private _requiresGrad = false;
  /** @internal where reclaiming its memory stands (reclaim.ts) */ _reclaim = DROPPED;
  /** @internal what the finalization registry holds for it (reclaim.ts) */ _held: Held | null = null;
  /** @internal gradient hooks (`registerHook`), run by the backward sweep */ _hooks: HookList<GradHook> | null = null;
  /** @internal keeps its gradient in `.grad` though not a leaf (`retainGrad`) */ _retainsGrad = false;
  /** @internal the order in which tensors were made: a backward sweep tells its own tensors by it */ readonly _serial = nextSerial++;
  /**
   * @internal Only one `.grad` refers to this tensor: a backward sweep made it, and it was never
   * handed out (by the `grad` getter, to a hook or to a `customOp`'s backward). Replacing it in that
   * `.grad` frees it at once instead of leaving it to the garbage collector (`_sweepGrad`).
   */
  _gradOwned = false;
  /** @internal disposed: a second `dispose()` must not release its storage again */ _released = false;

  /** @internal Tensors are made by ops and creation functions, not by `new`. */
  constructor(storage: Storage, shape: Shape, dtype: DType) {
    this._storage = storage;
    // a frozen shape is another tensor's (or a shape rule's copy of one): it can be shared as it is
    this.shape = Object.isFrozen(shape) ? shape : Object.freeze(shape.slice());
    this.dtype = dtype;
    if (storage.backend.needsFree) watch(this, storage.buf.size * bytesPerElement(storage.buf.dtype));
    track(this);
  }

  /** Accumulated gradient after `backward()` (leaves only, as in PyTorch). Outlives `scoped` blocks. */
  get grad(): Tensor | null {
    const g = this._grad;
    if (g) g._gradOwned = false; // the caller may keep it
    return g;
  }
  set grad(g: Tensor | null) {
    if (g) g._gradOwned = false; // the caller has it
    this._replaceGrad(g);
  }

  /**
   * @internal The backward sweep's update of `.grad`: `g` added to the gradient so far, or `g` itself.
   * The result is owned by this `.grad` (`_gradOwned`) where the sweep made it (serial `ownFrom` or
   * later) and nothing else keeps it: the next `w.grad = null` (PyTorch's `zero_grad(set_to_none)`)
   * or the next sweep's sum then frees it at once. A step that drops its gradient that way without
   * `dispose()` would otherwise leave each one to the collector and the finalization registry, and
   * put the next step's tensors in fresh wasm memory (docs/performance.md, Memory).
   */
  _sweepGrad(g: Tensor, ownFrom: number): void {
    const old = this._grad;
    const next = old ? old.add(g) : g;
    // kept already: another .grad (or keep()) refers to it too
    const owned = next._serial >= ownFrom && !next._kept;
    this._replaceGrad(next);
    next._gradOwned = owned;
  }

  /** Puts `g` in `.grad`: kept while there; the gradient it replaces no longer is (and is freed if owned). */
  private _replaceGrad(g: Tensor | null): void {
    const old = this._grad;
    if (g) g._kept = true;
    if (old && old !== g) {
      old._kept = false;
      if (old._gradOwned) old.dispose();
    }
    this._grad = g;
  }

  /** @internal The serial number the next tensor made will have (`_serial`). */
  static _nextSerial(): number { return nextSerial; }

  /** Marks this tensor to survive the `scoped` block it was made in (returns it). */
  keep(): this {
    this._kept = true;
    this._pinned = true;
    return this;
  }

  /**
   * Replaces this tensor's data with `value`'s (same shape; cast to this dtype), keeping its identity,
   * without recording the tape: how optimizers and running statistics update a tensor in place.
   * PyTorch's `set_` restricted to the same shape: this tensor then shares `value`'s memory, and any
   * other tensor that shared the old memory keeps the old values.
   *
   * @example
   * const w = zeros([2]);
   * w.set_(ones([2]));
   * w.toArray(); // [1, 1]
   */
  set_(value: Tensor): this {
    if (value.shape.join() !== this.shape.join()) throw new StrataError('set_', `value ${fmtShape(value.shape)} does not match ${fmtShape(this.shape)}`);
    return this._adopt(value.to(this.dtype)._storage);
  }

  /** Takes `storage` in place of this tensor's own (shared, not copied), releasing the old one. */
  private _adopt(storage: Storage): this {
    const old = this._storage;
    this._storage = storage.share();
    this._released = false;
    // moved to a backend whose memory the GC must free (or off one): watched from now on (or not)
    if (this._storage.backend.needsFree) rewatch(this);
    else if (old.backend.needsFree) unwatch(this);
    old.release();
    return this;
  }

  /**
   * @internal PyTorch's `t.data = value` across dtypes, for `Module.to(dtype)` (through
   * `retype`): this leaf takes `value`'s memory and dtype, keeping its identity, so that optimizers
   * made afterwards, hooks and references all see the converted tensor.
   */
  _retype(value: Tensor): this {
    if (value.shape.join() !== this.shape.join()) throw new StrataError('retype', `value ${fmtShape(value.shape)} does not match ${fmtShape(this.shape)}`);
    if (this._node) throw new StrataError('retype', 'only a leaf tensor (a parameter or a buffer) changes its dtype in place');
    if (this._requiresGrad && !isFloat(value.dtype)) throw new StrataError('retype', `a tensor that requires grad must stay floating-point, got ${value.dtype}`);
    // the one place a dtype changes: `dtype` is readonly to everything else
    (this as { dtype: DType }).dtype = value.dtype;
    return this._adopt(value._storage);
  }

  /** @internal Applies a primitive: shape inference, kernel, tape and tangents. */
  static _apply<P extends Prim>(prim: P, ins: readonly Tensor[], attrs: PrimAttrs[P]): Tensor {
    // This is the path of every op, so it allocates only the output (and its node when recorded):
    // no closures, and the tensors themselves are the kernel's views (a Tensor is a View).
    const backend = ins[0].backend;
    for (let i = 0; i < ins.length; i++) {
      const t = ins[i];
      // the tensor's own dispose, not only its memory's: a view that keeps the memory alive must not
      // make a use after dispose() work or fail depending on whether the view exists
      if (t.isDisposed) throw new StrataError(prim, `input ${fmtShape(t.shape)} was disposed`);
      if (t.backend !== backend) throw new StrataError(prim, `inputs live on different backends ('${backend.name}' and '${t.backend.name}'); move one to the other's with .to('${backend.name}') (a model with model.to('${backend.name}'))`);
    }
    const meta = infer(prim, ins, attrs);
    let out: Tensor;
    if (prim === 'reshape') out = new Tensor(ins[0]._storage.share(), meta.shape, meta.dtype);
    else {
      out = new Tensor(Storage.forOutput(backend, meta.dtype, sizeOf(meta.shape)), meta.shape, meta.dtype);
      (backend.kernels[prim as KernelPrim] as Kernel<P>)(out, ins, attrs);
    }
    const differentiable = isFloat(meta.dtype) && !NON_DIFFERENTIABLE.has(prim);
    if (differentiable && willRecord(ins)) {
      out._node = new PrimNode(prim, ins.slice(), out, attrs);
      out._requiresGrad = true;
    }
    if (anomalyOn) checkForward(prim, ins, out, out._node);
    if (differentiable && activeLevels().length > 0) out._tangentsFrom(prim, ins, attrs);
    if (primObserver !== null) primObserver(prim, ins, attrs, out); // graph capture (io/onnx-export)
    return out;
  }

  /** @internal The output's tangent at each active forward-mode level (of a primitive's output). */
  private _tangentsFrom<P extends Prim>(prim: P, ins: readonly Tensor[], attrs: PrimAttrs[P]): void {
    // Outermost level first, so inner levels' rules see the outer tangents of `out`.
    for (const level of activeLevels()) {
      const ts = ins.map((t) => t._tangents?.get(level) ?? null);
      if (ts.every((t) => t === null)) continue;
      const tan = belowLevel(level, () => JVP[prim](ts, ins, this, attrs));
      if (tan) this._setTangent(level, tan);
    }
  }

  /** @internal Applies a primitive with this tensor as the first input. */
  _p<P extends Prim>(prim: P, rest: readonly Tensor[], attrs: PrimAttrs[P]): Tensor {
    return Tensor._apply(prim, [this, ...rest], attrs);
  }

  /** @internal Makes this tensor the output of a recorded node (custom ops). */
  _attachNode(node: GradNode): void {
    this._node = node;
    this._requiresGrad = true;
    // fused kernels (cells) and custom ops make their outputs here rather than in _apply
    if (anomalyOn && node.inputs) checkForward(node.name, node.inputs, this, node);
  }

  /** @internal The storage's buffer: with `shape` and `dtype`, a tensor is a kernel's `View` of itself. */
  get buf(): Buf { return this._storage.buf; }

  /** @internal */
  _setTangent(level: number, t: Tensor): void {
    const fitted = belowLevel(level, () => {
      let v = t.dtype === this.dtype ? t : t.to(this.dtype);
      if (v.shape.length !== this.shape.length || v.shape.some((d, i) => d !== this.shape[i])) v = v.expand(this.shape);
      return v;
    });
    (this._tangents ??= new Map()).set(level, fitted);
  }

  /** @internal Wraps a number or checks a tensor, as the second operand of a binary op. */
  _lift(v: TensorLike): Tensor {
    if (v instanceof Tensor) return v;
    const dtype: DType = isFloat(this.dtype) ? this.dtype : Number.isInteger(v) && this.dtype === 'int32' ? 'int32' : 'float32';
    return Tensor._scalar(this.backend, v, dtype);
  }

  /** @internal A 0-d tensor on a backend. */
  static _scalar(backend: Backend, v: number, dtype: DType): Tensor {
    return Tensor._fromValues(backend, [v], [], dtype);
  }

  /**
   * @internal `value` everywhere in a new tensor of `shape`: one scalar broadcast by the backend (no
   * JS array of the whole size), the scalar freed at once unless a trace (ONNX export) has recorded
   * it as the broadcast's input, so that a loop that never yields does not leave one behind a call.
   */
  static _full(backend: Backend, value: number, shape: readonly number[], dtype: DType): Tensor {
    const scalar = Tensor._scalar(backend, value, dtype);
    const t = scalar.expand(shape);
    if (t !== scalar && primObserver === null) scalar.dispose();
    return t;
  }

  /** @internal A new tensor holding `values` (row-major) on a backend. */
  static _fromValues(backend: Backend, values: ArrayLike<number>, shape: Shape, dtype: DType): Tensor {
    const buf = backend.alloc(dtype, sizeOf(shape));
    backend.write(buf, values);
    return new Tensor(new Storage(backend, buf), shape, dtype);
  }

  /** @internal A new tensor on this tensor's backend. */
  _make(values: ArrayLike<number>, shape: Shape, dtype: DType): Tensor {
    return Tensor._fromValues(this.backend, values, shape, dtype);
  }

  // ---- properties ----------------------------------------------------------------------------
  get backend(): Backend { return this._storage.backend; }
  /** Number of dimensions. */
  get ndim(): number { return this.shape.length; }
  /** Number of elements. */
  get size(): number { return sizeOf(this.shape); }
  /** Number of elements, as a method (PyTorch's `numel()`); same as `size`. */
  numel(): number { return this.size; }
  /** Row-major strides in elements (storage is always contiguous). */
  get strides(): number[] { return stridesOf(this.shape); }
  /** Whether gradients flow to this tensor. Only floating-point tensors can require them. */
  get requiresGrad(): boolean { return this._requiresGrad; }
  set requiresGrad(v: boolean) {
    if (v && !isFloat(this.dtype)) throw new StrataError('requiresGrad', `only floating-point tensors can require gradients, got ${this.dtype}`);
    if (!v && this._node) throw new StrataError('requiresGrad', 'cannot turn off gradients of a non-leaf tensor; use detach()');
    this._requiresGrad = v;
  }
  /** Sets `requiresGrad` and returns this tensor (PyTorch's `requires_grad_`). */
  requiresGrad_(v = true): this { this.requiresGrad = v; return this; }
  /** True for tensors made by the user rather than by a recorded op. */
  get isLeaf(): boolean { return this._node === null; }
  /**
   * Keeps this tensor's gradient in `.grad` after `backward()` although it is not a leaf (PyTorch's
   * `retain_grad`): how to look at the gradient that reaches a hidden layer. A no-op on leaves,
   * whose `.grad` is kept anyway. Returns this tensor.
   *
   * @example
   * const x = tensor([1, 2], { requiresGrad: true });
   * const h = x.mul(3).retainGrad();
   * h.square().sum().backward();
   * h.grad!.toArray(); // [6, 12]
   */
  retainGrad(): this {
    if (!this._requiresGrad) throw new StrataError('retainGrad', `the tensor ${this.dtype} ${fmtShape(this.shape)} does not require grad, so it has no gradient to keep`);
    if (this._node) this._retainsGrad = true;
    return this;
  }
  /** Whether `.grad` keeps this tensor's gradient: a leaf that requires grad, or `retainGrad()` (PyTorch's `retains_grad`, which is false for leaves). */
  get retainsGrad(): boolean { return this._retainsGrad; }
  /**
   * Runs `hook` on this tensor's gradient each time a backward sweep computes it (PyTorch's
   * `register_hook`), before it reaches `.grad` or flows on to the inputs; `st.grad` and `vjp` run
   * it too. A tensor the hook returns (same shape and dtype) replaces the gradient; returning
   * nothing leaves it. `remove()` on the handle unregisters it.
   *
   * @example
   * const w = tensor([1, -2], { requiresGrad: true });
   * const handle = w.registerHook((g) => g.clamp(-1, 1)); // clip this parameter's gradient
   * w.mul(5).sum().backward();
   * w.grad!.toArray(); // [1, 1]
   * handle.remove();
   */
  registerHook(hook: GradHook): HookHandle {
    if (!this._requiresGrad) throw new StrataError('registerHook', `the tensor ${this.dtype} ${fmtShape(this.shape)} does not require grad, so no gradient will reach the hook`);
    return (this._hooks ??= new HookList<GradHook>()).add(hook);
  }
  /** Name of the op that produced this tensor, or null for leaves. */
  get gradFn(): string | null { return this._node?.name ?? null; }

  // ---- autograd ------------------------------------------------------------------------------
  /**
   * Reverse-mode sweep from this tensor, accumulating into `.grad` of every leaf that requires it.
   * Saved tensors are released afterwards unless `retainGraph` is set (default: `createGraph`, as in
   * PyTorch). The options may come alone
   * (`loss.backward({ retainGraph: true })`) or after the seed gradient (`y.backward(g, { retainGraph: true })`).
   *
   * @example
   * const x = tensor([2], { requiresGrad: true });
   * const y = x.mul(x).sum();
   * y.backward({ retainGraph: true });
   * y.backward(); // x.grad is now [8]: 2·x accumulated twice
   */
  backward(gradientOrOptions?: Tensor | BackwardOptions, options: BackwardOptions = {}): void {
    if (!this._requiresGrad) throw new StrataError('backward', 'tensor does not require grad and has no grad_fn');
    let gradient: Tensor | undefined;
    let opts = options;
    if (gradientOrOptions instanceof Tensor) gradient = gradientOrOptions;
    else if (gradientOrOptions !== undefined && gradientOrOptions !== null) {
      if (typeof gradientOrOptions !== 'object' || Array.isArray(gradientOrOptions) || ArrayBuffer.isView(gradientOrOptions)) {
        throw new StrataError('backward', `the first argument must be the seed gradient (a Tensor) or the options ({ retainGraph, createGraph }), got ${Array.isArray(gradientOrOptions) ? 'an array' : typeof gradientOrOptions}`);
      }
      opts = { ...gradientOrOptions, ...options };
    }
    if (!gradient && this.size !== 1) throw new StrataError('backward', `gradient can be implicitly created only for scalar outputs, got ${fmtShape(this.shape)}`);
    if (gradient && (gradient.size !== this.size || gradient.ndim !== this.ndim)) {
      throw new StrataError('backward', `gradient ${fmtShape(gradient.shape)} does not match output ${fmtShape(this.shape)}`);
    }
    const sweep = (): void => {
      const seed = gradient ?? Tensor._fromValues(this.backend, [1], this.shape, this.dtype); // onesLike's values, one tensor instead of two
      // As PyTorch: retainGraph defaults to createGraph, so the recorded backward can be differentiated.
      runBackward([this], [seed], { retainGraph: opts.createGraph, ...opts }, undefined, Tensor._nextSerial());
    };
    // The sweep's own tensors (the gradients flowing between nodes, their sums) are freed when it
    // ends, not when the collector finds them: only the leaves' .grad (kept) outlive it. A hand-
    // written synchronous loop without `scoped` then grows by its forward tensors alone. With
    // createGraph the gradients are themselves a graph to differentiate, so they stay.
    if (opts.createGraph) sweep();
    else scoped(sweep);
  }
  /** A tensor sharing this one's data but cut from the graph (no gradient, no tangent). */
  detach(): Tensor {
    return new Tensor(this._storage.share(), this.shape, this.dtype);
  }
  /** Frees the backend memory now. Optional: dropped tensors are reclaimed anyway. */
  dispose(): void {
    if (this._released) return;
    this._released = true;
    unwatch(this);
    this._storage.release();
  }
  /**
   * Whether this tensor was disposed (`dispose()`, or the end of the `scoped` block that made it) or
   * its memory freed. A view made before that (`reshape`, `detach`) shares the memory and stays
   * valid: only the disposed tensor reports true.
   *
   * @example
   * const x = tensor([1, 2, 3, 4]);
   * const v = x.reshape([2, 2]);
   * x.dispose();
   * [x.isDisposed, v.isDisposed]; // [true, false]
   */
  get isDisposed(): boolean { return this._released || this._storage.freed; }

  // ---- elementwise ---------------------------------------------------------------------------
  /**
   * Elementwise `this + o`, broadcasting.
   *
   * @example
   * tensor([1, 2]).add(1).toArray(); // [2, 3]
   */
  add(o: TensorLike): Tensor { return this._p('add', [this._lift(o)], {}); }
  /** Elementwise `this - o`, broadcasting. */
  sub(o: TensorLike): Tensor { return this._p('sub', [this._lift(o)], {}); }
  /** Elementwise `this * o`, broadcasting. */
  mul(o: TensorLike): Tensor { return this._p('mul', [this._lift(o)], {}); }
  /**
   * True division: integer operands give float32, as in PyTorch. With `roundingMode` ('trunc' or
   * 'floor', as `torch.div`'s `rounding_mode`) the quotient is rounded to an integer, two int32
   * tensors give int32, and no gradient flows.
   *
   * @example
   * tensor([7, -7]).div(2).toArray(); // [3.5, -3.5]
   * tensor([7, -7]).div(2, 'floor').toArray(); // [3, -4]
   * tensor([7, -7], { dtype: 'int32' }).div(2, 'trunc').toArray(); // [3, -3]
   */
  div(o: TensorLike, roundingMode?: A.RoundingMode): Tensor {
    const b = this._lift(o);
    if (roundingMode !== undefined) return A.divRounded(this, b, roundingMode);
    const a = !isFloat(this.dtype) && !isFloat(b.dtype) ? this.to('float32') : this;
    return a._p('div', [b], {});
  }
  /**
   * Elementwise `this ** o`, broadcasting.
   *
   * @example
   * tensor([2, 3]).pow(2).toArray(); // [4, 9]
   */
  pow(o: TensorLike): Tensor { return this._p('pow', [this._lift(o)], {}); }
  /** Elementwise maximum of two tensors, broadcasting (PyTorch's `torch.maximum`). */
  maximum(o: TensorLike): Tensor { return this._p('maximum', [this._lift(o)], {}); }
  /** Elementwise minimum of two tensors, broadcasting (PyTorch's `torch.minimum`). */
  minimum(o: TensorLike): Tensor { return this._p('minimum', [this._lift(o)], {}); }
  /** Elementwise `-x`. */
  neg(): Tensor { return this._p('neg', [], {}); }
  /** Elementwise |x|. */
  abs(): Tensor { return this._p('abs', [], {}); }
  /** Elementwise sign: -1, 0 or 1. */
  sign(): Tensor { return this._p('sign', [], {}); }
  /**
   * Elementwise largest integer <= x (`torch.floor`); no gradient, as a step function. ±∞, NaN
   * and -0 stay as they are; int32 is returned unchanged.
   *
   * @example
   * tensor([-1.5, 0.5, 2]).floor().toArray(); // [-2, 0, 2]
   */
  floor(): Tensor { return this._p('floor', [], {}); }
  /** Elementwise smallest integer >= x (`torch.ceil`); no gradient. `ceil(-0.5)` is -0. */
  ceil(): Tensor { return this._p('ceil', [], {}); }
  /**
   * Rounds to the nearest integer, halves to even, as `torch.round`; with `decimals`, at that many
   * decimal places (negative: tens, hundreds). No gradient.
   *
   * @example
   * tensor([0.5, 1.5, 2.5, -0.5]).round().toArray(); // [0, 2, 2, -0]
   * tensor([1.2345]).round(2).toArray();              // [1.2300000190734863]
   */
  round(decimals = 0): Tensor { return decimals === 0 || this.dtype === 'bool' ? this._p('round', [], {}) : M.roundTo(this, decimals); }
  /** Elementwise integer part, rounding toward zero (`torch.trunc`); no gradient. */
  trunc(): Tensor { return this._p('trunc', [], {}); }
  /** Elementwise fractional part x − trunc(x), with x's sign (`torch.frac`); gradient 1. */
  frac(): Tensor { return M.frac(this); }
  /** Elementwise eˣ. */
  exp(): Tensor { return this._p('exp', [], {}); }
  /** Elementwise 2ˣ (`torch.exp2`): exact at integers; integer input gives float32. */
  exp2(): Tensor { return M.exp2(this); }
  /**
   * Elementwise base-2 logarithm (`torch.log2`), exact at powers of 2.
   *
   * @example
   * tensor([8, 0.5]).log2().toArray(); // [3, -1]
   */
  log2(): Tensor { return this._p('log2', [], {}); }
  /** Elementwise base-10 logarithm (`torch.log10`), exact at powers of 10 that float32 holds. */
  log10(): Tensor { return this._p('log10', [], {}); }
  /**
   * Elementwise eˣ − 1, accurate for small x where `exp().sub(1)` loses every digit (`torch.expm1`).
   *
   * @example
   * // exp(x) − 1 gives 0 here
   * tensor([1e-10]).expm1().item(); // 1.000000013351432e-10
   */
  expm1(): Tensor { return this._p('expm1', [], {}); }
  /**
   * Elementwise log(1 + x), accurate for small x (`torch.log1p`): -∞ at -1, NaN below.
   *
   * @example
   * // log(1 + x) gives 0 here
   * tensor([1e-10]).log1p().item(); // 1.000000013351432e-10
   */
  log1p(): Tensor { return this._p('log1p', [], {}); }
  /** Elementwise natural logarithm. */
  log(): Tensor { return this._p('log', [], {}); }
  /** Elementwise square root. */
  sqrt(): Tensor { return this._p('sqrt', [], {}); }
  /** Elementwise sine. */
  sin(): Tensor { return this._p('sin', [], {}); }
  /** Elementwise cosine. */
  cos(): Tensor { return this._p('cos', [], {}); }
  /** Elementwise tangent sin(x) / cos(x) (`torch.tan`). */
  tan(): Tensor { return M.tan(this); }
  /** Elementwise arctangent, in (−π/2, π/2) (`torch.atan`). */
  atan(): Tensor { return this._p('atan', [], {}); }
  /** Elementwise arcsine, in [−π/2, π/2]; NaN outside [−1, 1] (`torch.asin`). */
  asin(): Tensor { return this._p('asin', [], {}); }
  /** Elementwise arccosine, in [0, π]; NaN outside [−1, 1] (`torch.acos`). */
  acos(): Tensor { return this._p('acos', [], {}); }
  /**
   * The angle of the point (`other`, `this`) in (−π, π], broadcasting, as `torch.atan2` (C's atan2:
   * signed zeros and infinities give its quadrants). Integer inputs are computed in float32.
   *
   * @example
   * // π/4, 3π/4 and −π/2 in float32
   * tensor([1, 1, -1]).atan2(tensor([1, -1, 0])).toArray(); // [0.7853981852531433, 2.356194496154785, -1.5707963705062866]
   */
  atan2(other: TensorLike): Tensor { return M.atan2(this, this._lift(other)); }
  /**
   * The remainder of dividing by `other` (broadcast), with this tensor's sign, computed exactly:
   * a − trunc(a / b)·b (C's fmod, `torch.fmod`). NaN where b is 0; two int32 tensors give int32,
   * and an int32 zero divisor is an error. The gradient through b is −trunc(a / b).
   *
   * @example
   * tensor([5, -5, 5.5]).fmod(3).toArray(); // [2, -2, 2.5]
   */
  fmod(other: TensorLike): Tensor { return A.fmod(this, this._lift(other)); }
  /**
   * a / b rounded down, as `torch.floor_divide` (`div(other, 'floor')`): int32 for two int32 tensors.
   *
   * @example
   * tensor([7, -7, 7.5]).floorDivide(2).toArray(); // [3, -4, 3]
   */
  floorDivide(other: TensorLike): Tensor { return A.divRounded(this, this._lift(other), 'floor'); }
  /**
   * The remainder of dividing by `other` (broadcast), with `other`'s sign, computed exactly:
   * a − floor(a / b)·b (Python's %, `torch.remainder`). As `fmod` for NaN, zeros and integers; the
   * gradient through b is −floor(a / b).
   *
   * @example
   * tensor([5, -5, 5.5]).remainder(3).toArray(); // [2, 1, 2.5]
   */
  remainder(other: TensorLike): Tensor { return A.remainder(this, this._lift(other)); }
  /**
   * log(eˣ + eʸ) for y = `other` (broadcast), without overflow (`torch.logaddexp`).
   *
   * @example
   * tensor([1000, 0]).logaddexp(tensor([1000, 0])).toArray(); // [1000.6931762695312, 0.6931471824645996]
   */
  logaddexp(other: TensorLike): Tensor { return A.logaddexp(this, this._lift(other)); }
  /**
   * log₂(2ˣ + 2ʸ) for y = `other` (broadcast), without overflow (`torch.logaddexp2`).
   *
   * @example
   * tensor([3, 0]).logaddexp2(tensor([3, 1])).toArray(); // [4, 1.5849624872207642]
   */
  logaddexp2(other: TensorLike): Tensor { return A.logaddexp2(this, this._lift(other)); }
  /**
   * x·log(y) for y = `other` (broadcast), 0 where x is 0 (whatever log y is) and NaN where y is NaN
   * (`torch.xlogy`): the entropy term that is 0 at 0.
   *
   * @example
   * tensor([0, 0, 3]).xlogy(tensor([0, 5, 1])).toArray(); // [0, 0, 0]
   */
  xlogy(other: TensorLike): Tensor { return A.xlogy(this, this._lift(other)); }
  /**
   * √(x² + y²) for y = `other` (broadcast), without overflow in the squares; +∞ where either is
   * infinite (`torch.hypot`).
   *
   * @example
   * tensor([3, 5, Infinity]).hypot(tensor([4, 12, NaN])).toArray(); // [5, 13, Infinity]
   */
  hypot(other: TensorLike): Tensor { return A.hypot(this, this._lift(other)); }
  /**
   * log(x / (1 − x)), the inverse of the sigmoid (`torch.logit`): ±∞ at 1 and 0, NaN outside
   * [0, 1]. With `eps`, x is clamped to [eps, 1 − eps] first (gradient 0 outside it).
   *
   * @example
   * tensor([0.5, 0.75, 1]).logit().toArray(); // [0, 1.0986123085021973, Infinity]
   */
  logit(eps?: number): Tensor { return A.logit(this, eps); }
  /** Elementwise 1 / √x (`torch.rsqrt`). */
  rsqrt(): Tensor { return M.rsqrt(this); }
  /** Elementwise hyperbolic tangent. */
  tanh(): Tensor { return this._p('tanh', [], {}); }
  /**
   * Elementwise hyperbolic sine (`torch.sinh`), accurate near 0 and overflowing where eˣ/2 does.
   *
   * @example tensor([0, 1]).sinh().toArray(); // [0, 1.175201177597046]
   */
  sinh(): Tensor { return M.sinh(this); }
  /**
   * Elementwise hyperbolic cosine (`torch.cosh`).
   *
   * @example tensor([0, 1]).cosh().toArray(); // [1, 1.5430805683135986]
   */
  cosh(): Tensor { return M.cosh(this); }
  /**
   * Elementwise inverse hyperbolic sine (`torch.asinh`), odd and accurate near 0.
   *
   * @example tensor([0, 1]).asinh().toArray(); // [0, 0.8813735842704773]
   */
  asinh(): Tensor { return M.asinh(this); }
  /**
   * Elementwise inverse hyperbolic cosine (`torch.acosh`): NaN below 1.
   *
   * @example tensor([1, 2]).acosh().toArray(); // [0, 1.316957950592041]
   */
  acosh(): Tensor { return M.acosh(this); }
  /**
   * Elementwise inverse hyperbolic tangent (`torch.atanh`): ±∞ at ±1, NaN beyond.
   *
   * @example tensor([0, 0.5]).atanh().toArray(); // [0, 0.5493061542510986]
   */
  atanh(): Tensor { return M.atanh(this); }
  /** Elementwise logistic sigmoid 1 / (1 + e⁻ˣ). */
  sigmoid(): Tensor { return this._p('sigmoid', [], {}); }
  /**
   * Elementwise max(x, 0).
   *
   * @example
   * tensor([-1, 2]).relu().toArray(); // [0, 2]
   */
  relu(): Tensor { return this._p('relu', [], {}); }
  /** Heaviside step: 1 where x > 0, else 0 (the perceptron's activation; its gradient is 0). */
  step(): Tensor { return this.gt(0).to(isFloat(this.dtype) ? this.dtype : 'float32'); }
  /** Elementwise x². */
  square(): Tensor { return this.mul(this); }
  /** Elementwise 1 / x (float for integer input, as `div`). */
  reciprocal(): Tensor { return this._lift(1).div(this); }
  /**
   * Limits values to [min, max]; either bound may be omitted. NaN stays NaN. The gradient is
   * PyTorch's: all of it where min <= x <= max (bounds included), none outside and none at NaN.
   */
  clamp(min?: number | null, max?: number | null): Tensor {
    const lo = min ?? null, hi = max ?? null;
    let r: Tensor = this;
    if (lo !== null) r = r.maximum(lo);
    if (hi !== null) r = r.minimum(hi);
    // maximum/minimum alone would give half at a bound and all of it at NaN; only worth the two
    // selections when a gradient or tangent can flow
    if (r === this || !(this.requiresGrad || this._tangents?.size)) return r;
    const y = r.detach();
    if (lo !== null) r = this.where(this.ge(lo), y);
    if (hi !== null) r = (lo !== null ? r : this).where(this.le(hi), y);
    return r;
  }
  /** Limits values from below (`torch.clamp_min`); see `clamp`. */
  clampMin(min: number): Tensor { return this.clamp(min, null); }
  /** Limits values from above (`torch.clamp_max`); see `clamp`. */
  clampMax(max: number): Tensor { return this.clamp(null, max); }

  // ---- comparisons and selection -------------------------------------------------------------
  /**
   * Elementwise `==`, broadcasting; a bool tensor.
   *
   * @example
   * tensor([1, 2]).eq(2).toArray(); // [false, true]
   */
  eq(o: TensorLike): Tensor { return this._p('eq', [this._lift(o)], {}); }
  /** Elementwise `!=`, broadcasting; a bool tensor. */
  ne(o: TensorLike): Tensor { return this._p('ne', [this._lift(o)], {}); }
  /** Elementwise `<`, broadcasting; a bool tensor. */
  lt(o: TensorLike): Tensor { return this._p('lt', [this._lift(o)], {}); }
  /** Elementwise `<=`, broadcasting; a bool tensor. */
  le(o: TensorLike): Tensor { return this._p('le', [this._lift(o)], {}); }
  /** Elementwise `>`, broadcasting; a bool tensor. */
  gt(o: TensorLike): Tensor { return this._p('gt', [this._lift(o)], {}); }
  /** Elementwise `>=`, broadcasting; a bool tensor. */
  ge(o: TensorLike): Tensor { return this._p('ge', [this._lift(o)], {}); }
  /** True where the element is 0 (NaN counts as non-zero), as `torch.logical_not`. */
  logicalNot(): Tensor { return M.logicalNot(this); }
  /**
   * True where both are non-zero, broadcasting (`torch.logical_and`); any dtypes.
   *
   * @example
   * tensor([1, 0, 2]).logicalAnd(tensor([true, true, false])).toArray(); // [true, false, false]
   */
  logicalAnd(o: TensorLike): Tensor { return M.logicalAnd(this, this._lift(o)); }
  /** True where either is non-zero, broadcasting (`torch.logical_or`). */
  logicalOr(o: TensorLike): Tensor { return M.logicalOr(this, this._lift(o)); }
  /** True where exactly one is non-zero, broadcasting (`torch.logical_xor`). */
  logicalXor(o: TensorLike): Tensor { return M.logicalXor(this, this._lift(o)); }
  /**
   * Whether any element (along `axis`, or of all) is non-zero, as a bool tensor (`torch.any`);
   * false over no elements.
   *
   * @example
   * tensor([[0, 1], [0, 0]]).any(1).toArray(); // [true, false]
   */
  any(axis?: number | number[], keepdim = false): Tensor { return M.any(this, axis, keepdim); }
  /** Whether every element (along `axis`, or of all) is non-zero (`torch.all`); true over no elements. */
  all(axis?: number | number[], keepdim = false): Tensor { return M.all(this, axis, keepdim); }
  /** `this` where `condition` holds, else `other` (PyTorch's `Tensor.where`). */
  where(condition: Tensor, other: TensorLike): Tensor {
    return Tensor._apply('where', [condition, this, this._lift(other)], {});
  }

  // ---- dtype ---------------------------------------------------------------------------------
  /**
   * Casts to a dtype (a no-op when it already has it). Float to int32 truncates toward zero; NaN,
   * ±Infinity and values outside int32's range give -2147483648, as PyTorch on x86-64 (C++ leaves
   * them undefined). To bool, NaN is true.
   *
   * @example
   * tensor([2.7, -2.7, NaN]).to('int32'); // tensor([2, -2, -2147483648], dtype=int32)
   */
  to(dtype: DType): Tensor;
  /**
   * A copy on another registered backend (`this` when it is already there), like PyTorch's
   * `x.to(device)`: differentiable (the gradient goes back to this tensor's backend), and forward-mode
   * tangents move with it. Ops need their inputs on one backend.
   *
   * @example
   * tensor([1, 2], { backend: 'js' }).to('wasm').backend.name; // 'wasm'
   */
  to(backend: string): Tensor;
  to(target: string): Tensor {
    if (isDType(target)) return target === this.dtype ? this : this._p('cast', [], { dtype: target });
    if (!listBackends().includes(target)) {
      throw new StrataError('to', `'${target}' is neither a dtype (float32, float64, int32, bool) nor a registered backend (${listBackends().join(', ')})`);
    }
    return this._toBackend(getBackend(target));
  }

  private _toBackend(target: Backend): Tensor {
    if (target === this.backend) return this;
    const from = this.backend.name;
    // the copy is no primitive: a trace would take it for a constant and bake its values in
    if (primObserver !== null) throw new StrataError('to', `cannot move a tensor from '${from}' to '${target.name}' while primitives are traced (ONNX export): move the model and its input before exporting`);
    const out = Tensor._fromValues(target, this.dataSync(), this.shape, this.dtype);
    if (this._tangents) for (const [level, t] of this._tangents) out._setTangent(level, belowLevel(level, () => t.to(target.name)));
    if (isFloat(this.dtype) && willRecord([this])) out._attachNode({ name: 'to', inputs: [this], out, vjp: (g) => [g.to(from)] });
    return out;
  }
  /** Cast to float32 (`to('float32')`). */
  float(): Tensor { return this.to('float32'); }
  /** Cast to float64 (`to('float64')`). */
  double(): Tensor { return this.to('float64'); }
  /** Cast to int32 (`to('int32')`). */
  int(): Tensor { return this.to('int32'); }
  /** Cast to bool (`to('bool')`): non-zero is true. */
  bool(): Tensor { return this.to('bool'); }

  // ---- reductions ----------------------------------------------------------------------------
  /** Sum over `axis` (one, several, or all when omitted). */
  sum(axis?: number | number[], keepdim = false): Tensor { return this._reduce('sum', axis, keepdim); }
  /** Mean over `axis` (one, several, or all when omitted); integer input gives float32. */
  mean(axis?: number | number[], keepdim = false): Tensor {
    const axes = normAxes('mean', axis, this.ndim);
    const n = axes.reduce((acc, a) => acc * (this.shape[a] ?? 1), 1); // a 0-d tensor's axis 0 has length 1
    return this.to(isFloat(this.dtype) ? this.dtype : 'float32').sum(axes, keepdim).div(n);
  }
  /**
   * The distinct values (of all elements), sorted ascending, as `torch.unique`; with
   * `returnInverse` / `returnCounts`, `{ values, inverse, counts }`: where each element's value sits
   * in `values`, and how often each value occurs. NaNs count as one value, placed last. Reads the
   * data back (the size depends on it); not differentiable.
   *
   * @example
   * tensor([3, 1, 3, 2]).unique().toArray(); // [1, 2, 3]
   * tensor([3, 1, 3]).unique({ returnCounts: true }).counts!.toArray(); // [1, 2]
   */
  unique(opts?: { returnInverse?: false; returnCounts?: false }): Tensor;
  unique(opts: { returnInverse?: boolean; returnCounts?: boolean }): K.UniqueResult;
  unique(opts: { returnInverse?: boolean; returnCounts?: boolean } = {}): Tensor | K.UniqueResult { return K.unique(this, opts); }
  /**
   * Occurrences of 0, 1, 2, ... in this 1-D int32 tensor (at least `minlength` bins), or with
   * `weights` their summed weights, as `torch.bincount` (counts are int32).
   *
   * @example
   * tensor([1, 3, 1], { dtype: 'int32' }).bincount().toArray(); // [0, 2, 0, 1]
   */
  bincount(opts: { weights?: Tensor; minlength?: number } = {}): Tensor { return K.bincount(this, opts); }
  /**
   * The lower median (the ⌊(n − 1)/2⌋-th smallest, as `torch.median`) of all elements, or along
   * `dim` with its position; NaN where there is one (and the first NaN's position).
   *
   * @example
   * tensor([3, 1, 4, 1]).median().item(); // 1
   * tensor([[3, 1, 4], [2, 6, 5]]).median(1).values.toArray(); // [3, 5]
   */
  median(): Tensor;
  median(dim: number, keepdim?: boolean): ValuesIndices;
  median(dim?: number, keepdim = false): Tensor | ValuesIndices {
    return dim === undefined ? Q.median(this) : Q.medianAlong(this, dim, keepdim);
  }
  /**
   * The q-quantiles along `dim` (of all elements when omitted), as `torch.quantile`: position
   * q·(n − 1) of the sorted values, `interpolation` choosing between its neighbours ('linear' by
   * default, 'lower', 'higher', 'nearest', 'midpoint'). A list of q adds a leading axis. NaN in a
   * row gives NaN.
   *
   * @example
   * tensor([1, 2, 3, 4]).quantile(0.5).item(); // 2.5
   * tensor([1, 2, 3, 4]).quantile([0.25, 0.75]).toArray(); // [1.75, 3.25]
   */
  quantile(q: number | readonly number[], dim?: number, keepdim = false, interpolation: Q.QuantileInterpolation = 'linear'): Tensor {
    return Q.quantile(this, q, dim, keepdim, interpolation);
  }
  /**
   * The largest element (no `dim`), or the largest along `dim` with its position, as PyTorch:
   * `{ values, indices }`, also destructurable as `[values, indices]` (see `ValuesIndices`). Ties
   * and NaN: the first. Use `amax` for the values alone over one or several dims.
   *
   * @example
   * tensor([[1, 5], [7, 0]]).max().item(); // 7
   * tensor([[1, 5], [7, 0]]).max(1).indices.toArray(); // [1, 0]
   */
  max(): Tensor;
  max(dim: number, keepdim?: boolean): ValuesIndices;
  max(dim?: number, keepdim = false): Tensor | ValuesIndices {
    return dim === undefined ? this._reduce('max', undefined, false) : Ops.extremumAlong(this, 'max', dim, keepdim);
  }
  /**
   * The smallest element, or the smallest along `dim` with its position (see `max`).
   *
   * @example
   * const [values, indices] = tensor([[1, 5], [7, 0]]).min(0);
   * values.toArray(); // [1, 0]
   * indices.toArray(); // [0, 1]
   */
  min(): Tensor;
  min(dim: number, keepdim?: boolean): ValuesIndices;
  min(dim?: number, keepdim = false): Tensor | ValuesIndices {
    return dim === undefined ? this._reduce('min', undefined, false) : Ops.extremumAlong(this, 'min', dim, keepdim);
  }
  /**
   * Maximum values over `axis` (one, several, or all when omitted); ties share the gradient.
   *
   * @example
   * tensor([[1, 5], [7, 0]]).amax(0).toArray(); // [7, 5]
   */
  amax(axis?: number | number[], keepdim = false): Tensor { return this._reduce('max', axis, keepdim); }
  /**
   * Minimum values over `axis` (one, several, or all when omitted); ties share the gradient.
   *
   * @example
   * tensor([[1, 5], [7, 0]]).amin([0, 1]).item(); // 0
   */
  amin(axis?: number | number[], keepdim = false): Tensor { return this._reduce('min', axis, keepdim); }
  /** Index of the maximum along `axis`, or into the flattened tensor when omitted. */
  argmax(axis?: number, keepdim = false): Tensor { return this._arg('argmax', axis, keepdim); }
  /** Index of the minimum along `axis`, or into the flattened tensor when omitted. */
  argmin(axis?: number, keepdim = false): Tensor { return this._arg('argmin', axis, keepdim); }
  /** Variance; `correction` 1 (default) is the unbiased estimator, as in PyTorch. */
  var(axis?: number | number[], opts: { correction?: number; keepdim?: boolean } = {}): Tensor { return C.variance(this, axis, opts); }
  /** Standard deviation: the square root of `var` (same `correction`, default 1). */
  std(axis?: number | number[], opts: { correction?: number; keepdim?: boolean } = {}): Tensor { return this.var(axis, opts).sqrt(); }
  /** log(sum(exp(x))) over `axis`, computed stably. */
  logsumexp(axis?: number | number[], keepdim = false): Tensor { return C.logsumexp(this, axis, keepdim); }
  /**
   * Softmax along `axis` (default the last), computed stably.
   *
   * @example
   * tensor([0, 0]).softmax().toArray(); // [0.5, 0.5]
   */
  softmax(axis = -1): Tensor { return C.softmax(this, axis); }
  /** log(softmax(x)) along `axis` (default the last), computed stably. */
  logSoftmax(axis = -1): Tensor { return C.logSoftmax(this, axis); }

  private _reduce(prim: 'sum' | 'max' | 'min', axis: number | number[] | undefined, keepdim: boolean): Tensor {
    const axes = normAxes(prim, axis, this.ndim);
    const r = axes.length ? this._p(prim, [], { axes }) : this._p('reshape', [], { shape: [...this.shape] });
    return keepdim ? r : r.reshape(this.shape.filter((_, i) => !axes.includes(i)));
  }
  private _arg(prim: 'argmax' | 'argmin', axis: number | undefined, keepdim: boolean): Tensor {
    if (axis === undefined) {
      const r = this.reshape([-1])._p(prim, [], { axis: 0 });
      return keepdim ? r.reshape(this.shape.map(() => 1)) : r.reshape([]);
    }
    const ax = normAxis(prim, axis, this.ndim);
    const r = this._p(prim, [], { axis: ax });
    return keepdim ? r : r.reshape(this.shape.filter((_, i) => i !== ax));
  }

  // ---- linear algebra ------------------------------------------------------------------------
  /** Matrix product with NumPy semantics: 1-D operands are promoted, leading dims broadcast. */
  matmul(o: Tensor): Tensor { return C.matmul(this, o); }
  /** Transpose of a 2-D tensor (the last two dims for higher ranks). */
  get T(): Tensor { return this.ndim < 2 ? this : this.transpose(-2, -1); }
  /** Same as `T`: the transpose of the last two dims. */
  t(): Tensor { return this.T; }
  /** Matrix product of two matrices, [n, k]·[k, m] (`torch.mm`: matmul that checks for 2-D). */
  mm(mat2: Tensor): Tensor { return V.mm(this, mat2); }
  /** Batched matrix product [B, n, k]·[B, k, m], batch sizes equal (`torch.bmm`). */
  bmm(mat2: Tensor): Tensor { return V.bmm(this, mat2); }
  /** Matrix-vector product [n, k]·[k] (`torch.mv`). */
  mv(vec: Tensor): Tensor { return V.mv(this, vec); }
  /**
   * Dot product of two vectors of one length, a 0-d tensor (`torch.dot`).
   *
   * @example
   * tensor([1, 2, 3]).dot(tensor([4, 5, 6])).item(); // 32
   */
  dot(other: Tensor): Tensor { return V.dot(this, other); }
  /**
   * The diagonal at `offset` of the planes of `dim1` and `dim2`, as a new last axis
   * (`torch.diagonal`; a copy, where PyTorch's is a view).
   *
   * @example
   * tensor([[1, 2, 3], [4, 5, 6]]).diagonal(1).toArray(); // [2, 6]
   */
  diagonal(offset = 0, dim1 = 0, dim2 = 1): Tensor { return V.diagonal(this, offset, dim1, dim2); }
  /** Sum of the main diagonal of a matrix, a 0-d tensor (`torch.trace`). */
  trace(): Tensor { return V.trace(this); }
  /**
   * A vector's square matrix with it on the diagonal at `offset`, or a matrix's diagonal (`torch.diag`).
   *
   * @example
   * tensor([1, 2]).diag().toArray(); // [[1, 0], [0, 2]]
   */
  diag(offset = 0): Tensor { return V.diag(this, offset); }

  // ---- movement ------------------------------------------------------------------------------
  /** A tensor with the same data and a new shape; one dimension may be -1. Shares storage. */
  reshape(...shape: (number | readonly number[])[]): Tensor {
    return this._p('reshape', [], { shape: C.resolveShape('reshape', this.size, shape) });
  }
  /** Same as `reshape` (storage is always contiguous, so every view is valid). */
  view(...shape: (number | readonly number[])[]): Tensor { return this.reshape(...shape); }
  /** Reshaped to `other`'s shape (`Tensor.view_as`). */
  viewAs(other: Tensor): Tensor { return this.reshape(other.shape); }
  /** Reshaped to `other`'s shape (`Tensor.reshape_as`). */
  reshapeAs(other: Tensor): Tensor { return this.reshape(other.shape); }
  /** Broadcast to `other`'s shape (`Tensor.expand_as`). */
  expandAs(other: Tensor): Tensor { return this.expand(other.shape); }
  /** Cast to `other`'s dtype (`Tensor.type_as`). */
  typeAs(other: Tensor): Tensor { return this.to(other.dtype); }
  /** This tensor itself: storage is always contiguous (`Tensor.contiguous`, for ported code). */
  contiguous(): Tensor { return this; }
  /**
   * Merges dims `startDim`..`endDim` (inclusive) into one.
   *
   * @example
   * zeros([2, 3, 4]).flatten(1).shape; // [2, 12]
   */
  flatten(startDim = 0, endDim = -1): Tensor { return C.flatten(this, startDim, endDim); }
  /**
   * Reorders the dims: output dim i is input dim `dims[i]`.
   *
   * @example
   * zeros([2, 3, 4]).permute(2, 0, 1).shape; // [4, 2, 3]
   */
  permute(...dims: (number | readonly number[])[]): Tensor {
    const perm = dims.flat().map((d) => normAxis('permute', d, this.ndim));
    return this._p('permute', [], { perm });
  }
  /** Swaps dims `dim0` and `dim1`. */
  transpose(dim0: number, dim1: number): Tensor {
    const a = normAxis('transpose', dim0, this.ndim);
    const b = normAxis('transpose', dim1, this.ndim);
    const perm = this.shape.map((_, i) => (i === a ? b : i === b ? a : i));
    return this._p('permute', [], { perm });
  }
  /** Same as `transpose` (`torch.swapaxes`). */
  swapaxes(axis0: number, axis1: number): Tensor { return this.transpose(axis0, axis1); }
  /** Same as `transpose` (`torch.swapdims`). */
  swapdims(dim0: number, dim1: number): Tensor { return this.transpose(dim0, dim1); }
  /**
   * Moves axes `source` to positions `destination`, the others keeping their order (`torch.movedim`).
   *
   * @example
   * zeros([2, 3, 4]).movedim(0, -1).shape; // [3, 4, 2]
   */
  movedim(source: number | readonly number[], destination: number | readonly number[]): Tensor { return V.movedim(this, source, destination); }
  /** Removes dimensions of size 1 (all of them, or the given ones). */
  squeeze(dim?: number | number[]): Tensor {
    const dims = dim === undefined ? this.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normAxes('squeeze', dim, this.ndim).filter((i) => this.shape[i] === 1);
    return this.reshape(this.shape.filter((_, i) => !dims.includes(i)));
  }
  /**
   * Inserts a dimension of size 1 at `dim`.
   *
   * @example
   * zeros([3]).unsqueeze(0).shape; // [1, 3]
   */
  unsqueeze(dim: number): Tensor {
    const d = normAxis('unsqueeze', dim, this.ndim + 1);
    const s = [...this.shape];
    s.splice(d, 0, 1);
    return this.reshape(s);
  }
  /** Broadcasts to `shape` (-1 keeps a dimension). */
  expand(...shape: (number | readonly number[])[]): Tensor {
    const s = shape.flat();
    const off = s.length - this.ndim;
    const full = s.map((d, i) => (d === -1 ? this.shape[i - off] : d));
    return this._p('expand', [], { shape: full });
  }
  /** Broadcasts to `shape` (same as `expand`). */
  broadcastTo(shape: readonly number[]): Tensor { return this.expand(shape); }
  /** Elements `start` (inclusive) to `end` (exclusive) along `dim`; negative indices count from the end. */
  slice(dim: number, start = 0, end?: number): Tensor { return C.slice(this, dim, start, end); }
  /** `length` elements along `dim` from `start` (PyTorch's `narrow`). */
  narrow(dim: number, start: number, length: number): Tensor {
    const d = normAxis('narrow', dim, this.ndim);
    const s = start < 0 ? start + this.shape[d] : start;
    return C.slice(this, d, s, s + length);
  }
  /**
   * Basic and integer indexing, one spec per leading dimension: a number selects (and drops the
   * dimension), `null` keeps it whole, a string slices Python-style (`'1:3'`, `'::2'`, `'::-1'`),
   * an int array or int32 tensor picks entries.
   *
   * @example
   * arange(12).reshape(3, 4).index(-1, '1:3'); // tensor([9, 10], dtype=int32)
   */
  index(...specs: IndexSpec[]): Tensor { return C.index(this, specs); }
  /** Picks entries along `dim` at the positions in `index` (PyTorch's `index_select`). */
  indexSelect(dim: number, index: Tensor | readonly number[]): Tensor { return C.indexSelect(this, dim, index); }
  /** Picks along `dim` the entries `index` names: out[i][j] = this[index[i][j]][j] for `dim` 0 (PyTorch's `gather`). */
  gather(dim: number, index: Tensor): Tensor { return this._p('gather', [index], { axis: normAxis('gather', dim, this.ndim) }); }
  /** Adds `src` into a copy of this tensor at the positions `index` gives along `dim`. */
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor {
    return this._p('scatterAdd', [index, src], { axis: normAxis('scatterAdd', dim, this.ndim) });
  }
  /** Splits into pieces of `size` (or of the listed sizes) along `dim`. */
  split(size: number | readonly number[], dim = 0): Tensor[] { return C.split(this, size, dim); }
  /** The slices along `dim`, that dimension removed; gradients flow back through one concatenation. @example randn([3, 4]).unbind(0).length // 3 */
  unbind(dim = 0): Tensor[] { return C.unbind(this, dim); }
  /** `chunks` pieces of equal size (the last may be smaller, and fewer pieces when they run out), as PyTorch's `chunk`. */
  chunk(chunks: number, dim = 0): Tensor[] {
    if (!(Number.isInteger(chunks) && chunks > 0)) throw new StrataError('chunk', `chunks must be a positive integer, got ${chunks}`);
    const d = normAxis('chunk', dim, this.ndim);
    const n = this.shape[d];
    // An empty dimension gives `chunks` empty pieces, as in PyTorch (a split of size 0 would give none).
    return C.split(this, n === 0 ? new Array<number>(chunks).fill(0) : Math.ceil(n / chunks), d);
  }
  /** Pads with a constant, PyTorch order: `[left, right]` for the last dim, then the one before... */
  pad(pads: readonly number[], value = 0): Tensor { return C.pad(this, pads, value); }
  /**
   * Reverses the order of elements along `dims`.
   *
   * @example
   * tensor([1, 2, 3]).flip(0).toArray(); // [3, 2, 1]
   */
  flip(dims: number | readonly number[]): Tensor { return this._p('flip', [], { axes: normAxes('flip', dims, this.ndim) }); }

  // ---- scans, sorting, norms, triangles, repetition, masks (see tensorops.ts) ----------
  /** Running sums along `dim`. @example tensor([1, 2, 3]).cumsum(0).toArray(); // [1, 3, 6] */
  cumsum(dim: number): Tensor { return Ops.cumsum(this, dim); }
  /** Running products along `dim`. @example tensor([1, 2, 3]).cumprod(0).toArray(); // [1, 2, 6] */
  cumprod(dim: number): Tensor { return Ops.cumprod(this, dim); }
  /** Product of all elements, or along `dim`. @example tensor([[1, 2], [3, 4]]).prod(1).toArray(); // [2, 12] */
  prod(dim?: number, keepdim = false): Tensor { return Ops.prod(this, dim, keepdim); }
  /**
   * The n-th forward difference along `dim` (after concatenating `prepend`/`append`).
   * @example tensor([1, 4, 9, 16]).diff().toArray(); // [3, 5, 7]
   */
  diff(n = 1, dim = -1, prepend?: TensorLike, append?: TensorLike): Tensor { return Ops.diff(this, n, dim, prepend, append); }
  /**
   * torch.norm for vectors: p a number (2, 1, ∞, −∞, 0, any real) or 'fro', over `dim` (all when omitted).
   * @example tensor([3, 4]).norm().item(); // 5
   */
  norm(p: number | 'fro' = 'fro', dim?: number | number[], keepdim = false): Tensor { return Ops.norm(this, p, dim, keepdim); }
  /**
   * Sorted along `dim` (stable; NaN last ascending, first descending), with the original positions.
   * @example tensor([3, 1, 2]).sort().indices.toArray(); // [1, 2, 0]
   */
  sort(dim = -1, descending = false): ValuesIndices { return Ops.sort(this, dim, descending); }
  /** The positions that sort along `dim` (stable). @example tensor([3, 1, 2]).argsort(-1, true).toArray(); // [0, 2, 1] */
  argsort(dim = -1, descending = false): Tensor { return Ops.argsort(this, dim, descending); }
  /**
   * The k largest (smallest with `largest` false) along `dim`, in order, with positions.
   * @example tensor([1, 9, 4, 7]).topk(2).values.toArray(); // [9, 7]
   */
  topk(k: number, dim = -1, largest = true, sorted = true): ValuesIndices { return Ops.topk(this, k, dim, largest, sorted); }
  /** The lower triangle of the last two dims. @example tensor([[1, 2], [3, 4]]).tril().toArray(); // [[1, 0], [3, 4]] */
  tril(diagonal = 0): Tensor { return Ops.tril(this, diagonal); }
  /** The upper triangle of the last two dims. @example tensor([[1, 2], [3, 4]]).triu(1).toArray(); // [[0, 2], [0, 0]] */
  triu(diagonal = 0): Tensor { return Ops.triu(this, diagonal); }
  /** Outer product of two 1-D tensors. @example tensor([1, 2]).outer(tensor([1, 10])).toArray(); // [[1, 10], [2, 20]] */
  outer(other: Tensor): Tensor { return Ops.outer(this, other); }
  /** Tiles along each dim (PyTorch's `repeat`). @example tensor([1, 2]).repeat(2, 2).toArray(); // [[1, 2, 1, 2], [1, 2, 1, 2]] */
  repeat(...reps: (number | readonly number[])[]): Tensor { return Ops.repeat(this, reps.flat()); }
  /** NumPy's tile. @example tensor([[1], [2]]).tile([2]).toArray(); // [[1, 1], [2, 2]] */
  tile(reps: readonly number[]): Tensor { return Ops.tile(this, reps); }
  /** Circular shift along `dims` (flattened when omitted). @example tensor([1, 2, 3]).roll(1).toArray(); // [3, 1, 2] */
  roll(shifts: number | readonly number[], dims?: number | readonly number[]): Tensor { return Ops.roll(this, shifts, dims); }
  /** `value` where `mask` is true. @example tensor([1, 2, 3]).maskedFill(tensor([true, false, true]), 0).toArray(); // [0, 2, 0] */
  maskedFill(mask: Tensor, value: number | Tensor): Tensor { return Ops.maskedFill(this, mask, value); }
  /** The entries where `mask` is true, 1-D (eager). @example tensor([1, 2, 3]).maskedSelect(tensor([true, false, true])).toArray(); // [1, 3] */
  maskedSelect(mask: Tensor): Tensor { return Ops.maskedSelect(this, mask); }
  /** int32 [count, ndim] positions of non-zero entries (eager). @example tensor([0, 3, 0, 4]).nonzero().toArray(); // [[1], [3]] */
  nonzero(): Tensor { return Ops.nonzero(this); }
  /** @example tensor([1, NaN]).isnan().toArray(); // [false, true] */
  isnan(): Tensor { return Ops.isnan(this); }
  /** @example tensor([1, Infinity, NaN]).isinf().toArray(); // [false, true, false] */
  isinf(): Tensor { return Ops.isinf(this); }
  /** @example tensor([1, Infinity, NaN]).isfinite().toArray(); // [true, false, false] */
  isfinite(): Tensor { return Ops.isfinite(this); }
  /**
   * NaN → `nan`, ±∞ → `posinf`/`neginf` (default: the dtype's largest/smallest finite values).
   * @example tensor([NaN, Infinity, 1]).nanToNum(0, 9).toArray(); // [0, 9, 1]
   */
  nanToNum(nan = 0, posinf?: number, neginf?: number): Tensor { return Ops.nanToNum(this, nan, posinf, neginf); }
  /**
   * The sum over `axis` (all when omitted) with NaN counted as 0 (`torch.nansum`); the gradient is 0 at the NaNs.
   * @example tensor([1, NaN, 2]).nansum().item(); // 3
   */
  nansum(axis?: number | number[], keepdim = false): Tensor { return Ops.nansum(this, axis, keepdim); }
  /**
   * The mean over `axis` of the elements that are not NaN (`torch.nanmean`); NaN where all are.
   * @example tensor([[1, NaN], [2, 4]]).nanmean(1).toArray(); // [1, 3]
   */
  nanmean(axis?: number | number[], keepdim = false): Tensor { return Ops.nanmean(this, axis, keepdim); }
  /**
   * Where this and `other` (broadcast) are close, as `torch.isclose`: equal (±∞ included), or
   * finitely apart by at most atol + rtol·|other|; NaN only with `equalNan`.
   * @example tensor([1, 1.001, Infinity, NaN]).isclose(tensor([1, 1, Infinity, NaN]), { rtol: 1e-4 }).toArray(); // [true, false, true, false]
   */
  isclose(other: TensorLike, opts: CloseOptions = {}): Tensor {
    return Ops.isclose(this, this._lift(other), opts.rtol ?? 1e-5, opts.atol ?? 1e-8, opts.equalNan ?? false);
  }
  /**
   * Whether every element is close to `other`'s (see `isclose`), as `torch.allclose`.
   * @example tensor([1, 2]).allclose(tensor([1, 2.000001])); // true
   */
  allclose(other: TensorLike, opts: CloseOptions = {}): boolean { return Boolean(this.isclose(other, opts).all().item()); }
  /**
   * How many elements along `axis` (all when omitted) are not zero, as int32 (`torch.count_nonzero`; NaN counts).
   * @example tensor([[0, 1], [2, NaN]]).countNonzero(1).toArray(); // [1, 2]
   */
  countNonzero(axis?: number | number[]): Tensor { return this.ne(0).to('int32').sum(axis); }
  /**
   * The running maximum along `dim` and its int32 positions (`torch.cummax`): a later equal value
   * takes over, and NaN, once met, stays. The gradient goes to the positions.
   *
   * @example
   * const { values, indices } = tensor([1, 3, 2, 3, 5]).cummax(0);
   * values.toArray(); // [1, 3, 3, 3, 5]
   * indices.toArray(); // [0, 1, 1, 3, 4]
   */
  cummax(dim: number): ValuesIndices { return cumExtremum('cummax', this, dim); }
  /**
   * The running minimum along `dim` and its int32 positions (`torch.cummin`), as `cummax`.
   *
   * @example
   * tensor([3, 1, 2, 0]).cummin(0).values.toArray(); // [3, 1, 1, 0]
   */
  cummin(dim: number): ValuesIndices { return cumExtremum('cummin', this, dim); }
  /**
   * Where each of `values` would be inserted into this sorted tensor's last dimension to keep it
   * sorted (`torch.searchsorted`), int32: before equal elements, or after them with `right`. A 1-D
   * tensor serves all of `values`; else its leading dimensions must be `values`'.
   *
   * @example
   * tensor([1, 3, 5, 7]).searchsorted(tensor([3, 6, 9])).toArray(); // [1, 3, 4]
   * tensor([1, 3, 5, 7]).searchsorted(tensor([3]), true).toArray(); // [2]
   */
  searchsorted(values: TensorLike, right = false): Tensor { return searchsorted(this, this._lift(values), right); }
  /**
   * The index of the bucket of `boundaries` (1-D, sorted) that each element falls in
   * (`torch.bucketize`), int32: boundaries[i − 1] < x ≤ boundaries[i], or boundaries[i − 1] ≤ x <
   * boundaries[i] with `right`.
   *
   * @example
   * tensor([0.5, 1, 2.5, 9]).bucketize(tensor([1, 2, 3])).toArray(); // [0, 0, 2, 3]
   */
  bucketize(boundaries: Tensor, right = false): Tensor {
    if (boundaries.ndim !== 1) throw new StrataError('bucketize', `boundaries must be 1-D, got ${fmtShape(boundaries.shape)}`);
    return searchsorted(boundaries, this, right);
  }
  /**
   * The Kronecker product with `other` (`torch.kron`): blocks of `other` scaled by each element of
   * this tensor, of shape [a₀b₀, a₁b₁, …].
   *
   * @example
   * tensor([[1, 2], [3, 4]]).kron(tensor([[1, 1]])).toArray(); // [[1, 1, 2, 2], [3, 3, 4, 4]]
   */
  kron(other: Tensor): Tensor { return kron(this, other); }
  /**
   * The cross product of 3-vectors along `dim` (the last by default), broadcasting
   * (`torch.linalg.cross`).
   *
   * @example
   * tensor([1, 0, 0]).cross(tensor([0, 1, 0])).toArray(); // [0, 0, 1]
   */
  cross(other: Tensor, dim = -1): Tensor { return cross(this, other, dim); }

  // ---- creation from this tensor's backend and dtype -----------------------------------------
  /** Zeros with this tensor's shape, dtype and backend. */
  zerosLike(): Tensor { return this.fullLike(0); }
  /** Ones with this tensor's shape, dtype and backend. */
  onesLike(): Tensor { return this.fullLike(1); }
  /** `value` with this tensor's shape, dtype and backend. */
  fullLike(value: number): Tensor { return Tensor._full(this.backend, value, this.shape, this.dtype); }
  /** A copy that does not share storage (gradients flow through it). @example tensor([1, 2]).clone().toArray(); // [1, 2] */
  clone(): Tensor { return this.ndim === 0 ? this.add(0) : this._p('slice', [], { starts: this.shape.map(() => 0), ends: [...this.shape] }); }

  // ---- readback ------------------------------------------------------------------------------
  /** A copy of the values, row-major. */
  dataSync(): TypedArray {
    if (this.isDisposed) throw new StrataError('dataSync', `tensor ${fmtShape(this.shape)} was disposed`);
    return this.backend.read(this._storage.buf);
  }
  /** Asynchronous readback (the same on CPU backends; GPU backends will need it). */
  async data(): Promise<TypedArray> { return this.dataSync(); }
  /** The value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new StrataError('item', `only one-element tensors can be converted to a number, got ${fmtShape(this.shape)}`);
    return this.dataSync()[0];
  }
  /** Nested arrays (booleans for bool tensors), like PyTorch's `tolist`. */
  toArray(): C.Nested { return C.nest(this.dataSync(), this.shape, this.dtype); }
  /** A printable view of the values, shape, dtype and grad function, like PyTorch's `repr`. */
  toString(): string { return formatTensor(this.dataSync(), this.shape, this.dtype, this._node?.name, this._requiresGrad); }
}

// the derivative rules in src/ir apply primitives and ask about the tape through this (they sit below this layer)
setRuleContext({
  apply: (prim, ins, attrs) => Tensor._apply(prim, ins, attrs),
  differentiated: (ts) => willRecord(ts) || activeLevels().some((l) => ts.some((t) => t._tangents?.has(l))),
});
