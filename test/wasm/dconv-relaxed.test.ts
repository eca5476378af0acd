// SPDX-License-Identifier: MIT
// test/wasm/dconv.test.ts on the relaxed-SIMD (FMA) build, whose micro-kernels hold 6 filters, not
// 5 (Node 20 enables relaxed SIMD only behind a V8 flag, set here before anything compiles).
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { test } from 'node:test';
import type { WasmBackend } from 'strata-dl';

setFlagsFromString('--experimental-wasm-relaxed-simd');
const st = await import('strata-dl');
const relaxed = st.wasmFeatures().relaxedSimd;
test('the FMA build is the one running', { skip: relaxed ? false : 'this engine has no relaxed SIMD even with the flag' }, () => {
  assert.equal((st.getBackend('wasm') as WasmBackend).variant, 'relaxed-simd');
});
if (relaxed) await import('./dconv.test.js');
