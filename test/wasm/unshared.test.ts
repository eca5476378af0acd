// SPDX-License-Identifier: MIT
// The wasm backend without shared memory (a browser page that is not cross-origin isolated): the
// loader unshares the kernel module's memory import and every task runs on the calling thread.
// The instructions are the shared build's, so every kernel and a training run must give the same
// bits as the shared-memory backend on one thread and on two (test/browser/smoke.test.ts checks it in
// Chromium too).
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import * as st from 'strata-dl';
import type { Backend } from '../../packages/strata-dl/src/backend/backend.js';
import type { TypedArray } from '../../packages/strata-dl/src/core/dtype.js';
import { WASM_SIMD } from '../../packages/strata-dl/src/backends/wasm/generated/modules.js';
import { unshareMemoryImport } from '../../packages/strata-dl/src/backends/wasm/memory.js';
import { buildCases } from './cases.js';
import { run } from './helpers.js';

const kernelBytes = (): Uint8Array => Uint8Array.from(atob(WASM_SIMD), (c) => c.charCodeAt(0));

function memoryImport(bytes: Uint8Array): WebAssembly.ModuleImportDescriptor[] {
  return WebAssembly.Module.imports(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>)).filter((i) => i.kind === 'memory');
}

const instantiates = (bytes: Uint8Array, shared: boolean): boolean => {
  const memory = new WebAssembly.Memory({ initial: 16, maximum: 65536, shared });
  try {
    new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), { env: { memory, abort: () => {} } });
    return true;
  } catch {
    return false;
  }
};

/** The bytes of a result: NaN payloads and signed zeros included. */
const bits = (a: TypedArray): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

function firstDifference(got: Uint8Array, want: Uint8Array): number {
  if (got.length !== want.length) return Math.min(got.length, want.length);
  for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) return i;
  return -1;
}

describe('unshareMemoryImport', () => {
  test('the kernel module needs the patch for an unshared memory, and the patched one takes it', () => {
    const shared = kernelBytes();
    const patched = unshareMemoryImport(shared);
    assert.equal(memoryImport(shared).length, 1);
    assert.equal(memoryImport(patched).length, 1);
    assert.equal(instantiates(shared, false), false);
    assert.equal(instantiates(shared, true), true);
    assert.equal(instantiates(patched, false), true);
    assert.equal(instantiates(patched, true), false);
    // one byte differs: the memory import's limits flags
    let diff = 0;
    for (let i = 0; i < shared.length; i++) if (shared[i] !== patched[i]) diff++;
    assert.equal(diff, 1);
    assert.equal(patched.length, shared.length);
  });

  test('a module without a shared memory import is refused, naming the rebuild', () => {
    const patched = unshareMemoryImport(kernelBytes());
    assert.throws(() => unshareMemoryImport(patched), (e: Error) => e instanceof st.StrataError && /imports no shared memory/.test(e.message));
  });
});

describe('the wasm backend on unshared memory', () => {
  const js = st.createJsBackend();
  // 1 MiB initially, so that the memory grows (and an unshared memory's old buffer is detached)
  const unshared = st.createWasmBackend({ reference: js, sharedMemory: false, initialMiB: 1 });
  const shared = st.getBackend('wasm') as st.WasmBackend;
  after(async () => {
    await unshared.close();
    st.setNumThreads(1);
  });

  test('runs on one thread without workers', async () => {
    st.setNumThreads(4);
    await unshared.ready();
    assert.equal(unshared.variant, shared.variant);
  });

  for (const threads of [1, 2]) {
    test(`every kernel case gives the bits of the shared backend on ${threads} thread(s)`, async () => {
      st.setNumThreads(threads);
      await shared.ready(threads);
      const failures: string[] = [];
      for (const c of buildCases(threads)) {
        const want = run(shared, c.prim, c.inputs, c.attrs);
        const got = run(unshared as Backend, c.prim, c.inputs, c.attrs);
        const at = got.shape.join() === want.shape.join() ? firstDifference(bits(got.data), bits(want.data)) : 0;
        if (at >= 0) failures.push(`${c.name}: first byte differing ${at}`);
      }
      assert.deepEqual(failures, []);
      assert.ok(unshared.reservedBytes() > 2 ** 20, 'the memory never grew: the test did not cover detached buffers');
    });
  }

  test('a training run (conv, pooling, dropout, Adam) gives the bits of the shared backend on 2 threads', async () => {
    registerAs(unshared, 'wasm-unshared');
    const train = (backend: string): Uint8Array[] => {
      st.setBackend(backend);
      st.manualSeed(3);
      const nn = st.nn;
      const net = new nn.Sequential(
        new nn.Conv2d(1, 6, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
        new nn.Flatten(), new nn.Dropout(0.2), new nn.Linear(6 * 8 * 8, 32), new nn.Tanh(), new nn.Linear(32, 10),
      );
      const opt = new st.optim.Adam(net.parameters(), { lr: 1e-3 });
      const x = st.randn([64, 1, 16, 16]);
      const y = st.randint(0, 10, [64]);
      for (let i = 0; i < 5; i++) {
        opt.zeroGrad();
        nn.functional.crossEntropy(net.forward(x) as st.Tensor, y).backward();
        opt.step();
      }
      return net.parameters().map((p) => new Uint8Array(Float32Array.from(p.dataSync()).buffer));
    };
    st.setNumThreads(2);
    await shared.ready(2);
    const want = train('wasm');
    const got = train('wasm-unshared');
    st.setBackend('wasm');
    assert.equal(got.length, want.length);
    for (let i = 0; i < want.length; i++) assert.equal(firstDifference(got[i], want[i]), -1, `parameter ${i} differs`);
  });
});

/** Registers a backend under another name (the registry keys by name; `wasm` is the shared one). */
function registerAs(b: st.WasmBackend, name: string): void {
  st.registerBackend({ ...b, name });
}
