// SPDX-License-Identifier: MIT
// Functional transforms in the style of JAX: grad, valueAndGrad, vjp, jvp, plus custom ops.
import { isFloat } from '../core/dtype.js';
import { StrataError, fmtShape } from '../core/errors.js';
import { runBackward } from '../autograd/engine.js';
import {
  activeLevels, belowLevel, enableGrad, inFunctionalTransform, isGradEnabled, noGrad, willRecord, withFunctionalTransform, withNewLevel, withoutLevels,
} from '../autograd/mode.js';
import { tensor } from './creation.js';
import { GroupedOp } from './grouped-op.js';
import { Tensor } from './tensor.js';

/** An argument of a transformed function: a tensor, or a number (made a float32 tensor). */
export type Arg = Tensor | number;
/** A function of tensors to a tensor: what `grad`, `vjp`, `jvp` and `hvp` differentiate. */
export type TensorFn = (...args: Tensor[]) => Tensor;

/** Options of `grad` and `valueAndGrad`. */
export interface GradOptions {
  /** Which positional arguments to differentiate (default 0). An array gives an array of gradients. */
  argnums?: number | readonly number[];
}

function toTensor(op: string, a: Arg, i: number): Tensor {
  if (a instanceof Tensor) return a;
  if (typeof a === 'number') return tensor(a);
  throw new StrataError(op, `argument ${i} must be a Tensor or a number`);
}

/**
 * A fresh tensor to differentiate with respect to. If `x` is on an outer tape or carries tangents,
 * the alias is recorded (an identity reshape), so outer transforms differentiate through this one.
 */
function track(op: string, x: Tensor, i: number): Tensor {
  if (!isFloat(x.dtype)) throw new StrataError(op, `argument ${i} must be floating point to differentiate, got ${x.dtype}`);
  if ((x.requiresGrad && isGradEnabled()) || x._tangents) {
    const a = enableGrad(() => x.reshape(x.shape));
    if (!a.requiresGrad) a.requiresGrad = true;
    return a;
  }
  return x.detach().requiresGrad_(true);
}

/** Whether an enclosing transform or tape needs this transform's gradients to be differentiable. */
function outerTracking(xs: readonly Tensor[]): boolean {
  return isGradEnabled() && (inFunctionalTransform() || xs.some((x) => x.requiresGrad));
}

function argnumList(op: string, argnums: number | readonly number[], n: number): number[] {
  const list = typeof argnums === 'number' ? [argnums] : [...argnums];
  for (const a of list) if (!Number.isInteger(a) || a < 0 || a >= n) throw new StrataError(op, `argnums ${a} is out of range for ${n} arguments`);
  return list;
}

/**
 * `f` and its gradient together: returns `[value, gradient]` (an array of gradients when `argnums` is an array).
 *
 * @example
 * const [v, g] = valueAndGrad((x: Tensor) => x.mul(x).sum())(tensor([1, 2])); // v = 5, g = [2, 4]
 */
export function valueAndGrad(f: TensorFn, opts: { argnums: readonly number[] }): (...args: Arg[]) => [Tensor, Tensor[]];
export function valueAndGrad(f: TensorFn, opts?: { argnums?: number }): (...args: Arg[]) => [Tensor, Tensor];
export function valueAndGrad(f: TensorFn, opts: GradOptions = {}): (...args: Arg[]) => [Tensor, Tensor | Tensor[]] {
  return (...args: Arg[]) => {
    const xs = args.map((a, i) => toTensor('grad', a, i));
    const nums = argnumList('grad', opts.argnums ?? 0, xs.length);
    const keep = outerTracking(xs);
    const tracked = xs.map((x, i) => (nums.includes(i) ? track('grad', x, i) : x));
    const y = withFunctionalTransform(() => enableGrad(() => f(...tracked)));
    if (!(y instanceof Tensor) || y.size !== 1 || !isFloat(y.dtype)) {
      throw new StrataError('grad', `f must return a floating-point scalar tensor, got ${y instanceof Tensor ? `${y.dtype} ${fmtShape(y.shape)}` : typeof y}`);
    }
    const targets = nums.map((i) => tracked[i]);
    const gs = y.requiresGrad ? runBackward([y], [y.onesLike()], { createGraph: keep, retainGraph: keep }, targets) : new Map<Tensor, Tensor>();
    const grads = targets.map((t) => gs.get(t) ?? t.zerosLike());
    const value = keep ? y : y.detach();
    return [value, typeof opts.argnums === 'object' ? grads : grads[0]];
  };
}

/**
 * The gradient function of a scalar function, as in JAX: `grad(f)(x)`.
 *
 * @example
 * const df = grad((x: Tensor) => x.sin().sum());
 * df(tensor([0])); // tensor([1.0000])
 */
export function grad(f: TensorFn, opts: { argnums: readonly number[] }): (...args: Arg[]) => Tensor[];
export function grad(f: TensorFn, opts?: { argnums?: number }): (...args: Arg[]) => Tensor;
export function grad(f: TensorFn, opts: GradOptions = {}): (...args: Arg[]) => Tensor | Tensor[] {
  const vg = valueAndGrad(f, opts as { argnums?: number });
  return (...args: Arg[]) => vg(...args)[1];
}

