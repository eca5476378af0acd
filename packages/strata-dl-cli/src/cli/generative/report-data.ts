// SPDX-License-Identifier: MIT
// Fills the generative report's data (GenerativeReportData) from a finished run and writes report.html:
// reconstructions, codes and pixels of test images for the latent scatter, samples, an interpolation
// strip, the per-epoch grids, the anomaly scores and the classifier's judgement.
import * as st from 'strata-dl';
import type { ImageSet as DataSet } from 'strata-dl/node';
import { renderGenerativeReport } from '../../viz/generative/render.js';
import type { GenerativeReportData } from '../../viz/generative/types.js';
import { writeText } from '../run-folder.js';
import { toImageSet } from './images.js';
import { encodeImages, reconstruct } from './measure.js';
import type { GenerativeConfig, GenerativeMetrics, LoadedModel } from './run-folder.js';
import { drawImages } from './sampling.js';

/** Test images shown in the latent-space scatter. */
const LATENT_POINTS = 1000;
const STRIP = 10;

export interface ReportInput {
  config: GenerativeConfig;
  metrics: GenerativeMetrics;
  loaded: LoadedModel;
  test: DataSet;
  anomaly?: { inScores: Float32Array; outScores: Float32Array; outName: string };
  grids: { epoch: number; images: st.Tensor }[];
  seed: number;
  params: number;
  scoredSamples?: st.Tensor;
}

/** A straight line from a to b (each [1, d]) in `steps` points, [steps, d]. */
function line(a: st.Tensor, b: st.Tensor, steps: number): st.Tensor {
  const t = st.tensor(Array.from({ length: steps }, (_, i) => i / (steps - 1))).reshape([steps, 1]);
  return a.mul(t.neg().add(1)).add(b.mul(t));
}

export function reportData(r: ReportInput): GenerativeReportData {
  const { config, metrics, loaded, test } = r;
  const m = loaded;
  m.model.eval();
  const nice = { autoencoder: 'Autoencoder', vae: 'Variational autoencoder', gan: 'DCGAN' }[config.kind];
  const facts: [string, string][] = [
    ['model', `${nice} (${config.arch}, ${config.latent}-d ${config.kind === 'gan' ? 'noise' : 'code'}${config.conditional ? ', class-conditional' : ''}), ${r.params.toLocaleString('en-US')} parameters`],
    ['data', config.dataset],
    ['training', `${metrics.epochs.length} epochs in ${metrics.trainSeconds.toFixed(1)} s on ${metrics.backend}`],
  ];
  if (metrics.testMse !== undefined) facts.push(['test reconstruction MSE', metrics.testMse.toFixed(5)]);
  if (metrics.testNegativeElbo !== undefined) facts.push(['test negative ELBO', `${metrics.testNegativeElbo.toFixed(2)} nats per image`]);
  if (metrics.anomalyAuroc !== undefined) facts.push([`anomaly AUROC (${config.dataset} vs ${metrics.anomalyOutOfDistribution})`, metrics.anomalyAuroc.toFixed(4)]);
  if (metrics.scores) {
    const s = metrics.scores;
    facts.push(['samples with p ≥ 0.9', `${(100 * s.confidentShare).toFixed(1)}% of ${s.count}`], ['Inception Score', s.inceptionScore.toFixed(2)]);
    if (s.requestedAccuracy !== undefined) facts.push(['classified as the requested digit', `${(100 * s.requestedAccuracy).toFixed(1)}%`]);
  }
  facts.push(['options', Object.entries(config.options).map(([k, v]) => `${k} ${v}`).join(', ')]);
  const data: GenerativeReportData = {
    kind: config.kind, title: `Strata: ${config.kind}${config.conditional ? ' (conditional)' : ''} on ${config.dataset}`, facts,
    history: metrics.epochs.map((e) => ({ ...e })),
  };
  const g = new st.Generator(r.seed + 2);
  st.noGrad(() => st.scoped(() => {
    if (m.kind !== 'gan') {
      const x = test.images.slice(0, 0, 16);
      data.reconstructions = { inputs: toImageSet(x), outputs: toImageSet(reconstruct(m, x)) };
      const n = Math.min(LATENT_POINTS, test.images.shape[0]);
      const xs = test.images.slice(0, 0, n);
      data.latent = {
        codes: encodeImages(m, xs), codeDim: m.model.latent, pixels: Float32Array.from(xs.dataSync()), pixelDim: 784,
        labels: Int32Array.from(test.labels.slice(0, 0, n).dataSync()), classNames: config.classNames,
      };
      if (r.anomaly) data.anomaly = { inName: `${config.dataset} test`, outName: `${r.anomaly.outName} test`, inScores: r.anomaly.inScores, outScores: r.anomaly.outScores };
    }
    if (m.kind === 'vae') {
      data.samples = toImageSet(drawImages(m, 64, { generator: g, classes: 10, conditional: false }).images);
      const mu = m.model.encode(test.images.slice(0, 0, 2)).mu;
      data.interpolation = toImageSet(m.model.decode(line(mu.slice(0, 0, 1), mu.slice(0, 1, 2), STRIP)).sigmoid());
    }
    if (m.kind === 'gan') {
      data.samples = toImageSet(drawImages(m, 64, { generator: g, classes: config.classNames.length, conditional: config.conditional }).images);
      const z = st.randn([2, m.model.latent], { generator: g });
      // A conditional generator interpolates with one label throughout (digit 5).
      const y = config.conditional ? st.tensor(new Array<number>(STRIP).fill(5), { dtype: 'int32' }) : undefined;
      data.interpolation = toImageSet(m.model.call(line(z.slice(0, 0, 1), z.slice(0, 1, 2), STRIP), y).add(1).div(2).clamp(0, 1));
      data.gridsPerEpoch = r.grids.map((e) => ({ epoch: e.epoch, images: toImageSet(e.images) }));
    }
  }));
  if (metrics.scores) data.scores = metrics.scores;
  data.summary = config.kind === 'gan' && config.conditional ? 'Samples and grids: sample k is digit k mod 10 (row-major).' : undefined;
  return data;
}

export async function buildReport(dir: string, r: ReportInput): Promise<void> {
  await writeText(dir, 'report.html', renderGenerativeReport(reportData(r)));
}
