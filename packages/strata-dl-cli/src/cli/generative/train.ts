// SPDX-License-Identifier: MIT
// `strata train autoencoder|vae|gan <dataset>`: trains a generative model with a progress bar,
// checkpoints every epoch (resumable with --resume), measures it (test MSE, negative ELBO, anomaly
// AUROC, a classifier's judgement of samples) and writes the run folder and report.html.
import { join } from 'node:path';
import * as st from 'strata-dl';
import { nodeFileSystem } from 'strata-dl/node';
import type { ImageSet } from 'strata-dl/node';
import { selectBackend } from '../backend.js';
import { getDataset } from '../datasets.js';
import { writeJson } from '../run-folder.js';
import { type Trainable, restoreGenerativeCheckpoint, saveGenerativeCheckpoint } from './checkpoint.js';
import { loadScorer, formatScores, scoreImages } from './classifier.js';
import { type LoopState, freshState, runEpochs } from './loop.js';
import { type EncoderDecoder, negativeElbo, reconstructionErrors } from './measure.js';
import { RECIPES, makeAutoencoder, makeGan, makeVae, parseKind } from './recipes.js';
import { buildReport } from './report-data.js';
import { GENERATIVE_FORMAT, type GenerativeConfig, type GenerativeMetrics, type LoadedModel } from './run-folder.js';
import { drawImages } from './sampling.js';
import { auroc } from './auroc.js';

export interface GenerativeTrainOptions {
  latent?: number;
  conditional?: boolean;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  seed: number;
  out?: string;
  /** Denoising autoencoder: σ of the Gaussian noise added to the inputs (clamped to [0, 1]). */
  noise?: number;
  arch?: string;
  limit?: number;
  /** Use only the first n test images (quick runs). */
  testLimit?: number;
  resume?: boolean;
  classifier?: string;
  /** Samples the classifier scores (default 1000). */
  scoreCount?: number;
  backend?: string;
  threads?: number;
  report: boolean;
  quiet?: boolean;
  /** Tests: stop as if Ctrl-C were pressed after this many batches. */
  interruptAfter?: number;
}

/** The fixed seeds of what is drawn after training, so `strata score` reproduces metrics.json. */
export const SCORE_SEED = 1_000_003;
const GRID_COUNT = 40;

const OTHER: Record<string, string> = { mnist: 'fashion-mnist', 'fashion-mnist': 'mnist' };

