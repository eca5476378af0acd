// SPDX-License-Identifier: MIT
// An LSTM layer's whole loop over time (one direction) as one op, where the backend has the sequence
// kernels (wasm, float32): the recurrent weight is packed once per sequence instead of once per
// step, and each time step is one kernel call (the recurrent product and the cell, forward; the cell
// backward and dh = dGates·W_hh, backward) instead of a recorded matmul, a recorded cell, a slice of
// the projected input and a piece of the output's stack. W_hh's gradient is one matmul over all the
// steps, as shared-weight.ts does for the step-by-step loop. What PyTorch's fused LSTM does on CPU.
//
// Differentiability is kept as for the fused cell (fused-lstm.ts): the backward kernels run only when
// the backward is not itself recorded; otherwise the step-by-step equations (`lstmSequenceComposed`)
// are differentiated, so gradients of gradients work. Forward-mode tangents, other backends and
// dtypes take the step-by-step loop (sequence.ts) from the start.
import { willRecord } from '../../autograd/mode.js';
import { stack } from '../../tensor/composite.js';
import { type Lowered, fusedKernel, kernelOutput } from '../../tensor/fused-op.js';
import { GroupedOp } from '../../tensor/grouped-op.js';
import type { Tensor } from '../../tensor/tensor.js';
import { linear } from '../functional/linear.js';
import { composedBackward, plainBackward } from './fused-buffers.js';
import { lstmPointwise } from './fused-lstm.js';

/**
 * The sequence forward: `steps` steps of batch `n`, hidden size `hidden`, in reverse time order when
 * `reverse`. Buffers indexed by step `s` (cAll, workspace) are in the order the steps run; those
 * indexed by time `t` (xg, out, hPrev) in time order.
 */
export interface LstmSequenceForwardArgs {
  readonly steps: number;
  readonly n: number;
  readonly hidden: number;
  readonly reverse: boolean;
  /** The input part of the gates, biases included [steps, n, 4·hidden]. */
  readonly xg: Tensor;
  readonly h0: Tensor;
  readonly c0: Tensor;
  /** W_hh [4·hidden, hidden] (PyTorch's layout). */
  readonly weightHh: Tensor;
  /** Receives every step's h [steps, n, hidden]. */
  readonly out: Tensor;
  /** Receive the last step's h and c [n, hidden]. */
  readonly hT: Tensor;
  readonly cT: Tensor;
  /** For the backward (null: inference): the c each step reads [steps, n, hidden], by step. */
  readonly cAll: Tensor | null;
  /** For the backward: the h that the step at time t reads [steps, n, hidden], by time. */
  readonly hPrev: Tensor | null;
  /** For the backward: each step's activated gates and tanh(c') [steps, n, 5·hidden], by step. */
  readonly workspace: Tensor | null;
}

/** The sequence backward, from the forward's saved buffers and its outputs' gradients (null: zeros). */
export interface LstmSequenceBackwardArgs {
  readonly steps: number;
  readonly n: number;
  readonly hidden: number;
  readonly reverse: boolean;
  readonly workspace: Tensor;
  readonly cAll: Tensor;
  readonly hPrev: Tensor;
  readonly weightHh: Tensor;
  /** Gradients of out [steps, n, hidden], of the last h and the last c [n, hidden]. */
  readonly gradOut: Tensor | null;
  readonly gradH: Tensor | null;
  readonly gradC: Tensor | null;
  /** Receives the gradient of xg [steps, n, 4·hidden] (every step's gate gradients). */
  readonly dxg: Tensor;
  /** Receive the gradients of h0, c0 and W_hh; null where not wanted. */
  readonly dh0: Tensor | null;
  readonly dc0: Tensor | null;
  readonly dWh: Tensor | null;
}

declare module '../../backend/backend.js' {
  interface FusedKernelArgs {
    lstmSequenceForward: Lowered<LstmSequenceForwardArgs>;
    lstmSequenceBackward: Lowered<LstmSequenceBackwardArgs>;
  }
}

/** The last h, the last c, and every step's h [steps, n, hidden]. */
export interface LstmSequenceResult {
  output: Tensor;
  h: Tensor;
  c: Tensor;
}

