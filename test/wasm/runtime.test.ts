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
