// SPDX-License-Identifier: MIT
// The page of examples/browser-worker: starts the worker, calls its `train` handler and draws the
// progress it reports. The page's own thread only handles messages and the DOM, so it stays
// responsive (the counter below keeps ticking while the network trains).
import * as st from 'strata-dl';
import type { Handlers } from './train.worker.js';

const $ = (id: string): HTMLElement => document.getElementById(id)!;
const worker = st.worker.connect<Handlers>(new Worker(new URL('./train.worker.js', import.meta.url), { type: 'module' }));

// a heartbeat on the page's thread: it would stop while training ran on this thread
let ticks = 0;
setInterval(() => { $('ticks').textContent = String(++ticks); }, 16);

async function run(): Promise<void> {
  const button = $('train') as HTMLButtonElement;
  button.disabled = true;
  const epochs = 40;
  try {
    const result = await worker.call('train', { epochs, hidden: 64, lr: 0.02, batchSize: 32, seed: 0 }, (r) => {
      ($('progress') as HTMLProgressElement).value = r.epoch / epochs;
      $('status').textContent = `epoch ${r.epoch}/${epochs}: loss ${r.loss.toFixed(3)}, accuracy ${(100 * r.accuracy).toFixed(1)}%, ${r.samplesPerSec.toFixed(0)} samples/s`;
    });
    Object.assign(globalThis, { lastResult: result }); // for the console (and the example's test)
    $('status').textContent = `done: accuracy ${(100 * result.accuracy).toFixed(1)}% (${result.backend} backend, ${result.threads} thread(s), shared memory: ${result.sharedMemory})`;
  } catch (e) {
    $('status').textContent = `failed: ${(e as Error).message}`;
  } finally {
    button.disabled = false;
  }
}

$('train').addEventListener('click', () => void run());