/**
 * The loop that the sequence kernels replace, step by step with ordinary ops: returns
 * [output, h_T, c_T] from xg [T, N, 4H], h0 and c0 [N, H] and W_hh [4H, H].
 */
export function lstmSequenceComposed(reverse: boolean): (xg: Tensor, h0: Tensor, c0: Tensor, weightHh: Tensor) => Tensor[] {
  return (xg, h0, c0, weightHh) => {
    const xs = xg.unbind(0);
    const outs = new Array<Tensor>(xs.length);
    let h = h0;
    let c = c0;
    for (let s = 0; s < xs.length; s++) {
      const t = reverse ? xs.length - 1 - s : s;
      [h, c] = lstmPointwise(xs[t], linear(h, weightHh), c);
      outs[t] = h;
    }
    return [stack(outs, 0), h, c];
  };
}

/**
 * One direction of an LSTM layer by the backend's sequence kernels, or null where they do not apply
 * (the caller runs the step-by-step loop). `xg` [T, N, 4H] is the projected input, time first.
 *
 * @example
 * const r = lstmSequence(xg, h0, c0, weightHh, false); // { output [T, N, H], h, c }, or null (no kernels)
 */
export function lstmSequence(xg: Tensor, h0: Tensor, c0: Tensor, weightHh: Tensor, reverse: boolean): LstmSequenceResult | null {
  const forward = fusedKernel<LstmSequenceForwardArgs>('lstmSequenceForward', xg);
  if (!forward || xg.ndim !== 3 || h0.ndim !== 2 || c0.ndim !== 2 || weightHh.ndim !== 2) return null;
  const [steps, n, gates] = xg.shape;
  const hidden = h0.shape[1];
  const state = [n, hidden].join();
  if (steps === 0 || n === 0 || hidden === 0 || gates !== 4 * hidden || h0.shape.join() !== state || c0.shape.join() !== state ||
    weightHh.shape.join() !== [gates, hidden].join()) return null;
  const inputs = [xg, h0, c0, weightHh];
  const record = willRecord(inputs);
  const seq = [steps, n, hidden];
  const out = kernelOutput(xg, seq);
  const hT = kernelOutput(xg, [n, hidden]);
  const cT = kernelOutput(xg, [n, hidden]);
  const cAll = record ? kernelOutput(xg, seq) : null;
  const hPrev = record ? kernelOutput(xg, seq) : null;
  const workspace = record ? kernelOutput(xg, [steps, n, 5 * hidden]) : null;
  const made = [out, hT, cT, cAll, hPrev, workspace];
  if (!forward({ steps, n, hidden, reverse, xg, h0, c0, weightHh, out, hT, cT, cAll, hPrev, workspace })) {
    for (const t of made) t?.dispose();
    return null;
  }
  if (!cAll || !hPrev || !workspace) return { output: out, h: hT, c: cT };
  const backward = fusedKernel<LstmSequenceBackwardArgs>('lstmSequenceBackward', xg);
  const op = new GroupedOp({
    name: 'lstmSequence',
    size: 3,
    backward: ([gradOut, gradH, gradC]) => {
      if (backward && plainBackward()) {
        const dxg = kernelOutput(xg);
        const dh0 = h0.requiresGrad ? kernelOutput(h0) : null;
        const dc0 = c0.requiresGrad ? kernelOutput(c0) : null;
        const dWh = weightHh.requiresGrad ? kernelOutput(weightHh) : null;
        const args = { steps, n, hidden, reverse, workspace, cAll, hPrev, weightHh, gradOut, gradH, gradC, dxg, dh0, dc0, dWh };
        if (backward(args)) return [dxg, dh0, dc0, dWh];
        for (const t of [dxg, dh0, dc0, dWh]) t?.dispose();
      }
      const grads = [gradOut ?? out.zerosLike(), gradH ?? hT.zerosLike(), gradC ?? cT.zerosLike()];
      return composedBackward(lstmSequenceComposed(reverse), inputs, grads);
    },
  });
  const vjp = (): (Tensor | null)[] => [null, null, null, null];
  [out, hT, cT].forEach((o, i) => op.join(o, i, { inputs, deferred: [0, 1, 2, 3], vjp }));
  return { output: out, h: hT, c: cT };
}
