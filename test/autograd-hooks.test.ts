// SPDX-License-Identifier: MIT
// Gradient hooks and retained gradients of non-leaf tensors (PyTorch's register_hook and
// retain_grad): what they see, what replacing a gradient changes, and the errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';

const leaf = (v: number[]): st.Tensor => st.tensor(v, { requiresGrad: true });

test('retainGrad keeps a hidden tensor\'s gradient; others stay null, leaves are unaffected', () => {
  const x = leaf([1, 2]);
  const h = x.mul(3).retainGrad();
  const other = h.add(1);
  other.square().sum().backward();
  // d/dh (h + 1)² = 2(h + 1) at h = 3, 6
  assert.deepEqual(h.grad!.toArray(), [8, 14]);
  assert.deepEqual(x.grad!.toArray(), [24, 42]);
  assert.equal(other.grad, null);
  assert.equal(h.retainsGrad, true);
  assert.equal(x.retainGrad(), x);
  assert.equal(x.retainsGrad, false);
});

test('a retained gradient accumulates over backward calls, as a leaf\'s does, and survives scoped', () => {
  const x = leaf([1, 2]);
  const h = st.scoped(() => {
    const y = x.mul(2).retainGrad();
    const loss = y.sum();
    loss.backward({ retainGraph: true });
    loss.backward();
    return y;
  });
  assert.deepEqual(h.grad!.toArray(), [2, 2]);
  assert.deepEqual(x.grad!.toArray(), [4, 4]);
});

test('retainGrad and registerHook refuse a tensor that does not require grad, naming the call', () => {
  const c = st.tensor([1, 2]);
  assert.throws(() => c.retainGrad(), /^StrataError: retainGrad: the tensor float32 \[2\] does not require grad/);
  assert.throws(() => c.registerHook(() => undefined), /^StrataError: registerHook: the tensor float32 \[2\] does not require grad/);
});

test('a hook on a leaf sees its gradient first and can replace it (clipping)', () => {
  const w = leaf([1, -2, 0.5]);
  const seen: number[][] = [];
  w.registerHook((g) => { seen.push([...g.dataSync()]); });
  w.registerHook((g) => g.clamp(-1, 1));
  w.mul(st.tensor([5, 5, 0.25])).sum().backward();
  assert.deepEqual(seen, [[5, 5, 0.25]]);
  assert.deepEqual(w.grad!.toArray(), [1, 1, 0.25]);
});

test('a hook on a hidden tensor runs once on its whole gradient, and what it returns flows on', () => {
  const x = leaf([1, 2]);
  const h = x.mul(2);
  const calls: number[][] = [];
  h.registerHook((g) => { calls.push([...g.dataSync()]); return g.mul(10); });
  h.add(h.mul(3)).sum().backward(); // two uses: the hook sees the sum, 1 + 3
  assert.deepEqual(calls, [[4, 4]]);
  assert.deepEqual(x.grad!.toArray(), [80, 80]);
});

test('hooks run in st.grad and vjp too, and stop after remove(), also when one removes itself', () => {
  let n = 0;
  const f = (v: st.Tensor): st.Tensor => {
    const u = v.mul(2);
    const handle = u.registerHook((g) => { n++; handle.remove(); return g.neg(); });
    return u.sum();
  };
  assert.deepEqual(st.grad(f)(st.tensor([1, 1])).toArray(), [-2, -2]);
  assert.equal(n, 1);
  const w = leaf([3]);
  const handle = w.registerHook((g) => g.mul(0));
  handle.remove();
  handle.remove();
  w.mul(2).sum().backward();
  assert.deepEqual(w.grad!.toArray(), [2]);
});

test('a hook\'s replacement is differentiated with createGraph (second order)', () => {
  const x = leaf([2]);
  const y = x.square();
  y.registerHook((g) => g.mul(x));
  // dL/dx with the hook: (1·x)·2x = 2x² = 8, whose derivative is 4x = 8 (4 if the hook's x·g
  // were not recorded, x then a constant)
  y.sum().backward({ createGraph: true });
  assert.deepEqual(x.grad!.toArray(), [8]);
  const g2 = x.grad!;
  x.grad = null;
  g2.sum().backward();
  assert.deepEqual(x.grad!.toArray(), [8]);
});

test('a hook that returns the wrong shape, dtype or kind is an error naming registerHook and both shapes', () => {
  const bad = (ret: (g: st.Tensor) => unknown, re: RegExp): void => {
    const x = leaf([1]);
    x.registerHook(ret as st.GradHook);
    assert.throws(() => x.mul(2).sum().backward(), re);
  };
  bad(() => st.zeros([3]), /^StrataError: registerHook: a gradient hook returned float32 \[3\] for a gradient of float32 \[1\]/);
  bad((g) => g.to('float64'), /returned float64 \[1\] for a gradient of float32 \[1\]/);
  bad(() => 5, /returned number for a gradient of float32 \[1\]/);
});
