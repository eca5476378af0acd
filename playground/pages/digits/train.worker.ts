// SPDX-License-Identifier: MIT
// Trains the MNIST CNN (the zoo's `cnn`, as `strata train mnist` does) in a dedicated Web Worker, so
// the page stays responsive: it posts progress after every batch and the trained weights
// (safetensors bytes) at the end. `fit` yields to the event loop every few batches, which is when a
// 'stop' message is seen.
import * as st from 'strata-dl';
import { MNIST_MEAN, MNIST_STD, type MnistSubset, fetchMnist } from './mnist.js';
import type { FromWorker, ToWorker, WorkerScope } from './protocol.js';

const scope = self as unknown as WorkerScope;
const post = (m: FromWorker, transfer: Transferable[] = []): void => scope.postMessage(m, transfer);

let data: Promise<{ train: MnistSubset; test: MnistSubset }> | null = null;
let stopRequested = false;

function images(set: MnistSubset, n: number): st.Tensor {
  const x = new Float32Array(n * 784);
  for (let i = 0; i < x.length; i++) x[i] = (set.pixels[i] / 255 - MNIST_MEAN) / MNIST_STD;
  return st.tensor(x, { shape: [n, 1, 28, 28] });
}

/** Accuracy on the test subset, in batches of 250. */
function testAccuracy(model: st.nn.Module, test: MnistSubset): number {
  model.eval();
  let correct = 0;
  for (let i = 0; i < test.count; i += 250) {
    const n = Math.min(250, test.count - i);
    const pred = st.scoped(() => st.noGrad(() => {
      const x = images({ pixels: test.pixels.subarray(i * 784), labels: test.labels, count: n }, n);
      return (model.forward(x) as st.Tensor).argmax(1).toArray() as number[];
    }));
    for (let j = 0; j < n; j++) if (pred[j] === test.labels[i + j]) correct++;
  }
  return correct / test.count;
}

async function train(o: Extract<ToWorker, { type: 'train' }>): Promise<void> {
  data ??= Promise.all([fetchMnist(new URL('mnist-train.bin.gz', import.meta.url)), fetchMnist(new URL('mnist-test.bin.gz', import.meta.url))])
    .then(([train, test]) => ({ train, test }));
  const { train: set, test } = await data;
  post({ type: 'loaded', trainCount: set.count, testCount: test.count, backend: st.getBackend().name, threads: st.getNumThreads() });
  const n = Math.max(1, Math.min(o.samples, set.count));
  st.manualSeed(o.seed);
  const generator = new st.Generator(o.seed);
  const x = images(set, n).keep();
  const y = st.tensor(set.labels.subarray(0, n), { dtype: 'int32' }).keep();
  const model = st.models.cnn();
  const optimizer = new st.optim.Adam(model.parameters(), { lr: o.lr });
  const total = n * o.epochs;
  let seen = 0;
  let loss = 0;
  let accuracy = 0;
  const t0 = performance.now();
  stopRequested = false;
  const progress: st.train.Callback = {
    onEpochBegin: () => { loss = 0; accuracy = 0; },
    onBatchEnd: (batch, logs, state) => {
      seen += logs.size ?? 0;
      // running means over the epoch's batches
      loss += (logs.loss - loss) / (batch + 1);
      accuracy += ((logs.accuracy ?? 0) - accuracy) / (batch + 1);
      const seconds = (performance.now() - t0) / 1000;
      post({ type: 'progress', epoch: state.epoch + 1, epochs: o.epochs, seen, total, samplesPerSecond: seen / seconds, loss, accuracy });
      if (stopRequested) state.stopTraining = true;
    },
  };
  await st.fit(model, { x, y }, {
    optimizer, loss: st.nn.functional.crossEntropy, epochs: o.epochs, batchSize: o.batchSize, generator,
    metrics: ['accuracy'], callbacks: [progress], yieldEvery: 2,
  });
  const seconds = (performance.now() - t0) / 1000;
  x.dispose();
  y.dispose();
  const acc = testAccuracy(model, test);
  const weights = st.io.encodeSafetensors(model.stateDict(), { format: 'strata', model: 'cnn' });
  post({ type: 'done', weights, testAccuracy: acc, seconds, samplesPerSecond: seen / seconds, stopped: stopRequested }, [weights.buffer]);
}

scope.onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  if (m.type === 'stop') { stopRequested = true; return; }
  train(m).catch((err: unknown) => post({ type: 'error', message: String((err as Error)?.stack ?? err) }));
};
