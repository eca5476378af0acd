// SPDX-License-Identifier: MIT
// The Generate page's image models, rebuilt from plain safetensors state dicts (a run folder's
// model.safetensors, a picked file, or the worker's weights): the sizes come from the tensors'
// shapes, so a VAE or DCGAN generator of any latent size loads.
import * as st from 'strata-dl';

/** A decoder from codes to images, whatever the model: `decode` gives [N, 784] pixels in [0, 1]. */
export interface ImageModel {
  kind: 'vae' | 'gan';
  latent: number;
  /** A class-conditional GAN's number of classes, else 0. */
  classes: number;
  decode(z: st.Tensor, labels?: st.Tensor): st.Tensor;
}

function shapeOf(tensors: Record<string, st.Tensor>, key: string, source: string): number[] {
  const t = tensors[key];
  if (!t) throw new Error(`${source} has no tensor '${key}' (its tensors: ${Object.keys(tensors).slice(0, 8).join(', ')}…)`);
  return [...t.shape];
}

/** The VAE of `models.Vae` (fc1, fc21, fc22, fc3, fc4) from its state dict. */
export function vaeFrom(tensors: Record<string, st.Tensor>, source: string): ImageModel {
  if (!tensors['fc1.weight']) throw new Error(`${source} is not the MLP VAE of models.Vae (fc1, fc21, fc22, fc3, fc4), the one this page draws; its tensors: ${Object.keys(tensors).slice(0, 6).join(', ')}…`);
  const [hidden, pixels] = shapeOf(tensors, 'fc1.weight', source);
  const [latent] = shapeOf(tensors, 'fc21.weight', source);
  if (pixels !== 784) throw new Error(`${source}: fc1.weight is [${hidden}, ${pixels}]; this page's VAE takes 28×28 images (784 pixels)`);
  const vae = new st.models.Vae(latent, hidden);
  vae.loadStateDict(tensors);
  vae.eval();
  return { kind: 'vae', latent, classes: 0, decode: (z) => vae.decode(z).sigmoid() };
}

/**
 * The DCGAN generator of `models.DcganGenerator` from its state dict (keys `net.*`, and `embed.weight`
 * when class-conditional). A checkpoint's `generator.`-prefixed keys are taken too, the discriminator's left out.
 */
export function ganFrom(all: Record<string, st.Tensor>, source: string): ImageModel {
  const prefixed = Object.keys(all).some((k) => k.startsWith('generator.'));
  const tensors = prefixed
    ? Object.fromEntries(Object.entries(all).filter(([k]) => k.startsWith('generator.')).map(([k, v]) => [k.slice('generator.'.length), v]))
    : all;
  const [, latent] = shapeOf(tensors, 'net.0.weight', source);
  const classes = tensors['embed.weight'] ? tensors['embed.weight'].shape[0] : 0;
  const g = new st.models.DcganGenerator({ latent, classes: classes || undefined });
  g.loadStateDict(tensors);
  g.eval();
  return {
    kind: 'gan', latent, classes,
    decode: (z, labels) => g.forward(z, classes ? labels ?? st.zeros([z.shape[0]], { dtype: 'int32' }) : undefined).add(1).div(2).reshape([z.shape[0], 784]),
  };
}
