// SPDX-License-Identifier: MIT
// Each layer's output for one image, drawn: a 4-D output [1, C, H, W] as a grid of C grey maps
// (each scaled to its own range), a 2-D output [1, F] as one row of F cells.
import * as st from 'strata-dl';
import { paintGrey } from './draw.js';

/** One layer's output: its name and values. */
export interface LayerOutput {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** Runs `model` layer by layer on `x` [1, 1, 28, 28] and returns every layer's output but Flatten's. */
export function layerOutputs(model: st.nn.Sequential, x: st.Tensor): LayerOutput[] {
  return st.scoped(() => st.noGrad(() => {
    const out: LayerOutput[] = [];
    let h = x;
    let i = 0;
    for (const layer of model) {
      h = layer.forward(h) as st.Tensor;
      const name = `${i++}: ${layer.constructor.name}`;
      if (layer instanceof st.nn.Flatten) continue;
      out.push({ name, shape: [...h.shape], values: Float32Array.from(h.dataSync() as ArrayLike<number>) });
    }
    return out;
  }));
}

/** Replaces the contents of `root` with one labelled canvas per layer output. */
export function renderMaps(root: HTMLElement, outputs: LayerOutput[]): void {
  root.replaceChildren();
  for (const o of outputs) {
    const box = document.createElement('figure');
    const cap = document.createElement('figcaption');
    cap.textContent = `${o.name} [${o.shape.slice(1).join('×')}]`;
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d')!;
    if (o.shape.length === 4) {
      const [, c, hh, ww] = o.shape;
      const cols = Math.min(c, 16);
      const rows = Math.ceil(c / cols);
      canvas.width = cols * (ww + 1);
      canvas.height = rows * (hh + 1);
      ctx.fillStyle = '#888';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      for (let k = 0; k < c; k++) {
        paintGrey(ctx, o.values.subarray(k * hh * ww, (k + 1) * hh * ww), hh, ww, (k % cols) * (ww + 1), Math.floor(k / cols) * (hh + 1));
      }
      const zoom = Math.max(1, Math.round(860 / canvas.width));
      canvas.style.width = `${canvas.width * zoom}px`;
    } else {
      const f = o.values.length;
      const cols = Math.min(f, 64);
      const rows = Math.ceil(f / cols);
      canvas.width = cols;
      canvas.height = rows;
      const padded = new Float32Array(rows * cols);
      padded.set(o.values);
      paintGrey(ctx, padded, rows, cols);
      canvas.style.width = `${cols * 7}px`;
    }
    canvas.style.imageRendering = 'pixelated';
    box.append(cap, canvas);
    root.append(box);
  }
}
