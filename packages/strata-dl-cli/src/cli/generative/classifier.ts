// SPDX-License-Identifier: MIT
// The MNIST classifier that judges generated digits: a `strata train mnist` run folder (--classifier,
// default runs/mnist-cnn-bn, what npm start writes), or, when there is none, a small MLP trained
// here on the fly (a minute or two; the output says so, since its judgement is less exacting than
// the CNN's).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as st from 'strata-dl';
import type { SampleScores } from '../../viz/generative/types.js';
import { loadRun } from '../run-folder.js';
import { DEFAULT_MODEL, trainCommand } from '../train.js';
import { judgeSamples } from './inception.js';

/** The run folder `strata train mnist` (npm start) writes: runs/mnist-cnn-bn. */
export const DEFAULT_CLASSIFIER = join('runs', `mnist-${DEFAULT_MODEL}`);

export interface Scorer {
  /** Class probabilities [N × classes] (row-major) of images [N, 1, 28, 28] in [0, 1]. */
  probs(images: st.Tensor): Float32Array;
  classes: number;
  /** Where it came from, for the report. */
  name: string;
}

/** Loads the classifier run `dir` (or the default, or trains one when there is neither). */
export async function loadScorer(dir: string | undefined, log: (s: string) => void): Promise<Scorer> {
  let source = dir ?? DEFAULT_CLASSIFIER;
  let temp: string | null = null;
  if (!dir && !existsSync(join(DEFAULT_CLASSIFIER, 'config.json'))) {
    temp = mkdtempSync(join(tmpdir(), 'strata-scorer-'));
    log(`no classifier at ${DEFAULT_CLASSIFIER} (train one with \`strata train mnist\`, or pass --classifier): training an MLP on MNIST on the fly for 2 epochs to score the samples`);
    await trainCommand('mnist', { model: 'mlp', epochs: 2, optimizer: 'adam', seed: 0, report: false, quiet: true, out: temp });
    source = temp;
  }
  try {
    const { config, model } = await loadRun(source);
    if (config.dataset !== 'mnist') throw new st.StrataError('score', `the classifier ${source} was trained on ${config.dataset}; generated digits need an MNIST classifier`);
    const norm = (x: st.Tensor): st.Tensor => x.sub(config.mean[0]).div(config.std[0]);
    return {
      classes: config.classNames.length,
      name: temp ? 'an MLP trained on the fly (2 epochs)' : `${source} (${config.model})`,
      probs: (images) => {
        const n = images.shape[0];
        const out = new Float32Array(n * config.classNames.length);
        st.noGrad(() => {
          for (let i = 0; i < n; i += 500) {
            const p = st.scoped(() => (model.call(norm(images.slice(0, i, Math.min(n, i + 500)))) as st.Tensor).softmax(-1).dataSync());
            out.set(p, i * config.classNames.length);
          }
        });
        return out;
      },
    };
  } finally {
    if (temp) rmSync(temp, { recursive: true, force: true });
  }
}

/** Scores images (with the class each was asked to be, for a conditional model). */
export function scoreImages(scorer: Scorer, images: st.Tensor, requested: number[] | null): SampleScores {
  return { ...judgeSamples(scorer.probs(images), scorer.classes, requested ?? undefined), classifier: scorer.name };
}

/** One line per figure, for the terminal. */
export function formatScores(s: SampleScores, classNames: readonly string[]): string {
  const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;
  const confident = s.classHistogram.reduce((a, b) => a + b, 0);
  const hist = s.classHistogram.map((c, k) => `${classNames[k] ?? k}: ${confident ? pct(c / confident) : '–'}`).join('  ');
  return [
    `scored ${s.count} samples with ${s.classifier}`,
    `classified with p ≥ 0.9: ${pct(s.confidentShare)}`,
    ...(s.requestedAccuracy !== undefined ? [`classified as the requested digit: ${pct(s.requestedAccuracy)}`] : []),
    `Inception Score: ${s.inceptionScore.toFixed(2)}`,
    `classes of the confident ones: ${hist}`,
  ].join('\n');
}
