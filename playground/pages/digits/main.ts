// SPDX-License-Identifier: MIT
// The Digits page: train the MNIST CNN in a worker (or load trained weights), draw a digit, see the
// class probabilities and every layer's feature maps. Inference runs here, on the page's thread:
// one 28×28 image takes milliseconds. `window.__digits` exposes the input and outputs to tests.
import * as st from 'strata-dl';
import { drawingPad, paintGrey, toMnist } from './draw.js';
import { layerOutputs, renderMaps } from './maps.js';
import { MNIST_MEAN, MNIST_STD } from './mnist.js';
import type { FromWorker, ToWorker } from './protocol.js';

/** What tests read: the current model, the last input (784 values in [0, 1]) and its outputs. */
interface DigitsState {
  model: string | null;
  source: string | null;
  input: number[] | null;
  probs: number[] | null;
  predicted: number | null;
  /** Predictions made so far; a test waits for it to move after drawing. */
  predictions: number;
  training: boolean;
  trained: { testAccuracy: number; samplesPerSecond: number; seconds: number; stopped: boolean } | null;
  error: string | null;
}
const state: DigitsState = { model: null, source: null, input: null, probs: null, predicted: null, predictions: 0, training: false, trained: null, error: null };
(window as unknown as { __digits: DigitsState }).__digits = state;

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const status = $('model-status');
const progress = $<HTMLProgressElement>('progress');
const progressText = $('progress-text');
const trainBtn = $<HTMLButtonElement>('train');
const stopBtn = $<HTMLButtonElement>('stop');
const pad = $<HTMLCanvasElement>('pad');
const inputCanvas = $<HTMLCanvasElement>('input');
let model: st.nn.Sequential | null = null;

function fail(e: unknown): void {
  state.error = String((e as Error)?.message ?? e);
  status.textContent = `error: ${state.error}`;
  status.style.color = '#c62828';
}

// --- a model: trained in the worker, or loaded ---

/** Builds the named zoo model from safetensors bytes; without a name, the first zoo model the weights fit (npm start's cnn-bn first). */
function modelFrom(bytes: Uint8Array, name: string | null, source: string): void {
  const { tensors } = st.io.decodeSafetensors(bytes, { source });
  const names = name ? [name] : ['cnn-bn', 'cnn', 'lenet5', 'mlp', 'alexnet'];
  const problems: string[] = [];
  for (const n of names) {
    const m = st.models.createModel(n);
    try {
      m.loadStateDict(tensors);
    } catch (e) {
      problems.push(`${n}: ${(e as Error).message}`);
      continue;
    }
    m.eval();
    model = m;
    state.model = n;
    state.source = source;
    status.style.color = '';
    status.textContent = `model: ${n} from ${source} (${m.numParameters().toLocaleString('en-US')} parameters; backend ${st.getBackend().name}, ${st.getNumThreads()} thread(s)). Draw a digit.`;
    predict();
    return;
  }
  throw new Error(`${source} holds no zoo model's weights (${problems.join('; ')})`);
}

let worker: Worker | null = null;
function train(): void {
  worker ??= new Worker(new URL('./train.worker.js', import.meta.url), { type: 'module' });
  const msg: ToWorker = {
    type: 'train', samples: Number($<HTMLInputElement>('samples').value), epochs: Number($<HTMLInputElement>('epochs').value),
    batchSize: Number($<HTMLInputElement>('batch').value), lr: 1e-3, seed: 0,
  };
  state.training = true;
  state.trained = null;
  trainBtn.disabled = true;
  stopBtn.disabled = false;
  progress.value = 0;
  progressText.textContent = 'loading the MNIST subset…';
  worker.onmessage = (e: MessageEvent<FromWorker>) => {
    const m = e.data;
    if (m.type === 'loaded') progressText.textContent = `${m.trainCount} training and ${m.testCount} test images loaded; training on ${m.backend} with ${m.threads} thread(s)…`;
    else if (m.type === 'progress') {
      progress.value = m.seen / m.total;
      const eta = (m.total - m.seen) / Math.max(m.samplesPerSecond, 1e-9);
      progressText.textContent = `epoch ${m.epoch}/${m.epochs}: ${m.seen}/${m.total} samples, ${m.samplesPerSecond.toFixed(0)} samples/s, ETA ${eta.toFixed(0)} s; loss ${m.loss.toFixed(3)}, accuracy ${(100 * m.accuracy).toFixed(1)}%`;
    } else if (m.type === 'done') {
      state.training = false;
      trainBtn.disabled = false;
      stopBtn.disabled = true;
      if (!m.stopped) progress.value = 1;
      progressText.textContent = `${m.stopped ? 'stopped' : 'done'} in ${m.seconds.toFixed(1)} s (${m.samplesPerSecond.toFixed(0)} samples/s); test accuracy ${(100 * m.testAccuracy).toFixed(2)}% on the test subset`;
      try {
        modelFrom(m.weights, 'cnn', 'training in this page');
        state.trained = { testAccuracy: m.testAccuracy, samplesPerSecond: m.samplesPerSecond, seconds: m.seconds, stopped: m.stopped };
      } catch (err) { fail(err); }
    } else {
      state.training = false;
      trainBtn.disabled = false;
      stopBtn.disabled = true;
      fail(m.message);
    }
  };
  worker.postMessage(msg);
}
trainBtn.addEventListener('click', train);
stopBtn.addEventListener('click', () => worker?.postMessage({ type: 'stop' } satisfies ToWorker));

