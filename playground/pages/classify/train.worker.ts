// SPDX-License-Identifier: MIT
// The classify page's training worker. Training runs here, not on the page's thread, so that no
// step, however slow (a wide network, batch 256, a loaded machine), ever delays input or painting;
// the page only draws what this worker posts: metrics, the decision-boundary grid and the weights.
// The worker trains in slices of 40 ms or more and yields between them, so 'pause' and 'reset'
// are answered at once.
import * as st from 'strata-dl';
import { Classifier } from './net.js';
import type { FromWorker, ToWorker } from './protocol.js';

// The network is tiny (a few hundred weights, batches of 32): a thread pool's wake-ups would cost
// more than they save, so the worker computes on its own thread and starts no workers of its own.
st.setNumThreads(1);

const GRID = 50;
/** Train at least this long between reports, and 4× the last report's cost (≤ 20% on reports), up to 250 ms. */
const SLICE_MS = 40;
let lastReportMs = 0;
let net: Classifier | null = null;
let gen = 0;
let running = false;
let scheduled = false;

const post = (m: FromWorker, transfer: Transferable[] = []): void => (self as unknown as Worker).postMessage(m, transfer);

/** Milliseconds spent in optimizer steps and in reports since the last reset. */
const time = { train: 0, report: 0 };

function report(): void {
  if (!net) return;
  const t0 = performance.now();
  const grid = net.grid(GRID);
  const metrics = net.metrics();
  const weights = net.weights();
  lastReportMs = performance.now() - t0;
  time.report += lastReportMs;
  post({ type: 'progress', gen, ...metrics, grid, res: GRID, weights, running, trainMs: time.train, reportMs: time.report }, [grid.buffer]);
}

function slice(): void {
  scheduled = false;
  if (!running || !net) return;
  try {
    const t0 = performance.now();
    do net.trainStep(); while (performance.now() - t0 < Math.min(250, Math.max(SLICE_MS, 4 * lastReportMs)));
    time.train += performance.now() - t0;
    report();
  } catch (e) {
    running = false;
    post({ type: 'error', message: String((e as Error)?.stack ?? e) });
    return;
  }
  schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setTimeout(slice, 0);
}

self.onmessage = (ev: MessageEvent<ToWorker>): void => {
  const m = ev.data;
  try {
    if (m.type === 'reset') {
      running = false;
      net = new Classifier(m.state, m.train, m.test);
      gen = m.gen;
      time.train = time.report = 0;
      report();
    } else if (m.type === 'train') {
      running = true;
      schedule();
    } else if (m.type === 'pause') {
      running = false;
      report();
    } else if (m.type === 'step' && net) {
      running = false;
      net.trainStep();
      report();
    }
  } catch (e) {
    running = false;
    post({ type: 'error', message: String((e as Error)?.stack ?? e) });
  }
};

post({ type: 'ready', backend: st.getBackend().name, threads: st.getNumThreads(), isolated: globalThis.crossOriginIsolated === true });
