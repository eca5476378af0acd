// SPDX-License-Identifier: MIT
// Grey image sets of the generative report as PNG data URLs, through the classifier report's
// tileGrid and pngDataUrl.
import { StrataError, tensor } from 'strata-dl';
import { pngDataUrl, tileGrid } from '../image.js';
import type { ImageSet } from './types.js';

/** The images of a set as one [N, H, W] float32 buffer, checking each one's size. */
function stacked(set: ImageSet, what: string): Float32Array {
  const per = set.height * set.width;
  const out = new Float32Array(set.images.length * per);
  set.images.forEach((img, k) => {
    if (img.length !== per) throw new StrataError('renderGenerativeReport', `${what}.images[${k}] has ${img.length} values, expected height × width = ${set.height} × ${set.width} = ${per}`);
    out.set(img, k * per);
  });
  return out;
}

/** A grid of the set's images in [0, 1] (not stretched, so a faint sample looks faint). */
export function gridUrl(set: ImageSet, what: string, cols?: number, scale = 2): string {
  if (set.images.length === 0) throw new StrataError('renderGenerativeReport', `${what} has no images`);
  const t = tensor(stacked(set, what), { shape: [set.images.length, set.height, set.width] });
  return pngDataUrl(tileGrid(t, { cols: cols ?? Math.ceil(Math.sqrt(set.images.length)), scale, normalize: 'none', pad: 2 }));
}

/**
 * Inputs over their reconstructions: a row of `perRow` inputs, the row of their reconstructions under
 * it, then a blank row before the next pair of rows (blank tiles are white, like the padding, so each
 * pair of rows reads as one band on the dark digits).
 */
export function pairsUrl(inputs: ImageSet, outputs: ImageSet, perRow = 8, scale = 2): string {
  const n = inputs.images.length;
  if (n === 0 || n !== outputs.images.length || inputs.height !== outputs.height || inputs.width !== outputs.width) {
    throw new StrataError('renderGenerativeReport', `reconstructions need as many outputs as inputs, of the same size: got ${n} inputs of ${inputs.height}×${inputs.width} and ${outputs.images.length} outputs of ${outputs.height}×${outputs.width}`);
  }
  const per = inputs.height * inputs.width;
  for (const [what, set] of [['inputs', inputs], ['outputs', outputs]] as const) {
    set.images.forEach((img, k) => {
      if (img.length !== per) throw new StrataError('renderGenerativeReport', `reconstructions.${what}.images[${k}] has ${img.length} values, expected height × width = ${inputs.height} × ${inputs.width} = ${per}`);
    });
  }
  const cols = Math.min(perRow, n);
  const blank = new Float32Array(per).fill(1);
  const tiles: Float32Array[] = [];
  for (let start = 0; start < n; start += cols) {
    const row = (set: ImageSet): Float32Array[] => Array.from({ length: cols }, (_, i) => set.images[start + i] ?? blank);
    if (start > 0) tiles.push(...new Array<Float32Array>(cols).fill(blank));
    tiles.push(...row(inputs), ...row(outputs));
  }
  return gridUrl({ height: inputs.height, width: inputs.width, images: tiles }, 'reconstructions', cols, scale);
}
