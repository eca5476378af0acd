// SPDX-License-Identifier: MIT
// Graph capture: runs a forward pass with an observer on `Tensor._apply` and keeps the primitive
// steps in order. Every op in Strata is a composite of the closed primitive set (ir/prims.ts), so the
// steps are the whole computation; tensors that no step produced are the input, parameters and
// constants.
import { observePrims } from '../../tensor/trace-hook.js';
import type { Prim, PrimAttrs } from '../../ir/prims.js';
import { Tensor } from '../../tensor/tensor.js';

/** One primitive the forward pass applied. */
export interface Step {
  readonly prim: Prim;
  readonly ins: readonly Tensor[];
  readonly attrs: PrimAttrs[Prim];
  readonly out: Tensor;
}

/** What a forward pass may return: a tensor, or tensors nested in arrays (`[out, [h, c]]`). */
export type TraceResult = Tensor | readonly TraceResult[];

export interface Trace {
  readonly steps: readonly Step[];
  /** The outputs, flattened in order. */
  readonly outputs: readonly Tensor[];
}

function flatten(r: TraceResult): Tensor[] {
  return r instanceof Tensor ? [r] : r.flatMap(flatten);
}

/** Runs `fn` (without a gradient tape) while recording every primitive it applies. Call it inside `scoped`. */
export function capture(fn: () => TraceResult): Trace {
  const steps: Step[] = [];
  const result = observePrims((prim, ins, attrs, out) => { steps.push({ prim, ins, attrs, out }); }, fn);
  return { steps, outputs: flatten(result) };
}
