// SPDX-License-Identifier: MIT
// How tensors give their memory back: wasm tensors dropped without
// dispose() are still freed once collected, small ones included (they wait in a queue before they
// are registered with the FinalizationRegistry); set_ moves what is freed to the new storage; the js
// backend reuses the arrays of disposed tensors without touching memory that is still in use.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as st from 'strata-dl';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Collects, and yields so that the FinalizationRegistry's cleanup runs, until `done` or 20 rounds. */
async function collectUntil(done: () => boolean): Promise<void> {
  for (let i = 0; i < 20 && !done(); i++) {
    gc();
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Makes `n` wasm tensors of `size` elements and drops them (no dispose, no scope). */
function drop(n: number, size: number): void {
  for (let i = 0; i < n; i++) st.full([size], i, { backend: 'wasm' });
}

test('wasm tensors dropped without dispose() are freed once collected: small ones (queued first) and large ones', async () => {
  const start = st.memory();
  drop(40, 8192); // 32 KiB each: queued, registered as newer tensors push them out
  drop(2, 1_500_000); // 6 MB each: registered at once
  drop(3000, 16); // 64 bytes each: queued, registered in batches
  assert.ok(st.memory().tensors > start.tensors + 3000, 'the dropped tensors are live until collected');
  // at most the queue's 256 newest small tensors may still be waiting (their storage is 64 bytes)
  const settled = (): boolean => st.memory().tensors <= start.tensors + 256 && st.memory().bytes <= start.bytes + 256 * 64;
  await collectUntil(settled);
  const end = st.memory();
  assert.ok(settled(), `after collection ${end.tensors - start.tensors} tensors and ${end.bytes - start.bytes} bytes are still live`);
});

test('the queue keeps at most 32 MiB of dropped storage waiting: older tensors past it are registered and freed', async () => {
  const start = st.memory();
  drop(20, 750_000); // 3 MB each, 60 MB in all: queued, but past the byte budget
  const settled = (): boolean => st.memory().bytes <= start.bytes + (32 << 20);
  await collectUntil(settled);
  assert.ok(settled(), `${((st.memory().bytes - start.bytes) / 2 ** 20).toFixed(1)} MiB still live`);
});

test('set_ on a dropped wasm tensor: collecting it frees the new storage (set_ freed the old one), whether it was queued or registered', async () => {
  const start = st.memory();
  (() => {
    const queued = st.zeros([4096], { backend: 'wasm' }); // 16 KiB: small enough to queue
    queued.set_(st.ones([4096], { backend: 'wasm' }));
    const registered = st.zeros([4096], { backend: 'wasm' });
    drop(600, 1); // 4-byte tensors: `queued` and `registered` are registered by now
    registered.set_(st.full([4096], 2, { backend: 'wasm' }));
    assert.equal(queued.sum().item() + registered.sum().item(), 3 * 4096);
  })();
  drop(600, 1);
  // at most the queue's 256 newest 4-byte tensors may still be waiting
  const settled = (): boolean => st.memory().bytes <= start.bytes + 256 * 4;
  await collectUntil(settled);
  assert.ok(settled(), `${st.memory().bytes - start.bytes} bytes still live`);
});

test('disposing frees wasm memory at once, whether the tensor is still queued or already registered', () => {
  const start = st.memory();
  const early = st.full([16], 3, { backend: 'wasm' });
  drop(600, 1); // `early` is registered by now; the next one is still queued
  const late = st.full([16], 4, { backend: 'wasm' });
  const before = st.memory();
  early.dispose();
  late.dispose();
  assert.equal(st.memory().tensors, before.tensors - 2);
  assert.ok(early.isDisposed && late.isDisposed);
  assert.ok(st.memory().tensors >= start.tensors);
});

test('the js backend reuses the arrays of disposed tensors: zero-filled again, and storage still shared by a view is not reused', () => {
  const a = st.rand([64], { backend: 'js', generator: new st.Generator(3) });
  const view = a.reshape([8, 8]); // shares a's storage
  const kept = view.toArray();
  a.dispose(); // the view still holds the storage: it must not be reused
  for (let i = 0; i < 50; i++) {
    const t = st.full([64], 7, { backend: 'js' });
    t.add(1).dispose();
    t.dispose();
  }
  assert.deepEqual(view.toArray(), kept);
  // a kernel that leaves part of its output to the allocation's zero fill (unfold's padding) gives
  // the same result on a reused array as on a new one
  const x = st.arange(1, 5, 1, { backend: 'js' }).to('float32').reshape([1, 1, 2, 2]);
  const attrs: st.WindowAttrs = { kernel: [3, 3], stride: [1, 1], padding: [1, 1, 1, 1], dilation: [1, 1] };
  const fresh = st.prims.unfold(x, attrs);
  const want = fresh.toArray();
  assert.equal(fresh.size, 36);
  fresh.dispose();
  for (let i = 0; i < 20; i++) st.full([36], 5, { backend: 'js' }).dispose();
  assert.deepEqual(st.prims.unfold(x, attrs).toArray(), want);
  // outputs written over a reused array hold exactly the op's result
  const y = st.arange(0, 64, 1, { backend: 'js' }).to('float32');
  for (let i = 0; i < 20; i++) st.full([64], 9, { backend: 'js' }).dispose();
  assert.deepEqual(y.mul(2).toArray(), Array.from({ length: 64 }, (_, i) => 2 * i));
  view.dispose();
});

test('backward() frees its own tensors when it ends: only the leaves\' gradients stay (no scope, no collection)', () => {
  const o = { backend: 'wasm' as const };
  const w1 = st.randn([64, 32], { ...o, requiresGrad: true }), w2 = st.randn([32, 8], { ...o, requiresGrad: true });
  const x = st.randn([16, 64], o);
  const loss = x.matmul(w1).relu().matmul(w2).square().mean();
  const before = st.memory();
  loss.backward();
  const after = st.memory();
  // the sweep made gradients for every intermediate (16x8, 16x32 twice, the seed, ...): all freed
  assert.equal(after.tensors - before.tensors, 2, 'live tensors added by backward()');
  assert.equal(after.bytes - before.bytes, (64 * 32 + 32 * 8) * 4, 'live bytes added by backward()');
  assert.ok(w1.grad && !w1.grad.isDisposed && w2.grad && !w2.grad.isDisposed);
  // the gradients are right: d/dw2 of mean(h·w2)² = 2/128 · hᵀ·(h·w2)
  const h = x.matmul(w1).relu();
  const want = h.transpose(0, 1).matmul(h.matmul(w2)).mul(2 / 128);
  assert.ok(w2.grad.sub(want).abs().max().item() < 1e-4);
  // with createGraph the gradients are a graph of their own, which stays
  const y = w1.square().sum();
  const mid = st.memory().tensors;
  y.backward({ createGraph: true });
  assert.ok(st.memory().tensors > mid + 1, 'createGraph keeps the recorded gradient graph');
});

test('a tensor kept in an inner scope passes to the enclosing one: dropped there (a gradient set to null), it is freed when that scope ends', () => {
  const o = { backend: 'wasm' as const };
  const w = st.randn([8, 4], { ...o, requiresGrad: true });
  const before = st.memory();
  let inner: st.Tensor | null = null;
  st.scoped(() => {
    w.square().sum().backward(); // the sweep's own scope keeps w.grad and hands it to this one
    inner = w.grad;
    assert.ok(inner && !inner.isDisposed);
    w.grad = null;
    assert.ok(!inner.isDisposed, 'still live until the enclosing scope ends');
  });
  assert.ok(inner !== null && (inner as st.Tensor).isDisposed, 'the dropped gradient is freed with the enclosing scope');
  assert.deepEqual(st.memory(), before);
  // still kept at the end: it survives every scope
  st.scoped(() => { w.square().sum().backward(); });
  assert.ok(w.grad && !w.grad.isDisposed);
  w.grad.dispose();
  w.grad = null;
});

test('scoped frees what a block made when the block throws, and passes kept tensors on', () => {
  const outer = st.scoped(() => {
    const before = st.memory().tensors;
    let kept: st.Tensor | null = null;
    assert.throws(() => st.scoped(() => {
      st.randn([4, 4]).matmul(st.randn([4, 4])).relu();
      kept = st.ones([2]).keep();
      throw new Error('a step that fails');
    }), /a step that fails/);
    assert.equal(st.memory().tensors, before + 1, 'only the kept tensor survives the failed block');
    assert.deepEqual(kept!.toArray(), [1, 1]);
    return kept!;
  });
  assert.deepEqual(outer.toArray(), [1, 1]);
  outer.dispose();
});

test('scoped frees the gradient of a leaf it made with the leaf, unless the gradient escapes or was kept', () => {
  for (const backend of ['js', 'wasm']) {
    const before = st.memory().tensors;
    // a leaf made in the block: its .grad goes with it
    for (let i = 0; i < 50; i++) {
      st.scoped(() => {
        const x = st.randn([5], { backend }).requiresGrad_();
        x.mul(x).sum().backward();
        assert.ok(x.grad);
      });
    }
    assert.equal(st.memory().tensors, before, `${backend}: gradients of freed leaves are still live`);
    // a parameter made outside keeps its gradient; one returned or kept with keep() survives too
    const w = st.randn([3], { backend }).requiresGrad_();
    const returned = st.scoped(() => {
      const x = st.randn([3], { backend }).requiresGrad_();
      x.mul(w).sum().backward();
      return x.grad!;
    });
    let pinned: st.Tensor | null = null;
    st.scoped(() => {
      const x = st.randn([3], { backend }).requiresGrad_();
      x.mul(w).sum().backward();
      pinned = x.grad!.keep();
    });
    assert.ok(w.grad && !w.grad.isDisposed, `${backend}: the outer parameter's gradient`);
    assert.ok(!returned.isDisposed && returned.dataSync().length === 3, `${backend}: a returned gradient`);
    assert.ok(pinned !== null && !(pinned as st.Tensor).isDisposed, `${backend}: a gradient kept with keep()`);
  }
});

test('full, zeros, ones and fullLike leave only their result: the broadcast scalar is freed at once (a loop that never yields keeps nothing else)', () => {
  const x = st.ones([3, 4], { backend: 'wasm' });
  const start = st.memory();
  const made = [st.full([1000], 2.5, { backend: 'wasm' }), st.zeros([2, 3], { backend: 'wasm' }), st.ones([7], { backend: 'wasm', dtype: 'int32' }), x.fullLike(-1), x.zerosLike()];
  assert.equal(st.memory().tensors - start.tensors, made.length, 'one live tensor per call');
  assert.deepEqual(Array.from(made[0].dataSync().subarray(0, 2)), [2.5, 2.5]);
  assert.deepEqual(Array.from(made[3].dataSync()), new Array(12).fill(-1));
  for (const t of made) t.dispose();
  assert.equal(st.memory().tensors, start.tensors);
  // a 0-d result is the scalar itself, not freed
  const s = st.full([], 3, { backend: 'wasm' });
  assert.equal(s.item(), 3);
});

test('set_ that moves a js tensor onto wasm storage (as Module.to does) watches it: dropped, its wasm memory is freed once collected', async () => {
  const start = st.memory();
  (() => {
    for (let i = 0; i < 3; i++) st.zeros([1_500_000], { backend: 'js' }).set_(st.ones([1_500_000], { backend: 'wasm' }));
  })();
  assert.ok(st.memory().bytes >= start.bytes + 3 * 6e6, 'live until collected');
  const settled = (): boolean => st.memory().bytes <= start.bytes + (1 << 20);
  await collectUntil(settled);
  assert.ok(settled(), `${((st.memory().bytes - start.bytes) / 2 ** 20).toFixed(1)} MiB still live`);
});
