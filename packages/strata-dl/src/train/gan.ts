// SPDX-License-Identifier: MIT
// A generative adversarial network's training step and its checkpoint: two networks, two optimizers,
// one step that updates the discriminator on real and generated samples (the generated ones
// detached) and then the generator with the non-saturating loss.
import { StrataError, fmtShape } from '../core/errors.js';
import type { Checkpoint, Json } from '../io/checkpoint.js';
import { binaryCrossEntropyWithLogits } from '../nn/functional/classification-loss.js';
import type { Module } from '../nn/module.js';
import { ones, randn, zeros } from '../tensor/creation.js';
import { scoped } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';
import { restoreTraining, trainingCheckpoint } from './checkpoint.js';
import type { TrainOptimizer } from './types.js';

/** A GAN's network: it may take class labels as a second input (a conditional GAN's). */
export interface GanNetwork extends Module {
  forward(x: Tensor, labels?: Tensor): Tensor;
}

/** The two players of a GAN and their optimizers. */
export interface Gan {
  /** Noise [N, latent] (and labels [N] when conditional) → samples. */
  generator: GanNetwork;
  /** Samples (and labels [N] when conditional) → one logit [N, 1] each: real or generated. */
  discriminator: GanNetwork;
  optG: TrainOptimizer;
  optD: TrainOptimizer;
  /** The noise's size. */
  latent: number;
}

/** The two losses of one step. */
export interface GanLosses {
  /** The discriminator's: BCE on real (target 1) plus BCE on generated (target 0). */
  lossD: number;
  /** The generator's, non-saturating: BCE of D(G(z)) against 1, i.e. −log D(G(z)). */
  lossG: number;
}

/**
 * One GAN training step on a batch of real samples (with their labels for a conditional GAN, which
 * then also generates that batch's labels): the discriminator learns to tell real from generated,
 * with the generated batch detached so its loss does not reach the generator; then the generator
 * learns to make the discriminator answer "real". Runs in a scope: nothing of the step outlives it.
 *
 * @example
 * const gan = { generator: g, discriminator: d, optG: new optim.Adam(g.parameters(), { lr: 2e-4, betas: [0.5, 0.999] }),
 *   optD: new optim.Adam(d.parameters(), { lr: 2e-4, betas: [0.5, 0.999] }), latent: 64 };
 * const { lossD, lossG } = ganStep(gan, realImages); // numbers
 */
export function ganStep(gan: Gan, real: Tensor, labels?: Tensor): GanLosses {
  const n = real.shape[0];
  if (labels && (labels.ndim !== 1 || labels.shape[0] !== n)) {
    throw new StrataError('ganStep', `labels must be [${n}] for ${n} real samples, got ${fmtShape(labels.shape)}`);
  }
  return scoped(() => {
    const fake = gan.generator.call(randn([n, gan.latent]), labels);
    const isReal = ones([n, 1]);
    const isFake = zeros([n, 1]);
    gan.optD.zeroGrad();
    const lossD = binaryCrossEntropyWithLogits(gan.discriminator.call(real, labels), isReal)
      .add(binaryCrossEntropyWithLogits(gan.discriminator.call(fake.detach(), labels), isFake));
    lossD.backward();
    gan.optD.step();
    gan.optG.zeroGrad();
    const lossG = binaryCrossEntropyWithLogits(gan.discriminator.call(fake, labels), isReal);
    lossG.backward();
    gan.optG.step();
    return { lossD: lossD.item(), lossG: lossG.item() };
  });
}

/**
 * Both networks, both optimizers and the random state in one checkpoint (tensors prefixed
 * `generator.` and `discriminator.`), to resume a GAN exactly where it stopped.
 *
 * @example
 * await io.saveCheckpoint('gan.ckpt.safetensors', ganCheckpoint(gan, epoch + 1), nodeFileSystem);
 */
export function ganCheckpoint(gan: Gan, epochsDone: number, extra: { [key: string]: Json } = {}): Checkpoint {
  const g = trainingCheckpoint({ model: gan.generator, optimizer: gan.optG }, epochsDone);
  const d = trainingCheckpoint({ model: gan.discriminator, optimizer: gan.optD }, epochsDone);
  const tensors: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(g.tensors)) tensors[`generator.${k}`] = t;
  for (const [k, t] of Object.entries(d.tensors)) tensors[`discriminator.${k}`] = t;
  return { tensors, metadata: { ...extra, epochsDone, generator: g.metadata, discriminator: d.metadata } };
}

/** Loads a `ganCheckpoint` into the live networks and optimizers; returns the epochs done. */
export function restoreGan(ckpt: Checkpoint, gan: Gan): number {
  const part = (prefix: 'generator' | 'discriminator'): Checkpoint => {
    const meta = ckpt.metadata[prefix];
    if (!meta || typeof meta !== 'object' || Array.isArray(meta)) throw new StrataError('restoreGan', `the checkpoint has no ${prefix} state (not a ganCheckpoint?)`);
    const tensors: Record<string, Tensor> = {};
    for (const [k, t] of Object.entries(ckpt.tensors)) if (k.startsWith(`${prefix}.`)) tensors[k.slice(prefix.length + 1)] = t;
    return { tensors, metadata: meta };
  };
  // the discriminator's part first: both hold the random state as it was when saved
  restoreTraining(part('discriminator'), { model: gan.discriminator, optimizer: gan.optD });
  return restoreTraining(part('generator'), { model: gan.generator, optimizer: gan.optG });
}
