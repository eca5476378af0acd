// SPDX-License-Identifier: MIT
// What the fused cells (fused-lstm.ts, fused-gru.ts) share: the buffers behind tensors (fresh ones
// for a kernel to write come from Tensor._uninit), and when the kernels may run.
import type { Buf, FusedCells } from '../../backend/backend.js';
import { activeLevels, isGradEnabled } from '../../autograd/mode.js';
import type { Tensor } from '../../tensor/tensor.js';
import { primObserver } from '../../tensor/trace-hook.js';

export const bufOf = (t: Tensor): Buf => t._storage.buf;

/**
 * The fused kernels of `ts[0]`'s backend for a step on `ts` (gate tensors [N, G·H] first, then
 * [N, H] states): none carries forward-mode tangents, all are 2-D on that backend in a dtype the
 * kernels take, none is disposed, and the gate tensors have `gates`·H columns for the states' H.
 */
export function cellKernels(gates: number, gateInputs: readonly Tensor[], states: readonly Tensor[]): FusedCells | null {
  const all = [...gateInputs, ...states];
  const first = all[0];
  if (primObserver !== null) return null; // a graph capture must see the cell's primitives
  const cells = first.backend.cells;
  if (!cells || !cells.dtypes.includes(first.dtype)) return null;
  const [n, h] = states[0].shape;
  for (const t of all) {
    if (t.ndim !== 2 || t.backend !== first.backend || t.dtype !== first.dtype || t.isDisposed) return null;
    if (t._tangents !== null && t._tangents.size > 0) return null;
    if (t.shape[0] !== n || t.shape[1] !== (gateInputs.includes(t) ? gates * h : h)) return null;
  }
  return cells;
}

/**
 * Whether a backward may use the fused kernel: the kernel's result carries no graph, so only when
 * this backward is not itself recorded (no createGraph, no forward-mode level), and with gradients
 * like the saved tensors (same backend and dtype) that are still alive.
 */
export function plainBackward(saved: readonly Tensor[], grads: readonly Tensor[]): boolean {
  if (isGradEnabled() || activeLevels().length > 0) return false;
  const ref = saved[0];
  return saved.every((t) => !t.isDisposed) && grads.every((g) => g.backend === ref.backend && g.dtype === ref.dtype);
}
