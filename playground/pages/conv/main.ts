// SPDX-License-Identifier: MIT
// Convolution explorer: an image (built in or drawn), a kernel (a classic one or an editable 3×3 /
// 5×5 grid), padding, stride, dilation and pooling, recomputed with strata-dl on every change.
// One convolution of a 32×32 image takes well under a millisecond, so it runs on the page's own
// thread (the wasm pool's workers take the large kernels). window.__conv exposes the numbers.
import * as st from 'strata-dl';
import '../../shared/controls.css';
import './conv.css';
import { byId, describeRuntime, fillSelect } from '../../shared/ui.js';
import { type Explored, type Plane, explore } from './compute.js';
import { attachPad, drawPlane, readPad } from './draw.js';
import { IMAGES, SIZE, makeImage } from './images.js';
import { KERNELS, KERNEL_NAMES, type KernelName, kernelSide } from './kernels.js';
import { type ConvState, PADDINGS, POOLS, formatState, parseState } from './state.js';

interface Exposed {
  state: ConvState;
  /** recomputations so far (tests wait for it to move) */
  version: number;
  input: number[]; inputShape: [number, number];
  conv: number[]; convShape: [number, number];
  pooled: number[] | null; pooledShape: [number, number] | null;
  formula: { h: number; w: number; text: string } | null;
  poolFormula: { h: number; w: number } | null;
  pads: number[];
  error: string | null;
  backend: string; threads: number; poolReady: boolean;
}
const exposed: Exposed = {
  state: parseState(location.hash), version: 0, input: [], inputShape: [SIZE, SIZE], conv: [], convShape: [0, 0], pooled: null,
  pooledShape: null, formula: null, poolFormula: null, pads: [], error: null, backend: st.getBackend().name, threads: st.getNumThreads(), poolReady: false,
};
(window as unknown as { __conv: Exposed }).__conv = exposed;

const $ = {
  image: byId<HTMLSelectElement>('image'), pad: byId<HTMLCanvasElement>('pad'), clear: byId<HTMLButtonElement>('clear'),
  kernel: byId<HTMLSelectElement>('kernel'), ksize: byId<HTMLSelectElement>('ksize'), grid: byId('grid'),
  padding: byId<HTMLSelectElement>('padding'), stride: byId<HTMLInputElement>('stride'), dilation: byId<HTMLInputElement>('dilation'),
  pool: byId<HTMLSelectElement>('pool'), poolSize: byId<HTMLInputElement>('poolSize'), link: byId<HTMLAnchorElement>('link'),
  input: byId<HTMLCanvasElement>('input'), conv: byId<HTMLCanvasElement>('conv'), pooled: byId<HTMLCanvasElement>('pooled'),
  inTitle: byId('inTitle'), convTitle: byId('convTitle'), poolTitle: byId('poolTitle'), formula: byId('formula'),
  poolFormula: byId('poolFormula'), error: byId('error'), status: byId('status'),
};

let drawn: Float32Array | null = null;

function showState(s: ConvState): void {
  fillSelect($.image, [...IMAGES, ...(drawn ? ['drawn'] : [])], s.image);
  fillSelect($.kernel, KERNEL_NAMES, s.kernel);
  $.ksize.value = String(kernelSide(s.weights.length));
  $.ksize.disabled = s.kernel !== 'custom';
  fillSelect($.padding, PADDINGS, s.padding);
  fillSelect($.pool, POOLS, s.pool);
  $.stride.value = String(s.stride);
  $.dilation.value = String(s.dilation);
  $.poolSize.value = String(s.poolSize);
  showGrid(s.weights);
}

/** The kernel's weights as a grid of inputs; rebuilt only when the size changes, so focus stays put. */
function showGrid(weights: number[]): void {
  const k = kernelSide(weights.length);
  const cells = [...$.grid.querySelectorAll('input')];
  const fmt = (w: number): string => String(Number(w.toPrecision(4)));
  if (cells.length === weights.length) {
    cells.forEach((c, i) => { if (c !== document.activeElement) c.value = fmt(weights[i]); });
    return;
  }
  $.grid.style.gridTemplateColumns = `repeat(${k}, auto)`;
  $.grid.replaceChildren(...weights.map((w, i) => {
    const cell = document.createElement('input');
    cell.type = 'number';
    cell.step = '0.1';
    cell.value = fmt(w);
    cell.setAttribute('aria-label', `kernel row ${Math.floor(i / k) + 1} column ${(i % k) + 1}`);
    cell.addEventListener('change', () => {
      const v = Number(cell.value);
      if (!Number.isFinite(v)) return;
      // editing a weight makes the kernel a custom one, starting from the preset's weights
      update({ kernel: 'custom', weights: exposed.state.weights.map((x, j) => (j === i ? v : x)) });
    });
    return cell;
  }));
}

function update(patch: Partial<ConvState>): void {
  const s = { ...exposed.state, ...patch };
  // a link carries no drawing: round-trip everything else through the hash's validation
  const parsed = parseState(formatState(s));
  exposed.state = { ...parsed, image: s.image === 'drawn' && drawn ? 'drawn' : parsed.image };
  history.replaceState(null, '', `#${formatState(exposed.state)}`);
  $.link.href = location.href;
  showState(exposed.state);
  compute();
}

