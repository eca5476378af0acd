// SPDX-License-Identifier: MIT
// Generative models for 28×28 images: autoencoders, the variational autoencoder of PyTorch's example,
// and DCGAN generators and discriminators (unconditional, and class-conditional with a projection
// discriminator). Parameter names follow the PyTorch code they come from, so state dicts move across.
import { StrataError } from '../core/errors.js';
import * as nn from '../nn/index.js';
import { randnLike } from '../tensor/random-like.js';
import type { Tensor } from '../tensor/tensor.js';

const F = nn.functional;

/**
 * An MLP autoencoder 784 → 256 → `latent` → 256 → 784, the output in [0, 1] (a sigmoid).
 *
 * @example
 * const ae = new MlpAutoencoder(32);
 * ae.forward(zeros([4, 1, 28, 28])).shape; // [4, 1, 28, 28]
 * ae.encode(zeros([4, 1, 28, 28])).shape;  // [4, 32]
 */
export class MlpAutoencoder extends nn.Module {
  readonly encoder: nn.Sequential;
  readonly decoder: nn.Sequential;
  constructor(readonly latent = 32) {
    super();
    this.encoder = new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, latent));
    this.decoder = new nn.Sequential(new nn.Linear(latent, 256), new nn.ReLU(), new nn.Linear(256, 784), new nn.Sigmoid(), new nn.Unflatten(1, [1, 28, 28]));
  }
  /** The code of each image: [N, 1, 28, 28] → [N, latent]. */
  encode(x: Tensor): Tensor { return this.encoder.call(x); }
  /** Images from codes: [N, latent] → [N, 1, 28, 28]. */
  decode(z: Tensor): Tensor { return this.decoder.call(z); }
  /** The reconstruction of `x`. */
  forward(x: Tensor): Tensor { return this.decode(this.encode(x)); }
}

/**
 * A convolutional autoencoder: two stride-2 convolutions (28 → 14 → 7, 16 and 32 channels) and a
 * dense layer to a `latent`-d code; the decoder mirrors it with transposed convolutions and ends in a
 * sigmoid.
 *
 * @example
 * const ae = new ConvAutoencoder(32);
 * ae.forward(zeros([2, 1, 28, 28])).shape; // [2, 1, 28, 28]
 */
export class ConvAutoencoder extends nn.Module {
  readonly encoder: nn.Sequential;
  readonly decoder: nn.Sequential;
  constructor(readonly latent = 32) {
    super();
    this.encoder = new nn.Sequential(
      new nn.Conv2d(1, 16, 3, { stride: 2, padding: 1 }), new nn.ReLU(),
      new nn.Conv2d(16, 32, 3, { stride: 2, padding: 1 }), new nn.ReLU(),
      new nn.Flatten(), new nn.Linear(32 * 7 * 7, latent),
    );
    this.decoder = new nn.Sequential(
      new nn.Linear(latent, 32 * 7 * 7), new nn.ReLU(), new nn.Unflatten(1, [32, 7, 7]),
      new nn.ConvTranspose2d(32, 16, 4, { stride: 2, padding: 1 }), new nn.ReLU(),
      new nn.ConvTranspose2d(16, 1, 4, { stride: 2, padding: 1 }), new nn.Sigmoid(),
    );
  }
  /** The code of each image: [N, 1, 28, 28] → [N, latent]. */
  encode(x: Tensor): Tensor { return this.encoder.call(x); }
  /** Images from codes: [N, latent] → [N, 1, 28, 28]. */
  decode(z: Tensor): Tensor { return this.decoder.call(z); }
  /** The reconstruction of `x`. */
  forward(x: Tensor): Tensor { return this.decode(this.encode(x)); }
}

/** What a VAE's forward pass gives: the decoder's logits and the posterior's parameters. */
export interface VaeOutput {
  /** [N, 784] logits of the Bernoulli likelihood of each pixel (sigmoid them for an image). */
  logits: Tensor;
  /** [N, latent] posterior mean. */
  mu: Tensor;
  /** [N, latent] posterior log-variance. */
  logVar: Tensor;
}

/**
 * The variational autoencoder of PyTorch's examples (vae/main.py): 784 → 400 → (μ, log σ²) of a
 * 20-d Gaussian → 400 → 784, with its layer names (`fc1`, `fc21`, `fc22`, `fc3`, `fc4`). The decoder
 * returns logits; `vaeLoss` is the negative ELBO.
 *
 * @example
 * const vae = new Vae();
 * const { logits, mu, logVar } = vae.run(zeros([2, 1, 28, 28]));
 * logits.shape; // [2, 784]
 */
