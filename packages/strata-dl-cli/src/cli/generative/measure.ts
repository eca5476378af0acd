// SPDX-License-Identifier: MIT
// Test-set figures of encoder–decoder models, computed in batches without gradients: the per-image
// reconstruction MSE (pixels in [0, 1]; also the anomaly score), the codes, and the VAE's negative
// ELBO in nats per image.
import * as st from 'strata-dl';
import type { AutoencoderModel, VaeModel } from './recipes.js';

export type EncoderDecoder = { kind: 'autoencoder'; model: AutoencoderModel } | { kind: 'vae'; model: VaeModel };

const BATCH = 500;

function batched(n: number, fn: (i: number, j: number) => void): void {
  st.noGrad(() => {
    for (let i = 0; i < n; i += BATCH) st.scoped(() => fn(i, Math.min(n, i + BATCH)));
  });
}

/** The reconstruction [N, 1, 28, 28] of images in [0, 1] (a VAE decodes its posterior mean). */
export function reconstruct(m: EncoderDecoder, x: st.Tensor): st.Tensor {
  m.model.eval();
  return st.noGrad(() => m.model.call(x).reshape(x.shape));
}

/** Per-image mean squared reconstruction error. */
export function reconstructionErrors(m: EncoderDecoder, images: st.Tensor): Float32Array {
  const n = images.shape[0];
  const out = new Float32Array(n);
  m.model.eval();
  batched(n, (i, j) => {
    const x = images.slice(0, i, j);
    out.set(reconstruct(m, x).sub(x).pow(2).reshape([j - i, -1]).mean(1).dataSync(), i);
  });
  return out;
}

/** The codes [n × latent] (row-major) of images: the autoencoder's code, the VAE's posterior mean. */
export function encodeImages(m: EncoderDecoder, images: st.Tensor): Float32Array {
  const n = images.shape[0];
  const out = new Float32Array(n * m.model.latent);
  m.model.eval();
  batched(n, (i, j) => {
    const x = images.slice(0, i, j);
    const z = m.kind === 'vae' ? m.model.encode(x).mu : m.model.encode(x);
    out.set(z.dataSync(), i * m.model.latent);
  });
  return out;
}

/**
 * The test negative ELBO in nats per image, as PyTorch's VAE example measures it: one sample of z
 * per image (the reparameterization in training mode), from a generator seeded with `seed` so the
 * figure is reproducible; the global generator's state is left as it was.
 */
export function negativeElbo(model: VaeModel, images: st.Tensor, seed: number): number {
  const n = images.shape[0];
  const g = st.defaultGenerator();
  const saved = g.getState();
  g.manualSeed(seed);
  let total = 0;
  model.train();
  try {
    batched(n, (i, j) => {
      const x = images.slice(0, i, j);
      total += st.models.vaeLoss(model.run(x), x).item() * (j - i);
    });
  } finally {
    model.eval();
    g.setState(saved);
  }
  return total / n;
}
