// SPDX-License-Identifier: MIT
import { type DType, type TypedArray, makeArray } from '../../core/dtype.js';
import { StrataError } from '../../core/errors.js';
import type { Backend, Buf, Kernel, KernelPrim, Kernels } from '../../backend/backend.js';
import { perPrim } from '../../backend/per-prim.js';
import { BINARY, COMPARE, UNARY } from '../../ir/prims.js';
import { WasmBuf, elemSize, wbuf } from './buf.js';
import { Ctx, viewOf } from './context.js';
import { binaryKernel, castKernel, compareKernel, unaryKernel, whereKernel } from './elementwise.js';
import { gatherKernel, scatterAddKernel } from './indexing.js';
import { matmulKernel } from './matmul.js';
import { foldKernel, unfoldKernel } from './window.js';
import { convKernel, fusedConv } from './conv.js';
import { fusedConvInputGrad } from './conv-input-grad.js';
import { fusedConvReluPool } from './conv-relu-pool.js';
import { concatKernel, expandKernel, flipKernel, padKernel, permuteKernel, sliceKernel } from './movement.js';
import { fusedPooling, poolIndexKernel, poolKernel } from './pooling.js';
import { fusedCells } from './cells.js';
import { fusedCrossEntropyKernels } from './cross-entropy.js';
import { lstmSequenceKernels } from './lstm-sequence.js';
import { fusedUpdates } from './optim.js';
import { argKernel, reduceKernel } from './reduce.js';
import { argsortKernel, scanKernel } from './scan.js';
import { Runtime, type RuntimeOptions, type WasmVariant } from './runtime.js';
import { getNumThreads } from './threads.js';

export { wasmFeatures } from './features.js';
export type { WasmFeatures } from './features.js';
export { setNumThreads, getNumThreads } from './threads.js';
export type { WasmVariant } from './runtime.js';

/** Options of `createWasmBackend`. */
export interface WasmBackendOptions extends RuntimeOptions {
  /**
   * The reference backend whose kernels run (copy out, run, copy in) for dtypes the wasm kernels do
   * not cover: float64 everywhere, int32/bool arithmetic. Normally the `js` backend.
   */
  reference: Backend;
}

/** The `wasm` backend: a Backend plus what is particular to it. */
export interface WasmBackend extends Backend {
  /** 'relaxed-simd' (FMA) or 'simd'; forces the module to compile. */
  readonly variant: WasmVariant;
  /** Resolves once the worker threads for `threads` (default: `getNumThreads()`) are running. */
  ready(threads?: number): Promise<void>;
  /** Stops the worker threads (they start again on demand). */
  close(): Promise<void>;
  /** Bytes of wasm memory reserved (live, cached for reuse, and workspaces). */
  reservedBytes(): number;
}

/**
 * Creates the WebAssembly backend: SIMD kernels compiled from AssemblyScript (assembly/), tensors
 * in one `WebAssembly.Memory` with a size-class allocator, and a worker pool for the large
 * kernels where the memory can be shared (else one thread, same results: `sharedMemory`). The module compiles on first use. It picks the relaxed-SIMD (FMA) build when the engine
 * validates it; it never changes V8 flags itself (see README, "Performance").
 *
 * @example
 * registerBackend(createWasmBackend({ reference: createJsBackend() }));
 */
export function createWasmBackend(opts: WasmBackendOptions): WasmBackend {
  let rt: Runtime | null = null;
  let ctx: Ctx | null = null;
  const runtime = (): Runtime => (rt ??= new Runtime(opts));
  const c = (): Ctx => (ctx ??= new Ctx(runtime(), opts.reference));
  // Kernels are built lazily too, so that creating (registering) the backend compiles nothing.
  const lazy = <P extends KernelPrim>(make: (ctx: Ctx) => Kernel<P>): Kernel<P> => {
    let k: Kernel<P> | null = null;
    return (out, ins, attrs) => {
      k ??= make(c());
      k(out, ins, attrs);
    };
  };
  const kernels: Kernels = {
    ...perPrim(UNARY, (op) => lazy((x) => unaryKernel(x, op))), ...perPrim(BINARY, (op) => lazy((x) => binaryKernel(x, op))),
    ...perPrim(COMPARE, (op) => lazy((x) => compareKernel(x, op))),
    where: lazy(whereKernel), cast: lazy(castKernel),
    sum: lazy((x) => reduceKernel(x, 'sum')), max: lazy((x) => reduceKernel(x, 'max')), min: lazy((x) => reduceKernel(x, 'min')),
    argmax: lazy((x) => argKernel(x, 'argmax')), argmin: lazy((x) => argKernel(x, 'argmin')),
    permute: lazy(permuteKernel), expand: lazy(expandKernel), slice: lazy(sliceKernel), pad: lazy(padKernel), flip: lazy(flipKernel),
    concat: lazy(concatKernel), gather: lazy(gatherKernel), scatterAdd: lazy(scatterAddKernel),
    matmul: lazy(matmulKernel), unfold: lazy(unfoldKernel), fold: lazy(foldKernel), poolIndex: lazy(poolIndexKernel), pool: lazy(poolKernel), conv: lazy(convKernel),
    cumsum: lazy((x) => scanKernel(x, 'cumsum')), cumprod: lazy((x) => scanKernel(x, 'cumprod')), argsort: lazy(argsortKernel),
  };

  const allocUninit = (dtype: DType, size: number): WasmBuf => {
    const r = runtime();
    const ptr = r.heap.take(size * elemSize(dtype), () => `a ${dtype} tensor of ${size.toLocaleString('en-US')} elements`);
    return new WasmBuf(dtype, size, r, ptr, r.heap.takenClass);
  };

  return {
    name: 'wasm',
    needsFree: true,
    get variant(): WasmVariant { return runtime().variant; },
    allocUninit,
    alloc(dtype: DType, size: number): Buf {
      const b = allocUninit(dtype, size);
      const r = b.rt;
      const ptr = b.ptr;
      // Only what may hold old data is cleared (fresh memory is zero, and touching it here would
      // just move its page faults); memory.fill, as typed-array fills on shared memory are slow.
      const dirty = r.heap.dirtyBytes(ptr, size * elemSize(dtype));
      if (dirty > 0) r.x.fillBytes(ptr, 0, dirty);
      return b;
    },
    free(buf: Buf): void {
      const b = wbuf(buf, runtime());
      b.freed = true;
      b.rt.heap.free(b.ptr, b.cls);
    },
    write(buf: Buf, data: ArrayLike<number>): void {
      const b = wbuf(buf, runtime());
      if (data.length !== b.size) throw new StrataError('write', `expected ${b.size} values for a ${b.dtype} buffer, got ${data.length}`);
      const v = viewOf(b.rt, b);
      if (b.dtype === 'bool') for (let i = 0; i < b.size; i++) v[i] = data[i] ? 1 : 0;
      else v.set(data);
    },
    read(buf: Buf): TypedArray {
      const b = wbuf(buf, runtime());
      const out = makeArray(b.dtype, b.size);
      out.set(viewOf(b.rt, b));
      return out;
    },
    kernels,
    fused: { ...fusedUpdates(c), ...fusedCells(c), ...fusedConv(c), ...fusedConvInputGrad(c), ...fusedConvReluPool(c), ...fusedCrossEntropyKernels(c), ...lstmSequenceKernels(c), ...fusedPooling(c) },
    ready: async (threads?: number) => runtime().pool.ready(threads ?? getNumThreads()),
    close: async () => { if (rt) await rt.pool.close(); },
    reservedBytes: () => (rt ? rt.heap.reservedBytes : 0),
  };
}