export class Vae extends nn.Module {
  readonly fc1: nn.Linear;
  readonly fc21: nn.Linear;
  readonly fc22: nn.Linear;
  readonly fc3: nn.Linear;
  readonly fc4: nn.Linear;
  constructor(readonly latent = 20, readonly hidden = 400) {
    super();
    this.fc1 = new nn.Linear(784, hidden);
    this.fc21 = new nn.Linear(hidden, latent);
    this.fc22 = new nn.Linear(hidden, latent);
    this.fc3 = new nn.Linear(latent, hidden);
    this.fc4 = new nn.Linear(hidden, 784);
  }
  /** The posterior q(z | x): its mean and log-variance, [N, latent] each. */
  encode(x: Tensor): { mu: Tensor; logVar: Tensor } {
    const h = this.fc1.call(x.reshape([x.shape[0], 784])).relu();
    return { mu: this.fc21.call(h), logVar: this.fc22.call(h) };
  }
  /** A sample of z = μ + σ·ε, ε ~ N(0, 1) (the reparameterization: differentiable in μ and σ). */
  reparameterize(mu: Tensor, logVar: Tensor): Tensor {
    return mu.add(logVar.mul(0.5).exp().mul(randnLike(mu)));
  }
  /** The decoder's logits [N, 784] for codes [N, latent]. */
  decode(z: Tensor): Tensor { return this.fc4.call(this.fc3.call(z).relu()); }
  /** Encodes, samples (in training mode; the mean in evaluation mode) and decodes. */
  run(x: Tensor): VaeOutput {
    const { mu, logVar } = this.encode(x);
    const z = this.training ? this.reparameterize(mu, logVar) : mu;
    return { logits: this.decode(z), mu, logVar };
  }
  /** The reconstruction's probabilities [N, 784]. */
  forward(x: Tensor): Tensor { return this.run(x).logits.sigmoid(); }
}

/**
 * The negative evidence lower bound of a VAE, in nats per image: the Bernoulli reconstruction loss
 * of `x` (pixels in [0, 1]) plus KL(q(z | x) ‖ N(0, I)) = −½ Σ (1 + log σ² − μ² − σ²), summed over
 * pixels and latent dimensions and averaged over the batch.
 *
 * @example
 * const vae = new Vae();
 * const x = rand([8, 1, 28, 28]);
 * const loss = vaeLoss(vae.run(x), x); // a scalar, about 550 nats for an untrained model on noise
 * loss.backward();
 */
export function vaeLoss(out: VaeOutput, x: Tensor): Tensor {
  const n = x.shape[0];
  if (out.logits.shape[0] !== n) throw new StrataError('vaeLoss', `logits have ${out.logits.shape[0]} rows but x has ${n}`);
  const target = x.reshape(out.logits.shape);
  const reconstruction = F.binaryCrossEntropyWithLogits(out.logits, target, { reduction: 'sum' });
  const kl = out.logVar.add(1).sub(out.mu.pow(2)).sub(out.logVar.exp()).sum().mul(-0.5);
  return reconstruction.add(kl).div(n);
}

/**
 * A convolutional VAE for 28×28 images, beside the MLP one: stride-2 convolutions (28 → 14 → 7, 32 and
 * 64 channels, ReLU) and two dense heads `fc_mu` and `fc_log_var` to a `latent`-d Gaussian; the decoder
 * mirrors the encoder with transposed convolutions and returns logits, so `vaeLoss` applies as for
 * `Vae`. State-dict names: `encoder.{0,2}`, `fc_mu`, `fc_log_var`, `decoder.{0,3,5}`.
 *
 * @example
 * const vae = new ConvVae(16);
 * vae.run(zeros([2, 1, 28, 28])).logits.shape; // [2, 784]
 */
export class ConvVae extends nn.Module {
  readonly encoder: nn.Sequential;
  readonly fcMu: nn.Linear;
  readonly fcLogVar: nn.Linear;
  readonly decoder: nn.Sequential;
  constructor(readonly latent = 20) {
    super();
    this.encoder = new nn.Sequential(
      new nn.Conv2d(1, 32, 4, { stride: 2, padding: 1 }), new nn.ReLU(),
      new nn.Conv2d(32, 64, 4, { stride: 2, padding: 1 }), new nn.ReLU(), new nn.Flatten(),
    );
    this.fcMu = new nn.Linear(64 * 7 * 7, latent);
    this.fcLogVar = new nn.Linear(64 * 7 * 7, latent);
    this.decoder = new nn.Sequential(
      new nn.Linear(latent, 64 * 7 * 7), new nn.ReLU(), new nn.Unflatten(1, [64, 7, 7]),
      new nn.ConvTranspose2d(64, 32, 4, { stride: 2, padding: 1 }), new nn.ReLU(),
      new nn.ConvTranspose2d(32, 1, 4, { stride: 2, padding: 1 }), new nn.Flatten(),
    );
  }
  /** The posterior q(z | x): its mean and log-variance, [N, latent] each. */
  encode(x: Tensor): { mu: Tensor; logVar: Tensor } {
    const h = this.encoder.call(x.reshape([x.shape[0], 1, 28, 28]));
    return { mu: this.fcMu.call(h), logVar: this.fcLogVar.call(h) };
  }
  /** A sample of z = μ + σ·ε, ε ~ N(0, 1). */
  reparameterize(mu: Tensor, logVar: Tensor): Tensor {
    return mu.add(logVar.mul(0.5).exp().mul(randnLike(mu)));
  }
  /** The decoder's logits [N, 784] for codes [N, latent]. */
  decode(z: Tensor): Tensor { return this.decoder.call(z); }
  /** Encodes, samples (in training mode; the mean in evaluation mode) and decodes. */
  run(x: Tensor): VaeOutput {
    const { mu, logVar } = this.encode(x);
    const z = this.training ? this.reparameterize(mu, logVar) : mu;
    return { logits: this.decode(z), mu, logVar };
  }
  /** The reconstruction's probabilities [N, 784]. */
  forward(x: Tensor): Tensor { return this.run(x).logits.sigmoid(); }
}

