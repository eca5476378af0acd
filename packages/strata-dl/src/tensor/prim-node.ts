// SPDX-License-Identifier: MIT
import type { GradNode } from '../autograd/engine.js';
import type { Prim, PrimAttrs } from '../ir/prims.js';
import { VJP } from '../ir/rules.js';
import type { Tensor } from './tensor.js';

/**
 * The tape node of one applied primitive: its inputs, output and attributes, with the primitive's
 * derivative rule as a method (one object per recorded op rather than an object and a closure).
 * `vjp` reads `this`: code that takes it off the node must call it through the node.
 */
export class PrimNode<P extends Prim> implements GradNode {
  constructor(readonly name: P, public inputs: Tensor[] | null, public out: Tensor | null, readonly attrs: PrimAttrs[P]) {}

  vjp(g: Tensor, inputs: readonly Tensor[], out: Tensor, needs: readonly boolean[]): (Tensor | null)[] {
    return VJP[this.name](g, inputs, out, this.attrs, needs);
  }
}
