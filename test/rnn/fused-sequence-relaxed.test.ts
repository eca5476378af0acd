// SPDX-License-Identifier: MIT
// The LSTM sequence kernels on the relaxed-SIMD (FMA) build, whose micro-kernel has 6 rows: other
// ragged panels than the default build's 5. Node 20 enables relaxed SIMD only behind a V8 flag; this
// test process sets it before the library loads (each test file runs in its own process).
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { test } from 'node:test';
import type { WasmBackend } from 'strata-dl';

setFlagsFromString('--experimental-wasm-relaxed-simd');
const st = await import('strata-dl');
const { sequenceSuite } = await import('./fused-sequence-suite.js');
const relaxed = st.wasmFeatures().relaxedSimd;

test('the FMA build is the one running', { skip: relaxed ? false : 'this engine has no relaxed SIMD even with the flag' }, () => {
  assert.equal((st.getBackend('wasm') as WasmBackend).variant, 'relaxed-simd');
});
if (relaxed) sequenceSuite('relaxed-simd');
