// SPDX-License-Identifier: MIT
// What a derivative rule may ask of the layers above it. The rules sit below autograd and the tensor
// layer (which import them), so they cannot import `Tensor`'s methods or the tape's state; the tensor
// layer hands both down when it loads (dependency inversion: a value import from here would be a cycle).
import { StrataError } from '../core/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Prim, PrimAttrs } from './prims.js';

/** The tensor layer's side of the rules. */
export interface RuleContext {
  /** Applies a primitive: shape rule, kernel, tape and tangents, as every op does. */
  apply<P extends Prim>(prim: P, inputs: readonly Tensor[], attrs: PrimAttrs[P]): Tensor;
  /** Whether results computed from `ts` will be differentiated again (a recording tape or a live tangent). */
  differentiated(ts: readonly Tensor[]): boolean;
}

let context: RuleContext | null = null;

/** Called once by the tensor layer when it loads. */
export function setRuleContext(c: RuleContext): void { context = c; }

function ctx(what: string): RuleContext {
  if (context === null) throw new StrataError(what, 'a derivative rule ran before the tensor layer was loaded');
  return context;
}

/** Applies primitive `prim` to `inputs` (the first is the receiver) from inside a derivative rule. */
export function bind<P extends Prim>(prim: P, inputs: readonly Tensor[], attrs: PrimAttrs[P]): Tensor {
  return ctx(prim).apply(prim, inputs, attrs);
}

/** Whether what a rule returns from `ts` will itself be differentiated (cumprod's exact zeros need it). */
export function differentiated(...ts: Tensor[]): boolean {
  return ctx('differentiated').differentiated(ts);
}
