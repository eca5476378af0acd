// SPDX-License-Identifier: MIT
// What a generative run (autoencoder, VAE, GAN) hands the report. The training commands fill it;
// renderGenerativeReport turns it into the offline report.html. Images are grey-scale in [0, 1],
// row-major height × width, one Float32Array each.

/** A batch of same-sized grey images. */
export interface ImageSet {
  height: number;
  width: number;
  images: Float32Array[];
}

/** One row of the per-epoch history; the keys present depend on the model (loss, testLoss, dLoss, gLoss, kl...). */
export interface GenerativeEpoch {
  epoch: number;
  seconds: number;
  [metric: string]: number;
}

/** How a classifier judged generated images. */
export interface SampleScores {
  /** Images scored. */
  count: number;
  /** Share (0..1) classified with p ≥ 0.9. */
  confidentShare: number;
  /** Per class, how many of the confident ones it got (length = classes). */
  classHistogram: number[];
  /** The classifier-based Inception Score exp(E KL(p(y|x) || p(y))). */
  inceptionScore: number;
  /** Conditional models: share (0..1) classified as the requested class. */
  requestedAccuracy?: number;
  /** Which classifier scored (e.g. the run folder or 'trained on the fly'). */
  classifier: string;
}

export interface GenerativeReportData {
  kind: 'autoencoder' | 'vae' | 'gan';
  title: string;
  /** Key facts at the top (model, data, time, test MSE / negative ELBO...). */
  facts: [string, string][];
  history: GenerativeEpoch[];
  summary?: string;
  /** Test inputs and their reconstructions, pairwise (autoencoder, VAE). */
  reconstructions?: { inputs: ImageSet; outputs: ImageSet };
  /**
   * Codes of test images (n × codeDim, row-major) and the same images' pixels (n × pixelDim), for the
   * latent-space scatter coloured by class: the code itself when it is 2-D, or its first two principal
   * components otherwise, beside the first two principal components of the pixels (PCA), which the
   * report computes.
   */
  latent?: { codes: Float32Array; codeDim: number; pixels: Float32Array; pixelDim: number; labels: Int32Array; classNames: readonly string[] };
  /** Decoded samples from the prior (VAE) or the generator (GAN). */
  samples?: ImageSet;
  /** A straight line between two latent codes, decoded (VAE, GAN). */
  interpolation?: ImageSet;
  /** GAN: the grid from one fixed noise batch after each epoch. */
  gridsPerEpoch?: { epoch: number; images: ImageSet }[];
  /** Anomaly detection by reconstruction error: scores (higher = more anomalous) of in- and out-of-distribution test data. */
  anomaly?: { inName: string; outName: string; inScores: Float32Array; outScores: Float32Array };
  /** A classifier's judgement of generated samples (GAN, VAE). */
  scores?: SampleScores;
}
