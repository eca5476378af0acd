// SPDX-License-Identifier: MIT
// Lecture 17's "NN vs. SVM" example on CS231n's spiral (N = 100 points per class, K = 3 classes):
// a linear classifier (softmax or multiclass SVM) cannot separate the arms, a 2-layer ReLU network
// can. Prints the training accuracies and writes the decision boundaries as PNG images.
//
//   npx tsx --conditions=strata-source examples/spiral.ts [outDir]
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PNG } from 'pngjs';
import * as st from 'strata-dl';

const { nn, optim } = st;

export interface SpiralResult {
  model: st.nn.Module;
  accuracy: number;
}

/** Full-batch training of `model` on the spiral with Adam; returns its training accuracy. */
export function trainFullBatch(model: st.nn.Module, x: st.Tensor, y: st.Tensor, loss: (s: st.Tensor, y: st.Tensor) => st.Tensor, opts: { steps: number; lr: number; l2: number }): number {
  const opt = new optim.Adam(model.parameters(), { lr: opts.lr });
  const weights = model.parameters().filter((p) => p.ndim === 2);
  for (let i = 0; i < opts.steps; i++) {
    st.scoped(() => {
      opt.zeroGrad();
      const l = loss(model.forward(x), y).add(nn.functional.l2Penalty(weights, opts.l2));
      l.backward();
      opt.step();
    });
  }
  return st.evaluate(model, { x, y }, { metrics: ['accuracy'] }).accuracy;
}

/** The three classifiers of the lecture on one spiral, all seeded. */
export function runSpiral(seed = 0): { x: st.Tensor; y: st.Tensor; softmax: SpiralResult; svm: SpiralResult; mlp: SpiralResult } {
  st.manualSeed(seed);
  const { x, y } = st.data.spiral(100, 3);
  const ce = (s: st.Tensor, t: st.Tensor): st.Tensor => nn.functional.crossEntropy(s, t);
  const hinge = (s: st.Tensor, t: st.Tensor): st.Tensor => nn.functional.multiclassHingeLoss(s, t);
  const softmaxModel = new nn.Linear(2, 3);
  const svmModel = new nn.Linear(2, 3);
  const mlpModel = new nn.Sequential(new nn.Linear(2, 100), new nn.ReLU(), new nn.Linear(100, 3));
  const softmax = { model: softmaxModel, accuracy: trainFullBatch(softmaxModel, x, y, ce, { steps: 300, lr: 0.05, l2: 1e-3 }) };
  const svm = { model: svmModel, accuracy: trainFullBatch(svmModel, x, y, hinge, { steps: 300, lr: 0.05, l2: 1e-3 }) };
  const mlp = { model: mlpModel, accuracy: trainFullBatch(mlpModel, x, y, ce, { steps: 600, lr: 0.02, l2: 1e-4 }) };
  return { x, y, softmax, svm, mlp };
}

const COLORS = [[230, 85, 70], [70, 160, 90], [60, 110, 220]];

/** The decision regions of `model` over [−1.2, 1.2]² with the data points on top, as PNG bytes. */
export function decisionBoundaryPng(model: st.nn.Module, x: st.Tensor, y: st.Tensor, size = 300): Buffer {
  const lo = -1.2;
  const step = 2.4 / size;
  const grid: number[] = [];
  for (let r = 0; r < size; r++) for (let c = 0; c < size; c++) grid.push(lo + c * step, -(lo + r * step));
  const cls = st.predict(model, st.tensor(grid, { shape: [size * size, 2] })).argmax(1).dataSync();
  const png = new PNG({ width: size, height: size });
  for (let i = 0; i < size * size; i++) {
    const [r, g, b] = COLORS[cls[i]];
    png.data.set([(r + 255 * 2) / 3, (g + 255 * 2) / 3, (b + 255 * 2) / 3, 255], 4 * i);
  }
  const pts = x.dataSync();
  const labels = y.dataSync();
  for (let i = 0; i < labels.length; i++) {
    const c = Math.round((pts[2 * i] - lo) / step);
    const r = Math.round((-pts[2 * i + 1] - lo) / step);
    for (let dr = -2; dr <= 2; dr++) for (let dc = -2; dc <= 2; dc++) {
      const rr = r + dr;
      const cc = c + dc;
      if (rr >= 0 && rr < size && cc >= 0 && cc < size) png.data.set([...COLORS[labels[i]], 255], 4 * (rr * size + cc));
    }
  }
  return PNG.sync.write(png);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const out = process.argv[2] ?? 'runs/spiral';
  const t0 = performance.now();
  const { x, y, softmax, svm, mlp } = runSpiral();
  console.log(`spiral: 300 points, 3 classes (trained in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  console.log(`  linear softmax classifier  training accuracy ${(100 * softmax.accuracy).toFixed(1)}%`);
  console.log(`  linear SVM (hinge loss)    training accuracy ${(100 * svm.accuracy).toFixed(1)}%`);
  console.log(`  2-layer ReLU network (100) training accuracy ${(100 * mlp.accuracy).toFixed(1)}%`);
  mkdirSync(out, { recursive: true });
  for (const [name, r] of [['softmax', softmax], ['svm', svm], ['mlp', mlp]] as const) {
    const file = join(out, `spiral-${name}.png`);
    writeFileSync(file, decisionBoundaryPng(r.model, x, y));
    console.log(`  wrote ${file}`);
  }
}
