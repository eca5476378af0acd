// SPDX-License-Identifier: MIT
// `strata finetune <run | .pt | .onnx> <dataset>`: transfer learning. Replaces the pretrained
// model's head, optionally freezes the backbone or gives it its own learning rate, trains on N
// labelled examples, then trains the same architecture from scratch with the same recipe (labels,
// seed, epochs, batches, dropout, head initialization) so that the report shows what pretraining bought.
import { join } from 'node:path';
import * as st from 'strata-dl';
import { ProgressBar } from '../progress-bar.js';
import { selectBackend } from './backend.js';
import { DATASETS, type ImageDataset } from './datasets.js';
import { type Evaluation, evaluateSet } from './evaluate.js';
import { type Source, addDenseDropout, headIndex, loadSource, replaceHead } from './finetune-source.js';
import { defaultAugment, parseAugment } from './augment.js';
import { balancedSubset } from './label-subset.js';
import { writeReport } from './report.js';
import { type EpochMetrics, type RunConfig, type RunMetrics, saveModel, writeJson } from './run-folder.js';
import { EpochTimer } from './epoch-timer.js';

export interface FinetuneOptions {
  /** Zoo architecture of a .pt/.onnx source (a run folder knows its own). */
  model?: string;
  /** Name prefixes to freeze, comma-separated; `true` (the flag alone) freezes everything but the head. */
  freeze?: string | boolean;
  /** Outputs of the new head (default: the dataset's classes). */
  head?: number;
  /** Labelled training examples, class-balanced (default: the whole training set). */
  labels?: number;
  /** Held-out training examples (disjoint from the labelled ones) for the validation curves. */
  val: number;
  lr: number;
  /** Learning rate of the pretrained layers (a parameter group of its own); default `lr`. */
  lrBackbone?: number;
  epochs: number;
  batchSize: number;
  /** Dropout on the inputs of the dense layers (the head and the hidden ones) while training. */
  dropout: number;
  /** 'cosine' (default) anneals every group's learning rate to lr/50 over all batches; 'constant' keeps it. */
  schedule?: string;
  /** Training-time augmentation, comma-separated (shift, flip, rotate, or none); default per dataset. */
  augment?: string;
  seed: number;
  /** Train the from-scratch comparison (default true). */
  scratch: boolean;
  out?: string;
  backend?: string;
  threads?: number;
  dataDir?: string;
  report: boolean;
  quiet?: boolean;
}

/** What metrics.json holds: the fine-tuned run at the top level (so `strata evaluate` checks it), the baseline beside it. */
export interface FinetuneMetrics extends RunMetrics {
  finetune: { source: string; labels: number; validation: number; frozen: string[]; trainableParams: number; lrBackbone: number | null; headLayer: string; paramGroups: { lr: number; params: string[] }[] };
  fromScratch: RunMetrics | null;
}

const fail = (msg: string): never => { throw new st.StrataError('finetune', msg); };

