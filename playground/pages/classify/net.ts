// SPDX-License-Identifier: MIT
// The classifier the page trains, built with strata-dl: an MLP from 2 inputs through the hidden
// layers to one logit, with dropout after each hidden activation, trained on binary cross-entropy
// plus the L1/L2 penalties on the weights. Runs in the training worker (and in Node's tests).
import * as st from 'strata-dl';
import type { Points } from './datasets.js';
import type { ClassifyState } from './state.js';

type Hyper = Pick<ClassifyState, 'layers' | 'activation' | 'lr' | 'optimizer' | 'batch' | 'l1' | 'l2' | 'dropout' | 'seed'>;

function activation(name: ClassifyState['activation']): st.nn.Module {
  switch (name) {
    case 'relu': return new st.nn.ReLU();
    case 'sigmoid': return new st.nn.Sigmoid();
    case 'linear': return new st.nn.Identity();
    default: return new st.nn.Tanh();
  }
}

export interface Metrics { step: number; epoch: number; trainLoss: number; testLoss: number; trainAcc: number; testAcc: number }

/** A network, its optimizer and its data, stepped a mini-batch at a time. */
export class Classifier {
  readonly model: st.nn.Sequential;
  readonly linears: st.nn.Linear[] = [];
  private readonly opt: { zeroGrad(): void; step(): void };
  private readonly trainX: st.Tensor;
  private readonly trainY: st.Tensor;
  private readonly testX: st.Tensor;
  private readonly testY: st.Tensor;
  private readonly gen: st.Generator;
  private order: Int32Array = new Int32Array(0);
  private cursor = 0;
  step = 0;
  epoch = 0;

  constructor(readonly h: Hyper, train: Points, test: Points) {
    st.manualSeed(h.seed);
    this.gen = new st.Generator(h.seed + 1);
    const mods: st.nn.Module[] = [];
    let inF = 2;
    for (const w of h.layers) {
      const lin = new st.nn.Linear(inF, w);
      this.linears.push(lin);
      mods.push(lin, activation(h.activation));
      if (h.dropout > 0) mods.push(new st.nn.Dropout(h.dropout, { generator: this.gen }));
      inF = w;
    }
    const out = new st.nn.Linear(inF, 1);
    this.linears.push(out);
    mods.push(out);
    this.model = new st.nn.Sequential(...mods);
    const params = this.model.parameters();
    if (h.optimizer === 'adam') this.opt = new st.optim.Adam(params, { lr: h.lr });
    else this.opt = new st.optim.SGD(params, { lr: h.lr, momentum: h.optimizer === 'momentum' ? 0.9 : 0 });
    const tx = (p: Points): st.Tensor => st.tensor(p.xy, { shape: [p.label.length, 2] });
    const ty = (p: Points): st.Tensor => st.tensor(Float32Array.from(p.label), { shape: [p.label.length, 1] });
    this.trainX = tx(train);
    this.trainY = ty(train);
    this.testX = tx(test);
    this.testY = ty(test);
  }

  /** One optimizer step on the next mini-batch (reshuffled every epoch). */
  trainStep(): void {
    const n = this.trainX.shape[0];
    const b = Math.min(this.h.batch, n);
    if (this.cursor + b > n || this.order.length !== n) {
      this.order = Int32Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(this.gen.random() * (i + 1));
        const t = this.order[i];
        this.order[i] = this.order[j];
        this.order[j] = t;
      }
      if (this.step > 0) this.epoch++;
      this.cursor = 0;
    }
    st.scoped(() => {
      const idx = st.tensor(this.order.subarray(this.cursor, this.cursor + b), { dtype: 'int32' });
      this.cursor += b;
      const x = this.trainX.indexSelect(0, idx);
      const y = this.trainY.indexSelect(0, idx);
      this.model.train();
      this.opt.zeroGrad();
      let loss = st.nn.functional.binaryCrossEntropyWithLogits(this.model.forward(x) as st.Tensor, y);
      const weights = this.linears.map((l) => l.weight);
      if (this.h.l1 > 0) loss = loss.add(st.nn.functional.l1Penalty(weights, this.h.l1));
      if (this.h.l2 > 0) loss = loss.add(st.nn.functional.l2Penalty(weights, this.h.l2));
      loss.backward();
      this.opt.step();
    });
    this.step++;
  }

  /** Losses (without the penalties) and accuracies on both sets. */
  metrics(): Metrics {
    return st.scoped(() => st.noGrad(() => {
      this.model.eval();
      const one = (x: st.Tensor, y: st.Tensor): [number, number] => {
        const logits = this.model.forward(x) as st.Tensor;
        const loss = st.nn.functional.binaryCrossEntropyWithLogits(logits, y).item();
        const acc = logits.gt(0).float().eq(y).float().mean().item();
        return [loss, acc];
      };
      const [trainLoss, trainAcc] = one(this.trainX, this.trainY);
      const [testLoss, testAcc] = one(this.testX, this.testY);
      return { step: this.step, epoch: this.epoch, trainLoss, testLoss, trainAcc, testAcc };
    }));
  }

  /** P(class 1) on a `res`×`res` grid over [-1, 1]², row 0 at y = 1 (the top of the picture). */
  grid(res: number): Float32Array {
    return st.scoped(() => st.noGrad(() => {
      this.model.eval();
      const xy = new Float32Array(2 * res * res);
      for (let r = 0; r < res; r++) {
        for (let c = 0; c < res; c++) {
          xy[2 * (r * res + c)] = -1 + (2 * c + 1) / res;
          xy[2 * (r * res + c) + 1] = 1 - (2 * r + 1) / res;
        }
      }
      const p = (this.model.forward(st.tensor(xy, { shape: [res * res, 2] })) as st.Tensor).sigmoid();
      return Float32Array.from(p.flatten().toArray() as number[]);
    }));
  }

  /** Each layer's weights [out][in], for the drawing of the network. */
  weights(): number[][][] {
    return this.linears.map((l) => l.weight.toArray() as number[][]);
  }
}
