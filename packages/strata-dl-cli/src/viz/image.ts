// SPDX-License-Identifier: MIT
// Tensors as pictures: tiles of images or filters laid out in a grid, encoded as PNG (pngjs).
import { PNG } from 'pngjs';
import { StrataError, type Tensor } from 'strata-dl';
import { fmtShape } from './format.js';

export interface Rgba { width: number; height: number; data: Uint8Array }
export type Colormap = 'gray' | 'diverging';

export interface GridOptions {
  /** Columns of the grid (default: about square). */
  cols?: number;
  /** Pixels between tiles. */
  pad?: number;
  /** Each source pixel becomes scale×scale output pixels. */
  scale?: number;
  /** 'each' stretches every tile to its own range; 'all' uses one range; 'none' expects [0, 1]. */
  normalize?: 'each' | 'all' | 'none';
  colormap?: Colormap;
}

function color(v: number, map: Colormap): [number, number, number] {
  const t = Math.min(Math.max(v, 0), 1);
  if (map === 'gray') {
    const g = Math.round(t * 255);
    return [g, g, g];
  }
  // Blue (negative) — white (zero) — red (positive), for weights.
  const s = t * 2 - 1;
  return s < 0 ? [Math.round(255 * (1 + s)), Math.round(255 * (1 + s)), 255] : [255, Math.round(255 * (1 - s)), Math.round(255 * (1 - s))];
}

/** Lays out [N, H, W] (or [N, 1, H, W]) tiles in a grid. */
export function tileGrid(t: Tensor, opts: GridOptions = {}): Rgba {
  const shape = t.ndim === 4 && t.shape[1] === 1 ? [t.shape[0], t.shape[2], t.shape[3]] : [...t.shape];
  if (shape.length !== 3) throw new StrataError('tileGrid', `expects [N, H, W] or [N, 1, H, W], got ${fmtShape(t.shape)}`);
  const [n, h, w] = shape;
  const { pad = 1, scale = 1, normalize = 'each', colormap = 'gray' } = opts;
  const cols = opts.cols ?? Math.ceil(Math.sqrt(n));
  const rows = Math.ceil(n / cols);
  const tw = w * scale;
  const th = h * scale;
  const width = cols * tw + (cols + 1) * pad;
  const height = rows * th + (rows + 1) * pad;
  const data = new Uint8Array(width * height * 4).fill(255);
  const v = t.dataSync();
  const per = h * w;
  const range = (lo: number, hi: number): [number, number] => {
    let a = Infinity;
    let b = -Infinity;
    for (let i = lo; i < hi; i++) { if (v[i] < a) a = v[i]; if (v[i] > b) b = v[i]; }
    return [a, b];
  };
  const all = range(0, v.length);
  for (let k = 0; k < n; k++) {
    let [lo, hi] = normalize === 'each' ? range(k * per, (k + 1) * per) : normalize === 'all' ? all : [0, 1];
    if (colormap === 'diverging' && normalize !== 'none') {
      const m = Math.max(Math.abs(lo), Math.abs(hi));
      [lo, hi] = [-m, m];
    }
    const span = hi - lo || 1;
    const ox = pad + (k % cols) * (tw + pad);
    const oy = pad + Math.floor(k / cols) * (th + pad);
    for (let y = 0; y < th; y++) {
      for (let x = 0; x < tw; x++) {
        const val = (v[k * per + Math.floor(y / scale) * w + Math.floor(x / scale)] - lo) / span;
        const [r, g, b] = color(val, colormap);
        const o = ((oy + y) * width + ox + x) * 4;
        data[o] = r; data[o + 1] = g; data[o + 2] = b; data[o + 3] = 255;
      }
    }
  }
  return { width, height, data };
}

/** PNG bytes of an RGBA image. */
export function encodePng(img: Rgba): Uint8Array {
  const png = new PNG({ width: img.width, height: img.height });
  png.data = Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength);
  return new Uint8Array(PNG.sync.write(png));
}

/** Decodes PNG bytes to RGBA (used by `predict` on user images). */
export function decodePng(bytes: Uint8Array): Rgba {
  try {
    const png = PNG.sync.read(Buffer.from(bytes));
    return { width: png.width, height: png.height, data: new Uint8Array(png.data) };
  } catch (e) {
    throw new StrataError('decodePng', `not a readable PNG image (${(e as Error).message})`);
  }
}

/** A data: URL, so the report embeds its pictures and works offline. */
export function pngDataUrl(img: Rgba): string {
  return `data:image/png;base64,${Buffer.from(encodePng(img)).toString('base64')}`;
}
