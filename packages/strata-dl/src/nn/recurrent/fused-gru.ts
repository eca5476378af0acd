// SPDX-License-Identifier: MIT
// The pointwise half of a GRU step as one op, as fused-lstm.ts does for the LSTM (see there for how
// differentiability is kept): from the gate pre-activations xg and hg (h·W_hhᵀ + b_hh) and the
// state h to h'. Composed, it is about ten elementwise ops forward and twenty backward.
import { willRecord } from '../../autograd/mode.js';
import { type Lowered, fusedKernel, fusedOp, kernelOutput } from '../../tensor/fused-op.js';
import { GroupedOp } from '../../tensor/grouped-op.js';
import type { Tensor } from '../../tensor/tensor.js';
import { cellShapes, composedBackward, plainBackward } from './fused-buffers.js';

/**
 * The fused GRU step forward (PyTorch's gate order r, z, n): r = σ(x_r + h_r), z = σ(x_z + h_z),
 * n = tanh(x_n + r⊙h_n), h' = (1 − z)⊙n + z⊙h, where x_* are blocks of `xg` and h_* of `hg`.
 */
export interface GruForwardArgs {
  readonly n: number;
  readonly hidden: number;
  /** Input part of the gates [n, 3·hidden] (b_ih included). */
  readonly xg: Tensor;
  /** Recurrent part of the gates [n, 3·hidden] (b_hh included: r multiplies h_n with its bias). */
  readonly hg: Tensor;
  /** The state h [n, hidden]. */
  readonly h: Tensor;
  /** Receives h' [n, hidden]. */
  readonly hNext: Tensor;
  /** Receives r, z, n and h_n per row, [n, 4·hidden]; null when no backward will run. */
  readonly workspace: Tensor | null;
}

/** The fused GRU step backward, from the forward's workspace and the gradient of h'. */
export interface GruBackwardArgs {
  readonly n: number;
  readonly hidden: number;
  readonly workspace: Tensor;
  /** The forward's input state h [n, hidden]. */
  readonly h: Tensor;
  /** Gradient of h' [n, hidden]. */
  readonly gradH: Tensor;
  /** Receive the gradients of xg and hg [n, 3·hidden] (they differ in the n block: r⊙·). */
  readonly dXg: Tensor;
  readonly dHg: Tensor;
  /** Receives the gradient of h through z⊙h [n, hidden]. */
  readonly dh: Tensor;
}

declare module '../../backend/backend.js' {
  interface FusedKernelArgs {
    gruForward: Lowered<GruForwardArgs>;
    gruBackward: Lowered<GruBackwardArgs>;
  }
}

const thirds = (t: Tensor): Tensor[] => t.split(t.shape[t.ndim - 1] / 3, -1);

/**
 * The GRU equations with ordinary ops, PyTorch's gate order (r, z, n): r = σ(x_r + h_r),
 * z = σ(x_z + h_z), n = tanh(x_n + r⊙h_n), h' = (1 − z)⊙n + z⊙h, computed as n + z⊙(h − n).
 * NOTE: r multiplies the recurrent product *including* b_hn (PyTorch and cuDNN), which differs from
 * the original paper's r⊙h inside the product.
 */
export function gruComposed(xg: Tensor, hg: Tensor, h: Tensor): Tensor {
  const [xr, xz, xn] = thirds(xg);
  const [hr, hz, hn] = thirds(hg);
  const r = xr.add(hr).sigmoid();
  const z = xz.add(hz).sigmoid();
  const n = xn.add(r.mul(hn)).tanh();
  return n.add(z.mul(h.sub(n)));
}

/**
 * h' by the fused kernels, or null where they do not apply. The recorded node keeps the kernel's
 * workspace (r, z, n, h_n) for the backward kernel; a recorded backward differentiates the composed
 * equations instead.
 */
function gruFused(xg: Tensor, hg: Tensor, h: Tensor): Tensor | null {
  const forward = fusedKernel<GruForwardArgs>('gruForward', h);
  if (!forward || !cellShapes(3, [xg, hg], [h])) return null;
  const [n, hidden] = h.shape;
  const hNext = kernelOutput(h);
  const ws = willRecord([xg, hg, h]) ? kernelOutput(h, [n, 4 * hidden]) : null;
  if (!forward({ n, hidden, xg, hg, h, hNext, workspace: ws })) return null;
  if (!ws) return hNext;
  const backward = fusedKernel<GruBackwardArgs>('gruBackward', h);
  new GroupedOp({ name: 'gruCell', size: 1 }).join(hNext, 0, {
    inputs: [xg, hg, h],
    vjp: (gradH, [x, hh, hPrev], _out, needs) => {
      let grads: Tensor[] | null = null;
      if (backward && plainBackward()) {
        const [dXg, dHg, dh] = grads = [kernelOutput(hPrev, [n, 3 * hidden]), kernelOutput(hPrev, [n, 3 * hidden]), kernelOutput(hPrev)];
        if (!backward({ n, hidden, workspace: ws, h: hPrev, gradH, dXg, dHg, dh })) grads = null;
      }
      grads ??= composedBackward((a, b, c) => [gruComposed(a, b, c)], [x, hh, hPrev], [gradH]);
      return grads.map((t, i) => (needs[i] ? t : null));
    },
  });
  return hNext;
}

/** The pointwise GRU step as a fused op: `gruComposed`, by the backend's kernels where it has them. */
export const gruCell = fusedOp({ composed: gruComposed, fused: gruFused });

/**
 * The pointwise GRU step: h' from the input and recurrent parts of the gates, xg and hg [N, 3H]
 * (hg = h·W_hhᵀ + b_hh), and the state h [N, H]. Fused where the backend can, otherwise the
 * composed equations; both give the same values and gradients up to rounding.
 *
 * @example
 * const h1 = gruPointwise(xg, linear(h0, wHh, bHh), h0);
 */
export function gruPointwise(xg: Tensor, hg: Tensor, h: Tensor): Tensor {
  return gruCell(xg, hg, h);
}
