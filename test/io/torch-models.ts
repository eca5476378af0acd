// SPDX-License-Identifier: MIT
// Strata twins of the PyTorch models in scripts/fixtures/make_torch_fixtures.py, and the fixtures'
// recorded inputs and outputs (test/fixtures/torch/NAME.json).
import { readFileSync } from 'node:fs';
import * as st from 'strata-dl';

const { nn } = st;
export const FIXTURES = new URL('../fixtures/torch/', import.meta.url);

export function fixtureBytes(file: string): Uint8Array {
  const b = readFileSync(new URL(file, FIXTURES));
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

interface Flat { shape: number[]; data: number[] }
export interface Recorded { input: Flat; output: Flat; opset: number }

export function recorded(name: string): Recorded {
  return JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8')) as Recorded;
}

export function asTensor(f: Flat, backend?: string): st.Tensor {
  return st.tensor(Float32Array.from(f.data), { shape: f.shape, backend });
}

class Cnn extends nn.Module {
  features = new nn.Sequential(new nn.Conv2d(1, 8, 3), new nn.ReLU(), new nn.Conv2d(8, 16, 3), new nn.ReLU(), new nn.MaxPool2d(2));
  classifier = new nn.Sequential(new nn.Linear(400, 32), new nn.ReLU(), new nn.Dropout(0.5), new nn.Linear(32, 10));
  forward(x: st.Tensor): st.Tensor {
    const y = this.features.forward(x);
    return this.classifier.forward(y.reshape([y.shape[0], -1]));
  }
}

class Recurrent extends nn.Module {
  rnn: st.nn.LSTM | st.nn.GRU;
  head = new nn.Linear(8, 3);
  constructor(kind: 'lstm' | 'gru') {
    super();
    this.rnn = new (kind === 'lstm' ? nn.LSTM : nn.GRU)(5, 8, { numLayers: 2, batchFirst: true });
  }
  forward(x: st.Tensor): st.Tensor {
    return this.head.forward(this.rnn.forward(x));
  }
}

class BiGru extends nn.Module {
  rnn = new nn.GRU(5, 6, { bidirectional: true, batchFirst: true });
  head = new nn.Linear(12, 2);
  forward(x: st.Tensor): st.Tensor {
    return this.head.forward(this.rnn.forward(x));
  }
}

/** The fixtures that have a Strata twin (misc exists for ONNX import only). */
export const TWINS: Record<string, () => st.nn.Module> = {
  lenet: () => st.models.lenet5(),
  cnn: () => new Cnn(),
  dcgan: () => new nn.Sequential(
    new nn.ConvTranspose2d(8, 16, 4, { bias: false }), new nn.BatchNorm2d(16), new nn.ReLU(),
    new nn.ConvTranspose2d(16, 8, 4, { stride: 2, padding: 1, bias: false }), new nn.BatchNorm2d(8), new nn.ReLU(),
    new nn.ConvTranspose2d(8, 1, 4, { stride: 2, padding: 1, bias: false }), new nn.Tanh(),
  ),
  lstm: () => new Recurrent('lstm'),
  gru: () => new Recurrent('gru'),
  bigru: () => new BiGru(),
};

/** Every fixture with an ONNX file: at opsets 13–17, and some models again at older opsets (9–12). */
export const ONNX_FIXTURES = [...Object.keys(TWINS), 'misc', 'block', 'norms', 'encoder', 'resample', 'rnn1d', 'pools', 'indexing',
  'misc_opset9', 'misc_opset10', 'block_opset9', 'lstm_opset9', 'encoder_opset11', 'indexing_opset11', 'norms_opset12'];

/** Largest |a − b| over two tensors of one shape. */
export function maxDiff(a: st.Tensor, b: st.Tensor): number {
  const x = a.dataSync(), y = b.dataSync();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(Number(x[i]) - Number(y[i])));
  return m;
}

/**
 * One fine-tuning step (forward, MSE loss against a shifted target, backward, SGD step) in training
 * mode; returns the keys of the parameters that did not change (empty when every one moved).
 */
export function fineTuneStep(model: st.nn.Module, x: st.Tensor): string[] {
  model.train();
  const before = model.namedParameters().map(([k, p]) => [k, p.detach().clone()] as const);
  const opt = new st.optim.SGD(model.parameters(), { lr: 0.1 });
  const y = model.forward(x);
  const loss = st.nn.functional.mseLoss(y, y.detach().add(1));
  model.zeroGrad();
  loss.backward();
  opt.step();
  model.eval();
  return before.filter(([k, b]) => {
    const p = model.namedParameters().find(([kk]) => kk === k)![1];
    return maxDiff(p, b) === 0;
  }).map(([k]) => k);
}
