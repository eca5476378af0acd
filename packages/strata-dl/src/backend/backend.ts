// SPDX-License-Identifier: MIT
import type { DType, TypedArray } from '../core/dtype.js';
import type { Shape } from '../core/shape.js';
import type { Prim, PrimAttrs } from '../ir/prims.js';

/** Backend storage: opaque to everything above the backend. */
export interface Buf {
  readonly dtype: DType;
  readonly size: number;
}

/** A buffer with the shape it is read as (always row-major contiguous). */
export interface View {
  readonly buf: Buf;
  readonly shape: Shape;
  readonly dtype: DType;
}

/**
 * A kernel writes the result of one primitive into `out` (already allocated with the inferred
 * shape and dtype). Inputs are contiguous; broadcasting is the kernel's job.
 */
export type Kernel<P extends Prim> = (out: View, ins: readonly View[], attrs: PrimAttrs[P]) => void;

/** `reshape` is a view (storage is shared), so it has no kernel. */
export type KernelPrim = Exclude<Prim, 'reshape'>;
/** A backend's kernel table: one kernel for every primitive but `reshape`. */
export type Kernels = { [P in KernelPrim]: Kernel<P> };

/** Arguments of a fused SGD step (see `FusedUpdates`); coefficients as the composed rule uses them. */
export interface SgdKernelArgs {
  /** Receives the new parameter values; may be `param` itself. */
  readonly out: Buf;
  readonly param: Buf;
  readonly grad: Buf;
  /** The momentum buffer, updated in place; null for plain SGD (no momentum). */
  readonly buf: Buf | null;
  /** The momentum buffer starts as the (decayed) gradient, undamped, as in PyTorch. */
  readonly first: boolean;
  readonly lr: number;
  /** L2 term added to the gradient (g + wd·θ); 0 leaves the gradient untouched. */
  readonly weightDecay: number;
  readonly momentum: number;
  /** 1 − dampening. */
  readonly gradScale: number;
  readonly nesterov: boolean;
  /** Step up the gradient (θ + lr·d) instead of down. */
  readonly maximize: boolean;
}

/** Arguments of a fused Adam/AdamW step (see `FusedUpdates`); coefficients as the composed rule uses them. */
export interface AdamKernelArgs {
  /** Receives the new parameter values; may be `param` itself. */
  readonly out: Buf;
  readonly param: Buf;
  readonly grad: Buf;
  /** First and second moments, updated in place. */
  readonly expAvg: Buf;
  readonly expAvgSq: Buf;
  /** No moments yet: m ← (1 − β₁)g and v ← (1 − β₂)g² (the buffers' contents are not read). */
  readonly first: boolean;
  readonly beta1: number;
  /** 1 − β₁, computed once in double precision like the composed rule's constant. */
  readonly oneMinusBeta1: number;
  readonly beta2: number;
  readonly oneMinusBeta2: number;
  /** Adam's L2 term added to the gradient (g + wd·θ); 0 leaves the gradient untouched. */
  readonly weightDecay: number;
  /** AdamW's factor θ ← θ·decay before the step (1 − lr·wd); 1 for none. */
  readonly decay: number;
  /** √(1 − β₂ᵗ), the second moment's bias correction. */
  readonly sqrtBias2: number;
  readonly eps: number;
  /** lr / (1 − β₁ᵗ). */
  readonly stepSize: number;
}

/**
 * Optional fused optimizer updates: one pass over a parameter, its gradient and its state instead of
 * the dozen elementwise primitives (each a full pass and a new buffer) the composed update rules in
 * src/optim take. Not primitives: optimizer steps run under `noGrad` and have no derivative. The
 * result must equal the composed rule's on this backend, each operation rounded to the dtype in
 * the same order, so that switching paths (another backend, a checkpoint) changes no bit.
 */
export interface FusedUpdates {
  /** Dtypes the kernels take (parameter, gradient and state all alike); others use the composed rules. */
  readonly dtypes: readonly DType[];
  /** One SGD step over a parameter, in place. */
  sgd(args: SgdKernelArgs): void;
  /** One Adam/AdamW step over a parameter, in place. */
  adam(args: AdamKernelArgs): void;
}

/**
 * One fused LSTM cell step forward, batch `n`, hidden size `hidden`. Gates are PyTorch's (i, f, g, o)
 * blocks of `hidden` columns; their pre-activation is `xg + hg`.
 */
export interface LstmForwardArgs {
  readonly n: number;
  readonly hidden: number;
  /** Input part of the gates [n, 4·hidden] (biases included). */
  readonly xg: Buf;
  /** Recurrent part of the gates [n, 4·hidden]. */
  readonly hg: Buf;
  /** The cell state c [n, hidden]. */
  readonly c: Buf;
  /** Receives h' = σ(o)⊙tanh(c') [n, hidden]. */
  readonly h: Buf;
  /** Receives c' = σ(f)⊙c + σ(i)⊙tanh(g) [n, hidden]. */
  readonly cNext: Buf;
  /**
   * Receives what the backward pass needs, [n, 5·hidden]: per row the activated gates σ(i), σ(f),
   * tanh(g), σ(o), then tanh(c'). Null when no backward will run (inference).
   */
  readonly workspace: Buf | null;
}

