// SPDX-License-Identifier: MIT
// PyTorch's F.pad with its modes. Constant padding is the pad primitive; the others are built from
// slices (flipped for reflect), so their gradients fold the borders back onto the input.
import { StrataError, fmtShape } from '../../core/errors.js';
import { cat } from '../../tensor/composite.js';
import type { Tensor } from '../../tensor/tensor.js';

/** How `pad` fills: a constant, a mirror image, the edge value, or wrapping around. */
export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

/**
 * Pads the trailing dimensions of `x`: `pads` is `[left, right]` for the last dimension, then
 * `[top, bottom]` for the one before, and so on (PyTorch's order). Modes: `'constant'` (`value`,
 * negative pads crop), `'reflect'` (mirror without repeating the edge: pads < size), `'replicate'`
 * (repeat the edge), `'circular'` (wrap around: pads ≤ size). Any number of trailing dimensions
 * may be padded in every mode (PyTorch limits the non-constant modes to 1–3 of them).
 *
 * @example pad(tensor([[1, 2, 3]]), [2, 1], 'reflect').toArray(); // [[3, 2, 1, 2, 3, 2]]
 */
export function pad(x: Tensor, pads: readonly number[], mode: PadMode = 'constant', value = 0): Tensor {
  if (pads.length % 2 !== 0 || pads.length / 2 > x.ndim || !pads.every(Number.isInteger)) {
    throw new StrataError('pad', `pads must be integer (before, after) pairs for up to ${x.ndim} dimensions of input ${fmtShape(x.shape)}, got [${pads.join(',')}]`);
  }
  if (mode === 'constant') return constantPad(x, pads, value);
  if (mode !== 'reflect' && mode !== 'replicate' && mode !== 'circular') throw new StrataError('pad', `mode must be 'constant', 'reflect', 'replicate' or 'circular', got '${String(mode)}'`);
  let y = x;
  for (let i = 0; i < pads.length / 2; i++) {
    const dim = x.ndim - 1 - i;
    const [before, after] = [pads[2 * i], pads[2 * i + 1]];
    const n = x.shape[dim];
    if (before < 0 || after < 0) throw new StrataError('pad', `mode '${mode}' needs non-negative pads, got [${pads.join(',')}]`);
    if (before === 0 && after === 0) continue;
    const limit = mode === 'reflect' ? n - 1 : mode === 'circular' ? n : Infinity;
    if (n === 0 || before > limit || after > limit) {
      throw new StrataError('pad', `mode '${mode}': pads (${before}, ${after}) of dimension ${dim} must be ${mode === 'reflect' ? 'smaller than' : 'at most'} its size ${n} (input ${fmtShape(x.shape)})`);
    }
    const parts: Tensor[] = [];
    if (before > 0) parts.push(edge(y, dim, mode, before, true));
    parts.push(y);
    if (after > 0) parts.push(edge(y, dim, mode, after, false));
    y = cat(parts, dim);
  }
  return y;
}

/** The `count` elements to put before (`front`) or after dimension `dim` of `x`. */
function edge(x: Tensor, dim: number, mode: 'reflect' | 'replicate' | 'circular', count: number, front: boolean): Tensor {
  const n = x.shape[dim];
  if (mode === 'replicate') {
    const shape = x.shape.map((d, i) => (i === dim ? count : d));
    return (front ? x.slice(dim, 0, 1) : x.slice(dim, n - 1, n)).expand(shape);
  }
  if (mode === 'circular') return front ? x.slice(dim, n - count, n) : x.slice(dim, 0, count);
  return (front ? x.slice(dim, 1, count + 1) : x.slice(dim, n - 1 - count, n - 1)).flip(dim);
}

/** Constant padding; negative pads crop, as PyTorch. */
function constantPad(x: Tensor, pads: readonly number[], value: number): Tensor {
  const grow = pads.map((p) => Math.max(p, 0));
  let y = grow.some((p) => p > 0) ? x.pad(grow, value) : x;
  for (let i = 0; i < pads.length / 2; i++) {
    const dim = x.ndim - 1 - i;
    const [before, after] = [pads[2 * i], pads[2 * i + 1]];
    if (before >= 0 && after >= 0) continue;
    const len = y.shape[dim];
    const start = Math.max(-before, 0);
    const end = len - Math.max(-after, 0);
    if (end < start) throw new StrataError('pad', `pads [${pads.join(',')}] crop dimension ${dim} of input ${fmtShape(x.shape)} below size 0`);
    y = y.slice(dim, start, end);
  }
  return y;
}
