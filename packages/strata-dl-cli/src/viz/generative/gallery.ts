// SPDX-License-Identifier: MIT
// The pictures of a generative run: reconstructions beside their inputs, samples, the latent
// interpolation strip, and the GAN's fixed-noise grid after each epoch behind a slider.
import { esc } from '../confusion.js';
import { gridUrl, pairsUrl } from './images.js';
import type { GenerativeReportData, ImageSet } from './types.js';

const figure = (src: string, caption: string, extra = ''): string =>
  `<figure${extra}><img src="${src}" alt="${esc(caption)}"><figcaption>${esc(caption)}</figcaption></figure>`;

export function reconstructionsHtml(r: NonNullable<GenerativeReportData['reconstructions']>): string {
  return figure(pairsUrl(r.inputs, r.outputs), `${r.inputs.images.length} test images (upper row of each band) above their reconstructions`);
}

export function samplesHtml(s: ImageSet, kind: GenerativeReportData['kind']): string {
  const from = kind === 'gan' ? 'the generator, from random noise' : 'the decoder, from codes drawn from the prior N(0, I)';
  return figure(gridUrl(s, 'samples'), `${s.images.length} samples of ${from}`);
}

export function interpolationHtml(s: ImageSet): string {
  return figure(gridUrl(s, 'interpolation', s.images.length), `decoded at ${s.images.length} evenly spaced points on a straight line between two codes`);
}

/**
 * One grid per epoch, all in the page, one shown at a time: a range slider picks the epoch (the
 * last by default). The script is a few lines of plain DOM, no library.
 */
export function epochGridsHtml(grids: NonNullable<GenerativeReportData['gridsPerEpoch']>): string {
  const last = grids.length - 1;
  const figs = grids.map((g, i) => figure(gridUrl(g.images, `gridsPerEpoch[${i}]`), `after epoch ${g.epoch}`, ` class="epoch-grid" data-epoch="${g.epoch}"${i === last ? '' : ' hidden'}`)).join('');
  const slider = `<label>epoch <input id="epochSlider" type="range" min="0" max="${last}" value="${last}" step="1"> <output id="epochShown">${grids[last].epoch}</output></label>`;
  const script = `<script>(() => {
  const s = document.getElementById('epochSlider'), out = document.getElementById('epochShown');
  const figs = [...document.querySelectorAll('#epochs .epoch-grid')];
  s.addEventListener('input', () => { figs.forEach((f, i) => { f.hidden = i !== Number(s.value); }); out.textContent = figs[Number(s.value)].dataset.epoch; });
})();</script>`;
  return `<p>The same fixed noise batch through the generator after each epoch.</p>${slider}<div class="figs">${figs}</div>${script}`;
}