/**
 * A DCGAN generator for 28×28 images: a `latent`-d noise vector → dense 64·7·7 → batch norm, ReLU →
 * transposed convolution to 32 channels at 14×14 → batch norm, ReLU → transposed convolution to one
 * channel at 28×28 → tanh (images in [−1, 1]). With `classes`, a label embedding multiplies the
 * noise, so `forward(z, labels)` draws the requested class.
 *
 * @example
 * const g = new DcganGenerator({ latent: 64 });
 * g.forward(randn([4, 64])).shape; // [4, 1, 28, 28]
 */
export class DcganGenerator extends nn.Module {
  readonly embed: nn.Embedding | null;
  readonly net: nn.Sequential;
  readonly latent: number;
  constructor(opts: { latent?: number; classes?: number } = {}) {
    super();
    this.latent = opts.latent ?? 64;
    this.embed = opts.classes ? new nn.Embedding(opts.classes, this.latent) : null;
    this.net = new nn.Sequential(
      new nn.Linear(this.latent, 64 * 7 * 7, { bias: false }), new nn.BatchNorm1d(64 * 7 * 7), new nn.ReLU(), new nn.Unflatten(1, [64, 7, 7]),
      new nn.ConvTranspose2d(64, 32, 4, { stride: 2, padding: 1, bias: false }), new nn.BatchNorm2d(32), new nn.ReLU(),
      new nn.ConvTranspose2d(32, 1, 4, { stride: 2, padding: 1 }), new nn.Tanh(),
    );
  }
  /** Images [N, 1, 28, 28] from noise [N, latent] (and int32 labels [N] for a conditional model). */
  forward(z: Tensor, labels?: Tensor): Tensor {
    if (this.embed) {
      if (!labels) throw new StrataError('DcganGenerator.forward', 'a class-conditional generator needs labels [N]');
      z = z.mul(this.embed.call(labels));
    }
    return this.net.call(z);
  }
}

/**
 * A DCGAN discriminator for 28×28 images: stride-2 convolutions to 32 (14×14) and 64 (7×7) channels
 * with LeakyReLU(0.2) (batch norm after the second), then one logit per image. With `classes` it is
 * a projection discriminator (Miyato and Koyama, 2018): the logit adds ⟨embed(y), h⟩ to the
 * unconditional one, so it judges whether the image is real *and* of class y.
 *
 * @example
 * const d = new DcganDiscriminator({ classes: 10 });
 * d.forward(zeros([4, 1, 28, 28]), tensor([0, 1, 2, 3], { dtype: 'int32' })).shape; // [4, 1]
 */
export class DcganDiscriminator extends nn.Module {
  readonly features: nn.Sequential;
  readonly head: nn.Linear;
  readonly embed: nn.Embedding | null;
  constructor(opts: { classes?: number } = {}) {
    super();
    this.features = new nn.Sequential(
      new nn.Conv2d(1, 32, 4, { stride: 2, padding: 1 }), new nn.LeakyReLU(0.2),
      new nn.Conv2d(32, 64, 4, { stride: 2, padding: 1, bias: false }), new nn.BatchNorm2d(64), new nn.LeakyReLU(0.2),
      new nn.Flatten(),
    );
    this.head = new nn.Linear(64 * 7 * 7, 1);
    this.embed = opts.classes ? new nn.Embedding(opts.classes, 64 * 7 * 7) : null;
    // Xavier-uniform, as projection discriminators are initialized (Miyato and Koyama's code):
    // Embedding's N(0, 1) makes ⟨embed(y), h⟩ over 3,136 features swamp the logit (|logit| ≈ 30 at
    // the start, a discriminator loss of 15–25 for the first hundreds of steps).
    this.embed?.loadStateDict({ weight: nn.init.xavierUniform([opts.classes ?? 0, 64 * 7 * 7]) });
  }
  /** One logit [N, 1] per image [N, 1, 28, 28] (given its int32 label [N] for a conditional model). */
  forward(x: Tensor, labels?: Tensor): Tensor {
    const h = this.features.call(x);
    const logit = this.head.call(h);
    if (!this.embed) return logit;
    if (!labels) throw new StrataError('DcganDiscriminator.forward', 'a projection discriminator needs labels [N]');
    return logit.add(this.embed.call(labels).mul(h).sum(1, true));
  }
}
