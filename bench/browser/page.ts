// SPDX-License-Identifier: MIT
// The browser benchmark's page (bundled by run.ts with esbuild, served cross-origin isolated):
// Strata's W1 and W3 training (bench/workloads.ts, as `npm run bench` runs them in Node) and W3
// inference on three systems in the same page, all at the same batch and thread count: Strata's
// wasm backend, onnxruntime-web's wasm backend (the W3 model exported by io.exportOnnx) and
// TF.js's wasm backend (XNNPACK; the same weights, laid out NHWC). run.ts drives it through
// `window.bench`, interleaving the systems round by round.
import * as ort from 'onnxruntime-web/wasm';
import * as tf from '@tensorflow/tfjs-core';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as st from 'strata-dl';
import { WORKLOADS } from '../workloads.js';
import type { BenchApi, SetupInfo } from './protocol.js';

/** One unit of work per call, returning how much (samples). */
interface Step { (): number | Promise<number> }

const INFER_BATCH = 256;
const steps = new Map<string, Step>();

/** The W3 model with seeded weights, and a seeded input batch shared by the three inference systems. */
function w3Model(): { model: st.nn.Module; input: Float32Array } {
  st.manualSeed(0);
  const model = st.models.cnn();
  model.eval();
  const input = Float32Array.from(st.rand([INFER_BATCH, 1, 28, 28], { generator: new st.Generator(2) }).dataSync());
  return { model, input };
}

async function setupStrata(workload: string): Promise<SetupInfo> {
  const backend = st.getBackend();
  if (workload === 'W3i') {
    const { model, input } = w3Model();
    const x = st.tensor(input, { shape: [INFER_BATCH, 1, 28, 28] });
    steps.set(`strata:${workload}`, () => {
      st.noGrad(() => st.scoped(() => { model.forward(x).dataSync(); }));
      return INFER_BATCH;
    });
  } else {
    const w = WORKLOADS.find((x) => x.id === workload);
    if (!w) throw new Error(`unknown workload ${workload}`);
    const runner = w.setup(st, backend.name);
    steps.set(`strata:${workload}`, () => runner.step());
  }
  return { backend: `${backend.name} ${(backend as st.WasmBackend).variant ?? ''}`.trim(), threads: st.getNumThreads() };
}

async function setupOrt(threads: number): Promise<SetupInfo> {
  const { model, input } = w3Model();
  const bytes = st.io.exportOnnx(model, { inputShape: [1, 28, 28] });
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.wasmPaths = '/ort/';
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all', executionMode: 'sequential' });
  const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', input, [INFER_BATCH, 1, 28, 28]) };
  steps.set('ort:W3i', async () => {
    const out = await session.run(feeds);
    for (const t of Object.values(out)) t.dispose();
    return INFER_BATCH;
  });
  return { backend: `wasm (onnxruntime-web ${ort.env.versions.web ?? ''})`.trim(), threads: ort.env.wasm.numThreads ?? threads };
}

/** Strata's W3 weights in TF.js's layouts: conv OIHW -> HWIO, dense [out, in] -> [in, out], the first dense's rows in NHWC flatten order. */
function tfWeights(model: st.nn.Module): tf.Tensor[] {
  const sd = model.stateDict();
  const t = (x: st.Tensor): tf.Tensor => tf.tensor(Float32Array.from(x.dataSync()), [...x.shape]);
  const conv = (k: string): tf.Tensor => t(sd[`${k}.weight`].permute([2, 3, 1, 0]));
  const dense1 = t(sd['6.weight'].reshape([128, 64, 12, 12]).permute([2, 3, 1, 0]).reshape([9216, 128]));
  const dense2 = t(sd['8.weight'].transpose(0, 1));
  return [conv('0'), t(sd['0.bias']), conv('2'), t(sd['2.bias']), dense1, t(sd['6.bias']), dense2, t(sd['8.bias'])];
}

async function setupTfjs(threads: number): Promise<SetupInfo> {
  setWasmPaths('/tfjs/');
  setThreadsCount(threads);
  if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") failed');
  const { model, input } = w3Model();
  const [c1, b1, c2, b2, d1, e1, d2, e2] = tfWeights(model);
  // NCHW with one channel holds the same numbers as NHWC
  const x = tf.tensor4d(input, [INFER_BATCH, 28, 28, 1]);
  const forward = (): tf.Tensor2D => tf.tidy(() => {
    const a = tf.relu(tf.add(tf.conv2d(x, c1 as tf.Tensor4D, 1, 'valid'), b1)) as tf.Tensor4D;
    const b = tf.maxPool(tf.relu(tf.add(tf.conv2d(a, c2 as tf.Tensor4D, 1, 'valid'), b2)) as tf.Tensor4D, 2, 2, 'valid');
    const h = tf.relu(tf.add(tf.matMul(tf.reshape(b, [INFER_BATCH, 9216]), d1 as tf.Tensor2D), e1));
    return tf.add(tf.matMul(h, d2 as tf.Tensor2D), e2);
  });
  steps.set('tfjs:W3i', () => {
    const out = forward();
    out.dataSync();
    out.dispose();
    return INFER_BATCH;
  });
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const mt = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  outputs.set('tfjs', () => forward().dataSync() as Float32Array);
  return { backend: `wasm (XNNPACK, simd ${String(simd)}, multithread ${String(mt)})`, threads: mt ? threads : 1 };
}

/** Each inference system's logits for the shared batch, for the agreement check. */
const outputs = new Map<string, () => Float32Array | Promise<Float32Array>>();

const api: BenchApi = {
  async setup(system, workload, threads) {
    if (system === 'strata') {
      st.setNumThreads(threads);
      const backend = st.getBackend();
      if (backend.name === 'wasm') await (backend as st.WasmBackend).ready(threads);
      return setupStrata(workload);
    }
    if (workload !== 'W3i') throw new Error(`${system} runs inference only (W3i)`);
    return system === 'ort' ? setupOrt(threads) : setupTfjs(threads);
  },

  async round(system, workload, ms) {
    const step = steps.get(`${system}:${workload}`);
    if (!step) throw new Error(`${system}:${workload} is not set up`);
    let work = 0;
    const t0 = performance.now();
    const end = t0 + ms;
    do work += await step(); while (performance.now() < end);
    return work / ((performance.now() - t0) / 1000);
  },

  async agreement() {
    const { model, input } = w3Model();
    const want = st.noGrad(() => Float32Array.from(model.forward(st.tensor(input, { shape: [INFER_BATCH, 1, 28, 28] })).dataSync()));
    const out: Record<string, number> = {};
    if (outputs.has('tfjs')) out.tfjs = maxAbsDiff(await outputs.get('tfjs')!(), want);
    const bytes = st.io.exportOnnx(model, { inputShape: [1, 28, 28] });
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
    const res = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, [INFER_BATCH, 1, 28, 28]) });
    out.ort = maxAbsDiff(res[session.outputNames[0]].data as Float32Array, want);
    await session.release();
    out.scale = Math.max(...want.map(Math.abs));
    return out;
  },

  env() {
    return { userAgent: navigator.userAgent, hardwareConcurrency: navigator.hardwareConcurrency, crossOriginIsolated: globalThis.crossOriginIsolated };
  },
};

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

Object.assign(window, { bench: api });
