// SPDX-License-Identifier: MIT
// The worker of examples/browser-worker: it imports the library and serves one handler, `train`,
// which fits a small network to CS231n's spiral and reports each epoch. The page (main.ts) stays
// free while this runs. Bundled by esbuild next to main.ts (see index.html).
import * as st from 'strata-dl';

export interface TrainConfig { epochs: number; hidden: number; lr: number; batchSize: number; seed: number }
export interface EpochReport { epoch: number; loss: number; accuracy: number; samplesPerSec: number }
export interface TrainResult { accuracy: number; loss: number; backend: string; threads: number; sharedMemory: boolean; weights: Float32Array }

/** Trains on the spiral (300 points, 3 classes) with Adam and minibatches; reports every epoch. */
async function train(cfg: TrainConfig, progress: (r: EpochReport) => void): Promise<TrainResult> {
  // start the wasm backend's thread pool (Web Workers of this worker, on a cross-origin isolated
  // page) before the first epoch, so the first epochs are not timed while it starts
  const backend = st.getBackend();
  if (backend.name === 'wasm') await (backend as st.WasmBackend).ready();
  st.manualSeed(cfg.seed);
  const { x, y } = st.data.spiral(100, 3);
  const net = new st.nn.Sequential(new st.nn.Linear(2, cfg.hidden), new st.nn.ReLU(), new st.nn.Linear(cfg.hidden, 3));
  const opt = new st.optim.Adam(net.parameters(), { lr: cfg.lr });
  const n = x.shape[0];
  let loss = 0;
  for (let epoch = 1; epoch <= cfg.epochs; epoch++) {
    const t0 = performance.now();
    const order = st.scoped(() => Array.from(st.rand([n]).argsort().dataSync())); // a seeded shuffle
    let sum = 0;
    for (let i = 0; i < n; i += cfg.batchSize) {
      const idx = order.slice(i, i + cfg.batchSize);
      st.scoped(() => {
        opt.zeroGrad();
        const l = st.nn.functional.crossEntropy(net.forward(x.indexSelect(0, idx)) as st.Tensor, y.indexSelect(0, idx));
        l.backward();
        opt.step();
        sum += l.item() * idx.length;
      });
    }
    loss = sum / n;
    const accuracy = st.evaluate(net, { x, y }, { metrics: ['accuracy'] }).accuracy;
    progress({ epoch, loss, accuracy, samplesPerSec: n / ((performance.now() - t0) / 1000) });
  }
  return {
    accuracy: st.evaluate(net, { x, y }, { metrics: ['accuracy'] }).accuracy,
    loss,
    backend: st.getBackend().name,
    threads: st.getNumThreads(),
    sharedMemory: st.wasmFeatures().sharedMemory,
    weights: Float32Array.from(net.parameters()[0].dataSync()),
  };
}

const handlers = { train };
/** The handlers' type, for `st.worker.connect<Handlers>` on the page (a type-only import). */
export type Handlers = typeof handlers;

st.worker.expose(handlers);
