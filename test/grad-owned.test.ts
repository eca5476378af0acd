// SPDX-License-Identifier: MIT
// A gradient that only its `.grad` refers to (made by the backward sweep, never handed out) is freed
// as soon as `.grad` lets go of it: `w.grad = null` (PyTorch's zero_grad(set_to_none)) or the next
// backward's sum. Anything the user could still hold keeps its gradient alive: a tensor read
// through the getter, given to a hook or to a customOp's backward, shared by two `.grad`s, passed
// in as the seed, or recorded with createGraph. Disposing twice releases storage once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';

const backend = 'wasm';

/** `w.grad = null; loss(w).backward()` steps in scopes, the gradient never read; live tensors after each. */
function liveAfterSteps(w: st.Tensor, loss: (w: st.Tensor) => st.Tensor, steps: number): number[] {
  const live: number[] = [];
  for (let i = 0; i < steps; i++) {
    st.scoped(() => {
      w.grad = null;
      loss(w).backward();
    });
    live.push(st.memory().tensors);
  }
  return live;
}

test('a gradient never read is freed when .grad is set to null: a loop of steps keeps a flat count of live tensors without the collector', () => {
  const gen = new st.Generator(3);
  const w = st.rand([64], { backend, generator: gen, requiresGrad: true });
  const b = st.rand([64], { backend, generator: gen });
  const live = liveAfterSteps(w, (x) => x.mul(b).sum(), 200);
  // a synchronous loop never runs the finalization registry's cleanup: each dropped gradient that
  // waited for it would stay live, one more per step
  assert.equal(live[live.length - 1], live[0], `live tensors went from ${live[0]} to ${live[live.length - 1]} over 200 steps`);
  assert.deepEqual(w.grad!.toArray(), b.toArray());
});

test('the next backward\'s sum replaces an owned gradient and frees it; the values accumulate as before', () => {
  const w = st.tensor([1, 2, 3], { backend, requiresGrad: true });
  st.scoped(() => w.mul(w).sum().backward());
  const start = st.memory().tensors;
  for (let i = 0; i < 50; i++) st.scoped(() => w.mul(w).sum().backward());
  assert.equal(st.memory().tensors, start);
  assert.deepEqual(w.grad!.toArray(), [102, 204, 306]);
});

test('a gradient read through .grad stays valid after .grad is set to null or summed into', () => {
  const w = st.tensor([1, 2, 3], { backend, requiresGrad: true });
  st.scoped(() => w.mul(2).sum().backward());
  const first = w.grad!;
  st.scoped(() => w.mul(3).sum().backward()); // .grad becomes first + 3
  assert.deepEqual(first.toArray(), [2, 2, 2]);
  const second = w.grad!;
  w.grad = null;
  assert.deepEqual(second.toArray(), [5, 5, 5]);
  assert.equal(second.isDisposed, false);
});

test('a gradient a hook was given is not freed with .grad', () => {
  const w = st.tensor([1, 2], { backend, requiresGrad: true });
  let seen: st.Tensor | null = null;
  w.registerHook((g) => { seen = g; });
  st.scoped(() => w.mul(4).sum().backward());
  w.grad = null;
  assert.deepEqual(seen!.toArray(), [4, 4]);
});

test('a gradient a hook on another tensor of the graph was given is not freed with a leaf\'s .grad', () => {
  const a = st.tensor([1, 2], { backend, requiresGrad: true });
  const b = st.tensor([5, 6], { backend, requiresGrad: true });
  let seen: st.Tensor | null = null;
  st.scoped(() => {
    const u = b.mul(1);
    u.registerHook((g) => { seen = g; });
    a.add(u).mul(3).sum().backward(); // add passes one gradient object to both of its inputs
  });
  a.grad = null;
  assert.deepEqual(seen!.toArray(), [3, 3]);
});

test('a gradient a customOp\'s backward kept is not freed with .grad', () => {
  let kept: st.Tensor | null = null;
  const twice = st.customOp({
    name: 'twice',
    forward: (x) => x.mul(2),
    backward: (g) => {
      const gx = g.mul(2);
      kept = gx;
      return [gx];
    },
  });
  const w = st.tensor([1, 2, 3], { backend, requiresGrad: true });
  st.scoped(() => twice(w).sum().backward());
  w.grad = null;
  assert.deepEqual(kept!.toArray(), [2, 2, 2]);
});

test('one gradient object in two .grads: setting one to null leaves the other', () => {
  const a = st.tensor([1, 2], { backend, requiresGrad: true });
  const b = st.tensor([3, 4], { backend, requiresGrad: true });
  st.scoped(() => a.add(b).sum().backward()); // add's rule hands both inputs the same gradient
  a.grad = null;
  assert.deepEqual(b.grad!.toArray(), [1, 1]);
});

test('a seed passed to backward that becomes a leaf\'s .grad is the caller\'s: not freed with it', () => {
  const w = st.tensor([1, 2], { backend, requiresGrad: true });
  const seed = st.tensor([7, 8], { backend });
  w.backward(seed);
  w.grad = null;
  assert.deepEqual(seed.toArray(), [7, 8]);
});

test('with createGraph a leaf\'s gradient can be an input of the recorded backward: setting that .grad to null does not free it', () => {
  const a = st.tensor([1, 2], { backend, requiresGrad: true });
  const b = st.tensor([3, 4], { backend, requiresGrad: true });
  const c = st.tensor([5, 6], { backend, requiresGrad: true });
  // add hands a and b·c one gradient object g; b's gradient g·c is recorded with g as an input
  a.add(b.mul(c)).sum().backward({ createGraph: true });
  a.grad = null;
  const gb = b.grad!;
  c.grad = null;
  gb.sum().backward(); // d(g·c)/dc = g, read from the recorded product
  assert.deepEqual(c.grad!.toArray(), [1, 1]);
});

test('disposing a tensor twice releases its storage once: a view sharing it stays valid', () => {
  const x = st.tensor([1, 2, 3, 4], { backend });
  const v = x.reshape([2, 2]);
  x.dispose();
  x.dispose();
  assert.deepEqual(v.toArray(), [[1, 2], [3, 4]]);
  assert.equal(v.isDisposed, false);
  assert.equal(x.isDisposed, true, 'the disposed tensor says so, though its memory lives on in the view');
  // and using it fails as it does without the view, rather than depending on whether one exists
  assert.throws(() => x.add(1), /add: input \[4\] was disposed/);
  assert.throws(() => x.dataSync(), /dataSync: tensor \[4\] was disposed/);
});

test('optimizer.zeroGrad disposes a gradient two parameters share once: a view of it stays valid', () => {
  const a = st.tensor([1, 2], { backend, requiresGrad: true });
  const b = st.tensor([3, 4], { backend, requiresGrad: true });
  st.scoped(() => a.add(b).sum().backward()); // one gradient object in both .grads
  assert.equal(a.grad, b.grad);
  const view = a.grad!.reshape([2, 1]);
  new st.optim.SGD([a, b], { lr: 0.1 }).zeroGrad();
  assert.equal(a.grad, null);
  assert.deepEqual(view.toArray(), [[1], [1]]);
});
