// SPDX-License-Identifier: MIT
// The pool's worker, as source text run with `new Worker(code, { eval: true })`: no file to
// resolve (the same in src/ under tsx and in dist/), and no TypeScript loader in the worker.
// Control block (Int32 slots) shared with pool.ts.
export const CTL = {
  /** shares of the current task not yet finished */
  PENDING: 0,
  TASK: 1, DESC: 2, NT: 3, ERR: 4, EXIT: 5,
  /** the current task's generation (high 24 bits) and next unclaimed share (low 8 bits) */
  CLAIM: 6,
  /** per-thread wake-up generation, slot WGEN + tid */
  WGEN: 8,
  /** per-thread "instantiated and waiting" flag, slot READY + tid */
  READY: 8 + 64,
  /** per-thread "asleep in Atomics.wait" flag, slot SLEEP + tid: only then is a notify needed */
  SLEEP: 8 + 64 + 64,
  SIZE: 8 + 64 + 64 + 64,
} as const;

/**
 * The worker's loop, given the module, the shared memory, the control block's address, its thread id
 * and its polling time: instantiates the module on the memory, then claims shares until told to exit.
 */
const WORKER_LOOP = `
function workerLoop({ module, memory, ctlPtr, tid, spinMs }) {
// Adaptive polling: after a task the worker polls for a quarter of the recent task length, between
// 0.2 ms and spinMs. Long kernels (a big GEMM) keep it hot between back-to-back calls; runs of small
// kernels do not keep a core busy polling, which on a loaded machine starves the calling thread
// (measured: char-LSTM W4 on 2 threads, 4.7-5.1k tokens/s with a fixed 2 ms poll, 7.2-7.6k with 0.25 ms).
let taskMs = 0;
const C = ${JSON.stringify(CTL)};
const env = { memory };
for (const imp of WebAssembly.Module.imports(module)) {
  if (imp.module === 'env' && imp.name !== 'memory') env[imp.name] = () => { throw new Error('wasm import ' + imp.name); };
}
const x = new WebAssembly.Instance(module, { env }).exports;
const ctl = new Int32Array(memory.buffer, ctlPtr, C.SIZE);
const slot = C.WGEN + tid;
let seen = Atomics.load(ctl, slot);
Atomics.store(ctl, C.READY + tid, 1);
for (;;) {
  let g = Atomics.load(ctl, slot);
  if (g === seen) {
    // poll a little first: a call arriving now costs < 1 us instead of a futex wake-up (~30-60 us)
    const limit = Math.min(spinMs, Math.max(0.2, 0.25 * taskMs));
    const t0 = performance.now();
    for (let i = 1; g === seen; i++) {
      g = Atomics.load(ctl, slot);
      if ((i & 255) === 0 && performance.now() - t0 > limit) break;
    }
  }
  if (g === seen) {
    // announce the sleep, then look once more: the caller bumps the slot before it reads the flag,
    // so either it sees the flag and notifies, or this load sees the new generation
    Atomics.store(ctl, C.SLEEP + tid, 1);
    g = Atomics.load(ctl, slot);
    while (g === seen) { Atomics.wait(ctl, slot, seen); g = Atomics.load(ctl, slot); }
    Atomics.store(ctl, C.SLEEP + tid, 0);
  }
  seen = g;
  if (Atomics.load(ctl, C.EXIT)) break;
  const t1 = performance.now();
  // Claim shares until none is left. The compare-exchange fails if the caller has moved on to
  // another task since CLAIM was read, so TASK/DESC/NT read in between always belong to the share.
  for (;;) {
    const c = Atomics.load(ctl, C.CLAIM);
    const task = Atomics.load(ctl, C.TASK), desc = Atomics.load(ctl, C.DESC), nt = Atomics.load(ctl, C.NT);
    if ((c & 255) >= nt) break;
    if (Atomics.compareExchange(ctl, C.CLAIM, c, c + 1) !== c) continue;
    try {
      x.runTask(task, c & 255, nt, desc);
    } catch (e) {
      // the thread, and the kind of failure in the next byte (the message cannot cross the memory)
      const msg = String(e && e.message);
      const kind = msg.includes('out of bounds') ? 1 : msg.includes('unreachable') ? 2 : msg.includes('divide by zero') ? 3 : 0;
      Atomics.store(ctl, C.ERR, (tid + 1) | (kind << 8));
    }
    if (Atomics.sub(ctl, C.PENDING, 1) === 1) Atomics.notify(ctl, C.PENDING);
  }
  taskMs = 0.5 * taskMs + 0.5 * (performance.now() - t1);
}
}
`;

/** Node: `new Worker(WORKER_SOURCE, { eval: true, workerData })` (worker_threads). */
export const WORKER_SOURCE = `'use strict';
${WORKER_LOOP}
workerLoop(require('node:worker_threads').workerData);
`;

/**
 * Browsers: a Web Worker from a Blob URL of this source, started by one message carrying the same
 * data (a WebAssembly.Module and a shared Memory are both cloneable to a worker).
 */
export const WEB_WORKER_SOURCE = `'use strict';
${WORKER_LOOP}
self.onmessage = (e) => { self.onmessage = null; workerLoop(e.data); };
`;
