// SPDX-License-Identifier: MIT
import { StrataError, type Tensor } from 'strata-dl';
import { fmtShape } from './format.js';

/** counts[true][predicted] for integer labels in [0, classes). */
export function confusionMatrix(predicted: Tensor, labels: Tensor, classes: number): number[][] {
  if (predicted.size !== labels.size) throw new StrataError('confusionMatrix', `predicted ${fmtShape(predicted.shape)} and labels ${fmtShape(labels.shape)} differ in size`);
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  const p = predicted.dataSync();
  const l = labels.dataSync();
  for (let i = 0; i < p.length; i++) {
    if (!(l[i] >= 0 && l[i] < classes && p[i] >= 0 && p[i] < classes)) throw new StrataError('confusionMatrix', `label ${l[i]} or prediction ${p[i]} at ${i} is outside [0, ${classes})`);
    m[l[i]][p[i]]++;
  }
  return m;
}

/** The matrix as an HTML table, cells shaded by their share of the row. */
export function confusionHtml(m: number[][], names: readonly string[]): string {
  const head = `<tr><th>true \\ predicted</th>${names.map((n) => `<th>${esc(n)}</th>`).join('')}</tr>`;
  const rows = m.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    const cells = row.map((v, j) => {
      const share = v / total;
      const bg = i === j ? `rgba(46,125,50,${(0.15 + 0.85 * share).toFixed(3)})` : `rgba(198,40,40,${Math.min(1, share * 4).toFixed(3)})`;
      return `<td style="background:${bg}" title="${v} of ${total}">${v}</td>`;
    });
    return `<tr><th>${esc(names[i])}</th>${cells.join('')}</tr>`;
  });
  return `<table class="confusion">${head}${rows.join('')}</table>`;
}

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c] ?? c));
}
