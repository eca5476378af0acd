// SPDX-License-Identifier: MIT
// The pointwise half of an LSTM step as one op: from the gate pre-activations xg + hg and the state
// c to (h', c'). Composed from primitives it is a dozen elementwise ops forward and twice that
// backward, each a recorded node and a pass over memory; W4 (the char-LSTM benchmark) spends most
// of its time there. Where the backend has fused cell kernels (`Backend.cells`), the step runs one
// kernel forward and one backward, like PyTorch's `_thnn_fused_lstm_cell`.
//
// Differentiability is kept: the fused backward kernel runs only when the backward pass is not
// itself recorded (no `createGraph`, no forward-mode level); otherwise the backward is written with
// ordinary ops, so gradients of gradients and forward-over-reverse work as for any composite. Inputs
// carrying forward-mode tangents take the composed equations, which forward mode differentiates.
import type { FusedCells } from '../../backend/backend.js';
import type { GradGroup } from '../../autograd/engine.js';
import { willRecord } from '../../autograd/mode.js';
import { cat } from '../../tensor/composite.js';
import { Tensor } from '../../tensor/tensor.js';
import { bufOf, cellKernels, plainBackward } from './fused-buffers.js';

const gateSplits = (z: Tensor): Tensor[] => z.split(z.shape[z.ndim - 1] / 4, -1);

/**
 * The LSTM equations with ordinary ops, PyTorch's gate order (i, f, g, o):
 * c' = σ(f)⊙c + σ(i)⊙tanh(g), h' = σ(o)⊙tanh(c'). Any leading shape, broadcasting as the ops do.
 */
export function lstmComposed(xg: Tensor, hg: Tensor, c: Tensor): [Tensor, Tensor] {
  const [i, f, g, o] = gateSplits(xg.add(hg));
  const cNext = f.sigmoid().mul(c).add(i.sigmoid().mul(g.tanh()));
  return [o.sigmoid().mul(cNext.tanh()), cNext];
}

/** The backward of `lstmFused` with ordinary (recordable) ops: [dGates, dc] from dh' and dc'. */
function lstmBackwardComposed(gh: Tensor, gcOut: Tensor, xg: Tensor, hg: Tensor, c: Tensor): [Tensor, Tensor] {
  const [zi, zf, zg, zo] = gateSplits(xg.add(hg));
  const i = zi.sigmoid(), f = zf.sigmoid(), gt = zg.tanh(), o = zo.sigmoid();
  const tc = f.mul(c).add(i.mul(gt)).tanh();
  // dc' in full: the gradient arriving at c' plus the path through h' = o⊙tanh(c')
  const gc = gcOut.add(gh.mul(o).mul(tc.mul(tc).neg().add(1)));
  const dGates = cat([
    gc.mul(gt).mul(i.mul(i.neg().add(1))),
    gc.mul(c).mul(f.mul(f.neg().add(1))),
    gc.mul(i).mul(gt.mul(gt).neg().add(1)),
    gh.mul(tc).mul(o.mul(o.neg().add(1))),
  ], -1);
  return [dGates, gc.mul(f)];
}

/**
 * (h', c') by the fused kernel; only called where `cellKernels` gave them. When the tape records, both
 * outputs join one gradient group (autograd/engine.ts), so a single backward runs once both
 * gradients are in, from the kernel's workspace (activated gates, tanh(c')).
 */
function lstmFused(cells: FusedCells, xg: Tensor, hg: Tensor, c: Tensor): [Tensor, Tensor] {
  const [n, hidden] = c.shape;
  const h = Tensor._uninit(c);
  const cNext = Tensor._uninit(c);
  const record = willRecord([xg, hg, c]);
  const ws = record ? Tensor._uninit(c, [n, 5 * hidden]) : null;
  cells.lstmForward({ n, hidden, xg: bufOf(xg), hg: bufOf(hg), c: bufOf(c), h: bufOf(h), cNext: bufOf(cNext), workspace: ws && bufOf(ws) });
  if (!ws) return [h, cNext];
  const group: GradGroup = {
    size: 2,
    combine: ([gh, gc]) => {
      let dGates: Tensor, dc: Tensor;
      const dh = gh ?? h.zerosLike();
      const dcNext = gc ?? c.zerosLike();
      if (plainBackward([ws, c], [dh, dcNext])) {
        dGates = Tensor._uninit(c, [n, 4 * hidden]);
        dc = Tensor._uninit(c);
        cells.lstmBackward({ n, hidden, workspace: bufOf(ws), c: bufOf(c), gradH: bufOf(dh), gradC: bufOf(dcNext), dGates: bufOf(dGates), dc: bufOf(dc) });
      } else {
        [dGates, dc] = lstmBackwardComposed(dh, dcNext, xg, hg, c);
      }
      return [dGates, dGates, dc];
    },
  };
  const inputs = [xg, hg, c];
  const vjp = (): (Tensor | null)[] => [null, null, null];
  h._attachNode({ name: 'lstmCell', inputs, out: h, vjp, group: { of: group, index: 0, inputs: [0, 1, 2] } });
  cNext._attachNode({ name: 'lstmCell', inputs, out: cNext, vjp, group: { of: group, index: 1, inputs: [0, 1, 2] } });
  return [h, cNext];
}

/**
 * The pointwise LSTM step: (h', c') from the input and recurrent parts of the gates, xg and hg
 * [N, 4H], and the state c [N, H]. Fused where the backend can (see the file comment), otherwise the
 * composed equations; both give the same values and gradients up to rounding.
 *
 * @example
 * const [h1, c1] = lstmPointwise(xg, h0.matmul(wHh.t()), c0);
 */
export function lstmPointwise(xg: Tensor, hg: Tensor, c: Tensor): [Tensor, Tensor] {
  const cells = cellKernels(4, [xg, hg], [c]);
  return cells ? lstmFused(cells, xg, hg, c) : lstmComposed(xg, hg, c);
}