/** One fused LSTM cell step backward, from the forward's workspace and its output's gradient. */
export interface LstmBackwardArgs {
  readonly n: number;
  readonly hidden: number;
  /** The forward's workspace [n, 5·hidden]. */
  readonly workspace: Buf;
  /** The forward's input state c [n, hidden]. */
  readonly c: Buf;
  /** Gradient of the forward's h' [n, hidden]. */
  readonly gradH: Buf;
  /** Gradient of the forward's c' [n, hidden]. */
  readonly gradC: Buf;
  /** Receives the gradient of the gate pre-activations [n, 4·hidden] (the same for xg and hg). */
  readonly dGates: Buf;
  /** Receives the gradient of c [n, hidden]. */
  readonly dc: Buf;
}

/**
 * One fused GRU cell step forward (PyTorch's gate order r, z, n): r = σ(x_r + h_r), z = σ(x_z + h_z),
 * n = tanh(x_n + r⊙h_n), h' = (1 − z)⊙n + z⊙h, where x_* are blocks of `xg` and h_* of `hg`.
 */
export interface GruForwardArgs {
  readonly n: number;
  readonly hidden: number;
  /** Input part of the gates [n, 3·hidden] (b_ih included). */
  readonly xg: Buf;
  /** Recurrent part of the gates [n, 3·hidden] (b_hh included: r multiplies h_n with its bias). */
  readonly hg: Buf;
  /** The state h [n, hidden]. */
  readonly h: Buf;
  /** Receives h' [n, hidden]. */
  readonly hNext: Buf;
  /** Receives r, z, n and h_n per row, [n, 4·hidden]; null when no backward will run. */
  readonly workspace: Buf | null;
}

/** One fused GRU cell step backward, from the forward's workspace and the gradient of h'. */
export interface GruBackwardArgs {
  readonly n: number;
  readonly hidden: number;
  readonly workspace: Buf;
  /** The forward's input state h [n, hidden]. */
  readonly h: Buf;
  /** Gradient of h' [n, hidden]. */
  readonly gradH: Buf;
  /** Receive the gradients of xg and hg [n, 3·hidden] (they differ in the n block: r⊙·). */
  readonly dXg: Buf;
  readonly dHg: Buf;
  /** Receives the gradient of h through z⊙h [n, hidden]. */
  readonly dh: Buf;
}

/**
 * Optional fused recurrent cells: the pointwise part of an LSTM or GRU step (the gate nonlinearities
 * and the state update) in one pass instead of a dozen elementwise primitives, each a pass over memory
 * and a recorded op; the backward is arithmetic on the saved activations. Not primitives: `nn` calls
 * them through an op whose derivative, when it must itself be differentiable (higher order, forward
 * mode), is written with ordinary ops.
 */
export interface FusedCells {
  /** Dtypes the kernels take; others use the composed gate equations. */
  readonly dtypes: readonly DType[];
  /** The pointwise part of an LSTM step forward. */
  lstmForward(args: LstmForwardArgs): void;
  /** Its backward, from the saved activations. */
  lstmBackward(args: LstmBackwardArgs): void;
  /** The pointwise part of a GRU step forward. */
  gruForward(args: GruForwardArgs): void;
  /** Its backward, from the saved activations. */
  gruBackward(args: GruBackwardArgs): void;
}

/**
 * The one narrow interface every backend implements: memory plus a kernel per primitive.
 * Completeness is checked by the compiler through `Kernels`.
 */
export interface Backend {
  readonly name: string;
  /** False when the garbage collector reclaims buffers by itself (the `js` backend). */
  readonly needsFree: boolean;
  /** A zero-filled buffer. */
  alloc(dtype: DType, size: number): Buf;
  /**
   * Optional: a buffer whose contents are unspecified, used for kernel outputs. A backend offers it
   * only if every one of its kernels writes its whole output (the js unfold, for one, leaves the
   * padding to the zero fill, so js does not); it saves clearing memory about to be overwritten.
   */
  allocUninit?(dtype: DType, size: number): Buf;
  /** Releases a buffer's memory (a no-op where `needsFree` is false). */
  free(buf: Buf): void;
  /** Copies values in (converted to the buffer's dtype). */
  write(buf: Buf, data: ArrayLike<number>): void;
  /** A fresh CPU copy of the buffer. */
  read(buf: Buf): TypedArray;
  readonly kernels: Kernels;
  /** Optional fused optimizer steps (see `FusedUpdates`). */
  readonly fused?: FusedUpdates;
  /** Optional fused recurrent cells (see `FusedCells`). */
  readonly cells?: FusedCells;
}
