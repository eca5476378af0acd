// SPDX-License-Identifier: MIT
// How a classifier judged the generated images: the confident share, the Inception Score, the
// requested-class accuracy of a conditional model, and how the confident ones spread over classes
// (a collapsed generator piles them into a few bars).
import { esc } from '../confusion.js';
import { PALETTE, axis, chartHtml } from './chart.js';
import type { SampleScores } from './types.js';

const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;

/** The figures as a table, and the class histogram as a bar chart. */
export function judgeHtml(s: SampleScores, classNames?: readonly string[]): string {
  const rows: [string, string][] = [
    ['images scored', String(s.count)],
    ['classified with p ≥ 0.9', pct(s.confidentShare)],
    ['Inception Score (classifier-based)', `${s.inceptionScore.toFixed(2)} of at most ${s.classHistogram.length}`],
  ];
  if (s.requestedAccuracy !== undefined) rows.push(['classified as the requested class', pct(s.requestedAccuracy)]);
  rows.push(['scored by', s.classifier]);
  const table = `<table id="scores">${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>`;
  const confident = s.classHistogram.reduce((a, b) => a + b, 0);
  const labels = s.classHistogram.map((_, c) => classNames?.[c] ?? String(c));
  const chart = chartHtml('classHist', `classes of the ${confident} confident images`, {
    type: 'bar',
    data: { labels, datasets: [{ label: 'confident images', data: s.classHistogram, backgroundColor: labels.map((_, c) => PALETTE[c % PALETTE.length]) }] },
    options: { scales: { x: { title: { display: true, text: 'class' } }, y: axis('images', { beginAtZero: true }) }, plugins: { legend: { display: false } } },
  }, 520, 300);
  return `<div class="figs">${table}${chart}</div>`;
}
