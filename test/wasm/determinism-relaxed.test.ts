// SPDX-License-Identifier: MIT
// Same seed, same bits on any thread count: the relaxed-SIMD (FMA) build, whose micro-kernel has
// another tile height (6 rows) and fused multiply-adds (determinism-suite.ts). Node 20 enables
// relaxed SIMD only behind a V8 flag, set here before anything compiles (each test file runs in its
// own process); the suite runs lighter here (training on 1 and 2 threads only).
import { setFlagsFromString } from 'node:v8';
import { describe } from 'node:test';
import * as st from 'strata-dl';
import { determinismTests } from './determinism-suite.js';

setFlagsFromString('--experimental-wasm-relaxed-simd');

describe('relaxed-simd build', { skip: st.wasmFeatures().relaxedSimd ? false : 'this engine has no relaxed SIMD even with the flag' }, () => {
  const wasm = st.createWasmBackend({ reference: st.getBackend('js'), variant: 'relaxed-simd' });
  st.registerBackend(wasm); // replaces the default 'wasm' entry
  determinismTests(wasm, { light: true });
});
