// SPDX-License-Identifier: MIT
// Regression: buffers placed above 2 GiB of wasm memory. Byte addresses there do not fit a signed
// 32-bit shift (`ptr >> 2` turned negative and a batched matmul's offset table write threw
// "offset is out of bounds" after a long training run).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';

test('kernels and readback work on buffers above 2 GiB', { skip: st.listBackends().includes('wasm') ? false : 'no wasm backend here' }, () => {
  const filler = st.zeros([600_000_000], { backend: 'wasm' }); // 2.4 GB pushes later buffers past 2 GiB
  const x = st.arange(12, undefined, 1, { backend: 'wasm' }).float().reshape(3, 4);
  assert.deepEqual(x.add(1).sum(1).toArray(), [10, 26, 42]);
  // A batch over 224 matrices puts the GEMM offset table in a temporary block, above 2 GiB now.
  const w = st.ones([2, 3], { backend: 'wasm' });
  const b = st.ones([300, 3, 5], { backend: 'wasm' });
  const y = w.matmul(b);
  assert.deepEqual(y.shape, [300, 2, 5]);
  assert.equal(y.sum().item(), 300 * 2 * 5 * 3);
  filler.dispose();
});
