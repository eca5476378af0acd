// SPDX-License-Identifier: MIT
// A 10,000-step training loop on the wasm backend (a tiny MLP written by hand: matmul + relu +
// mean-squared loss + manual SGD through `_assign`, each step inside `scoped`) must keep the live
// wasm memory flat: every intermediate, gradient and old parameter buffer is returned.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from '../../packages/strata-dl/src/index.js';

test('10,000 training steps on wasm keep memory() flat and learn', () => {
  st.setBackend('wasm');
  const gen = new st.Generator(7);
  const x = st.randn([32, 4], { generator: gen });
  // target: a fixed random linear map followed by a relu, plus a constant
  const y = st.scoped(() => x.matmul(st.randn([4, 2], { generator: gen })).relu().add(0.5));
  const w1 = st.randn([4, 16], { generator: gen }).mul(0.5).requiresGrad_();
  const b1 = st.zeros([16]).requiresGrad_();
  const w2 = st.randn([16, 2], { generator: gen }).mul(0.3).requiresGrad_();
  const b2 = st.zeros([2]).requiresGrad_();
  const params = [w1, b1, w2, b2];
  const lr = 0.05;
  const step = (): number => st.scoped(() => {
    const pred = x.matmul(w1).add(b1).relu().matmul(w2).add(b2);
    const loss = pred.sub(y).square().mean();
    loss.backward();
    for (const p of params) {
      p.set_(p.sub(p.grad!.mul(lr)));
      p.grad = null;
    }
    return loss.item();
  });
  const first = step();
  for (let i = 0; i < 99; i++) step();
  const warm = st.memory();
  let last = first;
  for (let i = 0; i < 9_900; i++) last = step();
  const end = st.memory();
  assert.equal(end.tensors, warm.tensors, `live tensors grew from ${warm.tensors} to ${end.tensors}`);
  assert.equal(end.bytes, warm.bytes, `live bytes grew from ${warm.bytes} to ${end.bytes}`);
  assert.ok(last < first * 0.1, `loss did not fall: ${first} -> ${last}`);
  assert.equal(st.getBackend().name, 'wasm');
});
