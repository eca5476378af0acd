// SPDX-License-Identifier: MIT
// A minimal stand-in for the generative report (facts and the per-epoch history only), so the
// training commands compile and write a report.html; the full report (images, latent scatter with
// PCA, ROC/AUROC, histograms) replaces this file.
import type { GenerativeReportData } from './types.js';

const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

/** The offline report.html of a generative run. */
export function renderGenerativeReport(d: GenerativeReportData): string {
  const keys = [...new Set(d.history.flatMap((e) => Object.keys(e)))];
  const cell = (v: number | undefined): string => (v === undefined ? '' : Number.isInteger(v) ? String(v) : v.toPrecision(5));
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(d.title)}</title></head><body>
<h1>${esc(d.title)}</h1>
<table>${d.facts.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>
${d.summary ? `<p>${esc(d.summary)}</p>` : ''}
<h2>History</h2>
<table><tr>${keys.map((k) => `<th>${esc(k)}</th>`).join('')}</tr>
${d.history.map((e) => `<tr>${keys.map((k) => `<td>${cell(e[k])}</td>`).join('')}</tr>`).join('\n')}</table>
</body></html>
`;
}
