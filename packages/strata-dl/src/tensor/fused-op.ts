// SPDX-License-Identifier: MIT
/**
 * The one mechanism for fused ops. A fused op is declared once (`fusedOp`), as its composed
 * definition (the maths, with tensor ops: differentiable, on every backend) plus an optional way to
 * run it in one pass with a backend's kernels. The composed definition is also the `js` backend's
 * "kernel": only backends with SIMD kernels (wasm) have a `fused` table, so each fused op's maths is
 * written twice at most, once composed and once as a SIMD kernel.
 *
 * A kernel's argument record is declared beside its op, with tensors (`Lowered` gives the kernel's
 * view, with buffers), and added to `FusedKernelArgs` (backend/backend.ts) by declaration merging, so
 * the compiler checks each backend's kernel table against the declarations.
 *
 * Not primitives: a fused op has no derivative rule of its own. Optimizer steps run under `noGrad`;
 * the recurrent cells record their outputs as a grouped op (grouped-op.ts) whose backward is the
 * backward kernel, or the composed definition differentiated where that backward must itself be
 * recorded.
 */
import type { Buf, FusedKernelArgs } from '../backend/backend.js';
import { sizeOf } from '../core/shape.js';
import { Storage } from './storage.js';
import { Tensor } from './tensor.js';
import { primObserver } from './trace-hook.js';

/** A kernel's view of an argument record: tensors become their buffers. */
export type Lowered<A> = {
  readonly [K in keyof A]: A[K] extends Tensor ? Buf : A[K] extends Tensor | null ? Buf | null : A[K];
};

/** The names of the kernels whose arguments are `A` (lowered). */
type KernelFor<A> = { [N in keyof FusedKernelArgs]: FusedKernelArgs[N] extends Lowered<A> ? N : never }[keyof FusedKernelArgs] & string;

/**
 * The backend kernel `name` of `on`'s backend, if it has one for `on`'s dtype and no graph capture
 * is running (an export must see the primitives). The function it returns runs the kernel on an
 * argument record and returns true, or returns false without running it when a tensor there is
 * disposed, lives on another backend, has another dtype or carries forward-mode tangents (the
 * composed definition, which forward mode differentiates, must run then).
 */
export function fusedKernel<A extends object>(name: KernelFor<A>, on: Tensor): ((args: A) => boolean) | null {
  const kernel = kernelOf(name, on);
  if (!kernel) return null;
  return (args) => {
    const lowered = lower(args, on);
    if (!lowered) return false;
    (kernel.run as (a: Record<string, unknown>) => void)(lowered);
    return true;
  };
}

/** The names of the kernels that take a list of argument records `A` (lowered). */
type ListKernelFor<A> = { [N in keyof FusedKernelArgs]: FusedKernelArgs[N] extends readonly Lowered<A>[] ? N : never }[keyof FusedKernelArgs] & string;

/**
 * `fusedKernel` for a kernel that takes a list of argument records (all of `on`'s backend and
 * dtype) and runs them in one call: the optimizer steps, one call for every parameter. Returns
 * false without running anything when any record fails `fusedKernel`'s checks.
 */
export function fusedListKernel<A extends object>(name: ListKernelFor<A>, on: Tensor): ((list: readonly A[]) => boolean) | null {
  const kernel = kernelOf(name, on);
  if (!kernel) return null;
  return (list) => {
    const lowered: Record<string, unknown>[] = [];
    for (const args of list) {
      const l = lower(args, on);
      if (!l) return false;
      lowered.push(l);
    }
    (kernel.run as (a: Record<string, unknown>[]) => void)(lowered);
    return true;
  };
}

/** Backend kernel `name` of `on`'s backend for `on`'s dtype, outside graph capture; else null. */
function kernelOf(name: keyof FusedKernelArgs, on: Tensor): { run: unknown } | null {
  if (primObserver !== null) return null;
  const kernel = on.backend.fused?.[name];
  return kernel && kernel.dtypes.includes(on.dtype) ? kernel : null;
}

/** An argument record with buffers for tensors, or null where a tensor fails `fusedKernel`'s checks. */
function lower(args: object, on: Tensor): Record<string, unknown> | null {
  const lowered: Record<string, unknown> = {};
  // for...in over the record's own keys: Object.entries allocated a pair per field, about 1 µs a
  // record, paid per parameter on every optimizer step
  const rec = args as Record<string, unknown>;
  for (const k in rec) {
    const v = rec[k];
    if (v instanceof Tensor) {
      if (v.isDisposed || v.backend !== on.backend || v.dtype !== on.dtype || (v._tangents !== null && v._tangents.size > 0)) return null;
      lowered[k] = v._storage.buf;
    } else lowered[k] = v;
  }
  return lowered;
}

/** A new tensor on `like`'s backend and dtype (shaped like it unless `shape` is given) for a kernel to write in full. */
export function kernelOutput(like: Tensor, shape: readonly number[] = like.shape): Tensor {
  return new Tensor(Storage.forOutput(like.backend, like.dtype, sizeOf(shape)), shape, like.dtype);
}

/** An identity of a tensor's memory: equal for two tensors exactly when `sharesMemory` says so (a Map key). */
export function memoryOf(t: Tensor): object {
  return t._storage.buf;
}

/** Whether two tensors share memory (a kernel must not write one while reading the other elementwise out of step). */
export function sharesMemory(a: Tensor, b: Tensor): boolean {
  return a._storage.buf === b._storage.buf;
}

/** A fused op: its composed definition, and how to run it with kernels (null where they do not apply). */
export interface FusedOpSpec<In extends unknown[], Out> {
  /** The definition with tensor ops: what every backend without kernels runs, and what kernels must equal. */
  readonly composed: (...args: In) => Out;
  /** The op by the backend's kernels (see `fusedKernel`), or null to run `composed`. */
  readonly fused: (...args: In) => Out | null;
}

/** A declared fused op: callable (kernels where they apply, else the composed definition), with its parts. */
export type FusedOp<In extends unknown[], Out> = ((...args: In) => Out) & FusedOpSpec<In, Out>;

/**
 * Declares a fused op (see the file comment).
 *
 * @example
 * const op = fusedOp({ composed: (x: Tensor) => x.mul(2).add(1), fused: () => null });
 * op(tensor([1])).toArray(); // [3]
 */
export function fusedOp<In extends unknown[], Out>(spec: FusedOpSpec<In, Out>): FusedOp<In, Out> {
  const run = (...args: In): Out => spec.fused(...args) ?? spec.composed(...args);
  return Object.assign(run, { composed: spec.composed, fused: spec.fused });
}