/** The parameter names `--freeze` selects (the flag alone: every layer before the head). */
function frozenPrefixes(model: st.nn.Sequential, freeze: string | boolean | undefined): string[] {
  if (freeze === undefined || freeze === false) return [];
  if (freeze === true) {
    const h = headIndex(model);
    return model.namedChildren().filter(([k, m]) => Number(k) < h && m.parameters().length > 0).map(([k]) => k);
  }
  return freeze.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

interface Trained { metrics: RunMetrics; evaluation: Evaluation; model: st.nn.Sequential }

/** The labelled examples as fit takes them: tensors, or with augmentation a loader that transforms each batch afresh. */
interface TrainData { train: st.train.FitData; samples: number; vx?: st.Tensor; vy?: st.Tensor }

async function trainAndTest(
  model: st.nn.Sequential, optimizer: st.train.TrainOptimizer, data: TrainData,
  test: { images: st.Tensor; labels: st.Tensor }, ds: ImageDataset, o: FinetuneOptions, backend: string, label: string,
): Promise<Trained> {
  const timer = new EpochTimer();
  const callbacks: st.train.Callback[] = [timer];
  if ((o.schedule ?? 'cosine') === 'cosine') {
    const steps = o.epochs * Math.ceil(data.samples / o.batchSize);
    callbacks.push(new st.train.LRSchedulerCallback(new st.optim.CosineAnnealingLR(optimizer, { tMax: steps, etaMin: Math.min(...optimizer.paramGroups.map((grp) => grp.lr)) / 50 }), { perBatch: true }));
  }
  if (!o.quiet) {
    console.log(label);
    callbacks.push(new ProgressBar());
  }
  const t0 = performance.now();
  const history = await st.fit(model, data.train, {
    optimizer, loss: st.nn.functional.crossEntropy, epochs: o.epochs, batchSize: o.batchSize, generator: new st.Generator(o.seed),
    metrics: ['accuracy'], validationData: data.vx && data.vy ? { x: data.vx, y: data.vy } : undefined, callbacks, yieldEvery: 5,
  });
  const trainSeconds = (performance.now() - t0) / 1000;
  const evaluation = evaluateSet(model, test.images, test.labels, ds.mean, ds.std);
  const h = history.history;
  const epochs: EpochMetrics[] = history.epochs.map((_, i) => ({
    epoch: i + 1, loss: h.loss[i], accuracy: h.accuracy[i], valLoss: h.valLoss?.[i], valAccuracy: h.valAccuracy?.[i],
    seconds: timer.records[i].seconds, samplesPerSecond: timer.records[i].samplesPerSecond,
  }));
  const seconds = epochs.reduce((a, e) => a + e.seconds, 0);
  const samples = epochs.reduce((a, e) => a + e.samplesPerSecond * e.seconds, 0);
  const metrics: RunMetrics = {
    epochs, testAccuracy: evaluation.accuracy, testLoss: evaluation.loss, trainSeconds,
    samplesPerSecond: samples / Math.max(seconds, 1e-9), backend, interrupted: false,
  };
  return { metrics, evaluation, model };
}

/** Adam over the trainable parameters; with `lrBackbone`, the pretrained ones form a group of their own. */
function optimizerFor(model: st.nn.Sequential, headLayer: string, lr: number, lrBackbone: number | undefined): st.optim.Adam {
  const trainable = model.namedParameters().filter(([, p]) => p.requiresGrad);
  if (trainable.length === 0) fail('--freeze leaves no parameter to train');
  if (lrBackbone === undefined) return new st.optim.Adam(trainable.map(([, p]) => p), { lr });
  const isHead = ([k]: [string, st.Tensor]): boolean => k.startsWith(`${headLayer}.`);
  const backbone = trainable.filter((e) => !isHead(e)).map(([, p]) => p);
  if (backbone.length === 0) fail('--lr-backbone has nothing to apply to: every layer but the head is frozen');
  return new st.optim.Adam([{ params: backbone, lr: lrBackbone }, { params: trainable.filter(isHead).map(([, p]) => p) }], { lr });
}

export async function finetuneCommand(sourcePath: string, datasetName: string, o: FinetuneOptions): Promise<FinetuneMetrics> {
  const log = o.quiet ? (): void => {} : (s: string): void => console.log(s);
  const ds = DATASETS[datasetName] ?? fail(`unknown dataset '${datasetName}'; choose one of ${Object.keys(DATASETS).join(', ')}`);
  if (!(o.dropout >= 0 && o.dropout < 1)) fail(`--dropout must be in [0, 1), got ${o.dropout}`);
  if (!['cosine', 'constant'].includes(o.schedule ?? 'cosine')) fail(`unknown --schedule '${o.schedule}'; choose cosine or constant`);
  const source: Source = await loadSource(sourcePath, { model: o.model, inputShape: ds.inputShape });
  const classes = o.head ?? ds.classNames.length;
  if (classes < ds.classNames.length) fail(`--head ${classes} is fewer outputs than ${ds.name}'s ${ds.classNames.length} classes`);
  const backend = selectBackend(o.backend, o.threads);
  const out = o.out ?? join('runs', `${ds.name}-finetune-${source.modelName}`);

  // Fine-tuned: the pretrained layers, a fresh head (initialized from the seed), frozen prefixes;
  // built before the data loads, so that a bad --freeze fails at once.
  const pretrained = addDenseDropout(source.model, o.dropout);
  st.manualSeed(o.seed);
  const tuned = replaceHead(pretrained, classes, o.dropout).train();
  const headLayer = String(headIndex(tuned));
  const frozen = frozenPrefixes(tuned, o.freeze);
  if (frozen.some((p) => `${headLayer}.`.startsWith(p.endsWith('.') ? p : `${p}.`))) fail(`--freeze ${frozen.join(',')} would freeze the new head (layer ${headLayer})`);
  if (frozen.length) tuned.freeze(...frozen);
  const trainableParams = tuned.numParameters({ trainable: true });
  const optimizer = optimizerFor(tuned, headLayer, o.lr, o.lrBackbone);
  const baseLrs = optimizer.paramGroups.map((grp) => grp.lr); // before the schedule anneals them
  log(`${source.describe}: head layer ${headLayer} replaced by ${classes} outputs; ${frozen.length ? `frozen ${frozen.join(', ')}; ` : ''}${trainableParams.toLocaleString('en-US')} of ${tuned.numParameters().toLocaleString('en-US')} parameters train`);
  log(`loading ${ds.name}...`);
  const train = ds.load('train', { dataDir: o.dataDir });
  const test = ds.load('test', { dataDir: o.dataDir });
  const n = o.labels ?? train.labels.shape[0] - o.val;
  const { labelled, heldOut } = balancedSubset(train.labels.dataSync(), ds.classNames.length, n, o.seed, o.val);
  const norm = st.data.normalize(ds.mean, ds.std);
  const g = new st.Generator(o.seed);
  const pick = (idx: number[], t: st.data.Transform): { x: st.Tensor; y: st.Tensor } => ({ x: t(train.images.indexSelect(0, idx), g).keep(), y: train.labels.indexSelect(0, idx).keep() });
  const augment = o.augment ?? defaultAugment(ds.name);
  const aug = parseAugment(augment);
  const val = heldOut.length ? pick(heldOut, norm) : undefined;
  // Each run gets its own loader from the same seed, so both see the same batches and the same augmentations.
  const trainData = (): TrainData => {
    if (!aug) {
      const lab = pick(labelled, norm);
      return { train: lab, samples: labelled.length, vx: val?.x, vy: val?.y };
    }
    const raw = pick(labelled, (x) => x);
    const transform = st.data.compose(aug, norm);
    const loader = new st.data.DataLoader<st.Tensor[]>(new st.data.TensorDataset(raw.x, raw.y), {
      batchSize: o.batchSize, shuffle: true, generator: new st.Generator(o.seed + 1),
      transform: ([xb, yb], gen) => [transform(xb, gen), yb],
    });
    return { train: loader, samples: labelled.length, vx: val?.x, vy: val?.y };
  };

  log(`${labelled.length} labelled ${ds.name} images (class-balanced, seed ${o.seed}), ${heldOut.length} held out for validation; augmentation ${aug ? augment : 'none'}; backend ${backend}`);
  const names = new Map<st.Tensor, string>(tuned.namedParameters().map(([k, p]) => [p, k]));
  const ft = await trainAndTest(tuned, optimizer, trainData(), test, ds, o, backend, 'fine-tuning the pretrained model');
  log(`fine-tuned: test accuracy ${(100 * ft.metrics.testAccuracy).toFixed(2)}% after ${ft.metrics.trainSeconds.toFixed(1)} s`);

  // From scratch: the same architecture freshly initialized, every layer training at --lr.
  let scratch: Trained | null = null;
  if (o.scratch) {
    st.manualSeed(o.seed);
    const fresh = addDenseDropout(st.models.createModel(source.modelName, { inputShape: ds.inputShape, classes, dropout: source.dropout }), o.dropout);
    st.manualSeed(o.seed); // the same head initialization as the fine-tuned model's
    const model = replaceHead(fresh, classes, o.dropout).train();
    scratch = await trainAndTest(model, new st.optim.Adam(model.parameters(), { lr: o.lr }), trainData(), test, ds, o, backend, 'training from scratch on the same labels');
    log(`from scratch: test accuracy ${(100 * scratch.metrics.testAccuracy).toFixed(2)}% after ${scratch.metrics.trainSeconds.toFixed(1)} s`);
  }

  const classNames = classes === ds.classNames.length ? ds.classNames : [...ds.classNames, ...Array.from({ length: classes - ds.classNames.length }, (_, i) => `unused ${ds.classNames.length + i}`)];
  const config: RunConfig = {
    format: 'strata-run/1', model: source.modelName, dataset: ds.name, inputShape: ds.inputShape, classNames, mean: ds.mean, std: ds.std, dropout: source.dropout,
    options: {
      finetune: sourcePath, labels: labelled.length, validation: heldOut.length, freeze: frozen.join(',') || 'none', epochs: o.epochs, batchSize: o.batchSize,
      optimizer: 'adam', schedule: o.schedule ?? 'cosine', augment: aug ? augment : 'none', lr: o.lr, lrBackbone: o.lrBackbone ?? 'same', headDropout: o.dropout, seed: o.seed, backend,
    },
  };
  const metrics: FinetuneMetrics = {
    ...ft.metrics,
    finetune: {
      source: source.describe, labels: labelled.length, validation: heldOut.length, frozen, trainableParams, lrBackbone: o.lrBackbone ?? null, headLayer,
      paramGroups: optimizer.paramGroups.map((grp, i) => ({ lr: baseLrs[i], params: grp.params.map((p) => names.get(p) ?? '?') })),
    },
    fromScratch: scratch?.metrics ?? null,
  };
  await saveModel(out, config, tuned);
  await writeJson(out, 'metrics.json', metrics);
  if (o.report) {
    const summary = tuned.summary(ds.inputShape, { print: null }).text;
    await writeReport(out, { model: tuned, config, metrics, test, evaluation: ft.evaluation, summary, baseline: scratch ? { label: 'from scratch', metrics: scratch.metrics } : undefined, runLabel: 'fine-tuned' });
  }
  const gain = scratch ? `; from scratch ${(100 * scratch.metrics.testAccuracy).toFixed(2)}% (${(100 * (ft.metrics.testAccuracy - scratch.metrics.testAccuracy)).toFixed(2)} points)` : '';
  log(`fine-tuned test accuracy ${(100 * ft.metrics.testAccuracy).toFixed(2)}%${gain}; run written to ${out}/`);
  return metrics;
}
