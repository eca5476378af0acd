// SPDX-License-Identifier: MIT
// Same seed, same bits, whatever the thread count (docs/determinism.md): W2 (LeNet) training on
// 1, 2 and 3 threads, a checkpoint taken on one thread count and resumed on another, `fit` with
// shuffling and dropout, and the kernels that a pool splits (GEMM, summed GEMM, conv) one by one.
// The machine may have fewer cores than threads: the bits must not depend on that either.
// Run by determinism.test.ts (the default build) and determinism-relaxed.test.ts (the FMA build).
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import * as st from 'strata-dl';
import { buildCases } from './cases.js';
import { run } from './helpers.js';

const { nn, optim, train, io } = st;
const F = nn.functional;

let wasm: st.WasmBackend;

/** Runs `f` with the wasm backend on `threads` threads, every worker started (so each share really runs elsewhere). */
async function onThreads<T>(threads: number, f: () => T | Promise<T>): Promise<T> {
  st.setBackend('wasm');
  st.setNumThreads(threads);
  await wasm.ready(threads);
  return f();
}

type Snapshot = Map<string, Uint32Array>;

/** The bits of every tensor of a state dict (parameters and buffers) and of the optimizer's state. */
function snapshot(model: st.nn.Module, opt?: st.train.TrainOptimizer): Snapshot {
  const out: Snapshot = new Map();
  const bits = (t: st.Tensor): Uint32Array => new Uint32Array(Float32Array.from(t.dataSync()).buffer);
  for (const [k, t] of Object.entries(model.stateDict())) out.set(`model.${k}`, bits(t));
  if (opt) {
    for (const [i, s] of Object.entries(opt.stateDict().state)) {
      for (const [k, v] of Object.entries(s)) if (v instanceof st.Tensor) out.set(`optimizer.${i}.${k}`, bits(v));
    }
  }
  return out;
}

/** Asserts bit-identity, naming the first tensor and element that differ and how many do. */
function assertSameBits(got: Snapshot, want: Snapshot, what: string): void {
  assert.deepEqual([...got.keys()], [...want.keys()], `${what}: different tensors`);
  for (const [k, w] of want) {
    const g = got.get(k)!;
    assert.equal(g.length, w.length, `${what}: ${k} has ${g.length} elements, want ${w.length}`);
    let first = -1, count = 0;
    for (let i = 0; i < w.length; i++) if (g[i] !== w[i]) { if (first < 0) first = i; count++; }
    if (count > 0) {
      const f = (u: number): number => new Float32Array(new Uint32Array([u]).buffer)[0];
      assert.fail(`${what}: ${k} differs in ${count} of ${w.length} elements, first at ${first}: ${f(g[first])} vs ${f(w[first])}`);
    }
  }
}

// ---- W2: LeNet-5 (bench/workloads.ts), SGD with momentum 0.9, lr 0.01, batch 64 ----------------

const BATCH = 64;
const BATCHES = 5;

/** A few synthetic MNIST-shaped batches from a fixed seed (cycled through by the steps). */
function w2Data(): { x: st.Tensor; y: st.Tensor }[] {
  const g = new st.Generator(1);
  return Array.from({ length: BATCHES }, () => ({
    x: st.rand([BATCH, 1, 28, 28], { generator: g, backend: 'wasm' }),
    y: st.randint(0, 10, [BATCH], { generator: g, backend: 'wasm' }),
  }));
}

interface W2 { model: st.nn.Module; opt: st.optim.SGD }

function w2(seed: number): W2 {
  st.setBackend('wasm');
  st.manualSeed(seed);
  const model = st.models.lenet5();
  return { model, opt: new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 }) };
}

/** Training steps [from, to) of W2 (the batch of step i is batch i mod BATCHES). */
function w2Steps(s: W2, data: readonly { x: st.Tensor; y: st.Tensor }[], from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const { x, y } = data[i % data.length];
    st.scoped(() => {
      s.opt.zeroGrad();
      F.crossEntropy(s.model.forward(x), y).backward();
      s.opt.step();
    });
  }
}

