// SPDX-License-Identifier: MIT
// The Generate page: a VAE and a DCGAN on MNIST (samples, a walk between two codes, a 2-D grid over
// two latent dimensions) and the character-LSTM name generator. Each model is trained in its own Web
// Worker or loaded from a run folder (/runs/<name>/model.safetensors) or a file; sampling runs on the
// page's thread. `window.__generate` exposes the codes and images to tests.
import * as st from 'strata-dl';
import { paintGrey } from '../digits/draw.js';
import { type ImageModel, ganFrom, vaeFrom } from './models.js';
import type { FromWorker, Task, ToWorker } from './protocol.js';

/** An image model's view, as tests read it. */
interface ImageState {
  source: string;
  latent: number;
  classes: number;
  /** Seed of the samples grid and of the walk's two end codes. */
  seed: number;
  /** Sample grids drawn so far. */
  draws: number;
  walkT: number;
  walkZ: number[];
  walkImage: number[];
  label: number;
}
interface GenerateState {
  vae: ImageState | null;
  gan: ImageState | null;
  names: string[] | null;
  namesSource: string | null;
  /** The last training result text of each task, once its final weights are in. */
  trained: Record<Task, string | null>;
  error: string | null;
}
const state: GenerateState = { vae: null, gan: null, names: null, namesSource: null, trained: { vae: null, gan: null, names: null }, error: null };
(window as unknown as { __generate: GenerateState }).__generate = state;

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);
const num = (id: string): number => Number($<HTMLInputElement>(id).value);

interface Defaults { title: string; blurb: string; samples?: number; epochs: number; batch: number; hidden?: number; file: boolean }
const DEFAULTS: Record<Task, Defaults> = {
  vae: { title: 'VAE', blurb: 'The variational autoencoder of PyTorch\'s example (784 → 400 → 20-d Gaussian → 400 → 784), trained on the negative ELBO.', samples: 10000, epochs: 3, batch: 128, hidden: 400, file: true },
  gan: { title: 'GAN', blurb: 'The DCGAN generator (64-d noise → 7×7×64 → transposed convolutions → 28×28, tanh) against its convolutional discriminator; the samples refresh every 20 batches while it trains.', samples: 10000, epochs: 2, batch: 64, file: true },
  names: { title: 'Names', blurb: 'The character-level LSTM of <code>strata train names</code>: a name is the sequence <code>. c₁ … cₙ .</code>, and sampling draws one character after another.', epochs: 2, batch: 64, hidden: 128, file: false },
};

/** The run folders `strata train vae|gan|names` write by default. */
const RUN_NAMES: Record<Task, string> = { vae: 'mnist-vae', gan: 'mnist-gan', names: 'names' };

function fail(task: Task, e: unknown): void {
  state.error = String((e as Error)?.message ?? e);
  const s = $(`${task}-status`);
  s.textContent = `error: ${state.error}`;
  s.classList.add('error');
}
function ok(task: Task, text: string): void {
  const s = $(`${task}-status`);
  s.textContent = text;
  s.classList.remove('error');
}

/** The section's controls: training in a worker, a run folder, a file. */
function controls(task: Task): void {
  const d = DEFAULTS[task];
  const field = (name: string, label: string, value: number | undefined): string =>
    value === undefined ? '' : `<label>${label} <input id="${task}-${name}" type="number" min="1" value="${params.get(`${task}-${name}`) ?? value}" style="width:6em"></label>`;
  $(task).innerHTML = `<h2>${d.title}</h2><p>${d.blurb}</p>
    <div class="row">${field('samples', 'training images', d.samples)}${field('epochs', 'epochs', d.epochs)}${field('batch', 'batch', d.batch)}${field('hidden', 'hidden units', d.hidden)}
      <button id="${task}-train">Train in the page</button><button id="${task}-stop" disabled>Stop</button></div>
    <div class="row"><progress id="${task}-progress" max="1" value="0"></progress> <span id="${task}-progress-text"></span></div>
    <div class="row">or load the run <input id="${task}-run" type="text" value="${RUN_NAMES[task]}" size="12"> <button id="${task}-load-run">Load from /runs/</button>
      ${d.file ? `or a state dict <input id="${task}-file" type="file" accept=".safetensors">` : ''}</div>
    <p id="${task}-status" class="status">No model yet.</p><div id="${task}-view"></div>`;
}

