// SPDX-License-Identifier: MIT
// The training report: one self-contained HTML file (charts by Chart.js inlined, pictures as data
// URLs), so it opens offline with no CDN.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { confusionHtml, esc } from './confusion.js';

export interface EpochRecord { epoch: number; loss: number; accuracy?: number; valLoss?: number; valAccuracy?: number }
export interface ReportData {
  title: string;
  /** Key facts shown at the top (model, data, time, accuracy...). */
  facts: [string, string][];
  history: EpochRecord[];
  /** Layer summary lines. */
  summary?: string;
  filters?: { caption: string; src: string }[];
  featureMaps?: { caption: string; src: string }[];
  confusion?: { matrix: number[][]; classes: readonly string[] };
  mistakes?: { src: string; label: string; predicted: string; confidence: number }[];
  samples?: { src: string; caption: string }[];
  /** A second run overlaid on the learning curves (e.g. from scratch beside fine-tuned), with rows comparing the two. */
  baseline?: { label: string; history: EpochRecord[]; rows: [string, string, string][] };
  /** What this run's curves are called when a baseline is shown (default 'this run'). */
  runLabel?: string;
}

const require = createRequire(import.meta.url);
let chartJs: string | null = null;
/** The Chart.js UMD source, safe to inline in a <script> (shared with the generative report). */
export function chartLibrary(): string {
  // The UMD build of Chart.js, inlined; '</script' cannot occur in it, checked to be safe.
  chartJs ??= readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.js'), 'utf8').replace(/<\/script/gi, '<\\/script');
  return chartJs;
}

interface Series { label: string; data: (number | undefined)[]; color: string; dashed?: boolean }

function chart(id: string, title: string, labels: number[], series: Series[]): string {
  const config = {
    type: 'line',
    data: { labels, datasets: series.filter((s) => s.data.some((v) => v !== undefined)).map((s) => ({ label: s.label, data: s.data.map((v) => v ?? null), borderColor: s.color, backgroundColor: s.color, tension: 0.2, ...(s.dashed ? { borderDash: [6, 4] } : {}) })) },
    options: { animation: false, responsive: false, plugins: { title: { display: true, text: title } }, scales: { x: { title: { display: true, text: 'epoch' } } } },
  };
  return `<canvas id="${id}" width="${series.length > 2 ? 640 : 520}" height="300"></canvas><script>new Chart(document.getElementById('${id}'), ${JSON.stringify(config)});</script>`;
}

const figures = (items: { src: string; caption: string }[]): string =>
  `<div class="figs">${items.map((f) => `<figure><img src="${f.src}" alt="${esc(f.caption)}"><figcaption>${esc(f.caption)}</figcaption></figure>`).join('')}</div>`;

/** Loss and accuracy charts: train and validation, and the baseline's dashed beside them when there is one. */
function curves(d: ReportData): string {
  const b = d.baseline;
  const n = Math.max(d.history.length, b?.history.length ?? 0);
  const epochs = Array.from({ length: n }, (_, i) => d.history[i]?.epoch ?? b?.history[i]?.epoch ?? i + 1);
  const name = (s: string): string => (b ? `${d.runLabel ?? 'this run'}: ${s}` : s);
  const two = (key: 'loss' | 'accuracy', valKey: 'valLoss' | 'valAccuracy'): Series[] => [
    { label: name('train'), data: d.history.map((h) => h[key]), color: '#1565c0' },
    { label: name('validation'), data: d.history.map((h) => h[valKey]), color: '#ef6c00' },
    ...(b ? [
      { label: `${b.label}: train`, data: b.history.map((h) => h[key]), color: '#64b5f6', dashed: true },
      { label: `${b.label}: validation`, data: b.history.map((h) => h[valKey]), color: '#ffb74d', dashed: true },
    ] : []),
  ];
  return chart('loss', 'loss', epochs, two('loss', 'valLoss')) + chart('acc', 'accuracy', epochs, two('accuracy', 'valAccuracy'));
}

function comparison(run: string, base: string, rows: [string, string, string][]): string {
  const head = `<tr><th></th><th>${esc(run)}</th><th>${esc(base)}</th></tr>`;
  return `<section id="comparison"><h2>${esc(run)} against ${esc(base)}</h2><table class="compare">${head}${rows.map((r) => `<tr><th>${esc(r[0])}</th><td>${esc(r[1])}</td><td>${esc(r[2])}</td></tr>`).join('')}</table></section>`;
}

/** Renders the report page. */
export function renderReport(d: ReportData): string {
  const sections: string[] = [];
  sections.push(`<section id="facts"><h2>Run</h2><table>${d.facts.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table></section>`);
  if (d.baseline) sections.push(comparison(d.runLabel ?? 'this run', d.baseline.label, d.baseline.rows));
  sections.push(`<section id="curves"><h2>Learning curves</h2><div class="figs">${curves(d)}</div></section>`);
  if (d.summary) sections.push(`<section id="model"><h2>Model</h2><pre>${esc(d.summary)}</pre></section>`);
  if (d.filters?.length) sections.push(`<section id="filters"><h2>Learned filters of the first layer</h2><p>Blue negative, red positive weights.</p>${figures(d.filters)}</section>`);
  if (d.featureMaps?.length) sections.push(`<section id="features"><h2>Feature maps of one test image</h2>${figures(d.featureMaps)}</section>`);
  if (d.confusion) sections.push(`<section id="confusion"><h2>Confusion matrix (test set)</h2>${confusionHtml(d.confusion.matrix, d.confusion.classes)}</section>`);
  if (d.mistakes?.length) {
    sections.push(`<section id="mistakes"><h2>Most confidently wrong test images</h2>${figures(d.mistakes.map((m) => ({ src: m.src, caption: `true ${m.label}, predicted ${m.predicted} (${(100 * m.confidence).toFixed(1)}%)` })))}</section>`);
  }
  if (d.samples?.length) sections.push(`<section id="samples"><h2>Samples</h2>${figures(d.samples)}</section>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(d.title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:1.5em}h2{font-size:1.15em;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:28px}
table{border-collapse:collapse}th,td{padding:3px 8px;text-align:left}
table.confusion td{text-align:right;min-width:36px;border:1px solid #eee}
.figs{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
figure{margin:0}figure img{image-rendering:pixelated;border:1px solid #ccc}figcaption{font-size:.85em;color:#555;max-width:260px}
pre{background:#f6f6f6;padding:8px;overflow:auto}
</style>
<script>${chartLibrary()}</script>
</head><body><h1>${esc(d.title)}</h1>
${sections.join('\n')}
</body></html>
`;
}
