// SPDX-License-Identifier: MIT
import { isFloat } from '../core/dtype.js';
import { StrataError, fmtShape } from '../core/errors.js';
import { Generator } from '../core/rng.js';
import { noGrad } from '../autograd/mode.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { grad, jvp, vjp, type TensorFn } from '../tensor/transforms.js';

/** Options of `gradcheck`, `gradgradcheck` and `jvpcheck`. */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance. */
  atol?: number;
  /** Relative tolerance. */
  rtol?: number;
  /** Seed of the random output weights. */
  seed?: number;
  /** Throw on failure (default true); otherwise just return the report. */
  raise?: boolean;
}

/** The result of a gradient check. */
export interface GradcheckReport {
  /** Whether every derivative matched within tolerance. */
  ok: boolean;
  /** The element whose analytic and numeric derivatives disagree most (relative to the tolerance). */
  worst: { input: number; index: number[]; analytic: number; numeric: number } | null;
}


/**
 * Copies inputs to float64 on their own backends (non-float inputs, such as indices, keep their
 * dtype), so that a function closing over a model's parameters (made float64 with
 * `model.double()`) meets its inputs where the parameters live.
 */
export function toFloat64(inputs: readonly Tensor[]): Tensor[] {
  return inputs.map((x) => tensor(x.dataSync(), { shape: x.shape, dtype: isFloat(x.dtype) ? 'float64' : x.dtype, backend: x.backend.name }));
}

/** Standard normal values in `like`'s shape, float64, on its backend. */
const normalLike = (g: Generator, like: Tensor): Tensor =>
  tensor(Float64Array.from({ length: like.size }, () => g.normal()), { shape: like.shape, backend: like.backend.name });

function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return idx;
}

/**
 * Checks reverse-mode gradients of `f` against central finite differences in float64.
 * `f` may return any shape: it is reduced with fixed random weights u, so what is checked is
 * Jᵀu for every input element. Reports the worst element with both values.
 */
export function gradcheck(f: TensorFn, inputs: readonly Tensor[], opts: GradcheckOptions = {}): GradcheckReport {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-4, seed = 0, raise = true } = opts;
  const xs = toFloat64(inputs);
  const g = new Generator(seed);
  const out0 = noGrad(() => f(...xs));
  const u = normalLike(g, out0);
  const loss = (...a: Tensor[]): Tensor => f(...a).mul(u).sum();
  const diff = xs.flatMap((x, i) => (isFloat(x.dtype) ? [i] : []));
  const analytic = grad(loss, { argnums: diff })(...xs);
  let worst: GradcheckReport['worst'] = null;
  let worstRatio = -1;
  diff.forEach((xi, k) => {
    const base = xs[xi].dataSync();
    const an = analytic[k].dataSync();
    for (let j = 0; j < base.length; j++) {
      const at = (delta: number): number => {
        const v = Float64Array.from(base);
        v[j] += delta;
        const args = xs.map((x, i) => (i === xi ? tensor(v, { shape: x.shape, backend: x.backend.name }) : x));
        return noGrad(() => loss(...args)).item();
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      const ratio = Math.abs(an[j] - numeric) / (atol + rtol * Math.abs(numeric));
      if (ratio > worstRatio || Number.isNaN(ratio)) {
        worstRatio = Number.isNaN(ratio) ? Infinity : ratio;
        worst = { input: xi, index: unravel(j, xs[xi].shape), analytic: an[j], numeric };
      }
    }
  });
  const ok = worstRatio <= 1;
  if (!ok && raise && worst) {
    const w: NonNullable<GradcheckReport['worst']> = worst;
    throw new StrataError('gradcheck', `input ${w.input} ${fmtShape(xs[w.input].shape)} at [${w.index.join(',')}]: analytic ${w.analytic} vs numeric ${w.numeric}`);
  }
  return { ok, worst };
}

/**
 * Second derivatives: gradcheck of x ↦ Σ ∇(u·f)(x)·w, which differentiates the backward pass itself.
 */
export function gradgradcheck(f: TensorFn, inputs: readonly Tensor[], opts: GradcheckOptions = {}): GradcheckReport {
  const xs = toFloat64(inputs);
  const g = new Generator((opts.seed ?? 0) + 1);
  const out0 = noGrad(() => f(...xs));
  const u = normalLike(g, out0);
  const diff = xs.flatMap((x, i) => (isFloat(x.dtype) ? [i] : []));
  const ws = diff.map((i) => normalLike(g, xs[i]));
  const second = (...a: Tensor[]): Tensor => {
    const gs = grad((...b: Tensor[]) => f(...b).mul(u).sum(), { argnums: diff })(...a);
    return gs.map((gi, k) => gi.mul(ws[k]).sum()).reduce((p, q) => p.add(q));
  };
  return gradcheck(second, xs, opts);
}

/**
 * Forward mode against reverse mode: ⟨u, J·v⟩ from `jvp` must equal ⟨Jᵀ·u, v⟩ from `vjp`
 * for random u and v. Returns both numbers; throws when they differ beyond the tolerance.
 */
export function jvpcheck(f: TensorFn, inputs: readonly Tensor[], opts: GradcheckOptions = {}): { forward: number; reverse: number } {
  const { atol = 1e-8, rtol = 1e-6, seed = 0, raise = true } = opts;
  const xs = toFloat64(inputs);
  const g = new Generator(seed + 2);
  const diff = xs.flatMap((x, i) => (isFloat(x.dtype) ? [i] : []));
  const vs = diff.map((i) => normalLike(g, xs[i]));
  const partial = (...a: Tensor[]): Tensor => f(...xs.map((x, i) => (diff.includes(i) ? a[diff.indexOf(i)] : x)));
  const prim = diff.map((i) => xs[i]);
  const [y, ty] = jvp(partial, prim, vs);
  const u = normalLike(g, y);
  const forward = ty.mul(u).sum().item();
  const [, pullback] = vjp(partial, ...prim);
  const reverse = pullback(u).map((gi, k) => gi.mul(vs[k]).sum().item()).reduce((p, q) => p + q, 0);
  if (raise && !(Math.abs(forward - reverse) <= atol + rtol * Math.abs(reverse))) {
    throw new StrataError('jvpcheck', `forward mode gives ${forward}, reverse mode ${reverse}`);
  }
  return { forward, reverse };
}
