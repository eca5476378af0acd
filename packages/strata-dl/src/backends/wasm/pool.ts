// SPDX-License-Identifier: MIT
import { StrataError } from '../../core/errors.js';
import { CTL, WEB_WORKER_SOURCE, WORKER_SOURCE } from './worker-source.js';
import { MAX_THREADS, nodeBuiltin } from './threads.js';

/** What the pool needs of a worker, in Node (worker_threads) and in browsers (Web Workers). */
interface WorkerT { terminate(): unknown }
export type RunTask = (task: number, tid: number, nt: number, desc: number) => void;

/**
 * Worker threads over the backend's shared memory. No message per call: the caller writes the task
 * into a control block in shared memory, bumps each participant's generation slot
 * (Atomics.notify), runs share 0 itself, and waits on a done counter (Atomics.wait). Workers poll
 * for `spinMs` after each task before they sleep, so back-to-back calls cost about a microsecond.
 *
 * Workers start in the background on first use; until one has instantiated the module, calls run
 * without it. Workers are unref'd: they never keep the process alive. In browsers the workers are
 * Web Workers (the page must be cross-origin isolated for shared memory); on a page's main thread,
 * where `Atomics.wait` is not allowed, the caller polls for the last shares instead of sleeping.
 */
export class Pool {
  private readonly ctl: Int32Array;
  private readonly workers: WorkerT[] = [];
  private failure: string | null = null;
  private spawnFailed = false;
  /** whether this thread may block in Atomics.wait (not a browser page's main thread) */
  private readonly canBlock: boolean;
  /** generation of the last task, tagging its share counter */
  private gen = 0;

  constructor(
    private readonly module: WebAssembly.Module,
    private readonly memory: WebAssembly.Memory,
    private readonly ctlPtr: number,
    private readonly runMain: RunTask,
    private readonly spinMs = 2,
    /** how long the caller polls for workers to finish before it sleeps (ms) */
    private readonly joinSpinMs = 0.05,
  ) {
    this.ctl = new Int32Array(memory.buffer, ctlPtr, CTL.SIZE);
    this.canBlock = mayBlock(this.ctl);
  }

