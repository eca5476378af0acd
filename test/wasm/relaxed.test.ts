// SPDX-License-Identifier: MIT
// The relaxed-SIMD (FMA) build against the js reference. Node 20 enables relaxed SIMD only behind a
// V8 flag; this test process sets it before anything compiles (each test file runs in its own
// process). The library itself never sets V8 flags.
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { after, describe, test } from 'node:test';
import { createJsBackend } from '../../packages/strata-dl/src/backends/js/index.js';
import { createWasmBackend, wasmFeatures } from '../../packages/strata-dl/src/backends/wasm/index.js';
import { buildCasesFor } from './run-cases.js';

setFlagsFromString('--experimental-wasm-relaxed-simd');
const available = wasmFeatures().relaxedSimd;

describe('wasm kernels (relaxed-simd) match js', { skip: available ? false : 'this engine has no relaxed SIMD even with the flag' }, () => {
  const js = createJsBackend();
  const wasm = createWasmBackend({ reference: js, variant: 'relaxed-simd' });
  after(() => wasm.close());
  test('the FMA build is the one running', () => {
    assert.equal(wasm.variant, 'relaxed-simd');
  });
  for (const threads of [1, 2]) {
    test(`all cases, ${threads} thread(s)`, async () => {
      await wasm.ready(threads);
      assert.deepEqual(buildCasesFor(wasm, js, threads), []);
    });
  }
});
