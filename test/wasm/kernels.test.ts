// SPDX-License-Identifier: MIT
// Every wasm kernel against the js reference, on randomized shapes (see cases.ts for the shapes and
// the tolerances: exact for data movement, comparisons and IEEE-exact arithmetic; a few ulp for the
// polynomial exp/log/tanh/sigmoid; float32 accumulation error for sums, matmul and fold).
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createJsBackend } from '../../packages/strata-dl/src/backends/js/index.js';
import { createWasmBackend } from '../../packages/strata-dl/src/backends/wasm/index.js';
import { PRIM_KERNELS_COVERED, buildCasesFor } from './run-cases.js';

const js = createJsBackend();
const wasm = createWasmBackend({ reference: js, variant: 'simd' });
after(() => wasm.close());

describe(`wasm kernels (${'simd'}) match js`, () => {
  for (const threads of [1, 2]) {
    test(`all cases, ${threads} thread(s)`, async () => {
      await wasm.ready(threads);
      const failures = buildCasesFor(wasm, js, threads);
      assert.deepEqual(failures, []);
    });
  }
  test('every kernel has cases', () => {
    assert.deepEqual(PRIM_KERNELS_COVERED().missing, []);
  });
});