// ---- fit: shuffling, dropout, Adam ------------------------------------------------------------

/** LeNet's layers with dropout after each block, trained by `fit` with shuffled batches and Adam. */
async function fitRun(threads: number): Promise<{ bits: Snapshot; loss: number[] }> {
  return onThreads(threads, async () => {
    st.manualSeed(5);
    const model = new nn.Sequential(
      new nn.Conv2d(1, 6, 5, { padding: 'same' }), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Dropout(0.2),
      new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Dropout(0.2),
      new nn.Flatten(), new nn.Linear(400, 84), new nn.ReLU(), new nn.Dropout(0.5), new nn.Linear(84, 10),
    );
    const g = new st.Generator(8);
    const x = st.rand([192, 1, 28, 28], { generator: g });
    const y = st.randint(0, 10, [192], { generator: g });
    const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
    const h = await st.fit(model, { x, y }, { optimizer: opt, loss: F.crossEntropy, epochs: 2, batchSize: 48, shuffle: true, generator: new st.Generator(9) });
    return { bits: snapshot(model, opt), loss: h.history.loss };
  });
}

// ---- W4: a character LSTM (fused cells, the recurrent weight's gathered gradient) --------------

/** 10 steps of W4's loop (bench/workloads/w4.ts: vocab 28, hidden 128, 16 steps, batch 32, SGD momentum). */
async function lstmRun(threads: number): Promise<Snapshot> {
  return onThreads(threads, () => {
    const g = new st.Generator(4);
    const lstm = new nn.LSTM(28, 128, { generator: g });
    const head = new nn.Linear(128, 28, { generator: g });
    const model = new nn.Sequential(lstm, head);
    const ids = st.randint(0, 28, [17, 32], { generator: g });
    const x = st.eye(28).indexSelect(0, ids.slice(0, 0, 16).reshape([-1])).reshape([16, 32, 28]);
    const y = ids.slice(0, 1).reshape([-1]);
    const opt = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
    for (let i = 0; i < 10; i++) {
      st.scoped(() => {
        opt.zeroGrad();
        F.crossEntropy(head.forward(lstm.forward(x)).reshape([16 * 32, 28]), y).backward();
        opt.step();
      });
    }
    return snapshot(model, opt);
  });
}

// ---- kernels one by one ----------------------------------------------------------------------

/** The bits of `f()`'s result on each thread count in `counts`, compared with 1 thread's. */
async function sameOnThreads(what: string, f: () => st.Tensor, counts = [2, 3, 4]): Promise<void> {
  const bitsOf = (): Uint32Array => st.scoped(() => new Uint32Array(Float32Array.from(f().dataSync()).buffer));
  const want = await onThreads(1, bitsOf);
  for (const t of counts) {
    const got = await onThreads(t, bitsOf);
    const bad = want.findIndex((w, i) => got[i] !== w);
    assert.equal(bad, -1, `${what}: ${t} threads differ from 1 thread at element ${bad}`);
  }
}

/**
 * Defines the tests on `backend`, which must be registered as 'wasm' (the tests create tensors
 * there by name). `light` runs fewer thread counts (W2 training on 1 and 2 threads, the kernel cases on 1 and 3).
 */
