// SPDX-License-Identifier: MIT
/**
 * Run-time detection of the WebAssembly features the kernels need. Each probe is a minimal module
 * checked with the synchronous, cheap `WebAssembly.validate` (works in Node and browsers).
 */

// (func (result v128) (i32x4.splat (i32.const 0)))
const SIMD = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0,
  10, 8, 1, 6, 0, 65, 0, 253, 17, 11]);
// (func (result v128) (f32x4.relaxed_madd (i32x4.splat 0) (i32x4.splat 0) (i32x4.splat 0)))
const RELAXED = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0,
  10, 19, 1, 17, 0, 65, 0, 253, 17, 65, 0, 253, 17, 65, 0, 253, 17, 253, 133, 2, 11]);

/** What this JavaScript engine's WebAssembly supports (see `wasmFeatures`). */
export interface WasmFeatures {
  /** SIMD128: every current engine (Node >= 16, current browsers). */
  simd: boolean;
  /** Relaxed SIMD (FMA): on by default in V8 >= 11.4 (Node >= 22, Chrome >= 114); Node 20 needs a V8 flag. */
  relaxedSimd: boolean;
  /** Shared memory (SharedArrayBuffer): needed for the worker pool; browsers need cross-origin isolation (without it the wasm backend runs on one thread). */
  sharedMemory: boolean;
}

/** Probes this engine's WebAssembly features (by validating tiny modules and creating a shared memory); the package entry registers the wasm backend where `simd` is true (with a worker pool where `sharedMemory` is too, else on one thread). */
export function wasmFeatures(): WasmFeatures {
  if (typeof WebAssembly === 'undefined') return { simd: false, relaxedSimd: false, sharedMemory: false };
  let sharedMemory = false;
  try {
    sharedMemory = typeof SharedArrayBuffer !== 'undefined' &&
      new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch {
    sharedMemory = false;
  }
  return { simd: WebAssembly.validate(SIMD), relaxedSimd: WebAssembly.validate(RELAXED), sharedMemory };
}
