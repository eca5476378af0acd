// SPDX-License-Identifier: MIT
// The worker pool: failures in any thread surface as errors and leave the pool usable, a task for
// which a wake-up does not pay leaves a sleeping worker asleep, and a script that used the pool
// exits by itself (the workers are unref'd).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, test } from 'node:test';
import { Runtime, TASK } from '../../packages/strata-dl/src/backends/wasm/runtime.js';
import { CTL } from '../../packages/strata-dl/src/backends/wasm/worker-source.js';

const rt = new Runtime({ variant: 'simd' });
after(() => rt.pool.close());

function gemmDesc(M: number, N: number, K: number, A: number, B: number, C: number, threads: number): void {
  const [ws, per] = rt.gemmWorkspace(threads);
  const table = rt.temp(8)[0];
  rt.i32.fill(0, table >> 2, (table >> 2) + 2);
  rt.setDesc(0, [1, M, N, K, K, 1, N, 1, A, B, C, table, ws, per, 0, 64]); // counter 0, 64-column items
}

test('a trap in the caller and in a worker is reported, and the pool keeps working', async () => {
  await rt.pool.ready(2);
  const n = 256;
  const [a] = rt.temp(n * n * 4);
  const [b] = rt.temp(n * n * 4);
  const [c] = rt.temp(n * n * 4);
  rt.f32.fill(1, a >> 2, (a >> 2) + n * n);
  rt.f32.fill(1, b >> 2, (b >> 2) + n * n);
  // C points past the end of the memory: every share traps
  gemmDesc(n, n, n, a, b, 2 ** 31 - 4096, 2);
  assert.equal(rt.pool.available(2), 2);
  assert.throws(() => rt.pool.run(TASK.GEMM, rt.desc, 2), /out of bounds/);
  // and again: the stale error flag must not leak into the next, valid call
  gemmDesc(n, n, n, a, b, c, 2);
  rt.pool.run(TASK.GEMM, rt.desc, 2);
  assert.equal(rt.f32[(c >> 2) + 1234], n);
});

test('an unknown task id or op code traps in every dispatch instead of leaving the output uninitialized', () => {
  assert.throws(() => rt.pool.run(999, rt.desc, 1), /unreachable/);
  // TASK.UNARY with op code 99: unaryRow has no such case
  const [a] = rt.temp(64);
  const [o] = rt.temp(64);
  rt.setDesc(0, [99, 16, o, a]);
  assert.throws(() => rt.pool.run(TASK.UNARY, rt.desc, 1), /unreachable/);
  // and the pool still works
  gemmDescOk();
});

test('a task that may not wake a sleeping worker runs on the caller and leaves it asleep; the next one that may wakes it', async () => {
  await rt.pool.ready(2);
  const ctl = (rt.pool as unknown as { ctl: Int32Array }).ctl;
  const n = 256;
  const [a] = rt.temp(n * n * 4);
  const [b] = rt.temp(n * n * 4);
  const [c] = rt.temp(n * n * 4);
  rt.f32.fill(1, a >> 2, (a >> 2) + n * n);
  rt.f32.fill(2, b >> 2, (b >> 2) + n * n);
  // the worker polls for a while after its last task, then sleeps
  for (let i = 0; Atomics.load(ctl, CTL.SLEEP + 1) !== 1; i++) {
    assert.ok(i < 10_000, 'the worker never went to sleep');
    await new Promise((r) => setTimeout(r, 1));
  }
  const gen = Atomics.load(ctl, CTL.WGEN + 1);
  rt.f32.fill(0, c >> 2, (c >> 2) + n * n);
  gemmDesc(n, n, n, a, b, c, 2); // 4 items of 64 columns
  rt.pool.run(TASK.GEMM, rt.desc, 2, false);
  assert.equal(Atomics.load(ctl, CTL.WGEN + 1), gen, 'the sleeping worker was signalled');
  assert.equal(Atomics.load(ctl, CTL.SLEEP + 1), 1, 'the worker woke up');
  for (const i of [0, 63, 64, 255, n * n - 1]) assert.equal(rt.f32[(c >> 2) + i], 2 * n, `C[${i}]`);
  rt.f32.fill(0, c >> 2, (c >> 2) + n * n);
  gemmDesc(n, n, n, a, b, c, 2);
  rt.pool.run(TASK.GEMM, rt.desc, 2, true);
  assert.equal(Atomics.load(ctl, CTL.WGEN + 1), gen + 1, 'the worker was not signalled');
  for (const i of [0, 63, 64, 255, n * n - 1]) assert.equal(rt.f32[(c >> 2) + i], 2 * n, `C[${i}]`);
});

function gemmDescOk(): void {
  const n = 8;
  const [a] = rt.temp(n * n * 4);
  const [b] = rt.temp(n * n * 4);
  const [c] = rt.temp(n * n * 4);
  rt.f32.fill(1, a >> 2, (a >> 2) + n * n);
  rt.f32.fill(1, b >> 2, (b >> 2) + n * n);
  gemmDesc(n, n, n, a, b, c, 1);
  rt.pool.run(TASK.GEMM, rt.desc, 1);
  assert.equal(rt.f32[c >> 2], n);
}

test('a script that ran parallel kernels exits on its own', () => {
  const code = `
    import * as st from './packages/strata-dl/src/index.ts';
    st.setNumThreads(2);
    const a = st.rand([384, 384]);
    let s = 0;
    for (let i = 0; i < 20; i++) s += a.matmul(a).sum().item();
    console.log(st.getBackend().name, Number.isFinite(s));
  `;
  const res = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=strata-source', '--input-type=module', '-e', code], {
    cwd: new URL('../..', import.meta.url).pathname, encoding: 'utf8', timeout: 60_000,
  });
  assert.equal(res.signal, null, `the child did not exit by itself: ${res.stderr}`);
  assert.equal(res.status, 0, res.stderr);
  assert.match(res.stdout, /wasm true/);
});

test('every share runs exactly once whoever claims it, also when the worker wakes late, into a later task', async () => {
  // Shares go to whichever thread claims them first; pauses between calls let the worker fall asleep,
  // so that some tasks start while it is still waking up from an earlier one.
  const st = await import('../../packages/strata-dl/src/index.js');
  st.setNumThreads(2);
  const n = 1 << 17; // above the threshold for two threads
  const x = st.arange(0, n, 1, { backend: 'wasm' });
  x.add(1).dispose(); // starts the worker in the background
  await new Promise((r) => setTimeout(r, 300));
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < 300; i++) {
    if (i % 3 === 0) Atomics.wait(pause, 0, 0, (i % 7) * 0.2);
    const y = x.add(i).dataSync();
    assert.ok(y[0] === i && y[n - 1] === n - 1 + i && y[n >> 1] === (n >> 1) + i, `call ${i}`);
  }
});
