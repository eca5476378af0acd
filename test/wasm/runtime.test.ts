// SPDX-License-Identifier: MIT
// The wasm runtime's own contracts: allocator reuse and growth (views re-made after memory.grow),
// out-of-memory errors that say what is live, thread-count validation, feature detection.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createJsBackend } from '../../packages/strata-dl/src/backends/js/index.js';
import { createWasmBackend, getNumThreads, setNumThreads, wasmFeatures } from '../../packages/strata-dl/src/backends/wasm/index.js';
import { Heap } from '../../packages/strata-dl/src/backends/wasm/heap.js';
import { StrataError } from '../../packages/strata-dl/src/core/errors.js';

const wasm = createWasmBackend({ reference: createJsBackend(), initialMiB: 1 });
after(() => wasm.close());

test('feature detection finds SIMD and shared memory on this engine', () => {
  const f = wasmFeatures();
  assert.equal(f.simd, true);
  assert.equal(f.sharedMemory, true);
});

test('size classes: four per octave, 64-byte aligned, never smaller than asked', () => {
  for (const b of [1, 63, 64, 65, 100, 1000, 4097, 5000, 123457, 2 ** 26 + 1]) {
    const c = Heap.classOf(b);
    assert.ok(c >= b && c % 64 === 0 && c <= Math.max(64, b * 1.25 + 64), `${b} -> ${c}`);
  }
});

test('freed blocks are reused, and data survives memory.grow', () => {
  const a = wasm.alloc('float32', 1000);
  wasm.write(a, Float32Array.from({ length: 1000 }, (_, i) => i));
  const before = wasm.reservedBytes();
  // force growth well past the initial 1 MiB
  const big = wasm.alloc('float32', 3 << 20);
  assert.ok(wasm.reservedBytes() > before);
  const back = wasm.read(a);
  assert.equal(back[999], 999);
  wasm.write(big, new Float32Array(3 << 20).fill(7));
  wasm.free(big);
  const again = wasm.alloc('float32', 3 << 20);
  assert.ok(wasm.read(again).every((v) => v === 0), 'a block at the reclaimed top must come back zero-filled');
  const small = wasm.alloc('float32', 1000);
  wasm.write(small, new Float32Array(1000).fill(3));
  wasm.free(small); // not at the top: goes to a free list
  const reused = wasm.alloc('float32', 999);
  assert.ok(wasm.read(reused).every((v) => v === 0), 'a block from a free list must come back zero-filled');
  wasm.free(reused);
  wasm.free(again);
  wasm.free(a);
  assert.throws(() => wasm.read(a), /already freed/);
});

test('out of memory names the request and what is live', () => {
  const held = wasm.alloc('float32', 1 << 20);
  assert.throws(() => wasm.alloc('float32', 2 ** 31), (e: unknown) => {
    assert.ok(e instanceof StrataError);
    assert.match(e.message, /out of memory allocating 8\.0 GiB for a float32 tensor of 2,147,483,648 elements/);
    assert.match(e.message, /live in \d+ buffers \(largest/);
    assert.match(e.message, /capped at 4 GiB/);
    return true;
  });
  wasm.free(held);
});

test('setNumThreads validates its argument', () => {
  const n = getNumThreads();
  assert.throws(() => setNumThreads(0), /setNumThreads: expects an integer from 1 to 64, got 0/);
  assert.throws(() => setNumThreads(1.5), /got 1.5/);
  setNumThreads(1);
  assert.equal(getNumThreads(), 1);
  setNumThreads(n);
});

test('gather and scatterAdd report an out-of-range index as the reference does', () => {
  const x = wasm.alloc('float32', 6);
  const idx = wasm.alloc('int32', 2);
  wasm.write(idx, [1, 3]);
  const out = wasm.alloc('float32', 2);
  assert.throws(() => wasm.kernels.gather({ buf: out, shape: [1, 2], dtype: 'float32' }, [{ buf: x, shape: [2, 3], dtype: 'float32' }, { buf: idx, shape: [1, 2], dtype: 'int32' }], { axis: 1 }),
    /^StrataError: gather: index 3 is out of bounds for dimension 1 of size 3 \(input \[2,3\]\)$/);
  const o2 = wasm.alloc('float32', 6);
  assert.throws(() => wasm.kernels.scatterAdd({ buf: o2, shape: [2, 3], dtype: 'float32' }, [{ buf: x, shape: [2, 3], dtype: 'float32' }, { buf: idx, shape: [1, 2], dtype: 'int32' }, { buf: out, shape: [1, 2], dtype: 'float32' }], { axis: 1 }),
    /scatterAdd: index 3 is out of bounds for dimension 1 of size 3/);
  // the row-wise path (last axis, same leading dimensions), with a negative index
  const idx2 = wasm.alloc('int32', 4);
  wasm.write(idx2, [0, 2, 1, -1]);
  const out2 = wasm.alloc('float32', 4);
  assert.throws(() => wasm.kernels.gather({ buf: out2, shape: [2, 2], dtype: 'float32' }, [{ buf: x, shape: [2, 3], dtype: 'float32' }, { buf: idx2, shape: [2, 2], dtype: 'int32' }], { axis: 1 }),
    /^StrataError: gather: index -1 is out of bounds for dimension 1 of size 3 \(input \[2,3\]\)$/);
  assert.throws(() => wasm.kernels.scatterAdd({ buf: o2, shape: [2, 3], dtype: 'float32' }, [{ buf: x, shape: [2, 3], dtype: 'float32' }, { buf: idx2, shape: [2, 2], dtype: 'int32' }, { buf: out2, shape: [2, 2], dtype: 'float32' }], { axis: 1 }),
    /scatterAdd: index -1 is out of bounds for dimension 1 of size 3/);
  for (const b of [x, idx, out, o2, idx2, out2]) wasm.free(b);
});

test('at the memory cap, requests are carved from free blocks of other classes: a larger one, else a run of adjacent ones', () => {
  // 4 pages (256 KiB) that cannot grow: what the 4 GiB cap is to the real heap
  const heap = new Heap(new WebAssembly.Memory({ initial: 4, maximum: 4 }), 0);
  const taken: [number, number][] = [];
  const big = heap.alloc(128 << 10, 'big');
  const pin = heap.alloc(64, 'pin'); // keeps the freed big block off the top
  heap.free(big[0], big[1]);
  // the rest of the memory in small blocks, then more: served from the big block, not refused
  for (let i = 0; i < 60; i++) taken.push(heap.alloc(4000, 'small'));
  const inBig = taken.filter(([p]) => p >= big[0] && p < big[0] + big[1]);
  assert.ok(inBig.length >= 28, `${inBig.length} small blocks carved from the freed big one`);
  const ends = taken.map(([p, c]) => [p, p + c]).sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < ends.length; i++) assert.ok(ends[i][0] >= ends[i - 1][1], 'carved blocks never overlap');
  // free every small block but the top one: a request larger than any of them takes a merged run
  const top = taken.reduce((a, b) => (b[0] > a[0] ? b : a));
  for (const t of taken) if (t !== top) heap.free(t[0], t[1]);
  const run = heap.alloc(100 << 10, 'a merged run');
  assert.ok(run[0] >= big[0] && run[0] + run[1] <= big[0] + big[1] + 64 + 64 * 4096, 'inside the freed blocks');
  // and when nothing free is large enough, the error still says what is live and free
  assert.throws(() => heap.alloc(200 << 10, 'too much'), /out of memory allocating .* for too much: .* live .* cached in free lists/);
  void pin;
});
