// SPDX-License-Identifier: MIT
import * as st from 'strata-dl';
import type { ImageSet } from 'strata-dl/node';
import { confidentMistakes, confusionMatrix, featureMaps, firstLayerFilters, pngDataUrl, renderReport, tileGrid } from '../viz/index.js';
import type { Evaluation } from './evaluate.js';
import { type RunConfig, type RunMetrics, writeText } from './run-folder.js';

/** Writes report.html: curves, filters, feature maps, confusion matrix, mistakes and samples. */
export async function writeReport(dir: string, r: {
  model: st.nn.Module; config: RunConfig; metrics: RunMetrics; test: ImageSet; evaluation: Evaluation; summary: string;
  /** A run to compare against (fine-tuning's from-scratch run), overlaid on the curves. */
  baseline?: { label: string; metrics: RunMetrics }; runLabel?: string;
}): Promise<void> {
  const { model, config, metrics, test, evaluation } = r;
  const classes = config.classNames.length;
  const first = st.data.normalize(config.mean, config.std)(test.images.slice(0, 0, 1), new st.Generator(0));
  const pct = (v: number): string => `${(100 * v).toFixed(2)}%`;
  const pctOr = (v: number | undefined): string => (v === undefined ? 'n/a' : pct(v));
  const pred = evaluation.predicted.dataSync();
  const html = renderReport({
    title: `Strata: ${config.model} on ${config.dataset}`,
    facts: [
      ['test accuracy', pct(metrics.testAccuracy)], ['test loss', metrics.testLoss.toFixed(4)],
      ['model', `${config.model} (${model.numParameters().toLocaleString('en-US')} parameters)`],
      ['training', `${metrics.epochs.length} epoch${metrics.epochs.length === 1 ? '' : 's'} in ${metrics.trainSeconds.toFixed(1)} s, ${metrics.samplesPerSecond.toFixed(0)} samples/s on ${metrics.backend}`],
      ['options', Object.entries(config.options).map(([k, v]) => `${k} ${v}`).join(', ')],
      ...(metrics.interrupted ? [['note', 'training was interrupted (Ctrl-C)'] as [string, string]] : []),
    ],
    history: metrics.epochs.map((e) => ({ epoch: e.epoch, loss: e.loss, accuracy: e.accuracy, valLoss: e.valLoss, valAccuracy: e.valAccuracy })),
    summary: r.summary,
    runLabel: r.runLabel,
    baseline: r.baseline && {
      label: r.baseline.label,
      history: r.baseline.metrics.epochs.map((e) => ({ epoch: e.epoch, loss: e.loss, accuracy: e.accuracy, valLoss: e.valLoss, valAccuracy: e.valAccuracy })),
      rows: [
        ['test accuracy', pct(metrics.testAccuracy), pct(r.baseline.metrics.testAccuracy)],
        ['test loss', metrics.testLoss.toFixed(4), r.baseline.metrics.testLoss.toFixed(4)],
        ['final validation accuracy', pctOr(metrics.epochs.at(-1)?.valAccuracy), pctOr(r.baseline.metrics.epochs.at(-1)?.valAccuracy)],
        ['training time', `${metrics.trainSeconds.toFixed(1)} s`, `${r.baseline.metrics.trainSeconds.toFixed(1)} s`],
      ],
    },
    filters: [firstLayerFilters(model, config.inputShape)].flatMap((f) => (f ? [f] : [])),
    featureMaps: [{ caption: `input (label ${config.classNames[test.labels.index(0).item()]})`, src: pngDataUrl(tileGrid(test.images.slice(0, 0, 1), { scale: 4, normalize: 'none' })) }, ...featureMaps(model, first)],
    confusion: { matrix: confusionMatrix(evaluation.predicted, test.labels, classes), classes: config.classNames },
    mistakes: confidentMistakes(test.images, test.labels, evaluation.probs, classes, 24, config.classNames),
    samples: Array.from({ length: 16 }, (_, i) => ({
      src: pngDataUrl(tileGrid(test.images.slice(0, i, i + 1), { scale: 3, pad: 0, normalize: 'none' })),
      caption: `predicted ${config.classNames[pred[i]]}`,
    })),
  });
  await writeText(dir, 'report.html', html);
}