export async function trainGenerativeCommand(kindArg: string, datasetName: string, o: GenerativeTrainOptions): Promise<GenerativeMetrics> {
  const log = o.quiet ? (): void => {} : (s: string): void => console.log(s);
  const kind = parseKind(kindArg);
  if (!OTHER[datasetName]) throw new st.StrataError('train', `${kind}: unknown dataset '${datasetName}'; choose mnist or fashion-mnist`);
  const ds = getDataset(datasetName);
  const recipe = RECIPES[kind];
  if (o.conditional && kind !== 'gan') throw new st.StrataError('train', `--conditional applies to gan, not ${kind}`);
  if (o.noise !== undefined && kind !== 'autoencoder') throw new st.StrataError('train', `--noise (a denoising autoencoder) applies to autoencoder, not ${kind}`);
  const backend = selectBackend(o.backend, o.threads);
  const arch = (o.arch ?? recipe.arch) as 'mlp' | 'conv';
  if (kind === 'gan' && arch !== 'conv') throw new st.StrataError('train', `gan: --arch must be conv (the DCGAN), got '${arch}'`);
  const latent = o.latent ?? recipe.latent;
  const epochs = o.epochs ?? recipe.epochs;
  const batchSize = o.batchSize ?? recipe.batchSize;
  const lr = o.lr ?? recipe.lr;
  const conditional = o.conditional === true;
  const out = o.out ?? join('runs', `${datasetName}-${kind}${conditional ? '-conditional' : ''}`);
  const config: GenerativeConfig = {
    format: GENERATIVE_FORMAT, kind, arch, dataset: ds.name, classNames: ds.classNames, latent, conditional,
    range: kind === 'gan' ? [-1, 1] : [0, 1],
    options: { epochs, batchSize, lr, beta1: recipe.beta1, seed: o.seed, noise: o.noise ?? 0, limit: o.limit ?? 'none', backend },
  };

  log(`loading ${ds.name}...`);
  const train = ds.load('train', { limit: o.limit });
  const test = ds.load('test', { limit: o.testLimit });
  const x = (kind === 'gan' ? train.images.mul(2).sub(1) : train.images).keep();
  const labels = train.labels.keep();

  st.manualSeed(o.seed);
  const betas: [number, number] = [recipe.beta1, 0.999];
  let trainable: Trainable;
  let loaded: LoadedModel;
  let step: (idx: number[]) => Record<string, number>;
  if (kind === 'gan') {
    const { generator, discriminator } = makeGan(latent, conditional ? ds.classNames.length : undefined);
    const gan: st.train.Gan = {
      generator, discriminator, latent,
      optG: new st.optim.Adam(generator.parameters(), { lr, betas }), optD: new st.optim.Adam(discriminator.parameters(), { lr, betas }),
    };
    trainable = { gan };
    loaded = { kind: 'gan', model: generator };
    step = (idx) => st.scoped(() => {
      const { lossD, lossG } = st.train.ganStep(gan, x.indexSelect(0, idx), conditional ? labels.indexSelect(0, idx) : undefined);
      return { dLoss: lossD, gLoss: lossG };
    });
  } else {
    const m = kind === 'vae' ? makeVae(arch, latent) : makeAutoencoder(arch, latent);
    const optimizer = new st.optim.Adam(m.parameters(), { lr, betas });
    trainable = { model: m, optimizer };
    loaded = kind === 'vae' ? { kind, model: m as st.models.Vae } : { kind, model: m as st.models.ConvAutoencoder };
    const noise = o.noise ?? 0;
    step = (idx) => st.scoped(() => {
      m.train();
      optimizer.zeroGrad();
      const xb = x.indexSelect(0, idx);
      const loss = loaded.kind === 'vae'
        ? st.models.vaeLoss(loaded.model.run(xb), xb)
        : st.nn.functional.mseLoss(m.call(noise > 0 ? xb.add(st.randnLike(xb).mul(noise)).clamp(0, 1) : xb), xb);
      loss.backward();
      optimizer.step();
      return { loss: loss.item() };
    });
  }
  const mainModule = 'gan' in trainable ? trainable.gan.generator : trainable.model;
  const mainOptimizer = 'gan' in trainable ? trainable.gan.optG : trainable.optimizer;
  const params = ('gan' in trainable ? [trainable.gan.generator, trainable.gan.discriminator] : [trainable.model]).reduce((a, m) => a + m.numParameters(), 0);

  // GAN: one fixed noise batch (its own generator, so resuming does not change it) drawn after each epoch.
  const fixed = new st.Generator(o.seed + 1);
  const fixedZ = st.randn([GRID_COUNT, latent], { generator: fixed }).keep();
  const fixedY = st.tensor(Array.from({ length: GRID_COUNT }, (_, k) => k % ds.classNames.length), { dtype: 'int32' }).keep();
  let grids: { epoch: number; images: st.Tensor }[] = [];
  let state: LoopState = freshState();
  if (o.resume) {
    const r = await restoreGenerativeCheckpoint(out, trainable);
    const saved = r.config as unknown as GenerativeConfig | null;
    const same = (c: GenerativeConfig): string => JSON.stringify([c.kind, c.arch, c.dataset, c.latent, c.conditional, { ...c.options, epochs: 0, backend: '' }]);
    if (!saved || same(saved) !== same(config)) {
      throw new st.StrataError('train', `--resume: the checkpoint in ${out} was written with other settings (${saved ? JSON.stringify(saved.options) : 'unknown'}); pass the same kind, dataset and options (only --epochs may change)`);
    }
    state = r.state;
    grids = r.grids.map((g) => ({ epoch: g.epoch, images: g.images.keep() }));
    log(`resuming from ${join(out, 'checkpoint.safetensors')}: ${state.epoch} epoch${state.epoch === 1 ? '' : 's'} and ${state.batchesDone} batches done`);
  }
  log(`${kind} (${arch}, ${latent}-d ${kind === 'gan' ? 'noise' : 'code'}${conditional ? ', class-conditional' : ''}${o.noise ? `, denoising σ ${o.noise}` : ''}): ${params.toLocaleString('en-US')} parameters; ${x.shape[0]} training images; backend ${backend}`);

  const testLoss = (): Record<string, number> => {
    if (loaded.kind === 'vae') return { testLoss: negativeElbo(loaded.model, test.images, o.seed) };
    if (loaded.kind === 'autoencoder') return { testLoss: mean(reconstructionErrors(loaded, test.images)) };
    return {};
  };
  const t0 = performance.now();
  const interrupted = await runEpochs({
    n: x.shape[0], batchSize, epochs, seed: o.seed, step, model: mainModule, optimizer: mainOptimizer, quiet: o.quiet === true,
    interruptAfter: o.interruptAfter,
    afterEpoch: (e) => {
      if (loaded.kind === 'gan') {
        const g = loaded.model;
        g.eval();
        const img = st.noGrad(() => g.call(fixedZ, conditional ? fixedY : undefined).add(1).div(2).clamp(0, 1)).keep();
        g.train();
        grids.push({ epoch: e + 1, images: img });
      }
      const r = testLoss();
      mainModule.train();
      return r;
    },
    checkpoint: (s) => saveGenerativeCheckpoint(out, trainable, s, config as unknown as st.io.Json, grids),
  }, state);
  const trainSeconds = (performance.now() - t0) / 1000;
  if (interrupted) {
    log(`\ninterrupted: checkpoint saved to ${join(out, 'checkpoint.safetensors')}; continue with --resume`);
    return { kind, epochs: state.history, trainSeconds, backend, interrupted: true };
  }

  mainModule.eval();
  const metrics: GenerativeMetrics = { kind, epochs: state.history, trainSeconds: state.history.reduce((a, e) => a + e.seconds, 0), backend, interrupted: false };
  let anomaly: { inScores: Float32Array; outScores: Float32Array; outName: string } | undefined;
  if (loaded.kind !== 'gan') {
    const ed: EncoderDecoder = loaded;
    const inScores = reconstructionErrors(ed, test.images);
    const otherName = OTHER[ds.name];
    const other = getDataset(otherName).load('test', { limit: o.testLimit });
    const outScores = reconstructionErrors(ed, other.images);
    metrics.testMse = mean(inScores);
    metrics.anomalyAuroc = auroc(outScores, inScores);
    metrics.anomalyOutOfDistribution = otherName;
    anomaly = { inScores, outScores, outName: otherName };
    if (ed.kind === 'vae') metrics.testNegativeElbo = negativeElbo(ed.model, test.images, o.seed);
  }
  let scoredSamples: st.Tensor | undefined;
  if (kind !== 'autoencoder') {
    if (ds.name === 'mnist') {
      const scorer = await loadScorer(o.classifier, log);
      const drawn = drawImages(loaded, o.scoreCount ?? 1000, { generator: new st.Generator(SCORE_SEED), classes: ds.classNames.length, conditional });
      metrics.scores = scoreImages(scorer, drawn.images, drawn.labels);
      scoredSamples = drawn.images;
      log(formatScores(metrics.scores, ds.classNames));
    } else log(`(samples are scored by an MNIST classifier only for MNIST models; skipped for ${ds.name})`);
  }

  await st.io.saveSafetensors(join(out, 'model.safetensors'), loaded.model.stateDict(), nodeFileSystem, { format: 'strata', model: kind });
  if ('gan' in trainable) await st.io.saveSafetensors(join(out, 'discriminator.safetensors'), trainable.gan.discriminator.stateDict(), nodeFileSystem, { format: 'strata', model: 'discriminator' });
  await writeJson(out, 'config.json', config);
  await writeJson(out, 'metrics.json', metrics);
  if (o.report) {
    await buildReport(out, { config, metrics, loaded, test: test as ImageSet, anomaly, grids, seed: o.seed, params, scoredSamples });
  }
  const figures = [
    metrics.testMse !== undefined ? `test MSE ${metrics.testMse.toFixed(5)}` : '',
    metrics.testNegativeElbo !== undefined ? `test negative ELBO ${metrics.testNegativeElbo.toFixed(2)} nats` : '',
    metrics.anomalyAuroc !== undefined ? `AUROC vs ${metrics.anomalyOutOfDistribution} ${metrics.anomalyAuroc.toFixed(4)}` : '',
  ].filter((s) => s).join(', ');
  log(`${figures ? `${figures} ` : ''}after ${metrics.trainSeconds.toFixed(1)} s of training; run written to ${out}/`);
  return metrics;
}

function mean(a: Float32Array): number {
  let s = 0;
  for (const v of a) s += v;
  return s / a.length;
}
