// SPDX-License-Identifier: MIT
// The latent space as a scatter coloured by class: the code itself when it is 2-D, its first two
// principal components otherwise; beside it the PCA of the same images' pixels, the linear baseline
// a learned code should separate better.
import { StrataError } from 'strata-dl';
import { PALETTE, axis, chartHtml, round4 } from './chart.js';
import { pca2 } from './pca.js';
import type { GenerativeReportData } from './types.js';

type Latent = NonNullable<GenerativeReportData['latent']>;

/** Rows used to fit a PCA (all are projected): the covariance of 784 pixels costs rows × 300k multiply-adds. */
const FIT_ROWS = 1000;

interface View { xy: ArrayLike<number>; x: string; y: string }

function view(values: Float32Array, n: number, dim: number, what: string): View {
  if (dim === 2) return { xy: values, x: `${what} 1`, y: `${what} 2` };
  const p = pca2(values, n, dim, FIT_ROWS);
  const pct = (v: number): string => (p.totalVariance > 0 ? ` (${(100 * v / p.totalVariance).toFixed(1)}% of variance)` : '');
  return { xy: p.projected, x: `PC 1 of the ${what}${pct(p.variances[0])}`, y: `PC 2 of the ${what}${pct(p.variances[1])}` };
}

function scatter(id: string, title: string, v: View, l: Latent): string {
  const n = l.labels.length;
  const datasets = l.classNames.map((name, c) => {
    const data: { x: number; y: number }[] = [];
    for (let i = 0; i < n; i++) if (l.labels[i] === c) data.push({ x: round4(v.xy[2 * i]), y: round4(v.xy[2 * i + 1]) });
    return { label: name, data, pointRadius: 2, borderColor: PALETTE[c % PALETTE.length], backgroundColor: PALETTE[c % PALETTE.length] };
  });
  return chartHtml(id, title, { type: 'scatter', data: { datasets }, options: { scales: { x: axis(v.x), y: axis(v.y) } } }, 520, 480);
}

/** The two scatters, side by side. */
export function latentHtml(l: Latent): string {
  const n = l.labels.length;
  if (l.codes.length !== n * l.codeDim || l.pixels.length !== n * l.pixelDim) {
    throw new StrataError('renderGenerativeReport', `latent: ${n} labels need ${n} × codeDim ${l.codeDim} codes and ${n} × pixelDim ${l.pixelDim} pixels, got ${l.codes.length} and ${l.pixels.length}`);
  }
  for (let i = 0; i < n; i++) {
    if (!(l.labels[i] >= 0 && l.labels[i] < l.classNames.length)) throw new StrataError('renderGenerativeReport', `latent.labels[${i}] is ${l.labels[i]}, not a class index below ${l.classNames.length}`);
  }
  const code = view(l.codes, n, l.codeDim, 'code');
  const pixels = view(l.pixels, n, l.pixelDim, 'pixels');
  const codeTitle = l.codeDim === 2 ? `the 2-D code of ${n} test images` : `the ${l.codeDim}-D code of ${n} test images, by PCA`;
  return scatter('latentCode', codeTitle, code, l) + scatter('latentPixels', `PCA of the same images' pixels`, pixels, l);
}
