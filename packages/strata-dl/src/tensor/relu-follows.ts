// SPDX-License-Identifier: MIT
import { sweepReturns } from '../autograd/engine.js';
import { reluMaskingOn } from '../ir/relu-masked.js';
import { PrimNode } from './prim-node.js';
import type { Tensor } from './tensor.js';

/**
 * Whether the gradient that the running backward sweep sends to `x` goes next, through nothing but
 * reshapes, into ReLU's backward at x: x is the output of the relu primitive, or of the conv
 * primitive with its ReLU epilogue (seen through reshapes, which share x's buffer), and no tensor
 * on the way is one whose gradient the sweep returns (`grad`'s inputs). Then a kernel making that
 * gradient may zero it where x <= 0 itself and mark it (ir/relu-masked.ts): the ReLU's rule skips
 * its pass. If x has other consumers, their gradients are summed into a new tensor first, which
 * is not marked, and the rule applies reluGrad to the sum, which the early zeros do not change.
 */
export function reluFollows(x: Tensor): boolean {
  if (!reluMaskingOn()) return false;
  let t = x;
  for (;;) {
    if (sweepReturns(t)) return false;
    const node = t._node;
    if (!(node instanceof PrimNode) || node.inputs === null || t.buf !== x.buf) return false;
    if (node.name === 'reshape') {
      t = node.inputs[0];
      continue;
    }
    return node.name === 'relu' || (node.name === 'conv' && (node as PrimNode<'conv'>).attrs.relu === true);
  }
}
