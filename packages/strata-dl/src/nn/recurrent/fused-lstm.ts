// SPDX-License-Identifier: MIT
// The pointwise half of an LSTM step as one op: from the gate pre-activations xg + hg and the state
// c to (h', c'). Composed from primitives it is a dozen elementwise ops forward and twice that
// backward, each a recorded node and a pass over memory; W4 (the char-LSTM benchmark) spends most
// of its time there. Where the backend has fused cell kernels (tensor/fused-op.ts), the step runs one
// kernel forward and one backward, like PyTorch's `_thnn_fused_lstm_cell`.
//
// Differentiability is kept: the fused backward kernel runs only when the backward pass is not
// itself recorded (no `createGraph`, no forward-mode level); otherwise the composed equations are
// differentiated, so gradients of gradients and forward-over-reverse work as for any composite.
// Inputs carrying forward-mode tangents take the composed equations, which forward mode differentiates.
import { willRecord } from '../../autograd/mode.js';
import { type Lowered, fusedKernel, fusedOp, kernelOutput } from '../../tensor/fused-op.js';
import { GroupedOp } from '../../tensor/grouped-op.js';
import type { Tensor } from '../../tensor/tensor.js';
import { cellShapes, composedBackward, plainBackward } from './fused-buffers.js';

/**
 * The fused LSTM step forward, batch `n`, hidden size `hidden`. Gates are PyTorch's (i, f, g, o)
 * blocks of `hidden` columns; their pre-activation is `xg + hg`.
 */
export interface LstmForwardArgs {
  readonly n: number;
  readonly hidden: number;
  /** Input part of the gates [n, 4·hidden] (biases included). */
  readonly xg: Tensor;
  /** Recurrent part of the gates [n, 4·hidden]. */
  readonly hg: Tensor;
  /** The cell state c [n, hidden]. */
  readonly c: Tensor;
  /** Receives h' = σ(o)⊙tanh(c') [n, hidden]. */
  readonly h: Tensor;
  /** Receives c' = σ(f)⊙c + σ(i)⊙tanh(g) [n, hidden]. */
  readonly cNext: Tensor;
  /**
   * Receives what the backward needs, [n, 5·hidden]: per row the activated gates σ(i), σ(f),
   * tanh(g), σ(o), then tanh(c'). Null when no backward will run (inference).
   */
  readonly workspace: Tensor | null;
}

/** The fused LSTM step backward, from the forward's workspace and its outputs' gradients. */
export interface LstmBackwardArgs {
  readonly n: number;
  readonly hidden: number;
  /** The forward's workspace [n, 5·hidden]. */
  readonly workspace: Tensor;
  /** The forward's input state c [n, hidden]. */
  readonly c: Tensor;
  /** Gradient of the forward's h' [n, hidden]. */
  readonly gradH: Tensor;
  /** Gradient of the forward's c' [n, hidden]. */
  readonly gradC: Tensor;
  /** Receives the gradient of the gate pre-activations [n, 4·hidden] (the same for xg and hg). */
  readonly dGates: Tensor;
  /** Receives the gradient of c [n, hidden]. */
  readonly dc: Tensor;
}

declare module '../../backend/backend.js' {
  interface FusedKernelArgs {
    lstmForward: Lowered<LstmForwardArgs>;
    lstmBackward: Lowered<LstmBackwardArgs>;
  }
}

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

/**
 * (h', c') by the fused kernels, or null where they do not apply. When the tape records, both outputs
 * join one grouped op, so a single backward runs once both gradients are in: the backward kernel on
 * the forward's workspace (activated gates, tanh(c')), or the composed equations differentiated
 * where the backward itself is recorded.
 */
function lstmFused(xg: Tensor, hg: Tensor, c: Tensor): [Tensor, Tensor] | null {
  const forward = fusedKernel<LstmForwardArgs>('lstmForward', c);
  if (!forward || !cellShapes(4, [xg, hg], [c])) return null;
  const [n, hidden] = c.shape;
  const h = kernelOutput(c);
  const cNext = kernelOutput(c);
  const ws = willRecord([xg, hg, c]) ? kernelOutput(c, [n, 5 * hidden]) : null;
  if (!forward({ n, hidden, xg, hg, c, h, cNext, workspace: ws })) return null;
  if (!ws) return [h, cNext];
  const backward = fusedKernel<LstmBackwardArgs>('lstmBackward', c);
  const op = new GroupedOp({
    name: 'lstmCell',
    size: 2,
    backward: ([gh, gc]) => {
      const gradH = gh ?? h.zerosLike();
      const gradC = gc ?? c.zerosLike();
      if (backward && plainBackward()) {
        const dGates = kernelOutput(c, [n, 4 * hidden]);
        const dc = kernelOutput(c);
        if (backward({ n, hidden, workspace: ws, c, gradH, gradC, dGates, dc })) return [dGates, dGates, dc];
      }
      return composedBackward(lstmComposed, [xg, hg, c], [gradH, gradC]);
    },
  });
  const inputs = [xg, hg, c];
  const vjp = (): (Tensor | null)[] => [null, null, null];
  op.join(h, 0, { inputs, deferred: [0, 1, 2], vjp });
  op.join(cNext, 1, { inputs, deferred: [0, 1, 2], vjp });
  return [h, cNext];
}

/** The pointwise LSTM step as a fused op: `lstmComposed`, by the backend's kernels where it has them. */
export const lstmCell = fusedOp({ composed: lstmComposed, fused: lstmFused });

/**
 * The pointwise LSTM step: (h', c') from the input and recurrent parts of the gates, xg and hg
 * [N, 4H], and the state c [N, H]. Fused where the backend can (see the file comment), otherwise the
 * composed equations; both give the same values and gradients up to rounding.
 *
 * @example
 * const [h1, c1] = lstmPointwise(xg, h0.matmul(wHh.t()), c0);
 */
export function lstmPointwise(xg: Tensor, hg: Tensor, c: Tensor): [Tensor, Tensor] {
  return lstmCell(xg, hg, c);
}