export function determinismTests(backend: st.WasmBackend, { light = false } = {}): void {
  wasm = backend;
  after(() => wasm.close());

  test(`the ${backend.variant} build is the one under test`, () => {
    assert.equal(st.getBackend('wasm'), backend);
  });

  describe('W2 (LeNet) training is bit-identical on any thread count', () => {
    const STEPS = 50;
    let reference: Snapshot | null = null;
    let data: { x: st.Tensor; y: st.Tensor }[] = [];
    const oneThread = async (): Promise<Snapshot> => {
      if (reference) return reference;
      data = w2Data();
      return (reference = await onThreads(1, () => {
        const s = w2(3);
        w2Steps(s, data, 0, STEPS);
        return snapshot(s.model, s.opt);
      }));
    };

    for (const threads of light ? [2] : [2, 3]) {
      test(`50 steps on ${threads} threads give the parameters and momenta of 1 thread, bit for bit`, async () => {
        const want = await oneThread();
        const got = await onThreads(threads, () => {
          const s = w2(3);
          w2Steps(s, data, 0, STEPS);
          return snapshot(s.model, s.opt);
        });
        assertSameBits(got, want, `${threads} threads vs 1`);
      });
    }

    if (!light) test('two runs on 2 threads agree bit for bit', async () => {
      await oneThread();
      const run = (): Promise<Snapshot> => onThreads(2, () => {
        const s = w2(3);
        w2Steps(s, data, 0, STEPS);
        return snapshot(s.model, s.opt);
      });
      assertSameBits(await run(), await run(), 'run 2 vs run 1');
    });

    test('a checkpoint at step 25 (3 threads), resumed on 2 threads to step 50, matches the uninterrupted run', async () => {
      const want = await oneThread();
      const bytes = await onThreads(3, () => {
        const s = w2(3);
        w2Steps(s, data, 0, 25);
        return io.encodeCheckpoint(train.trainingCheckpoint({ model: s.model, optimizer: s.opt }, 0, { step: 25 }));
      });
      const got = await onThreads(2, () => {
        const s = w2(999); // other weights and RNG stream: everything must come from the checkpoint
        const ckpt = io.decodeCheckpoint(bytes, { backend: 'wasm' });
        train.restoreTraining(ckpt, { model: s.model, optimizer: s.opt });
        assert.equal(ckpt.metadata.step, 25);
        w2Steps(s, data, 25, STEPS);
        return snapshot(s.model, s.opt);
      });
      assertSameBits(got, want, 'resumed on 2 threads vs uninterrupted on 1');
    });
  });

  test('fit with shuffling, dropout and Adam is bit-identical on 1, 2 and 4 threads', async () => {
    const want = await fitRun(1);
    for (const threads of [2, 4]) {
      const got = await fitRun(threads);
      assert.deepEqual(got.loss, want.loss, `epoch losses on ${threads} threads`);
      assertSameBits(got.bits, want.bits, `fit on ${threads} threads vs 1`);
    }
  });

  test(`W4 (LSTM) training is bit-identical on ${light ? '1 and 2' : '1, 2 and 3'} threads`, async () => {
    const want = await lstmRun(1);
    for (const threads of light ? [2] : [2, 3]) assertSameBits(await lstmRun(threads), want, `LSTM on ${threads} threads vs 1`);
  });

  test(`every kernel case of cases.ts gives the same bits on ${light ? '1 and 3' : '1, 2 and 3'} threads`, async () => {
    const cases = buildCases(7);
    const outputs = (): Uint8Array[] => cases.map((c) => {
      const d = run(wasm, c.prim, c.inputs, c.attrs).data;
      return new Uint8Array(d.buffer, d.byteOffset, d.byteLength).slice();
    });
    const want = await onThreads(1, outputs);
    for (const threads of light ? [3] : [2, 3]) {
      const got = await onThreads(threads, outputs);
      const bad = cases.map((c, i) => (Buffer.compare(got[i], want[i]) === 0 ? null : c.name)).filter((x) => x !== null);
      assert.deepEqual(bad, [], `cases whose bits differ on ${threads} threads from 1 thread`);
    }
  });

  test('GEMM: plain, split by rows or columns, long K and batched products do not depend on the thread count', async () => {
    const g = new st.Generator(21);
    const r = (shape: number[]): st.Tensor => st.randn(shape, { generator: g, backend: 'wasm' });
    // [M, K, N]: wide and tall (split by columns / by rows), few rows (B read in place), K over one
    // k-block, tall and wide with a big operand to repack (one block per thread, no half blocks), and
    // wide ones whose big A the threads pack together first (on 1 thread it is packed block by block):
    // two m-blocks, and one ragged m-block of 13 rows read against B in place
    for (const [m, k, n] of [[256, 200, 512], [700, 96, 40], [20, 1000, 3000], [130, 777, 129], [300, 2100, 160], [150, 1800, 400],
      [300, 1000, 700], [130, 2100, 520], [13, 20200, 520]]) {
      const a = r([m, k]), b = r([k, n]);
      await sameOnThreads(`[${m}, ${k}] x [${k}, ${n}]`, () => a.matmul(b));
      const at = a.t().mul(1), bt = b.t().mul(1);
      await sameOnThreads(`[${k}, ${m}]ᵀ x [${n}, ${k}]ᵀ (transposed operands)`, () => st.prims.matmul(at, bt, { transA: true, transB: true }));
    }
    const a = r([6, 100, 70]), b = r([6, 70, 90]);
    await sameOnThreads('a batch of 6 products', () => a.matmul(b));
    // W1's weight gradient (gᵀ·x: column blocks of one transposed A, which a thread packs once for all
    // its blocks), and a batch of 2 such products with different As (packed again for each)
    const gy = r([128, 256]), x = r([128, 784]);
    await sameOnThreads('[128, 256]ᵀ x [128, 784] (a weight gradient)', () => st.prims.matmul(gy, x, { transA: true, transB: false }));
    const ga = r([2, 70, 100]), xb = r([2, 70, 300]);
    await sameOnThreads('a batch of 2 products with transposed As', () => st.prims.matmul(ga, xb, { transA: true, transB: false }));
  });

  test('a GEMM summed over its batch (a shared weight\'s gradient) does not depend on the thread count', async () => {
    const g = new st.Generator(22);
    const r = (shape: number[]): st.Tensor => st.randn(shape, { generator: g, backend: 'wasm' });
    // [batch, M, L] x [batch, K, L]ᵀ summed: conv weight gradients (small C, many matrices), a big C, few matrices
    for (const [batch, m, k, l] of [[64, 6, 25, 784], [64, 16, 150, 100], [7, 30, 40, 3000], [3, 600, 500, 64], [256, 8, 9, 196]]) {
      const x = r([batch, m, l]), y = r([batch, k, l]);
      await sameOnThreads(`Σ_b [${m}, ${l}]·[${k}, ${l}]ᵀ over ${batch}`, () => st.prims.matmul(x, y, { transA: false, transB: true, sumBatch: true }));
    }
    // a Linear layer on [B, T, F] input: the weight's gradient sums over B·T rows
    const x = r([32, 40, 64]), gy = r([32, 40, 48]);
    await sameOnThreads('Σ_b xᵀ·g (k folded over the batch)', () => st.prims.matmul(x, gy, { transA: true, transB: false, sumBatch: true }));
  });

  test('conv forward and every gradient of conv do not depend on the thread count', async () => {
    const g = new st.Generator(23);
    for (const [n, c, o, h, k] of [[64, 1, 6, 28, 5], [32, 6, 16, 14, 5], [16, 8, 32, 20, 3]]) {
      const x = st.randn([n, c, h, h], { generator: g, backend: 'wasm' });
      const w = st.randn([o, c, k, k], { generator: g, backend: 'wasm' });
      const b = st.randn([o], { generator: g, backend: 'wasm' });
      for (const which of [0, 1, 2, 3]) {
        await sameOnThreads(`conv [${n}, ${c}, ${h}, ${h}] * [${o}, ${c}, ${k}, ${k}], ${['output', 'dx', 'dw', 'db'][which]}`, () => {
          const [xg, wg, bg] = [x, w, b].map((t) => t.detach().requiresGrad_());
          const out = F.conv2d(xg, wg, bg, { padding: 1 }).relu();
          if (which === 0) return out;
          out.square().sum().backward();
          return [xg, wg, bg][which - 1].grad!;
        });
      }
    }
  });
}
