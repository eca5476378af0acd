// SPDX-License-Identifier: MIT
// Where the library's 'wasm' backend runs a test: on how many threads, and on which build.
import { setFlagsFromString } from 'node:v8';
import { test } from 'node:test';
import * as st from 'strata-dl';

/** Sets the thread count and waits until that many threads are ready on the 'wasm' backend. */
export async function onThreads(threads: number): Promise<void> {
  st.setNumThreads(threads);
  await (st.getBackend('wasm') as st.WasmBackend).ready(threads);
}

/**
 * Registers `suite` on the relaxed-SIMD (FMA) build. Node 20 enables relaxed SIMD only behind a V8
 * flag, which this sets before the FMA build compiles (call it at the top level of a test file, as
 * relaxed.test.ts does); that build then replaces the 'wasm' backend for the process.
 */
export function onRelaxedBuild(suite: (variant: 'relaxed-simd') => void): void {
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  if (!st.wasmFeatures().relaxedSimd) {
    test('relaxed SIMD', { skip: 'this engine has no relaxed SIMD even with the flag' }, () => {});
    return;
  }
  st.registerBackend(st.createWasmBackend({ reference: st.getBackend('js'), variant: 'relaxed-simd' }));
  suite('relaxed-simd');
}
