// SPDX-License-Identifier: MIT
import type { Backend, Kernel, KernelPrim, View } from '../../backend/backend.js';
import { sizeOf } from '../../core/shape.js';
import type { TypedArray } from '../../core/dtype.js';
import { WasmBuf, wbuf } from './buf.js';
import type { Runtime } from './runtime.js';

/** What every wasm kernel needs: the runtime, pointers of views, and the reference fallback. */
export class Ctx {
  constructor(readonly rt: Runtime, private readonly ref: Backend) {}

  ptr(v: View): number {
    return wbuf(v, this.rt).ptr;
  }

  /** A typed view of a buffer's elements in the wasm memory (valid until the memory grows). */
  array(v: View): TypedArray {
    const b = wbuf(v, this.rt);
    return viewOf(this.rt, b);
  }

  /** Fills a buffer with `value`, converted as a typed-array fill of its dtype would convert it. */
  fill(v: View, value: number): void {
    const b = wbuf(v, this.rt);
    const x = this.rt.x;
    switch (b.dtype) {
      case 'float32':
        F32[0] = value;
        x.fill32(b.ptr, U32[0], b.size);
        break;
      case 'int32': x.fill32(b.ptr, value | 0, b.size); break;
      case 'bool': x.fillBytes(b.ptr, (value | 0) & 255, b.size); break;
      case 'float64': viewOf(this.rt, b).fill(value); break;
    }
  }

  /**
   * Runs the reference backend's kernel: copies the inputs out, runs it, copies the result in.
   * Used for dtypes other than float32 (correctness first), and for rare layouts.
   */
  fallback<P extends KernelPrim>(prim: P): Kernel<P> {
    return (out, ins, attrs) => {
      const ref = this.ref;
      const refIns: View[] = ins.map((v) => {
        const b = ref.alloc(v.dtype, sizeOf(v.shape));
        ref.write(b, this.array(v));
        return { buf: b, shape: v.shape, dtype: v.dtype };
      });
      const o = ref.alloc(out.dtype, sizeOf(out.shape));
      const kernel = ref.kernels[prim] as Kernel<P>;
      kernel({ buf: o, shape: out.shape, dtype: out.dtype }, refIns, attrs);
      this.array(out).set(ref.read(o));
      for (const v of refIns) ref.free(v.buf);
      ref.free(o);
    };
  }
}

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

export function viewOf(rt: Runtime, b: WasmBuf): TypedArray {
  switch (b.dtype) {
    case 'float32': return rt.f32.subarray(b.ptr >>> 2, (b.ptr >>> 2) + b.size);
    case 'int32': return rt.i32.subarray(b.ptr >>> 2, (b.ptr >>> 2) + b.size);
    case 'float64': return rt.f64.subarray(b.ptr >>> 3, (b.ptr >>> 3) + b.size);
    case 'bool': return rt.u8.subarray(b.ptr, b.ptr + b.size);
  }
}
