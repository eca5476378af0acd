// SPDX-License-Identifier: MIT
// The direct weight-gradient kernel on the relaxed-SIMD (FMA) build: conv-wgrad-direct-suite.ts. Node 20
// enables relaxed SIMD only behind a V8 flag, which this test process sets before anything compiles
// (as relaxed.test.ts); the FMA build then replaces the 'wasm' backend for this process.
import { setFlagsFromString } from 'node:v8';
import { test } from 'node:test';
import * as st from 'strata-dl';
import { directWgradSuite } from './conv-wgrad-direct-suite.js';

setFlagsFromString('--experimental-wasm-relaxed-simd');
if (st.wasmFeatures().relaxedSimd) {
  st.registerBackend(st.createWasmBackend({ reference: st.getBackend('js'), variant: 'relaxed-simd' }));
  directWgradSuite('relaxed-simd');
} else {
  test('relaxed SIMD', { skip: 'this engine has no relaxed SIMD even with the flag' }, () => {});
}
