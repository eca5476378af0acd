// SPDX-License-Identifier: MIT
// The commands on a finished generative run: `strata sample` (a PNG grid from a VAE or GAN),
// `strata encode` (an image's code and reconstruction error) and `strata score` (a classifier's
// judgement of samples).
import { existsSync, readFileSync } from 'node:fs';
import * as st from 'strata-dl';
import { nodeFileSystem } from 'strata-dl/node';
import { decodePng, encodePng, tileGrid } from '../../viz/index.js';
import { formatScores, loadScorer, scoreImages } from './classifier.js';
import { reconstruct } from './measure.js';
import { loadGenerativeRun } from './run-folder.js';
import { drawImages } from './sampling.js';
import { SCORE_SEED } from './train.js';
import type { SampleScores } from '../../viz/generative/types.js';

async function writePng(path: string, images: st.Tensor, cols: number): Promise<void> {
  await st.io.writeAtomic(nodeFileSystem, path, encodePng(tileGrid(images, { cols, scale: 2, pad: 1, normalize: 'none' })));
}

/** `strata sample <run> --count 64 --out grid.png [--digit D]`: a grid, row-major, of VAE or GAN samples. */
export async function generativeSampleCommand(dir: string, o: { count?: number; seed?: number; out: string; digit?: number }): Promise<st.Tensor> {
  const { config, loaded } = await loadGenerativeRun(dir, 'sample');
  if (loaded.kind === 'autoencoder') throw new st.StrataError('sample', `${dir} is an autoencoder, which has no prior to sample from; sample a vae or gan run (or use strata encode)`);
  const classes = config.classNames.length;
  if (o.digit !== undefined) {
    if (!config.conditional) throw new st.StrataError('sample', `--digit needs a class-conditional model (strata train gan --conditional); ${dir} is not one`);
    if (!Number.isInteger(o.digit) || o.digit < 0 || o.digit >= classes) throw new st.StrataError('sample', `--digit must be an integer from 0 to ${classes - 1}, got ${o.digit}`);
  }
  const count = o.count ?? 64;
  const { images } = drawImages(loaded, count, { generator: new st.Generator(o.seed ?? 0), digit: o.digit, classes, conditional: config.conditional });
  const cols = config.conditional ? classes : Math.ceil(Math.sqrt(count));
  await writePng(o.out, images, cols);
  const order = config.conditional ? (o.digit !== undefined ? `, all of class ${config.classNames[o.digit]}` : `, row-major: sample k is class k mod ${classes} (one class per column)`) : '';
  console.log(`wrote ${count} samples to ${o.out}${order}`);
  return images;
}

/** Reads a 28×28 PNG as [1, 1, 28, 28] in [0, 1] (grey; a light background is inverted, as for predict). */
function readDigit(path: string, fn: string): st.Tensor {
  if (!existsSync(path)) throw new st.StrataError(fn, `no image at ${path}`);
  const img = decodePng(readFileSync(path));
  if (img.width !== 28 || img.height !== 28) throw new st.StrataError(fn, `${path} is ${img.width}×${img.height}, but the model expects 28×28 images`);
  const px = new Float32Array(784);
  for (let i = 0; i < 784; i++) px[i] = ((img.data[i * 4] + img.data[i * 4 + 1] + img.data[i * 4 + 2]) / 765) * (img.data[i * 4 + 3] / 255);
  const x = st.tensor(px, { shape: [1, 1, 28, 28] });
  return x.mean().item() > 0.5 ? x.neg().add(1) : x;
}

/** `strata encode <run> <image.png> [--out recon.png]`: prints the code and the reconstruction's MSE. */
export async function encodeCommand(dir: string, image: string, o: { out?: string }): Promise<{ code: number[]; mse: number }> {
  const { loaded } = await loadGenerativeRun(dir, 'encode');
  if (loaded.kind === 'gan') throw new st.StrataError('encode', `${dir} is a GAN, which has no encoder; encode with an autoencoder or vae run`);
  const x = readDigit(image, 'encode');
  const code = Array.from(st.noGrad(() => (loaded.kind === 'vae' ? loaded.model.encode(x).mu : loaded.model.encode(x))).dataSync());
  const recon = reconstruct(loaded, x);
  const mse = recon.sub(x).pow(2).mean().item();
  console.log(`code (${code.length}-d${loaded.kind === 'vae' ? ', the posterior mean' : ''}): [${code.map((v) => v.toFixed(4)).join(', ')}]`);
  console.log(`reconstruction MSE: ${mse.toFixed(6)}`);
  if (o.out) {
    await writePng(o.out, recon, 1);
    console.log(`wrote the reconstruction to ${o.out}`);
  }
  return { code, mse };
}

/** `strata score <run> [--count 1000]`: the classifier's judgement of the run's samples. */
export async function scoreCommand(dir: string, o: { count: number; classifier?: string; seed?: number }): Promise<SampleScores> {
  const { config, loaded } = await loadGenerativeRun(dir, 'score');
  if (loaded.kind === 'autoencoder') throw new st.StrataError('score', `${dir} is an autoencoder, which does not generate; score a vae or gan run`);
  if (config.dataset !== 'mnist') throw new st.StrataError('score', `${dir} was trained on ${config.dataset}; samples are scored by an MNIST classifier, so only MNIST runs can be scored`);
  const scorer = await loadScorer(o.classifier, (s) => console.log(s));
  const drawn = drawImages(loaded, o.count, { generator: new st.Generator(o.seed ?? SCORE_SEED), classes: config.classNames.length, conditional: config.conditional });
  const scores = scoreImages(scorer, drawn.images, drawn.labels);
  console.log(formatScores(scores, config.classNames));
  return scores;
}
