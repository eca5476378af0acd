// SPDX-License-Identifier: MIT
// Trains one of the Generate page's models in a dedicated Web Worker: the VAE of PyTorch's example or
// the DCGAN on the MNIST subset, or the character LSTM on the first names (as `strata train names`
// does). Progress is posted after every batch; the weights (safetensors) at the end, and the GAN's
// generator every few batches as well, so its samples improve on the page while it trains.
import * as st from 'strata-dl';
import { fetchMnist } from '../digits/mnist.js';
import type { WorkerScope } from '../digits/protocol.js';
import type { FromWorker, ToWorker } from './protocol.js';

const scope = self as unknown as WorkerScope;
const post = (m: FromWorker, transfer: Transferable[] = []): void => scope.postMessage(m, transfer);
let stopRequested = false;
/** Lets 'stop' messages in (the training loops are otherwise synchronous). */
const breathe = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

type Train = Extract<ToWorker, { type: 'train' }>;

/** n MNIST images [n, 1, 28, 28] with pixels in [0, 1] (VAE) or [−1, 1] (GAN, whose generator ends in tanh). */
async function mnist(n: number, range: '01' | 'pm1'): Promise<st.Tensor> {
  const set = await fetchMnist(new URL('../digits/mnist-train.bin.gz', import.meta.url));
  const count = Math.max(1, Math.min(n, set.count));
  const x = new Float32Array(count * 784);
  for (let i = 0; i < x.length; i++) x[i] = range === '01' ? set.pixels[i] / 255 : set.pixels[i] / 127.5 - 1;
  return st.tensor(x, { shape: [count, 1, 28, 28] });
}

/** Runs `step` on every batch of `x` for `epochs`, posting progress; returns the samples per second. */
async function loop(x: st.Tensor, o: Train, step: (batch: st.Tensor) => string, every?: () => void): Promise<number> {
  const n = x.shape[0];
  const perEpoch = Math.ceil(n / o.batchSize);
  const total = perEpoch * o.epochs;
  const t0 = performance.now();
  let seen = 0;
  for (let e = 0, k = 0; e < o.epochs && !stopRequested; e++) {
    for (let b = 0; b < perEpoch && !stopRequested; b++, k++) {
      const lo = b * o.batchSize;
      const size = Math.min(o.batchSize, n - lo);
      const text = st.scoped(() => step(x.narrow(0, lo, size)));
      seen += size;
      const rate = seen / ((performance.now() - t0) / 1000);
      post({ type: 'progress', fraction: (k + 1) / total, text: `epoch ${e + 1}/${o.epochs}, batch ${b + 1}/${perEpoch}: ${text}; ${rate.toFixed(0)} samples/s` });
      if (every && k % 20 === 19) every();
      if (k % 2 === 1) await breathe();
    }
  }
  return seen / ((performance.now() - t0) / 1000);
}

function send(model: st.nn.Module, final: boolean, text: string, names?: { config: Record<string, number>; vocab: { symbols: string } }): void {
  const weights = st.io.encodeSafetensors(model.stateDict());
  post({ type: 'weights', weights, final, text, names }, [weights.buffer]);
}

async function trainVae(o: Train): Promise<void> {
  const x = (await mnist(o.samples, '01')).keep();
  const vae = new st.models.Vae(20, o.hidden);
  const opt = new st.optim.Adam(vae.parameters(), { lr: 1e-3 });
  vae.train();
  const rate = await loop(x, o, (batch) => {
    opt.zeroGrad();
    const loss = st.models.vaeLoss(vae.run(batch), batch);
    loss.backward();
    opt.step();
    return `loss ${loss.item().toFixed(1)} nats/image`;
  });
  x.dispose();
  vae.eval();
  send(vae, true, `trained on ${x.shape[0]} images (${rate.toFixed(0)} samples/s)`);
}

async function trainGan(o: Train): Promise<void> {
  const x = (await mnist(o.samples, 'pm1')).keep();
  const generator = new st.models.DcganGenerator({ latent: 64 });
  const discriminator = new st.models.DcganDiscriminator();
  const betas: [number, number] = [0.5, 0.999];
  const gan: st.train.Gan = {
    generator, discriminator, latent: 64,
    optG: new st.optim.Adam(generator.parameters(), { lr: 2e-4, betas }), optD: new st.optim.Adam(discriminator.parameters(), { lr: 2e-4, betas }),
  };
  const snapshot = (): void => { generator.eval(); send(generator, false, 'training…'); generator.train(); };
  const rate = await loop(x, o, (batch) => {
    const { lossD, lossG } = st.train.ganStep(gan, batch);
    return `loss D ${lossD.toFixed(3)}, G ${lossG.toFixed(3)}`;
  }, snapshot);
  x.dispose();
  generator.eval();
  send(generator, true, `trained on ${x.shape[0]} images (${rate.toFixed(0)} samples/s)`);
}

async function trainNames(o: Train): Promise<void> {
  const res = await fetch(new URL('names.json', import.meta.url));
  if (!res.ok) throw new Error(`could not fetch names.json: HTTP ${res.status}`);
  const names = st.text.normalizeNames((await res.json()) as string[]);
  const { train, validation } = st.text.splitNames(names, { validation: 0.1, seed: o.seed });
  const vocab = st.text.CharVocab.fromTexts(names);
  const t0 = performance.now();
  const { model, history } = st.text.trainCharLM(train, {
    validation, vocab, seed: o.seed, epochs: o.epochs, hiddenSize: o.hidden, lr: 0.005,
    onBatch: (b) => post({ type: 'progress', fraction: ((b.epoch - 1) * b.batches + b.batch) / (o.epochs * b.batches), text: `epoch ${b.epoch}/${o.epochs}, batch ${b.batch}/${b.batches}: ${b.bitsPerChar.toFixed(3)} bits/char` }),
  });
  const last = history[history.length - 1];
  model.eval();
  const text = `${train.length} names, ${o.epochs} epoch(s) in ${((performance.now() - t0) / 1000).toFixed(1)} s; held out: ${last?.validationBitsPerChar?.toFixed(3) ?? '?'} bits/char`;
  send(model, true, text, { config: { ...model.config }, vocab: vocab.toJSON() });
}

scope.onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  if (m.type === 'stop') { stopRequested = true; return; }
  stopRequested = false;
  st.manualSeed(m.seed);
  const run = m.task === 'vae' ? trainVae : m.task === 'gan' ? trainGan : trainNames;
  run(m).catch((err: unknown) => post({ type: 'error', message: String((err as Error)?.stack ?? err) }));
};