/**
 * Reverse mode for any output shape: returns `[value, pullback]`, where `pullback(cotangent)`
 * gives one gradient per primal. The pullback can be called many times.
 */
export function vjp(f: TensorFn, ...primals: Arg[]): [Tensor, (cotangent: Tensor) => Tensor[]] {
  const xs = primals.map((a, i) => toTensor('vjp', a, i));
  const keep = outerTracking(xs);
  const tracked = xs.map((x, i) => track('vjp', x, i));
  const y = withFunctionalTransform(() => enableGrad(() => f(...tracked)));
  const pullback = (ct: Tensor): Tensor[] => {
    if (ct.shape.join() !== y.shape.join()) throw new StrataError('vjp', `cotangent ${fmtShape(ct.shape)} does not match output ${fmtShape(y.shape)}`);
    if (!y.requiresGrad) return tracked.map((t) => t.zerosLike());
    const gs = runBackward([y], [ct.to(y.dtype)], { retainGraph: true, createGraph: keep || inFunctionalTransform() }, tracked);
    return tracked.map((t) => gs.get(t) ?? t.zerosLike());
  };
  return [keep ? y : y.detach(), pullback];
}

/**
 * Forward mode: the value of `f` at `primals` and its directional derivative along `tangents`,
 * returned as `[value, tangent]`. Nests with itself and with the reverse-mode transforms.
 *
 * @example
 * const [y, dy] = jvp((x: Tensor) => x.exp(), [tensor([0])], [tensor([1])]); // dy = [1]
 */
export function jvp(f: TensorFn, primals: readonly Arg[], tangents: readonly Arg[]): [Tensor, Tensor] {
  if (primals.length !== tangents.length) throw new StrataError('jvp', `${primals.length} primals but ${tangents.length} tangents`);
  return withNewLevel((level) => {
    const xs = primals.map((p, i) => {
      const x = toTensor('jvp', p, i);
      const t = toTensor('jvp', tangents[i], i);
      if (t.shape.join() !== x.shape.join()) throw new StrataError('jvp', `tangent ${i} has shape ${fmtShape(t.shape)}, primal ${fmtShape(x.shape)}`);
      if (!isFloat(x.dtype)) throw new StrataError('jvp', `primal ${i} must be floating point, got ${x.dtype}`);
      const alias = x.reshape(x.shape);
      alias._setTangent(level, t);
      return alias;
    });
    const y = f(...xs);
    const t = y._tangents?.get(level) ?? belowLevel(level, () => y.zerosLike());
    y._tangents?.delete(level);
    return [y, t];
  });
}

/** Hessian-vector product H(x)·v of a scalar function, by forward-over-reverse. */
export function hvp(f: TensorFn, x: Tensor, v: Tensor): Tensor {
  return jvp((xx) => grad(f)(xx), [x], [v])[1];
}

/** A differentiable op defined by its forward and backward (see `customOp`; PyTorch's `autograd.Function`). */
export interface CustomOpSpec {
  /** Name shown as the result's `gradFn` and in errors. */
  name: string;
  /** Computes the output; runs without recording the tape. */
  forward: (...inputs: Tensor[]) => Tensor;
  /** Gradient for each input given the output's gradient; written with tensor ops it is itself differentiable. */
  backward: (g: Tensor, ctx: { inputs: readonly Tensor[]; output: Tensor; needs: readonly boolean[] }) => (Tensor | null)[];
  /** Optional tangent rule; without it, forward mode differentiates `forward` itself. */
  jvp?: (tangents: readonly (Tensor | null)[], ctx: { inputs: readonly Tensor[]; output: Tensor }) => Tensor;
}

/**
 * An op with a hand-written derivative, for numerically stable special cases (PyTorch's
 * `autograd.Function`, JAX's `custom_vjp`).
 *
 * @example
 * const softplus = customOp({
 *   name: 'softplus',
 *   forward: (x) => x.maximum(0).add(x.abs().neg().exp().add(1).log()),
 *   backward: (g, { inputs: [x] }) => [g.mul(x.sigmoid())],
 * });
 */
export function customOp(spec: CustomOpSpec): (...inputs: Tensor[]) => Tensor {
  return (...inputs: Tensor[]) => {
    const raw = spec.jvp ? withoutLevels(() => noGrad(() => spec.forward(...inputs))) : noGrad(() => spec.forward(...inputs));
    const out = raw.detach();
    if (spec.jvp) {
      for (const level of activeLevels()) {
        const ts = inputs.map((t) => t._tangents?.get(level) ?? null);
        if (ts.some((t) => t !== null)) out._setTangent(level, belowLevel(level, () => spec.jvp!(ts, { inputs, output: out })));
      }
    } else if (raw._tangents) out._tangents = new Map(raw._tangents);
    if (isFloat(out.dtype) && willRecord(inputs)) {
      // a grouped op of one output with nothing deferred: the backward is the output's own
      new GroupedOp({ name: spec.name, size: 1 }).join(out, 0, { inputs, vjp: (g, ins, o, needs) => spec.backward(g, { inputs: ins, output: o, needs }), opaque: true });
    }
    return out;
  };
}
