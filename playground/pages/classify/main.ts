// SPDX-License-Identifier: MIT
// Classify 2-D data: the controls, the URL (the whole configuration lives in its hash), and the
// drawing of what the training worker (train.worker.ts) reports. window.__classify exposes the
// figures the page shows, for the browser tests and the screenshot script.
import '../../shared/controls.css';
import { drawCurves } from '../../shared/plot.js';
import { byId, describeRuntime, fillSelect, pct } from '../../shared/ui.js';
import { DATASETS, type Points, makeDataset, splitPoints } from './datasets.js';
import { drawBoundary, drawNetwork } from './draw.js';
import type { FromWorker, Progress, ToWorker } from './protocol.js';
import {
  ACTIVATIONS, BATCH_SIZES, type ClassifyState, LEARNING_RATES, OPTIMIZERS, POINTS, formatState, parseLayers, parseState,
} from './state.js';

/** What the page exposes for tests. */
interface Exposed {
  state: ClassifyState;
  step: number; trainLoss: number; testLoss: number; trainAcc: number; testAcc: number;
  running: boolean;
  /** ms the worker spent in optimizer steps, and in reports (grid, metrics, weights) */
  trainMs: number; reportMs: number;
  /** ms from the first press of Train after a reset to the first report with test accuracy ≥ 95% (null: not yet) */
  msTo95: number | null;
  backend: string; threads: number; workerIsolated: boolean;
  error: string | null;
}
const exposed: Exposed = {
  state: parseState(location.hash), step: 0, trainLoss: NaN, testLoss: NaN, trainAcc: NaN, testAcc: NaN,
  running: false, trainMs: 0, reportMs: 0, msTo95: null, backend: '', threads: 0, workerIsolated: false, error: null,
};
(window as unknown as { __classify: Exposed }).__classify = exposed;

const $ = {
  dataset: byId<HTMLSelectElement>('dataset'), noise: byId<HTMLInputElement>('noise'), split: byId<HTMLInputElement>('split'),
  seed: byId<HTMLInputElement>('seed'), points: byId<HTMLSelectElement>('points'), layers: byId<HTMLInputElement>('layers'), activation: byId<HTMLSelectElement>('activation'),
  optimizer: byId<HTMLSelectElement>('optimizer'), lr: byId<HTMLSelectElement>('lr'), batch: byId<HTMLSelectElement>('batch'),
  l1: byId<HTMLInputElement>('l1'), l2: byId<HTMLInputElement>('l2'), dropout: byId<HTMLInputElement>('dropout'),
  train: byId<HTMLButtonElement>('train'), step: byId<HTMLButtonElement>('step'), reset: byId<HTMLButtonElement>('reset'),
  showTest: byId<HTMLInputElement>('showTest'), link: byId<HTMLAnchorElement>('link'),
  boundary: byId<HTMLCanvasElement>('boundary'), loss: byId<HTMLCanvasElement>('loss'), network: byId<HTMLCanvasElement>('network'),
  metrics: byId('metrics'), status: byId('status'),
};

/** Puts a state into the controls. */
function showState(s: ClassifyState): void {
  fillSelect($.dataset, DATASETS, s.dataset);
  fillSelect($.activation, ACTIVATIONS, s.activation);
  fillSelect($.optimizer, OPTIMIZERS.map((o) => [o, o === 'sgd' ? 'SGD' : o === 'adam' ? 'Adam' : 'SGD + momentum 0.9'] as const), s.optimizer);
  fillSelect($.lr, [...new Set([...LEARNING_RATES, s.lr])].sort((a, b) => a - b), s.lr);
  fillSelect($.batch, [...new Set([...BATCH_SIZES, s.batch])].sort((a, b) => a - b), s.batch);
  fillSelect($.points, [...new Set([...POINTS, s.points])].sort((a, b) => a - b), s.points);
  $.noise.value = String(s.noise);
  $.split.value = String(s.split);
  $.seed.value = String(s.seed);
  $.layers.value = s.layers.join(',');
  $.l1.value = String(s.l1);
  $.l2.value = String(s.l2);
  $.dropout.value = String(s.dropout);
}

/** Reads the controls (a malformed field keeps its previous value). */
function readState(prev: ClassifyState): ClassifyState {
  const n = (e: HTMLInputElement | HTMLSelectElement, fallback: number): number => (e.value.trim() !== '' && Number.isFinite(Number(e.value)) ? Number(e.value) : fallback);
  const layers = parseLayers($.layers.value);
  $.layers.setCustomValidity(layers ? '' : 'widths 1 to 32, at most 6 layers, e.g. 16,16');
  // the hash is the one validator: whatever it would reject falls back to the default
  return parseState(formatState({
    ...prev,
    dataset: $.dataset.value as ClassifyState['dataset'], activation: $.activation.value as ClassifyState['activation'],
    optimizer: $.optimizer.value as ClassifyState['optimizer'], lr: n($.lr, prev.lr), batch: n($.batch, prev.batch),
    points: n($.points, prev.points), noise: n($.noise, prev.noise), split: n($.split, prev.split), seed: n($.seed, prev.seed), layers: layers ?? prev.layers,
    l1: n($.l1, prev.l1), l2: n($.l2, prev.l2), dropout: n($.dropout, prev.dropout),
  }));
}