$<HTMLInputElement>('file').addEventListener('change', async (e) => {
  const f = (e.target as HTMLInputElement).files?.[0];
  if (!f) return;
  try { modelFrom(new Uint8Array(await f.arrayBuffer()), null, f.name); } catch (err) { fail(err); }
});

/** Loads /runs/<name>/model.safetensors, and the model's name from its config.json (a `strata train` run). */
async function loadRun(name: string): Promise<void> {
  const base = `/runs/${encodeURIComponent(name)}/`;
  const [cfg, weights] = await Promise.all([fetch(base + 'config.json'), fetch(base + 'model.safetensors')]);
  if (!weights.ok) throw new Error(`no ${base}model.safetensors (HTTP ${weights.status}): run \`npm start\` and serve with \`npm run playground\``);
  let modelName: string | null = null;
  if (cfg.ok) {
    const c = (await cfg.json()) as { model?: string; inputShape?: number[]; classNames?: string[] };
    if (c.inputShape && c.inputShape.join() !== '1,28,28') throw new Error(`${base} is a run on ${c.inputShape.join('×')} inputs; this page draws 1×28×28 digits`);
    modelName = c.model ?? null;
  }
  modelFrom(new Uint8Array(await weights.arrayBuffer()), modelName, `${base}model.safetensors`);
}
const runInput = $<HTMLInputElement>('run');
runInput.addEventListener('input', () => { $('run-name').textContent = runInput.value; });
$('load-run').addEventListener('click', () => { loadRun(runInput.value).catch(fail); });

// --- drawing and prediction ---

let scheduled = false;
const padApi = drawingPad(pad, () => {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => { scheduled = false; predict(); });
});
$('clear').addEventListener('click', () => {
  padApi.clear();
  inputCanvas.getContext('2d')!.clearRect(0, 0, 28, 28);
  Object.assign(state, { input: null, probs: null, predicted: null });
  $('probs').replaceChildren();
  $('maps').replaceChildren();
});

function predict(): void {
  const input = toMnist(pad);
  if (!input) return;
  paintGrey(inputCanvas.getContext('2d')!, input, 28, 28, 0, 0, 0, 1);
  state.input = Array.from(input);
  if (!model) return;
  const net = model;
  const x = st.tensor(input.map((v) => (v - MNIST_MEAN) / MNIST_STD), { shape: [1, 1, 28, 28] });
  const probs = st.scoped(() => st.noGrad(() => (net.forward(x) as st.Tensor).softmax(1).toArray() as number[][]))[0];
  renderMaps($('maps'), layerOutputs(net, x));
  x.dispose();
  const best = probs.indexOf(Math.max(...probs));
  const rows: HTMLElement[] = [];
  probs.forEach((p, k) => {
    const label = document.createElement('span');
    label.textContent = String(k);
    const bar = document.createElement('div');
    bar.className = k === best ? 'bar best' : 'bar';
    bar.style.width = `${(100 * p).toFixed(1)}%`;
    const value = document.createElement('span');
    value.className = 'prob';
    value.textContent = `${(100 * p).toFixed(1)}%`;
    rows.push(label, bar, value);
  });
  $('probs').replaceChildren(...rows);
  Object.assign(state, { probs, predicted: best, predictions: state.predictions + 1 });
}

// ?samples=, ?epochs= set the training form; ?run=<name> loads that run at once.
const params = new URLSearchParams(location.search);
for (const k of ['samples', 'epochs', 'batch']) if (params.has(k)) $<HTMLInputElement>(k).value = params.get(k)!;
if (params.has('run')) { runInput.value = params.get('run')!; $('run-name').textContent = runInput.value; loadRun(runInput.value).catch(fail); }

// scripts/playground-screenshots.ts waits for this
document.body.dataset.screenshot = 'ready';
