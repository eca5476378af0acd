// SPDX-License-Identifier: MIT
// Runs one primitive on the wasm backend and on the js reference with the same inputs, through the
// Backend interface (so shapes and attributes are exactly the ones under test), and compares.
import type { Backend, Kernel, KernelPrim, View } from '../../packages/strata-dl/src/backend/backend.js';
import type { DType, TypedArray } from '../../packages/strata-dl/src/core/dtype.js';
import { makeArray } from '../../packages/strata-dl/src/core/dtype.js';
import { sizeOf } from '../../packages/strata-dl/src/core/shape.js';
import { infer } from '../../packages/strata-dl/src/ir/infer.js';
import type { PrimAttrs } from '../../packages/strata-dl/src/ir/prims.js';

/** mulberry32: a small seeded generator, so failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Input { shape: number[]; dtype: DType; data: TypedArray }

/** Random values of a dtype: floats in [lo, hi), ints in [lo, hi), bools 50/50. */
export function randomInput(r: () => number, shape: number[], dtype: DType = 'float32', lo = -2, hi = 2): Input {
  const n = sizeOf(shape);
  const data = makeArray(dtype, n);
  for (let i = 0; i < n; i++) {
    const u = r();
    data[i] = dtype === 'bool' ? (u < 0.5 ? 1 : 0) : dtype === 'int32' ? Math.floor(lo + u * (hi - lo)) : lo + u * (hi - lo);
  }
  return { shape, dtype, data };
}

/** Tolerance: |got - want| <= atol + rtol * |want|; NaN must match NaN, infinities must match exactly. */
export interface Tol { atol: number; rtol: number }
export const EXACT: Tol = { atol: 0, rtol: 0 };

export function run<P extends KernelPrim>(backend: Backend, prim: P, inputs: readonly Input[], attrs: PrimAttrs[P]): { data: TypedArray; shape: number[] } {
  const meta = infer(prim, inputs, attrs);
  const views: View[] = inputs.map((x) => {
    const buf = backend.alloc(x.dtype, sizeOf(x.shape));
    backend.write(buf, x.data);
    return { buf, shape: x.shape, dtype: x.dtype };
  });
  const size = sizeOf(meta.shape);
  let out;
  if (backend.allocUninit) {
    // what Tensor does: an uninitialized output; poisoned, so a kernel that skips elements fails
    out = backend.allocUninit(meta.dtype, size);
    backend.write(out, makeArray(meta.dtype, size).fill(meta.dtype === 'bool' ? 1 : meta.dtype === 'int32' ? -123456 : NaN));
  } else {
    out = backend.alloc(meta.dtype, size);
  }
  const kernel = backend.kernels[prim] as Kernel<P>;
  kernel({ buf: out, shape: meta.shape, dtype: meta.dtype }, views, attrs);
  const data = backend.read(out);
  for (const v of views) backend.free(v.buf);
  backend.free(out);
  return { data, shape: [...meta.shape] };
}

/** The first element where the two backends disagree beyond `tol`, or null. */
export function compare(got: TypedArray, want: TypedArray, tol: Tol): string | null {
  if (got.length !== want.length) return `length ${got.length} vs ${want.length}`;
  for (let i = 0; i < want.length; i++) {
    const g = got[i];
    const w = want[i];
    if (Number.isNaN(w) || Number.isNaN(g)) {
      if (Number.isNaN(w) !== Number.isNaN(g)) return `element ${i}: got ${g}, want ${w}`;
      continue;
    }
    if (!Number.isFinite(w) || !Number.isFinite(g)) {
      if (g !== w) return `element ${i}: got ${g}, want ${w}`;
      continue;
    }
    if (Math.abs(g - w) > tol.atol + tol.rtol * Math.abs(w)) return `element ${i}: got ${g}, want ${w} (|diff| ${Math.abs(g - w)})`;
  }
  return null;
}
