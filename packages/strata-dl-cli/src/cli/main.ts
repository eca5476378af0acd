#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// The `strata` command line: train, finetune, evaluate, predict, summary, bench.
import { Command, InvalidArgumentError, Option } from 'commander';
import * as st from 'strata-dl';
import { evaluateCommand } from './evaluate.js';
import { finetuneCommand } from './finetune.js';
import { encodeCommand, generativeSampleCommand, isGenerativeRun, KINDS, scoreCommand, trainGenerativeCommand } from './generative/index.js';
import { sampleCommand, trainNamesCommand } from './names.js';
import { predictCommand } from './predict.js';
import { summaryCommand } from './summary.js';
import { trainCommand } from './train.js';

const int = (name: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive integer`);
  return n;
};
const num = (name: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number`);
  return n;
};

const nonNegInt = (name: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer`);
  return n;
};

export function program(): Command {
  const p = new Command('strata').description('Strata: deep learning in TypeScript').showHelpAfterError();
  p.command('train')
    .description('train a model on a dataset and write a run folder with weights, metrics and a report')
    .argument('<dataset>', 'mnist | fashion-mnist | cifar10 | names (the character-level name generator); or autoencoder | vae | gan followed by mnist | fashion-mnist')
    .argument('[generativeDataset]', 'the dataset of autoencoder | vae | gan')
    .option('--model <name>', 'mlp | lenet5 | cnn | cnn-bn | alexnet (default cnn-bn)')
    .option('--epochs <n>', 'epochs (default: mlp 10, lenet5 8, cnn 2, cnn-bn 3, alexnet 4)', int('--epochs'))
    .option('--batch-size <n>', 'batch size (default: 64 for cnn and cnn-bn, else 128)', int('--batch-size'))
    .option('--lr <x>', 'learning rate (default: 3e-3 for cnn-bn, else the optimizer\'s)', num('--lr'))
    .option('--optimizer <name>', 'adam | sgd | adamw | rmsprop', 'adam')
    .option('--schedule <name>', 'learning rate: cosine (annealed over all batches) | onecycle (warm-up, then annealed) | constant (default: onecycle for cnn-bn, else cosine)')
    .option('--backend <name>', 'js | wasm (default: the fastest available; env STRATA_BACKEND)')
    .option('--threads <n>', 'worker threads for the wasm backend (default: all cores)', int('--threads'))
    .option('--seed <n>', 'random seed', (v) => Number(v), 0)
    .option('--out <dir>', 'run folder (default runs/<dataset>-<model>)')
    .option('--limit <n>', 'use only the first n training images (quick runs)', int('--limit'))
    .option('--data-dir <dir>', 'folder with the dataset files (CIFAR-10)')
    .option('--no-report', 'skip report.html')
    .option('--dropout', "the W3 CNN with Keras's dropout layers (0.25, 0.5); longer runs gain from it")
    .option('--hidden <n>', 'names: LSTM hidden size', int('--hidden'))
    .option('--latent <n>', 'autoencoder | vae | gan: size of the code or noise (default 32, 20, 64)', int('--latent'))
    .option('--conditional', 'gan: class-conditional (label embedding, projection discriminator)')
    .option('--noise <sigma>', 'autoencoder: a denoising autoencoder with Gaussian input noise of this σ', num('--noise'))
    .option('--arch <name>', 'autoencoder | vae: mlp | conv (default conv for the autoencoder, mlp for the VAE)')
    .option('--resume', 'autoencoder | vae | gan: continue from the checkpoint in the run folder')
    .option('--classifier <dir>', 'vae | gan: the `strata train mnist` run that scores samples (default runs/mnist-cnn-bn)')
    .option('--score-count <n>', 'vae | gan: samples the classifier scores', int('--score-count'), 1000)
    .option('--test-limit <n>', 'autoencoder | vae: use only the first n test images (quick runs)', int('--test-limit'))
    .addOption(new Option('--interrupt-after <n>', 'tests: stop as if Ctrl-C were pressed after n batches').argParser(int('--interrupt-after')).hideHelp())
    .action(async (dataset: string, generativeDataset: string | undefined, o) => {
      if ((KINDS as readonly string[]).includes(dataset) || generativeDataset !== undefined) {
        if (generativeDataset === undefined) throw new st.StrataError('train', `${dataset}: name the dataset, e.g. strata train ${dataset} mnist`);
        await trainGenerativeCommand(dataset, generativeDataset, o);
      } else if (dataset === 'names') await trainNamesCommand(o);
      else await trainCommand(dataset, o);
    });
  p.command('finetune')
    .description('transfer learning: replace the head of a pretrained model, train it on (a few) labels, and compare with training from scratch')
    .argument('<source>', 'a run folder (strata train), a PyTorch .pt state dict or an .onnx file (these two need --model)')
    .argument('<dataset>', 'mnist | fashion-mnist | cifar10')
    .option('--model <name>', 'architecture of a .pt/.onnx source: mlp | lenet5 | cnn | alexnet')
    .option('--freeze [prefixes]', 'freeze parameters by name prefix, comma-separated (names as `strata summary` numbers the layers: 0,2 = the CNN\'s convolutions); alone: everything but the head')
    .option('--head <n>', "outputs of the new head (default: the dataset's classes)", int('--head'))
    .option('--labels <n>', 'train on n labelled examples, class-balanced, drawn with --seed (default: all)', int('--labels'))
    .option('--val <n>', 'held-out training examples (not among the labelled ones) for the validation curves; 0 for none', nonNegInt('--val'), 500)
    .option('--epochs <n>', 'epochs over the labelled examples', int('--epochs'), 60)
    .option('--batch-size <n>', 'batch size', int('--batch-size'), 32)
    .option('--lr <x>', 'Adam learning rate (the head, and the backbone unless --lr-backbone)', num('--lr'), 1e-3)
    .option('--lr-backbone <x>', 'learning rate of the pretrained layers (their own parameter group)', num('--lr-backbone'))
    .option('--dropout <p>', "dropout on the inputs of the dense layers (the head and the hidden ones, not raw pixels) while training", Number, 0.3)
    .option('--schedule <name>', 'learning rate of both runs: cosine (annealed to lr/50 over all batches) | constant', 'cosine')
    .option('--augment <list>', 'training-time augmentation of the labelled images, comma-separated: shift (up to 2 pixels), flip (left-right), rotate (up to 10°), or none (default: shift for mnist, shift,flip otherwise)')
    .option('--seed <n>', 'random seed (labels, head initialization, batches, dropout)', (v) => Number(v), 0)
    .option('--no-scratch', 'skip the comparison run from scratch')
    .option('--out <dir>', 'run folder (default runs/<dataset>-finetune-<model>)')
    .option('--backend <name>', 'js | wasm (default: the fastest available; env STRATA_BACKEND)')
    .option('--threads <n>', 'worker threads for the wasm backend (default: all cores)', int('--threads'))
    .option('--data-dir <dir>', 'folder with the dataset files (CIFAR-10)')
    .option('--no-report', 'skip report.html')
    .action(async (source: string, dataset: string, o) => { await finetuneCommand(source, dataset, o); });
  p.command('sample')
    .description('sample names from a trained name model, or a grid of images from a VAE or GAN run')
    .argument('<run>', 'run folder of `strata train names` or `strata train vae|gan`')
    .option('--count <n>', 'how many names (default 20) or images (default 64)', int('--count'))
    .option('--temperature <t>', 'softmax temperature', num('--temperature'), 0.8)
    .option('--top-k <k>', 'sample among the k most likely characters', int('--top-k'))
    .option('--seed <n>', 'random seed', (v) => Number(v))
    .option('--out <file>', 'images: the PNG grid to write', 'samples.png')
    .option('--digit <d>', 'conditional GAN: every sample this class (default: sample k is class k mod 10)', (v) => Number(v))
    .action(async (run: string, o) => {
      const { existsSync } = await import('node:fs');
      if (!existsSync(run)) throw new st.StrataError('sample', `no run folder at ${run}`);
      if (isGenerativeRun(run)) await generativeSampleCommand(run, o);
      else await sampleCommand(run, { ...o, count: o.count ?? 20 });
    });
  p.command('encode')
    .description('encode a PNG image with an autoencoder or VAE run: print its code and reconstruction error')
    .argument('<run>', 'run folder of `strata train autoencoder|vae`')
    .argument('<image>', 'a 28×28 PNG')
    .option('--out <file>', 'write the reconstruction as a PNG')
    .action(async (run: string, image: string, o) => { await encodeCommand(run, image, o); });
  p.command('score')
    .description('judge the samples of a VAE or GAN run with an MNIST classifier (confident share, classes, Inception Score)')
    .argument('<run>', 'run folder of `strata train vae|gan mnist`')
    .option('--count <n>', 'samples to score', int('--count'), 1000)
    .option('--classifier <dir>', 'the `strata train mnist` run that scores (default runs/mnist-cnn-bn, else one trained on the fly)')
    .option('--seed <n>', 'random seed of the samples (default: the one the training run scored with)', (v) => Number(v))
    .action(async (run: string, o) => { await scoreCommand(run, o); });
  p.command('evaluate')
    .description('test accuracy of a saved run')
    .argument('<run>', 'run folder')
    .option('--data-dir <dir>', 'folder with the dataset files (CIFAR-10)')
    .action(async (run: string, o) => { await evaluateCommand(run, o); });
  p.command('predict')
    .description('classify a PNG image with a saved run')
    .argument('<run>', 'run folder')
    .argument('<image>', 'PNG file of the model input size')
    .action(async (run: string, image: string) => { await predictCommand(run, image); });
  p.command('summary')
    .description("print a zoo model's layers, output shapes and parameter counts")
    .argument('<model>', 'mlp | lenet5 | cnn | cnn-bn | alexnet')
    .option('--input <shape>', 'input shape C,H,W', '1,28,28')
    .action((model: string, o: { input: string }) => { summaryCommand(model, o.input); });
  p.command('bench')
    .description('run the standard benchmark workloads (same as npm run bench)')
    .allowUnknownOption()
    .action(async () => {
      const { spawnSync } = await import('node:child_process');
      const r = spawnSync('npm', ['run', 'bench', '--', ...process.argv.slice(3)], { stdio: 'inherit' });
      process.exitCode = r.status ?? 1;
    });
  return p;
}

/** Runs the CLI; bad input is a one-line message and exit code 1 (2 for usage errors). */
export async function main(argv = process.argv): Promise<void> {
  try {
    await program().parseAsync(argv);
  } catch (e) {
    if (e instanceof st.StrataError) {
      console.error(`error: ${e.message}`);
      process.exitCode = 1;
    } else throw e;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/cli/main.ts') || process.argv[1]?.endsWith('/cli/main.js')) {
  void main();
}
