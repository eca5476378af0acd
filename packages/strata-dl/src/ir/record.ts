// SPDX-License-Identifier: MIT
// The shape of a primitive's record: everything about a primitive that is not a kernel, in one
// place (the family files beside this one hold the records).
import type { DType } from '../core/dtype.js';
import type { Shape } from '../core/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Prim, PrimAttrs } from './prims.js';

export interface Meta { readonly shape: Shape; readonly dtype: DType }
/** A shape rule's result. The shape may be an input's own (frozen) shape array, returned as it is. */
export interface OutMeta { shape: Shape; dtype: DType }

type Grads = (Tensor | null)[];
/**
 * A derivative rule: the gradient of each input from the output's gradient `g`, written with
 * differentiable tensor ops (so gradients of gradients work). A gradient may keep the output's
 * broadcast shape: the engine sums it down to its input's shape (so `add`'s rule is `(g) => [g, g]`).
 * `needs[i]` says whether input i wants one (null where it does not).
 */
export type VjpRule<P extends Prim> = (g: Tensor, ins: readonly Tensor[], out: Tensor, attrs: PrimAttrs[P], needs: readonly boolean[]) => Grads;
/** A tangent rule: the output's tangent from the inputs' tangents (null for a zero tangent). */
export type JvpRule<P extends Prim> = (ts: readonly (Tensor | null)[], ins: readonly Tensor[], out: Tensor, attrs: PrimAttrs[P]) => Tensor | null;

/**
 * How heavy a primitive's kernel is per element, which sets how many elements a thread must have
 * before a kernel is shared out: `light` (a few instructions: add, relu), `heavy` (a polynomial or a
 * loop per element: exp, pow).
 */
export type Cost = 'light' | 'heavy';

interface RecordBase<P extends Prim> {
  /** Output shape and dtype; validates the inputs and throws errors that name the op. */
  readonly shape: (ins: readonly Meta[], attrs: PrimAttrs[P]) => OutMeta;
  /** Takes int32 input as well as floats (elementwise ops: all binary ones but atan2 and fmod; others say so in their shape rule). */
  readonly intOk?: boolean;
  readonly cost: Cost;
  /**
   * The interval random test inputs are drawn from where the whole real line will not do (log and
   * sqrt: mostly positive; exp: wide enough to overflow); absent: the tests' default.
   */
  readonly domain?: readonly [number, number];
}
/** A differentiable primitive: its VJP and JVP side by side. */
interface Differentiable<P extends Prim> extends RecordBase<P> {
  readonly differentiable: true;
  readonly vjp: VjpRule<P>;
  readonly jvp: JvpRule<P>;
}
/** A primitive whose output carries no gradient (an integer or boolean result, or a step function). */
interface NonDifferentiable<P extends Prim> extends RecordBase<P> {
  readonly differentiable: false;
}
/** Everything about primitive P but its kernels. */
export type PrimRecord<P extends Prim> = Differentiable<P> | NonDifferentiable<P>;

/** A family's records: one per key of its attribute interface (a missing one is a compile error naming it). */
export type Records<A> = { readonly [P in keyof A & Prim]: PrimRecord<P> };