  /** Starts workers so that `threads` threads (counting the caller) can take part. */
  ensure(threads: number): void {
    const want = Math.min(threads, MAX_THREADS) - 1;
    if (this.workers.length >= want || this.spawnFailed) return;
    const wt = nodeBuiltin('node:worker_threads');
    const web = wt ? null : webWorkerUrl();
    if (!wt && !web) {
      this.spawnFailed = true;
      return;
    }
    while (this.workers.length < want) {
      const data = { module: this.module, memory: this.memory, ctlPtr: this.ctlPtr, tid: this.workers.length + 1, spinMs: this.spinMs };
      // a worker that fails never sets its ready flag, so it simply takes no part; ready() reports it
      if (wt) {
        const w = new wt.Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: data });
        w.unref();
        w.on('error', (e: Error) => { this.failure = e.message; });
        this.workers.push(w);
      } else {
        const w = new Worker(web!);
        w.onerror = (e) => { this.failure = e.message; };
        w.postMessage(data);
        this.workers.push(w);
      }
    }
  }

  /** Resolves when `threads` threads are instantiated and waiting for work. */
  async ready(threads: number): Promise<void> {
    this.ensure(threads);
    const want = Math.min(threads, this.workers.length + 1);
    const t0 = performance.now();
    // poll with a (ref'd) timer: the workers are unref'd, so waiting on their events alone would
    // let the process exit under us
    while (this.available(want) < want) {
      if (this.failure) throw new StrataError('wasm', `a worker thread failed to start: ${this.failure}`);
      if (performance.now() - t0 > 30_000) throw new StrataError('wasm', `worker threads did not start within 30 s (${this.available(want)} of ${want} ready)`);
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  /** How many threads (caller + a prefix of ready workers) can take part now, up to `threads`. */
  available(threads: number): number {
    let n = 1;
    while (n < threads && n <= this.workers.length && Atomics.load(this.ctl, CTL.READY + n) === 1) n++;
    return n;
  }

  /**
   * Runs `task` cut into `threads` shares; returns once every share is done. Shares are claimed
   * through an atomic counter, the caller included, so the caller never waits for a worker that has
   * not woken up yet: it runs the unclaimed shares itself and waits only for shares in progress.
   * (Waiting for every worker to check in cost W4 a third of its time once workers had gone to
   * sleep between small kernels, a futex wake-up being 30-100 us.)
   *
   * `wake` false: a worker that is asleep is left asleep, and only workers still polling after their
   * last task take part. For a task that one thread does in about a wake-up's time, a woken worker
   * arrives when the caller has claimed every share, then polls for nothing: on 2 loaded cores a
   * sleeping worker was found at 95% of W1's and W2's parallel tasks, and took no share in 54-75%.
   */
  run(task: number, desc: number, threads: number, wake = true): void {
    if (threads > 1) this.ensure(threads);
    const nt = threads > 1 ? this.available(threads) : 1;
    if (nt === 1) {
      this.runMain(task, 0, 1, desc);
      return;
    }
    const ctl = this.ctl;
    Atomics.store(ctl, CTL.TASK, task);
    Atomics.store(ctl, CTL.DESC, desc);
    Atomics.store(ctl, CTL.NT, nt);
    Atomics.store(ctl, CTL.PENDING, nt);
    this.gen = (this.gen + 1) & 0xffffff;
    Atomics.store(ctl, CTL.CLAIM, this.gen << 8); // opens the task
    for (let t = 1; t < nt; t++) {
      // a worker that goes to sleep after this load still sees the new generation (or is notified below)
      if (!wake && Atomics.load(ctl, CTL.SLEEP + t)) continue;
      Atomics.add(ctl, CTL.WGEN + t, 1);
      // a polling worker sees the new generation by itself; notify is a system call
      if (Atomics.load(ctl, CTL.SLEEP + t)) Atomics.notify(ctl, CTL.WGEN + t);
    }
    let mainError: unknown = null;
    for (;;) {
      const share = Atomics.add(ctl, CTL.CLAIM, 1) & 255;
      if (share >= nt) break;
      // after an error, shares are still claimed (and skipped) so that the count reaches zero
      if (!mainError) {
        try {
          this.runMain(task, share, nt, desc);
        } catch (e) {
          mainError = e;
        }
      }
      Atomics.sub(ctl, CTL.PENDING, 1);
    }
    // always join (workers may still be using the memory) and always clear the error slot
    this.join();
    const err = Atomics.exchange(ctl, CTL.ERR, 0);
    if (mainError) throw mainError;
    if (err) {
      const kind = ['', ': memory access out of bounds', ': unreachable', ': divide by zero'][err >> 8] ?? '';
      throw new StrataError('wasm', `a kernel failed in worker thread ${(err & 255) - 1} (task ${task})${kind}`);
    }
  }

  private join(): void {
    const ctl = this.ctl;
    if (Atomics.load(ctl, CTL.PENDING) === 0) return;
    const t0 = performance.now();
    for (let i = 1; ; i++) {
      if (Atomics.load(ctl, CTL.PENDING) === 0) return;
      if ((i & 63) === 0 && performance.now() - t0 > this.joinSpinMs) break;
    }
    let d: number;
    if (!this.canBlock) {
      while (Atomics.load(ctl, CTL.PENDING) !== 0);
      return;
    }
    while ((d = Atomics.load(ctl, CTL.PENDING)) !== 0) Atomics.wait(ctl, CTL.PENDING, d);
  }

  /** Stops the workers (the pool can start them again later). */
  async close(): Promise<void> {
    Atomics.store(this.ctl, CTL.EXIT, 1);
    for (let t = 1; t <= this.workers.length; t++) {
      Atomics.add(this.ctl, CTL.WGEN + t, 1);
      Atomics.notify(this.ctl, CTL.WGEN + t);
    }
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
    for (let t = 0; t < MAX_THREADS; t++) Atomics.store(this.ctl, CTL.READY + t, 0);
    Atomics.store(this.ctl, CTL.EXIT, 0);
  }
}

/** Whether Atomics.wait may block on this thread: everywhere but a browser page's main thread. */
function mayBlock(ctl: Int32Array): boolean {
  try {
    Atomics.wait(ctl, CTL.EXIT, -1, 0); // returns 'not-equal' at once where waiting is allowed
    return true;
  } catch {
    return false;
  }
}

let webUrl: string | null | undefined;

/** A Blob URL of the Web Worker's source, where Web Workers and shared memory exist; else null. */
function webWorkerUrl(): string | null {
  if (webUrl === undefined) {
    const g = globalThis as { Worker?: unknown; crossOriginIsolated?: boolean };
    webUrl = typeof g.Worker === 'function' && g.crossOriginIsolated === true && typeof Blob === 'function' && typeof URL.createObjectURL === 'function'
      ? URL.createObjectURL(new Blob([WEB_WORKER_SOURCE], { type: 'text/javascript' }))
      : null;
  }
  return webUrl;
}
