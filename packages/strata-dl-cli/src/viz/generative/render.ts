// SPDX-License-Identifier: MIT
// The report of a generative run (autoencoder, VAE, GAN): one self-contained HTML page like the
// classifier's (Chart.js inlined, pictures as PNG data URLs), so it opens offline. Each section is
// shown when the run handed over its data.
import { esc } from '../confusion.js';
import { chartLibrary } from '../report.js';
import { anomalyHtml } from './anomaly.js';
import { curvesHtml } from './curves.js';
import { epochGridsHtml, interpolationHtml, reconstructionsHtml, samplesHtml } from './gallery.js';
import { judgeHtml } from './judge.js';
import { latentHtml } from './latent.js';
import type { GenerativeReportData } from './types.js';

const KIND = { autoencoder: 'autoencoder', vae: 'variational autoencoder', gan: 'generative adversarial network' } as const;

const section = (id: string, title: string, body: string): string => `<section id="${id}"><h2>${esc(title)}</h2>${body}</section>`;

const STYLE = `body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:1.5em}h2{font-size:1.15em;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:28px}
table{border-collapse:collapse}th,td{padding:3px 8px;text-align:left}
.figs{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
figure{margin:0}figure img{image-rendering:pixelated;border:1px solid #ccc}figcaption{font-size:.85em;color:#555;max-width:520px}
pre{background:#f6f6f6;padding:8px;overflow:auto}`;

/**
 * Renders the report page of a generative run.
 *
 * @example
 * const html = renderGenerativeReport({ kind: 'autoencoder', title: 'ae', facts: [['test MSE', '0.0041']], history: [{ epoch: 1, seconds: 9, loss: 0.02, testLoss: 0.019 }] });
 */
export function renderGenerativeReport(d: GenerativeReportData): string {
  const s: string[] = [];
  // The kind in words, unless the run's own facts already say what the model is.
  const facts: [string, string][] = d.facts.some(([k]) => k === 'model') ? d.facts : [['model', KIND[d.kind]], ...d.facts];
  s.push(section('facts', 'Run', `<table>${facts.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>`));
  if (d.history.length) s.push(section('curves', 'Learning curves', `<div class="figs">${curvesHtml(d.history)}</div>`));
  if (d.summary) s.push(section('model', 'Model', `<pre>${esc(d.summary)}</pre>`));
  if (d.reconstructions) s.push(section('reconstructions', 'Reconstructions', reconstructionsHtml(d.reconstructions)));
  if (d.latent) s.push(section('latent', 'Latent space', `<div class="figs">${latentHtml(d.latent)}</div>`));
  if (d.samples?.images.length) s.push(section('samples', 'Samples', samplesHtml(d.samples, d.kind)));
  if (d.interpolation?.images.length) s.push(section('interpolation', 'Latent interpolation', interpolationHtml(d.interpolation)));
  if (d.gridsPerEpoch?.length) s.push(section('epochs', 'Samples after each epoch', epochGridsHtml(d.gridsPerEpoch)));
  if (d.anomaly) s.push(section('anomaly', 'Anomaly detection', anomalyHtml(d.anomaly)));
  if (d.scores) s.push(section('judge', 'Judged by a classifier', judgeHtml(d.scores, d.latent?.classNames)));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(d.title)}</title>
<style>
${STYLE}
</style>
<script>${chartLibrary()}</script>
</head><body><h1>${esc(d.title)}</h1>
${s.join('\n')}
</body></html>
`;
}