/** Wires a section's training and loading; `accept` takes the weights (and, for names, the config and vocabulary). */
function wire(task: Task, accept: (bytes: Uint8Array, source: string, extra?: Extract<FromWorker, { type: 'weights' }>['names']) => void): void {
  let worker: Worker | null = null;
  const train = $<HTMLButtonElement>(`${task}-train`);
  const stop = $<HTMLButtonElement>(`${task}-stop`);
  const bar = $<HTMLProgressElement>(`${task}-progress`);
  const text = $(`${task}-progress-text`);
  const finish = (): void => { train.disabled = false; stop.disabled = true; };
  train.addEventListener('click', () => {
    worker ??= new Worker(new URL('./train.worker.js', import.meta.url), { type: 'module' });
    const d = DEFAULTS[task];
    const msg: ToWorker = {
      type: 'train', task, samples: d.samples ? num(`${task}-samples`) : 0, epochs: num(`${task}-epochs`), batchSize: num(`${task}-batch`),
      hidden: d.hidden ? num(`${task}-hidden`) : 0, seed: 0,
    };
    train.disabled = true;
    stop.disabled = false;
    state.trained[task] = null;
    bar.value = 0;
    text.textContent = 'starting…';
    worker.onmessage = (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      if (m.type === 'progress') { bar.value = m.fraction; text.textContent = m.text; return; }
      if (m.type === 'error') { finish(); fail(task, m.message); return; }
      try {
        accept(m.weights, m.final ? 'training in this page' : 'training in this page (still training)', m.names);
      } catch (err) { fail(task, err); }
      if (m.final) { finish(); text.textContent = `done: ${m.text}`; state.trained[task] = m.text; }
    };
    worker.postMessage(msg);
  });
  stop.addEventListener('click', () => worker?.postMessage({ type: 'stop' } satisfies ToWorker));
  const load = async (): Promise<void> => {
    const base = `/runs/${encodeURIComponent($<HTMLInputElement>(`${task}-run`).value)}/`;
    const weights = await fetch(base + 'model.safetensors');
    if (!weights.ok) throw new Error(`no ${base}model.safetensors (HTTP ${weights.status})`);
    let extra: Extract<FromWorker, { type: 'weights' }>['names'];
    if (task === 'names') {
      const cfg = await fetch(base + 'config.json');
      if (!cfg.ok) throw new Error(`no ${base}config.json (HTTP ${cfg.status}): a name run has its vocabulary there`);
      const c = (await cfg.json()) as { format?: string; config: Record<string, number>; vocab: { symbols: string } };
      if (c.format !== 'strata-charlm/1') throw new Error(`${base}config.json is not a name-model run (format ${String(c.format)})`);
      extra = { config: c.config, vocab: c.vocab };
    }
    accept(new Uint8Array(await weights.arrayBuffer()), `${base}model.safetensors`, extra);
  };
  $(`${task}-load-run`).addEventListener('click', () => { load().catch((e) => fail(task, e)); });
  (document.getElementById(`${task}-file`) as HTMLInputElement | null)?.addEventListener('change', async (e) => {
    const f = (e.target as HTMLInputElement).files?.[0];
    if (!f) return;
    try { accept(new Uint8Array(await f.arrayBuffer()), f.name); } catch (err) { fail(task, err); }
  });
  if (params.has(task)) { $<HTMLInputElement>(`${task}-run`).value = params.get(task)!; load().catch((e) => fail(task, e)); }
}

// --- the image models: samples, the walk, the grid ---

/** Paints N 28×28 images (pixels in [0, 1]) as a grid of `cols` columns into `canvas`. */
function paintImages(canvas: HTMLCanvasElement, pixels: Float32Array, n: number, cols: number, zoom: number): void {
  const rows = Math.ceil(n / cols);
  canvas.width = cols * 28;
  canvas.height = rows * 28;
  canvas.style.width = `${cols * 28 * zoom}px`;
  const ctx = canvas.getContext('2d')!;
  for (let i = 0; i < n; i++) paintGrey(ctx, pixels.subarray(i * 784, (i + 1) * 784), 28, 28, (i % cols) * 28, Math.floor(i / cols) * 28, 0, 1);
}

