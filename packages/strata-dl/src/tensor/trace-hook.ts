// SPDX-License-Identifier: MIT
// The one hook point of graph capture (ONNX export): `Tensor._apply` reports each primitive it ran to
// the observer installed here. While no observer is installed the cost is one null check per op.
import { noGrad } from '../autograd/mode.js';
import type { Prim, PrimAttrs } from '../ir/prims.js';
import type { Tensor } from './tensor.js';

/** Receives every primitive applied while it is installed: its inputs, attributes and output. */
export type PrimObserver = <P extends Prim>(prim: P, ins: readonly Tensor[], attrs: PrimAttrs[P], out: Tensor) => void;

/** @internal The installed observer, or null (read directly by `Tensor._apply`). */
export let primObserver: PrimObserver | null = null;

/**
 * @internal Runs `fn` without recording gradients, with `observer` receiving every primitive, then
 * restores the previous observer.
 * Fused shortcuts that skip primitives (the recurrent cells) check `primObserver` and take their
 * primitive path instead, so that a trace sees the whole computation.
 */
export function observePrims<T>(observer: PrimObserver, fn: () => T): T {
  const previous = primObserver;
  primObserver = observer;
  try {
    return noGrad(fn);
  } finally {
    primObserver = previous;
  }
}
