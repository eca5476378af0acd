// SPDX-License-Identifier: MIT
// The package entry on an engine without WebAssembly SIMD (simulated: every validation fails, as
// the SIMD probe does on such an engine): only then does it fall back to the js backend.
// (Each test file runs in its own process, so the entry is imported fresh, after the stub.)
import assert from 'node:assert/strict';
import { test } from 'node:test';

test('without WebAssembly SIMD the entry registers js only, and computes', async () => {
  WebAssembly.validate = () => false;
  const st = await import('strata-dl');
  assert.deepEqual(st.listBackends(), ['js']);
  assert.equal(st.getBackend().name, 'js');
  assert.equal(st.wasmFeatures().simd, false);
  assert.deepEqual(st.tensor([[1, 2], [3, 4]]).matmul(st.tensor([[1], [1]])).toArray(), [[3], [7]]);
});
