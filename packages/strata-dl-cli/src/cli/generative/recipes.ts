// SPDX-License-Identifier: MIT
// The generative models the CLI trains, and their default recipes. The defaults follow the plain
// recipes the PyTorch comparison uses (bench/peers/generative_torch.py): Adam, constant learning rate,
// the VAE exactly as PyTorch's example (batch 128, lr 1e-3, 10 epochs), the DCGANs with Radford et
// al.'s Adam(2e-4, β1 = 0.5) and batch 64. Epochs are chosen so that each default run fits in 10
// minutes on both cores of a 2-core machine (docs/generative.md has the measurements).
import { StrataError, models, nn } from 'strata-dl';

export type GenerativeKind = 'autoencoder' | 'vae' | 'gan';
export const KINDS: readonly GenerativeKind[] = ['autoencoder', 'vae', 'gan'];

export interface Recipe {
  epochs: number;
  batchSize: number;
  lr: number;
  latent: number;
  /** Adam's β1 (0.5 for GANs, as DCGAN). */
  beta1: number;
  arch: 'mlp' | 'conv';
}

export const RECIPES: Record<GenerativeKind, Recipe> = {
  autoencoder: { epochs: 14, batchSize: 64, lr: 1e-3, latent: 32, beta1: 0.9, arch: 'conv' },
  vae: { epochs: 10, batchSize: 128, lr: 1e-3, latent: 20, beta1: 0.9, arch: 'mlp' },
  gan: { epochs: 4, batchSize: 64, lr: 2e-4, latent: 64, beta1: 0.5, arch: 'conv' },
};

export function parseKind(kind: string): GenerativeKind {
  if (!(KINDS as readonly string[]).includes(kind)) throw new StrataError('train', `unknown model kind '${kind}'; choose one of ${KINDS.join(', ')} (or a dataset for a classifier)`);
  return kind as GenerativeKind;
}

/** The encoder–decoder models (autoencoders encode to a point, VAEs to a Gaussian). */
export type AutoencoderModel = models.MlpAutoencoder | models.ConvAutoencoder;
export type VaeModel = models.Vae | models.ConvVae;

export function makeAutoencoder(arch: string, latent: number): AutoencoderModel {
  if (arch === 'mlp') return new models.MlpAutoencoder(latent);
  if (arch === 'conv') return new models.ConvAutoencoder(latent);
  throw new StrataError('train', `unknown --arch '${arch}'; choose mlp or conv`);
}

export function makeVae(arch: string, latent: number): VaeModel {
  if (arch === 'mlp') return new models.Vae(latent);
  if (arch === 'conv') return new models.ConvVae(latent);
  throw new StrataError('train', `unknown --arch '${arch}'; choose mlp or conv`);
}

export function makeGan(latent: number, classes: number | undefined): { generator: models.DcganGenerator; discriminator: models.DcganDiscriminator } {
  return { generator: new models.DcganGenerator({ latent, classes }), discriminator: new models.DcganDiscriminator({ classes }) };
}

export type AnyGenerativeModule = nn.Module;
