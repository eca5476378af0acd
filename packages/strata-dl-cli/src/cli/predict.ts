// SPDX-License-Identifier: MIT
import { existsSync, readFileSync } from 'node:fs';
import * as st from 'strata-dl';
import { decodePng } from '../viz/index.js';
import { loadRun } from './run-folder.js';

/**
 * `strata predict <run> <image.png>`: the image must have the model's input size. Colour images are
 * averaged to grey for one-channel models; a light background is inverted, since MNIST digits are
 * light on dark.
 */
export async function predictCommand(runDir: string, imagePath: string, opts: { top?: number } = {}): Promise<{ label: string; probability: number }[]> {
  const { config, model } = await loadRun(runDir);
  if (!existsSync(imagePath)) throw new st.StrataError('predict', `no image at ${imagePath}`);
  const img = decodePng(readFileSync(imagePath));
  const [c, h, w] = config.inputShape;
  if (img.width !== w || img.height !== h) {
    throw new st.StrataError('predict', `${imagePath} is ${img.width}×${img.height}, but the model expects ${w}×${h} images (${config.dataset})`);
  }
  const px = new Float32Array(c * h * w);
  for (let i = 0; i < h * w; i++) {
    const [r, g, b, a] = [0, 1, 2, 3].map((k) => img.data[i * 4 + k] / 255);
    // Transparent pixels count as background (black).
    if (c === 1) px[i] = ((r + g + b) / 3) * a;
    else [r, g, b].forEach((v, k) => { px[k * h * w + i] = v * a; });
  }
  let x = st.tensor(px, { shape: [1, c, h, w] });
  if (c === 1 && x.mean().item() > 0.5) x = x.neg().add(1);
  const probs = st.noGrad(() => model.call(st.data.normalize(config.mean, config.std)(x, new st.Generator(0))).softmax(-1)).dataSync();
  const ranked = [...probs].map((p, k) => ({ label: config.classNames[k], probability: p })).sort((a, b) => b.probability - a.probability).slice(0, opts.top ?? 3);
  for (const r of ranked) console.log(`${r.label.padEnd(12)} ${(100 * r.probability).toFixed(2)}%`);
  return ranked;
}
