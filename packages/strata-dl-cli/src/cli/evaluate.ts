// SPDX-License-Identifier: MIT
import * as st from 'strata-dl';
import { getDataset } from './datasets.js';
import { loadRun } from './run-folder.js';

export interface Evaluation {
  accuracy: number;
  loss: number;
  /** Class probabilities, row-major [N, classes]. */
  probs: Float32Array;
  predicted: st.Tensor;
}

/**
 * Accuracy and mean cross-entropy over a whole set, in fixed batches without the tape. The same
 * function serves training's final test and `strata evaluate`, so both give the same number.
 */
export function evaluateSet(model: st.nn.Module, images: st.Tensor, labels: st.Tensor, mean: number[], std: number[], batchSize = 500): Evaluation {
  model.eval();
  const n = images.shape[0];
  const norm = st.data.normalize(mean, std);
  const g = new st.Generator(0);
  const probs: Float32Array[] = [];
  let correct = 0;
  let lossSum = 0;
  for (let i = 0; i < n; i += batchSize) {
    st.noGrad(() => st.scoped(() => {
      const x = norm(images.slice(0, i, i + batchSize), g);
      const y = labels.slice(0, i, i + batchSize);
      const logp = model.call(x).logSoftmax(-1);
      lossSum -= logp.gather(1, y.unsqueeze(1)).sum().item();
      correct += logp.argmax(1).eq(y).sum().item();
      probs.push(Float32Array.from(logp.exp().dataSync()));
    }));
  }
  const all = new Float32Array(probs.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of probs) { all.set(p, o); o += p.length; }
  const classes = all.length / n;
  const pred = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let b = 0;
    for (let c = 1; c < classes; c++) if (all[i * classes + c] > all[i * classes + b]) b = c;
    pred[i] = b;
  }
  return { accuracy: correct / n, loss: lossSum / n, probs: all, predicted: st.tensor(pred, { dtype: 'int32' }) };
}

/** `strata evaluate <run>`: the test accuracy of a saved run. */
export async function evaluateCommand(runDir: string, opts: { dataDir?: string; limit?: number }): Promise<Evaluation> {
  const { config, model, metrics } = await loadRun(runDir);
  const ds = getDataset(config.dataset);
  const test = ds.load('test', { dataDir: opts.dataDir, limit: opts.limit });
  const ev = evaluateSet(model, test.images, test.labels, config.mean, config.std);
  console.log(`${config.model} on ${config.dataset} test set (${test.labels.shape[0]} images): accuracy ${(100 * ev.accuracy).toFixed(2)}%, loss ${ev.loss.toFixed(4)}`);
  if (metrics && opts.limit === undefined) {
    const same = metrics.testAccuracy === ev.accuracy;
    console.log(`recorded in metrics.json: ${(100 * metrics.testAccuracy).toFixed(2)}% (${same ? 'identical' : 'DIFFERENT'})`);
  }
  return ev;
}
