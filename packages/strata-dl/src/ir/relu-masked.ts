// SPDX-License-Identifier: MIT
// Gradients that a fused backward kernel has already passed through ReLU's backward. A ReLU's
// backward, reluGrad(g, y) = y <= 0 ? 0 : g, is a full pass over the activation (read g and y,
// write the result); where the kernel that makes g knows that g goes next through reluGrad at y
// (tensor/relu-follows.ts), it zeroes those elements itself while they are in cache and marks g
// here, and the ReLU's rule (the relu primitive's, or the conv primitive's with `relu`) then skips
// its pass. reluGrad is elementwise and idempotent, so the result's bits are the same.
import { bind } from './bind.js';
import type { Buf } from '../backend/backend.js';
import type { Tensor } from '../tensor/tensor.js';

/** g's buffer -> the buffer of the ReLU output y that g was masked by. */
const maskedBy = new WeakMap<Buf, Buf>();
let enabled = true;

/** Records that `g` is already reluGrad(·, y) (returns g). A reshape shares its buffer, so the mark sees through reshapes. */
export function markReluMasked(g: Tensor, y: Tensor): Tensor {
  maskedBy.set(g.buf, y.buf);
  return g;
}

/** ReLU's backward at output `y`: reluGrad(g, y), or g itself where a kernel has already masked it. */
export function reluGradOf(g: Tensor, y: Tensor): Tensor {
  return maskedBy.get(g.buf) === y.buf && g.size === y.size ? g : bind('reluGrad', [g, y], {});
}

/**
 * @internal Whether fused kernels may mask gradients (true unless a test turns it off to compare
 * with the unmasked passes; tensor/relu-follows.ts then says no). Returns the previous setting.
 */
export function setReluMasking(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

/** @internal Whether fused kernels may mask gradients (see setReluMasking). */
export const reluMaskingOn = (): boolean => enabled;
