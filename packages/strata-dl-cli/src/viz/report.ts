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
}

const require = createRequire(import.meta.url);
let chartJs: string | null = null;
function chartLibrary(): string {
  // The UMD build of Chart.js, inlined; '</script' cannot occur in it, checked to be safe.
  chartJs ??= readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.js'), 'utf8').replace(/<\/script/gi, '<\\/script');
  return chartJs;
}

function chart(id: string, title: string, labels: number[], series: { label: string; data: (number | undefined)[]; color: string }[]): string {
  const config = {
    type: 'line',
    data: { labels, datasets: series.filter((s) => s.data.some((v) => v !== undefined)).map((s) => ({ label: s.label, data: s.data.map((v) => v ?? null), borderColor: s.color, backgroundColor: s.color, tension: 0.2 })) },
    options: { animation: false, responsive: false, plugins: { title: { display: true, text: title } }, scales: { x: { title: { display: true, text: 'epoch' } } } },
  };
  return `<canvas id="${id}" width="520" height="300"></canvas><script>new Chart(document.getElementById('${id}'), ${JSON.stringify(config)});</script>`;
}

const figures = (items: { src: string; caption: string }[]): string =>
  `<div class="figs">${items.map((f) => `<figure><img src="${f.src}" alt="${esc(f.caption)}"><figcaption>${esc(f.caption)}</figcaption></figure>`).join('')}</div>`;

/** Renders the report page. */
export function renderReport(d: ReportData): string {
  const epochs = d.history.map((h) => h.epoch);
  const sections: string[] = [];
  sections.push(`<section id="facts"><h2>Run</h2><table>${d.facts.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table></section>`);
  sections.push(`<section id="curves"><h2>Learning curves</h2><div class="figs">${
    chart('loss', 'loss', epochs, [{ label: 'train', data: d.history.map((h) => h.loss), color: '#1565c0' }, { label: 'validation', data: d.history.map((h) => h.valLoss), color: '#ef6c00' }])
  }${chart('acc', 'accuracy', epochs, [{ label: 'train', data: d.history.map((h) => h.accuracy), color: '#1565c0' }, { label: 'validation', data: d.history.map((h) => h.valAccuracy), color: '#ef6c00' }])}</div></section>`);
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