function imageView(task: 'vae' | 'gan', model: ImageModel, source: string): void {
  const prev = state[task];
  const s: ImageState = {
    source, latent: model.latent, classes: model.classes, seed: prev?.seed ?? 1, draws: prev?.draws ?? 0,
    walkT: prev?.walkT ?? 0.5, walkZ: [], walkImage: [], label: Math.min(prev?.label ?? 0, Math.max(model.classes - 1, 0)),
  };
  state[task] = s;
  ok(task, `${task.toUpperCase()} from ${source}: ${model.latent}-d codes${model.classes ? `, ${model.classes} classes` : ''}.`);
  const view = $(`${task}-view`);
  if (!view.firstChild) {
    view.innerHTML = `<div class="row top">
      <div><canvas id="${task}-sample-grid" class="img"></canvas><br><button id="${task}-resample">New samples</button>
        <span id="${task}-label-box" hidden><label>class <input id="${task}-label" type="number" min="0" value="0" style="width:4em"></label></span></div>
      <div><canvas id="${task}-grid" class="img"></canvas><br><small>latent dimensions 0 (→) and 1 (↓) from −2.5 to 2.5, the others 0</small></div></div>
      <div class="row"><label>walk from one code to another <input id="${task}-walk" type="range" min="0" max="100" value="50"></label></div>
      <div class="row"><canvas id="${task}-walk-image" class="img"></canvas><canvas id="${task}-strip" class="img"></canvas></div>`;
    $(`${task}-resample`).addEventListener('click', () => { state[task]!.seed++; draw(); });
    $(`${task}-walk`).addEventListener('input', () => { state[task]!.walkT = num(`${task}-walk`) / 100; walk(); });
    $(`${task}-label`).addEventListener('input', () => { state[task]!.label = num(`${task}-label`); draw(); });
  }
  $(`${task}-label-box`).hidden = model.classes === 0;
  const labels = (n: number, fixed?: number): st.Tensor | undefined =>
    (model.classes ? st.tensor(Int32Array.from({ length: n }, (_, i) => fixed ?? i % model.classes), { shape: [n] }) : undefined);
  const decode = (z: st.Tensor, lab?: st.Tensor): Float32Array => st.scoped(() => st.noGrad(() => Float32Array.from(model.decode(z, lab).dataSync() as ArrayLike<number>)));
  /** The walk's two end codes, from the seed. */
  const ends = (): [st.Tensor, st.Tensor] => {
    const g = new st.Generator(1000 + state[task]!.seed);
    return [st.randn([1, model.latent], { generator: g }), st.randn([1, model.latent], { generator: g })];
  };
  function walk(): void {
    const cur = state[task]!;
    st.scoped(() => {
      const [a, b] = ends();
      const z = a.mul(1 - cur.walkT).add(b.mul(cur.walkT));
      const img = decode(z, labels(1, cur.label));
      paintImages($<HTMLCanvasElement>(`${task}-walk-image`), img, 1, 1, 5);
      cur.walkZ = Array.from(z.dataSync() as ArrayLike<number>);
      cur.walkImage = Array.from(img);
      // the whole walk in 10 steps
      const ts = st.tensor(Float32Array.from({ length: 10 }, (_, i) => i / 9), { shape: [10, 1] });
      const path = a.mul(st.ones([10, 1]).sub(ts)).add(b.mul(ts));
      paintImages($<HTMLCanvasElement>(`${task}-strip`), decode(path, labels(10, cur.label)), 10, 10, 3);
    });
  }
  function draw(): void {
    const cur = state[task]!;
    st.scoped(() => {
      const z = st.randn([64, model.latent], { generator: new st.Generator(cur.seed) });
      paintImages($<HTMLCanvasElement>(`${task}-sample-grid`), decode(z, labels(64)), 64, 8, 2);
      const grid = new Float32Array(81 * model.latent);
      for (let r = 0; r < 9; r++) for (let c = 0; c < 9; c++) {
        grid[(r * 9 + c) * model.latent] = -2.5 + (5 * c) / 8;
        if (model.latent > 1) grid[(r * 9 + c) * model.latent + 1] = -2.5 + (5 * r) / 8;
      }
      paintImages($<HTMLCanvasElement>(`${task}-grid`), decode(st.tensor(grid, { shape: [81, model.latent] }), labels(81, cur.label)), 81, 9, 2);
    });
    walk();
    cur.draws++;
  }
  draw();
}

for (const task of ['vae', 'gan'] as const) {
  controls(task);
  wire(task, (bytes, source) => {
    const { tensors } = st.io.decodeSafetensors(bytes, { source });
    imageView(task, task === 'vae' ? vaeFrom(tensors, source) : ganFrom(tensors, source), source);
  });
}

// --- names ---

controls('names');
let namesModel: { model: st.text.CharLM; vocab: st.text.CharVocab } | null = null;
let namesSeed = 1;
function sampleNames(): void {
  if (!namesModel) return;
  const temperature = num('names-temperature') / 100;
  const { model, vocab } = namesModel;
  const names = st.text.sample(model, vocab, { count: 24, temperature, generator: new st.Generator(namesSeed) }).map(st.text.displayName);
  const list = $('names-list');
  list.replaceChildren(...names.map((n) => Object.assign(document.createElement('li'), { textContent: n })));
  state.names = names;
}
wire('names', (bytes, source, extra) => {
  if (!extra) throw new Error(`${source}: a name model needs its config and vocabulary`);
  const model = new st.text.CharLM({ ...extra.config, vocabSize: extra.config.vocabSize });
  model.loadStateDict(st.io.decodeSafetensors(bytes, { source }).tensors);
  model.eval();
  namesModel = { model, vocab: st.text.CharVocab.fromJSON(extra.vocab) };
  state.namesSource = source;
  ok('names', `name model from ${source}: ${model.config.hiddenSize} hidden units, ${namesModel.vocab.size} symbols.`);
  const view = $('names-view');
  if (!view.firstChild) {
    view.innerHTML = `<div class="row"><label>temperature <input id="names-temperature" type="range" min="10" max="150" value="80"></label>
      <span id="names-temperature-value">0.8</span><button id="names-more">More names</button></div><ol id="names-list" class="names"></ol>`;
    $('names-more').addEventListener('click', () => { namesSeed++; sampleNames(); });
    $('names-temperature').addEventListener('input', () => { $('names-temperature-value').textContent = (num('names-temperature') / 100).toFixed(2); sampleNames(); });
  }
  sampleNames();
});

// scripts/playground-screenshots.ts waits for this
document.body.dataset.screenshot = 'ready';
