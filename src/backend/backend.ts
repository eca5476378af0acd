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
  sgd(args: SgdKernelArgs): void;
  adam(args: AdamKernelArgs): void;
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
  free(buf: Buf): void;
  /** Copies values in (converted to the buffer's dtype). */
  write(buf: Buf, data: ArrayLike<number>): void;
  /** A fresh CPU copy of the buffer. */
  read(buf: Buf): TypedArray;
  readonly kernels: Kernels;
  /** Optional fused optimizer steps (see `FusedUpdates`). */
  readonly fused?: FusedUpdates;
}
