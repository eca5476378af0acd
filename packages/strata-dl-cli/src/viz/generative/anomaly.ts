// SPDX-License-Identifier: MIT
// Anomaly detection by reconstruction error: the two error distributions overlaid (each as a share
// of its own set, since the sets differ in size), the ROC curve of thresholding the error, and its
// area.
import { PALETTE, axis, chartHtml, round4 } from './chart.js';
import { esc } from '../confusion.js';
import { histograms } from './histogram.js';
import { rocCurve } from './roc.js';
import type { GenerativeReportData } from './types.js';

type Anomaly = NonNullable<GenerativeReportData['anomaly']>;

const BINS = 50;
/** Points drawn of the ROC curve: it has one per distinct score, tens of thousands. */
const ROC_POINTS = 400;

function histogramChart(a: Anomaly): string {
  const h = histograms([a.inScores, a.outScores], BINS);
  const labels = h.edges.slice(0, -1).map((e, k) => round4((e + h.edges[k + 1]) / 2));
  const sizes = [a.inScores.length, a.outScores.length];
  const datasets = [a.inName, a.outName].map((name, s) => ({
    label: `${name} (${sizes[s]})`,
    data: h.counts[s].map((c) => round4(c / Math.max(sizes[s], 1))),
    backgroundColor: `${PALETTE[s]}88`,
    borderColor: PALETTE[s],
    borderWidth: 1,
    grouped: false,
    barPercentage: 1,
    categoryPercentage: 1,
  }));
  return chartHtml('anomalyHist', 'reconstruction error', { type: 'bar', data: { labels, datasets }, options: { scales: { x: { title: { display: true, text: 'reconstruction error (bin centre)' } }, y: axis('share of the set') } } }, 640, 320);
}

function rocChart(fpr: number[], tpr: number[], auroc: number): string {
  const step = Math.max(1, Math.ceil(fpr.length / ROC_POINTS));
  const idx = fpr.map((_, i) => i).filter((i) => i % step === 0 || i === fpr.length - 1);
  const data = idx.map((i) => ({ x: round4(fpr[i]), y: round4(tpr[i]) }));
  const datasets = [
    { label: `ROC (AUROC ${auroc.toFixed(4)})`, data, showLine: true, pointRadius: 0, borderColor: PALETTE[3], backgroundColor: PALETTE[3] },
    { label: 'chance', data: [{ x: 0, y: 0 }, { x: 1, y: 1 }], showLine: true, pointRadius: 0, borderDash: [6, 4], borderColor: PALETTE[7], backgroundColor: PALETTE[7] },
  ];
  return chartHtml('anomalyRoc', 'ROC curve', { type: 'scatter', data: { datasets }, options: { scales: { x: axis('false-positive rate', { min: 0, max: 1 }), y: axis('true-positive rate', { min: 0, max: 1 }) } } }, 380, 360);
}

/** The section's body: AUROC in words, then the histogram and the ROC curve. */
export function anomalyHtml(a: Anomaly): string {
  const roc = rocCurve(a.inScores, a.outScores);
  const words = `<p>Telling ${esc(a.outName)} (${a.outScores.length}) from ${esc(a.inName)} (${a.inScores.length}) by reconstruction error: `
    + `AUROC <b id="auroc" data-auroc="${roc.auroc}">${roc.auroc.toFixed(4)}</b> (the chance that an image of ${esc(a.outName)} has a larger error than one of ${esc(a.inName)}).</p>`;
  return `${words}<div class="figs">${histogramChart(a)}${rocChart(roc.fpr, roc.tpr, roc.auroc)}</div>`;
}
