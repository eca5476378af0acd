// SPDX-License-Identifier: MIT
// The classify page's training worker. Training runs here, not on the page's thread, so that no
// step, however slow (a wide network, batch 256, a loaded machine), ever delays input or painting;
// the page only draws what this worker posts: metrics, the decision-boundary grid and the weights.
// The worker trains in slices of about 30 ms and yields between them, so 'pause' and 'reset'
// are answered at once.
import * as st from 'strata-dl';
import { Classifier } from './net.js';
import type { FromWorker, ToWorker } from './protocol.js';

// The network is tiny (a few hundred weights, batches of 32): a thread pool's wake-ups would cost
// more than they save, so the worker computes on its own thread and starts no workers of its own.
st.setNumThreads(1);

const GRID = 50;
const SLICE_MS = 30;
let net: Classifier | null = null;
let running = false;
let scheduled = false;

const post = (m: FromWorker, transfer: Transferable[] = []): void => (self as unknown as Worker).postMessage(m, transfer);

function report(): void {
  if (!net) return;
  const grid = net.grid(GRID);
  post({ type: 'progress', ...net.metrics(), grid, res: GRID, weights: net.weights(), running }, [grid.buffer]);
}

function slice(): void {
  scheduled = false;
  if (!running || !net) return;
  try {
    const t0 = performance.now();
    do net.trainStep(); while (performance.now() - t0 < SLICE_MS);
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
