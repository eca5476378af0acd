// SPDX-License-Identifier: MIT
// Sequence to one: an LSTM reads a noisy wave and says whether it is a sine or a square wave.
// Sequences have different lengths (24 to 48 steps), padded into batches; the LSTM gets their
// `lengths`, so its final state h_n is the state after each sequence's own last step, and the
// classifier reads that. Prints the test accuracy (and the training loss as it goes).
//
//   npx tsx --conditions=strata-source examples/sequence.ts [epochs]
import { pathToFileURL } from 'node:url';
import * as st from 'strata-dl';

const { nn, optim } = st;

export interface Waves {
  /** [N, T, 1], zero-padded past each length */
  x: st.Tensor;
  /** int32 [N]: 0 sine, 1 square */
  y: st.Tensor;
  lengths: number[];
}

/**
 * `n` waves with random period (6 to 20 steps), phase, amplitude (0.5 to 1.5) and length, plus
 * Gaussian noise of standard deviation `noise`. Half are sines, half square waves.
 */
export function makeWaves(n: number, g: st.Generator, noise = 0.4, minLength = 24, maxLength = 48): Waves {
  const values = new Float32Array(n * maxLength);
  const labels = new Int32Array(n);
  const lengths: number[] = [];
  for (let i = 0; i < n; i++) {
    const square = i % 2;
    const period = 6 + 14 * g.random();
    const phase = 2 * Math.PI * g.random();
    const amp = 0.5 + g.random();
    const len = g.int(minLength, maxLength + 1);
    for (let t = 0; t < len; t++) {
      const s = Math.sin((2 * Math.PI * t) / period + phase);
      values[i * maxLength + t] = amp * (square ? Math.sign(s) : s) + noise * g.normal();
    }
    labels[i] = square;
    lengths.push(len);
  }
  return { x: st.tensor(values, { shape: [n, maxLength, 1] }), y: st.tensor(labels), lengths };
}

/** LSTM over the sequence, a linear layer on the top layer's final state. */
export class WaveClassifier extends nn.Module {
  readonly lstm: st.nn.LSTM;
  readonly head: st.nn.Linear;
  constructor(hidden: number, g: st.Generator) {
    super();
    this.lstm = new nn.LSTM(1, hidden, { batchFirst: true, generator: g });
    this.head = new nn.Linear(hidden, 2, { generator: g });
  }
  forward(x: st.Tensor): st.Tensor { return this.classify(x); }
  classify(x: st.Tensor, lengths?: readonly number[]): st.Tensor {
    const [, [h]] = this.lstm.forwardWithState(x, null, { lengths });
    return this.head.forward(h.index(-1));
  }
}

function batchesOf(data: Waves, size: number, g: st.Generator | null): { x: st.Tensor; y: st.Tensor; lengths: number[] }[] {
  const n = data.lengths.length;
  const order = g ? st.data.permutation(n, g) : Array.from({ length: n }, (_, i) => i);
  const out = [];
  for (let s = 0; s < n; s += size) {
    const idx = order.slice(s, s + size);
    const lengths = idx.map((i) => data.lengths[i]);
    // Cut the padding every sequence of the batch shares.
    const x = data.x.indexSelect(0, idx).slice(1, 0, Math.max(...lengths));
    out.push({ x, y: data.y.indexSelect(0, idx), lengths });
  }
  return out;
}

export function accuracy(model: WaveClassifier, data: Waves): number {
  return st.noGrad(() => {
    let right = 0;
    for (const b of batchesOf(data, 256, null)) {
      right += st.scoped(() => model.classify(b.x, b.lengths).argmax(1).eq(b.y).to('int32').sum().item());
    }
    return right / data.lengths.length;
  });
}

/** Trains on 800 waves and returns the accuracy on 400 others. */
export function runSequence(opts: { epochs?: number; seed?: number; log?: (line: string) => void } = {}): { testAccuracy: number; trainAccuracy: number } {
  const { epochs = 20, seed = 0, log = () => {} } = opts;
  const g = new st.Generator(seed);
  const train = makeWaves(800, g);
  const test = makeWaves(400, g);
  const model = new WaveClassifier(24, g);
  const opt = new optim.Adam(model.parameters(), { lr: 0.01 });
  for (let epoch = 1; epoch <= epochs; epoch++) {
    let total = 0;
    const batches = batchesOf(train, 32, g);
    for (const b of batches) {
      total += st.scoped(() => {
        opt.zeroGrad();
        const loss = nn.functional.crossEntropy(model.classify(b.x, b.lengths), b.y);
        loss.backward();
        optim.clipGradNorm(model.parameters(), 1);
        return loss.item();
      });
      opt.step();
    }
    log(`epoch ${epoch}: training loss ${(total / batches.length).toFixed(4)}`);
  }
  return { testAccuracy: accuracy(model, test), trainAccuracy: accuracy(model, train) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const epochs = Number(process.argv[2] ?? 20);
  const { trainAccuracy, testAccuracy } = runSequence({ epochs, log: console.log });
  console.log(`sine vs square, LSTM(1→24) on h_n: train accuracy ${(100 * trainAccuracy).toFixed(1)}%, test accuracy ${(100 * testAccuracy).toFixed(1)}%`);
}
