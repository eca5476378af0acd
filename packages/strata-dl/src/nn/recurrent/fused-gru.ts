// SPDX-License-Identifier: MIT
// The pointwise half of a GRU step as one op, as fused-lstm.ts does for the LSTM (see there for how
// differentiability is kept): from the gate pre-activations xg and hg (h·W_hhᵀ + b_hh) and the
// state h to h'. Composed, it is about ten elementwise ops forward and twenty backward.
import type { FusedCells } from '../../backend/backend.js';
import { willRecord } from '../../autograd/mode.js';
import { cat } from '../../tensor/composite.js';
import { Tensor } from '../../tensor/tensor.js';
import { bufOf, cellKernels, plainBackward } from './fused-buffers.js';

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

/** The backward of `gruFused` with ordinary (recordable) ops: [dxg, dhg, dh] from dh'. */
function gruBackwardComposed(g: Tensor, xg: Tensor, hg: Tensor, h: Tensor): [Tensor, Tensor, Tensor] {
  const [xr, xz, xn] = thirds(xg);
  const [hr, hz, hn] = thirds(hg);
  const r = xr.add(hr).sigmoid();
  const z = xz.add(hz).sigmoid();
  const n = xn.add(r.mul(hn)).tanh();
  const dn = g.mul(z.neg().add(1)).mul(n.mul(n).neg().add(1));
  const dz = g.mul(h.sub(n)).mul(z.mul(z.neg().add(1)));
  const dr = dn.mul(hn).mul(r.mul(r.neg().add(1)));
  return [cat([dr, dz, dn], -1), cat([dr, dz, dn.mul(r)], -1), g.mul(z)];
}

/** h' by the fused kernel; the node keeps the kernel's workspace (r, z, n, h_n) for the backward. */
function gruFused(cells: FusedCells, xg: Tensor, hg: Tensor, h: Tensor): Tensor {
  const [n, hidden] = h.shape;
  const hNext = Tensor._uninit(h);
  const record = willRecord([xg, hg, h]);
  const ws = record ? Tensor._uninit(h, [n, 4 * hidden]) : null;
  cells.gruForward({ n, hidden, xg: bufOf(xg), hg: bufOf(hg), h: bufOf(h), hNext: bufOf(hNext), workspace: ws && bufOf(ws) });
  if (!ws) return hNext;
  hNext._attachNode({
    name: 'gruCell',
    inputs: [xg, hg, h],
    out: hNext,
    vjp: (g, [x, hh, hPrev], _out, needs) => {
      let grads: [Tensor, Tensor, Tensor];
      if (plainBackward([ws, hPrev], [g])) {
        grads = [Tensor._uninit(hPrev, [n, 3 * hidden]), Tensor._uninit(hPrev, [n, 3 * hidden]), Tensor._uninit(hPrev)];
        const [dXg, dHg, dh] = grads.map(bufOf);
        cells.gruBackward({ n, hidden, workspace: bufOf(ws), h: bufOf(hPrev), gradH: bufOf(g), dXg, dHg, dh });
      } else {
        grads = gruBackwardComposed(g, x, hh, hPrev);
      }
      return grads.map((t, i) => (needs[i] ? t : null));
    },
  });
  return hNext;
}

/**
 * The pointwise GRU step: h' from the input and recurrent parts of the gates, xg and hg [N, 3H]
 * (hg = h·W_hhᵀ + b_hh), and the state h [N, H]. Fused where the backend can, otherwise the
 * composed equations; both give the same values and gradients up to rounding.
 *
 * @example
 * const h1 = gruPointwise(xg, linear(h0, wHh, bHh), h0);
 */
export function gruPointwise(xg: Tensor, hg: Tensor, h: Tensor): Tensor {
  const cells = cellKernels(3, [xg, hg], [h]);
  return cells ? gruFused(cells, xg, hg, h) : gruComposed(xg, hg, h);
}