const shapeOf = (p: Plane): [number, number] => [p.h, p.w];
function compute(): void {
  const s = exposed.state;
  const input: Plane = { data: s.image === 'drawn' && drawn ? drawn : makeImage(s.image === 'drawn' ? 'digit' : s.image), h: SIZE, w: SIZE };
  let r: Explored | null = null;
  try {
    r = explore(input, s);
    exposed.error = null;
    $.error.textContent = '';
  } catch (e) {
    // a configuration with no output (say a 5×5 kernel dilated 8 times, valid padding) says why on the page
    exposed.error = e instanceof Error ? e.message : String(e);
    $.error.textContent = exposed.error;
  }
  const k = kernelSide(s.weights.length);
  drawPlane($.input, input, 8);
  $.inTitle.textContent = `input ${SIZE}×${SIZE}`;
  drawPlane($.conv, r?.conv ?? null, 8);
  drawPlane($.pooled, r?.pooled ?? null, 8);
  $.convTitle.textContent = r ? `convolution ${r.conv.h}×${r.conv.w}` : 'convolution';
  $.poolTitle.textContent = r?.pooled ? `${s.pool} pooling ${s.poolSize}×${s.poolSize}, stride ${s.poolSize}: ${r.pooled.h}×${r.pooled.w}` : 'pooling: none';
  const pads = r?.pads ?? [0, 0, 0, 0];
  $.formula.textContent = r
    ? `out = ⌊(in + pad₁ + pad₂ − dilation·(k − 1) − 1) / stride⌋ + 1\n`
      + `height: ${r.formula.h.text}\nwidth:  ${r.formula.w.text}\n`
      + `(k = ${k}, padding '${s.padding}' = top ${pads[0]}, bottom ${pads[1]}, left ${pads[2]}, right ${pads[3]})`
    : '';
  $.poolFormula.textContent = r?.poolFormula ? `height: ${r.poolFormula.h.text}\nwidth:  ${r.poolFormula.w.text}` : '';
  Object.assign(exposed, {
    input: Array.from(input.data), inputShape: shapeOf(input),
    conv: r ? Array.from(r.conv.data) : [], convShape: r ? shapeOf(r.conv) : [0, 0],
    pooled: r?.pooled ? Array.from(r.pooled.data) : null, pooledShape: r?.pooled ? shapeOf(r.pooled) : null,
    formula: r ? { h: r.formula.h.value, w: r.formula.w.value, text: $.formula.textContent } : null,
    poolFormula: r?.poolFormula ? { h: r.poolFormula.h.value, w: r.poolFormula.w.value } : null,
    pads,
  });
  exposed.version++;
}

$.image.addEventListener('change', () => update({ image: $.image.value as ConvState['image'] }));
$.kernel.addEventListener('change', () => {
  const name = $.kernel.value as KernelName;
  update(name === 'custom' ? { kernel: name } : { kernel: name, weights: [...KERNELS[name]] });
});
$.ksize.addEventListener('change', () => {
  const k = Number($.ksize.value);
  const w = Array<number>(k * k).fill(0);
  w[(k * k - 1) / 2] = 1; // a new size starts as the identity
  update({ kernel: 'custom', weights: w });
});
$.padding.addEventListener('change', () => update({ padding: $.padding.value as ConvState['padding'] }));
$.pool.addEventListener('change', () => update({ pool: $.pool.value as ConvState['pool'] }));
for (const [e, key] of [[$.stride, 'stride'], [$.dilation, 'dilation'], [$.poolSize, 'poolSize']] as const) {
  e.addEventListener('change', () => update({ [key]: Number(e.value) }));
}
let pending = 0;
const pad = attachPad($.pad, () => {
  // at most one recomputation per frame while drawing
  if (pending) return;
  pending = requestAnimationFrame(() => {
    pending = 0;
    drawn = readPad($.pad, SIZE);
    update({ image: 'drawn' });
  });
});
$.clear.addEventListener('click', () => {
  pad.clear();
  if (exposed.state.image === 'drawn') {
    drawn = readPad($.pad, SIZE);
    update({ image: 'drawn' });
  }
});
window.addEventListener('hashchange', () => {
  const s = parseState(location.hash);
  if (formatState(s) !== formatState(exposed.state)) update(s);
});

update({});
$.status.textContent = describeRuntime(exposed.backend, exposed.threads, globalThis.crossOriginIsolated === true);
// Start the wasm backend's worker pool now (it otherwise starts on the first large kernel), so the
// page has its getNumThreads() − 1 workers from the start.
const backend = st.getBackend() as Partial<st.WasmBackend>;
if (typeof backend.ready === 'function') {
  backend.ready().then(() => { exposed.poolReady = true; }, (e: unknown) => { console.error(`wasm worker pool: ${String(e)}`); });
} else exposed.poolReady = true;
document.body.dataset.screenshot = 'ready';
