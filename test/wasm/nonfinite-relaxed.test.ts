// SPDX-License-Identifier: MIT
// The non-finite op table (../ops.nonfinite.table.ts) on the relaxed-SIMD (FMA) wasm build: FMA
// must keep 0·inf = NaN and the rest. Node 20 enables relaxed SIMD only behind a V8 flag; this
// process sets it before the library compiles its module (each test file runs in its own process).
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { test } from 'node:test';
import type { WasmBackend } from 'strata-dl';

setFlagsFromString('--experimental-wasm-relaxed-simd');
const st = await import('strata-dl');
const { runTable } = await import('../ops.nonfinite.run.js');
const relaxed = st.wasmFeatures().relaxedSimd && st.listBackends().includes('wasm');

if (relaxed) {
  test('the relaxed-SIMD build is the one running', () => {
    st.tensor([1], { backend: 'wasm' }).dataSync();
    assert.equal((st.getBackend('wasm') as WasmBackend).variant, 'relaxed-simd');
  });
  runTable(st, ['wasm'], ' (relaxed-simd)');
} else {
  test('relaxed SIMD', { skip: 'this engine has no relaxed SIMD even with the flag' }, () => {});
}
