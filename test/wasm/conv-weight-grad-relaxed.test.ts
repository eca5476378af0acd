// SPDX-License-Identifier: MIT
// The conv rule's fused weight gradient on the relaxed-SIMD (FMA) build, which reads the image in
// place: conv-weight-grad-suite.ts. Node 20 enables relaxed SIMD only behind a V8 flag, which this
// test process sets before anything compiles (as relaxed.test.ts); the FMA build then replaces the
// 'wasm' backend for this process.
import { setFlagsFromString } from 'node:v8';
import { test } from 'node:test';
import * as st from 'strata-dl';
import { convWeightGradSuite } from './conv-weight-grad-suite.js';

setFlagsFromString('--experimental-wasm-relaxed-simd');
if (st.wasmFeatures().relaxedSimd) {
  st.registerBackend(st.createWasmBackend({ reference: st.getBackend('js'), variant: 'relaxed-simd' }));
  convWeightGradSuite('relaxed-simd');
} else {
  test('relaxed SIMD', { skip: 'this engine has no relaxed SIMD even with the flag' }, () => {});
}
