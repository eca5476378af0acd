// SPDX-License-Identifier: MIT
/**
 * What the fused update rules (sgd.ts, adam.ts) share: whether a backend's fused kernels take a
 * parameter, and the buffers behind tensors (fresh ones for the kernels to write: `Tensor._uninit`).
 *
 * The new parameter goes to a fresh buffer, not over the old one: a parameter's storage is often
 * shared (a `Parameter` shares its initial tensor's, `Module.loadStateDict` the loaded tensor's,
 * `Module.stateDict` hands out views of it), and the composed rules leave every such sharer its old
 * values, as `_assign` does. The optimizer state is its own (made here or cloned on load), so its
 * buffers are updated in place.
 */
import type { Buf, FusedUpdates } from '../backend/backend.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * The fused kernels of `param`'s backend if they take this parameter, its gradient and the state
 * tensors the kernel will write: same backend, dtype and shape, none disposed, and each state
 * buffer its own (not the parameter's, the gradient's or another state tensor's). Null otherwise:
 * the composed rule then runs (and reports any error).
 */
export function fusedKernels(param: Tensor, grad: Tensor, written: readonly Tensor[]): FusedUpdates | null {
  const kernels = param.backend.fused;
  if (!kernels || !kernels.dtypes.includes(param.dtype)) return null;
  for (const t of [grad, ...written]) {
    if (t.backend !== param.backend || t.dtype !== param.dtype || t.ndim !== param.ndim || t.shape.some((d, i) => d !== param.shape[i])) return null;
  }
  if ([param, grad, ...written].some((t) => t.isDisposed)) return null;
  const bufs = new Set<Buf>([param._storage.buf, grad._storage.buf]);
  for (const t of written) {
    if (bufs.has(t._storage.buf)) return null;
    bufs.add(t._storage.buf);
  }
  return kernels;
}

/** The buffer behind a tensor, for a fused kernel. */
export function bufOf(t: Tensor): Buf {
  return t._storage.buf;
}