let data: { train: Points; test: Points } = { train: { xy: new Float32Array(0), label: new Uint8Array(0) }, test: { xy: new Float32Array(0), label: new Uint8Array(0) } };
let last: Progress | null = null;
const curves = { train: [] as number[], test: [] as number[] };
let trainPressedAt = 0;
let gen = 0;
const worker = new Worker(new URL('./train.worker.js', import.meta.url), { type: 'module' });
const send = (m: ToWorker): void => worker.postMessage(m);

/** New data and a new network for the current state; training stops. */
function reset(): void {
  const s = exposed.state;
  data = splitPoints(makeDataset(s.dataset, s.points, s.noise, s.seed), s.split, s.seed);
  last = null;
  curves.train = [];
  curves.test = [];
  exposed.msTo95 = null;
  setRunning(false);
  send({ type: 'reset', gen: ++gen, state: s, train: data.train, test: data.test });
  render();
}

function setRunning(r: boolean): void {
  exposed.running = r;
  $.train.textContent = r ? 'Pause' : 'Train';
}

function render(): void {
  drawBoundary($.boundary, last?.grid ?? null, last?.res ?? 1, data.train, data.test, $.showTest.checked);
  drawCurves($.loss, [{ label: 'train loss', color: '#1565c0', values: curves.train }, { label: 'test loss', color: '#222', values: curves.test }], 'reports (every 40 ms or more of training)');
  if (last) drawNetwork($.network, last.weights);
  $.metrics.textContent = last
    ? `step ${last.step} · epoch ${last.epoch} · train loss ${last.trainLoss.toFixed(4)} · test loss ${last.testLoss.toFixed(4)} · train accuracy ${pct(last.trainAcc)} · test accuracy ${pct(last.testAcc)}`
      + (last.step > 0 ? ` · ${Math.round((1000 * last.step) / Math.max(1, last.trainMs))} steps/s` : '')
      + (exposed.msTo95 !== null ? ` · 95% after ${(exposed.msTo95 / 1000).toFixed(1)} s` : '')
    : '';
}

let frame = 0;
worker.onmessage = (ev: MessageEvent<FromWorker>): void => {
  const m = ev.data;
  if (m.type === 'ready') {
    Object.assign(exposed, { backend: m.backend, threads: m.threads, workerIsolated: m.isolated });
    $.status.textContent = `training worker: ${describeRuntime(m.backend, m.threads, m.isolated)}`;
  } else if (m.type === 'error') {
    exposed.error = m.message;
    setRunning(false);
    $.metrics.textContent = `error: ${m.message}`;
    console.error(m.message);
  } else if (m.gen === gen) {
    if (m.step > 0 && m.step !== last?.step) {
      curves.train.push(m.trainLoss);
      curves.test.push(m.testLoss);
    }
    last = m;
    Object.assign(exposed, { step: m.step, trainLoss: m.trainLoss, testLoss: m.testLoss, trainAcc: m.trainAcc, testAcc: m.testAcc, trainMs: m.trainMs, reportMs: m.reportMs });
    if (exposed.msTo95 === null && m.testAcc >= 0.95 && trainPressedAt > 0 && exposed.running) exposed.msTo95 = performance.now() - trainPressedAt;
    // draw at most once a frame, however fast the reports come
    if (!frame) frame = requestAnimationFrame(() => { frame = 0; render(); document.body.dataset.screenshot = 'ready'; });
  }
};
worker.onerror = (e): void => { exposed.error = e.message; console.error(`training worker: ${e.message}`); };

function onControls(): void {
  const s = readState(exposed.state);
  exposed.state = s;
  history.replaceState(null, '', `#${formatState(s)}`);
  $.link.href = location.href;
  reset();
}

for (const e of [$.dataset, $.points, $.noise, $.split, $.seed, $.layers, $.activation, $.optimizer, $.lr, $.batch, $.l1, $.l2, $.dropout]) e.addEventListener('change', onControls);
$.showTest.addEventListener('change', render);
$.train.addEventListener('click', () => {
  if (exposed.running) {
    setRunning(false);
    send({ type: 'pause' });
  } else {
    if (exposed.msTo95 === null) trainPressedAt = performance.now();
    setRunning(true);
    send({ type: 'train' });
  }
});
$.step.addEventListener('click', () => { setRunning(false); send({ type: 'step' }); });
$.reset.addEventListener('click', reset);
// a pasted link (or the back button) changes the hash: take its configuration
window.addEventListener('hashchange', () => {
  exposed.state = parseState(location.hash);
  showState(exposed.state);
  reset();
});

showState(exposed.state);
history.replaceState(null, '', `#${formatState(exposed.state)}`);
$.link.href = location.href;
reset();
