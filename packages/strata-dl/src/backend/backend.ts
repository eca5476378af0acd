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

/**
 * A backend's kernel of a fused op (see tensor/fused-op.ts): the dtypes it takes, and the kernel,
 * which runs the op in one pass over the buffers of its argument record.
 */
export interface FusedKernel<A> {
  /** Dtypes the kernel takes (all its tensors alike); others run the op's composed definition. */
  readonly dtypes: readonly DType[];
  /** Runs the op over the argument record's buffers, writing its outputs in full. */
  run(args: A): void;
}

/**
 * The argument records of the fused ops' kernels, by kernel name, with buffers for tensors. Empty
 * here: each fused op's declaration adds its kernels' records by declaration merging (optim/sgd.ts,
 * optim/adam.ts, nn/recurrent/fused-lstm.ts, nn/recurrent/fused-gru.ts), so the compiler checks every
 * backend's table against the declarations.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface FusedKernelArgs {}

/** A backend's fused-op kernels by name; each optional (the op's composed definition runs without it). */
export type FusedKernels = { readonly [N in keyof FusedKernelArgs]?: FusedKernel<FusedKernelArgs[N]> };

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
  /** Optional kernels of fused ops (optimizer steps, recurrent cells); see tensor/fused-op.ts. */
  readonly fused?: FusedKernels;
}
