// SPDX-License-Identifier: MIT
// A generative run folder: runs/<name>/{model.safetensors (the autoencoder, VAE or GAN generator),
// discriminator.safetensors (GAN), config.json, metrics.json, checkpoint.safetensors, report.html},
// every file written atomically. loadGenerativeRun rebuilds the model from config.json.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StrataError, type Tensor, io, type nn } from 'strata-dl';
import { nodeFileSystem } from 'strata-dl/node';
import type { SampleScores } from '../../viz/generative/types.js';
import type { GenerativeKind } from './recipes.js';
import { type AutoencoderModel, type VaeModel, makeAutoencoder, makeGan, makeVae } from './recipes.js';
import type { models } from 'strata-dl';

export const GENERATIVE_FORMAT = 'strata-generative/1';

export interface GenerativeConfig {
  format: typeof GENERATIVE_FORMAT;
  kind: GenerativeKind;
  arch: 'mlp' | 'conv';
  dataset: string;
  classNames: string[];
  latent: number;
  conditional: boolean;
  /** Pixel range the model works in: [0, 1] (autoencoder, VAE) or [−1, 1] (GAN, tanh output). */
  range: [number, number];
  options: Record<string, string | number | boolean>;
}

export interface GenerativeEpochMetrics {
  epoch: number;
  seconds: number;
  [loss: string]: number;
}

export interface GenerativeMetrics {
  kind: GenerativeKind;
  epochs: GenerativeEpochMetrics[];
  trainSeconds: number;
  backend: string;
  interrupted: boolean;
  /** Autoencoder and VAE: mean squared error per pixel of the test set's reconstructions, pixels in [0, 1]. */
  testMse?: number;
  /** VAE: the test set's negative ELBO in nats per image (one sample of z per image). */
  testNegativeElbo?: number;
  /** Autoencoder and VAE: AUROC of the per-image reconstruction MSE, in-distribution test vs the other dataset's test. */
  anomalyAuroc?: number;
  anomalyOutOfDistribution?: string;
  /** VAE and GAN: a classifier's judgement of generated samples. */
  scores?: SampleScores;
}

export type LoadedModel =
  | { kind: 'autoencoder'; model: AutoencoderModel }
  | { kind: 'vae'; model: VaeModel }
  | { kind: 'gan'; model: models.DcganGenerator };

export function isGenerativeRun(dir: string): boolean {
  try {
    const c = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { format?: string };
    return c.format === GENERATIVE_FORMAT;
  } catch {
    return false;
  }
}

export function buildModel(config: GenerativeConfig): LoadedModel {
  switch (config.kind) {
    case 'autoencoder': return { kind: 'autoencoder', model: makeAutoencoder(config.arch, config.latent) };
    case 'vae': return { kind: 'vae', model: makeVae(config.arch, config.latent) };
    case 'gan': return { kind: 'gan', model: makeGan(config.latent, config.conditional ? config.classNames.length : undefined).generator };
  }
}

async function loadWeights(module: nn.Module, path: string, fn: string): Promise<void> {
  if (!existsSync(path)) throw new StrataError(fn, `expected the weights at ${path}, which does not exist`);
  let tensors: Record<string, Tensor>;
  try {
    tensors = await io.loadSafetensors(path, nodeFileSystem);
  } catch (e) {
    throw new StrataError(fn, `${path} could not be read: ${(e as Error).message}`);
  }
  module.loadStateDict(tensors);
}

/** Loads a generative run's config, model (in evaluation mode) and metrics; `fn` names the command in errors. */
export async function loadGenerativeRun(dir: string, fn: string): Promise<{ config: GenerativeConfig; loaded: LoadedModel; metrics: GenerativeMetrics | null }> {
  if (!existsSync(dir)) throw new StrataError(fn, `no run folder at ${dir}`);
  const cfgPath = join(dir, 'config.json');
  if (!existsSync(cfgPath)) throw new StrataError(fn, `expected the run configuration at ${cfgPath}, which does not exist`);
  let config: GenerativeConfig;
  try {
    config = JSON.parse(readFileSync(cfgPath, 'utf8')) as GenerativeConfig;
  } catch (e) {
    throw new StrataError(fn, `${cfgPath} is not valid JSON (${(e as Error).message})`);
  }
  if (config.format !== GENERATIVE_FORMAT) throw new StrataError(fn, `${dir} is not a generative run (strata train autoencoder|vae|gan); its config.json has format '${String(config.format)}'`);
  const loaded = buildModel(config);
  await loadWeights(loaded.model, join(dir, 'model.safetensors'), fn);
  loaded.model.eval();
  const mPath = join(dir, 'metrics.json');
  const metrics = existsSync(mPath) ? JSON.parse(readFileSync(mPath, 'utf8')) as GenerativeMetrics : null;
  return { config, loaded, metrics };
}
