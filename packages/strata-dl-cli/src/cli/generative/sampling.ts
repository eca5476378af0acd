// SPDX-License-Identifier: MIT
// Drawing images from a trained generative model: a GAN generator from noise (with labels when
// conditional), a VAE decoder from the prior. Images come back as [N, 1, 28, 28] in [0, 1].
import * as st from 'strata-dl';
import type { LoadedModel } from './run-folder.js';

export interface DrawOptions {
  /** The random stream of the noise (a fixed one makes samples reproducible). */
  generator: st.Generator;
  /** Conditional GAN: every sample this digit; otherwise sample k is class k mod classes. */
  digit?: number;
  classes: number;
  conditional: boolean;
}

/** The class requested for each of `count` samples of a conditional model (k mod classes, or the digit). */
export function requestedLabels(count: number, classes: number, digit?: number): number[] {
  return Array.from({ length: count }, (_, k) => digit ?? k % classes);
}

/** Decodes or generates `count` images in batches of 250 (no gradients), in evaluation mode. */
export function drawImages(m: LoadedModel, count: number, o: DrawOptions): { images: st.Tensor; labels: number[] | null } {
  const labels = o.conditional ? requestedLabels(count, o.classes, o.digit) : null;
  const parts: st.Tensor[] = [];
  m.model.eval();
  st.noGrad(() => {
    for (let i = 0; i < count; i += 250) {
      const n = Math.min(250, count - i);
      parts.push(st.scoped(() => {
        if (m.kind === 'gan') {
          const z = st.randn([n, m.model.latent], { generator: o.generator });
          const y = labels ? st.tensor(labels.slice(i, i + n), { dtype: 'int32' }) : undefined;
          return m.model.call(z, y).add(1).div(2).clamp(0, 1);
        }
        if (m.kind === 'vae') return m.model.decode(st.randn([n, m.model.latent], { generator: o.generator })).sigmoid().reshape([n, 1, 28, 28]);
        return m.model.decode(st.randn([n, m.model.latent], { generator: o.generator }));
      }));
    }
  });
  const images = parts.length === 1 ? parts[0] : st.cat(parts, 0);
  return { images, labels };
}
