// SPDX-License-Identifier: MIT
// The package entry where there is no SharedArrayBuffer (a browser page that is not cross-origin
// isolated; simulated here by removing it before the entry loads): wasm is still the default, on
// one thread over an unshared memory, with no worker. (Each test file runs in its own process.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as St from 'strata-dl';

test('without shared memory the entry makes wasm the default, on one thread', async () => {
  Reflect.deleteProperty(globalThis, 'SharedArrayBuffer');
  const st = await import('strata-dl');
  assert.equal(st.wasmFeatures().sharedMemory, false);
  assert.deepEqual(st.listBackends(), ['js', 'wasm']);
  const wasm = st.getBackend() as St.WasmBackend;
  assert.equal(wasm.name, 'wasm');
  st.setNumThreads(4);
  await wasm.ready(); // nothing to start: resolves at once
  const a = st.randn([300, 200], { generator: new st.Generator(1) });
  const b = st.randn([200, 100], { generator: new st.Generator(2) });
  const got = a.matmul(b).dataSync();
  const want = st.tensor(a.toArray(), { backend: 'js' }).matmul(st.tensor(b.toArray(), { backend: 'js' })).dataSync();
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= 1e-4 * (1 + Math.abs(want[i])), `[${i}] ${got[i]} vs ${want[i]}`);
  await wasm.close();
});
