// SPDX-License-Identifier: MIT
// Shared by the Firefox and WebKit tests (firefox.test.ts, webkit.test.ts): the root entry bundled
// by esbuild for the browser platform, a page that loads it and computes a seeded workload, a
// loopback server that serves the page cross-origin isolated (/isolated/) or not (/plain/), and the
// same workload computed in Node on the js backend. The page reports everything itself through
// `window.__result` (its console errors, uncaught errors, the Workers it created), so that a driver
// that has no console events (classic WebDriver, for WebKit) checks the same things as one that has.
import assert from 'node:assert/strict';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import * as st from 'strata-dl';

const ROOT = new URL('../..', import.meta.url).pathname;

/** A tensor's values and shape, as the page and Node report them. */
export interface Values { shape: number[]; data: number[] }

/** What the page and Node both compute from seed 0: a product, a convolution and its gradients. */
export interface Workload { product: Values; big: Values; conv: Values; gradX: Values; gradW: Values; pooled: Values }

/** What the page reports (window.__result). */
export interface PageResult {
  /** The error that stopped the page's script (the bundle failed to load or a call threw). */
  error?: string;
  /** console.error calls, uncaught errors and unhandled rejections, in the order they happened. */
  errors: string[];
  userAgent: string;
  isolated: boolean;
  backend: string;
  /** The wasm module the loader picked ('relaxed-simd' or 'simd'). */
  variant: string;
  features: { simd: boolean; relaxedSimd: boolean; sharedMemory: boolean };
  threads: number;
  /** `new Worker(...)` calls on the page (the pool's Web Workers). */
  workersCreated: number;
  /** The workload before the pool's workers were started (one thread). */
  first: Workload;
  /** The workload again, after `getBackend().ready()` resolved (the pool where there is one). */
  again: Workload;
}

/** The workload; its source text is also the page's (so it uses nothing but its argument). */
export function workload(s: typeof st): Workload {
  const v = (t: st.Tensor): Values => ({ shape: t.shape.slice(), data: Array.from(t.dataSync() as Float32Array) });
  s.manualSeed(0);
  const a = s.randn([32, 48]);
  const b = s.randn([48, 16]);
  const m = s.randn([192, 192]);
  const x = s.randn([2, 3, 16, 16], { requiresGrad: true });
  const w = s.randn([8, 3, 3, 3], { requiresGrad: true });
  const y = s.nn.functional.conv2d(x, w, null, { padding: 1 });
  // a gradient through the convolution and a product
  y.square().mean().backward();
  return {
    product: v(a.matmul(b)),
    big: v(m.matmul(m)),
    conv: v(y.detach()),
    gradX: v(x.grad!),
    gradW: v(w.grad!),
    pooled: v(s.nn.functional.maxPool2d(y.detach(), 2)),
  };
}

const PRELUDE = `
window.__errors = [];
window.__workersCreated = 0;
const consoleError = console.error.bind(console);
console.error = (...a) => { window.__errors.push(a.map(String).join(' ')); consoleError(...a); };
window.addEventListener('error', (e) => window.__errors.push('error: ' + e.message));
window.addEventListener('unhandledrejection', (e) => window.__errors.push('unhandled rejection: ' + String(e.reason)));
// count the Web Workers the library starts (the pool looks the global Worker up when it spawns)
if (typeof Worker === 'function') {
  const W = Worker;
  window.Worker = class extends W { constructor(...a) { super(...a); window.__workersCreated++; } };
}`;

const MAIN = `
// tsx compiles this file keeping names: the workload's source calls its __name helper
const __name = (f) => f;
const workload = ${workload.toString()};
const report = (r) => { window.__result = { errors: window.__errors, workersCreated: window.__workersCreated, userAgent: navigator.userAgent, isolated: globalThis.crossOriginIsolated === true, ...r }; };
try {
  const st = await import('./strata.js');
  const first = workload(st);
  const backend = st.getBackend();
  if (backend.ready) await backend.ready();
  const again = workload(st);
  report({ backend: backend.name, variant: backend.variant, features: st.wasmFeatures(), threads: st.getNumThreads(), first, again });
} catch (e) {
  report({ error: String(e) + ' ' + String(e && e.stack) });
}`;

/**
 * In the page: the report, or once the page has logged an error and 5 s passed without a report (a
 * script that failed to parse or load never reports), one made of those errors; else null. The
 * drivers poll it.
 */
export function pollResult(): PageResult | null {
  const w = window as unknown as { __result?: PageResult; __errors?: string[]; __firstErrorAt?: number };
  if (w.__result) return w.__result;
  if (!w.__errors?.length) return null;
  w.__firstErrorAt ??= Date.now();
  if (Date.now() - w.__firstErrorAt < 5000) return null;
  return { error: 'the page stopped without a report', errors: w.__errors } as PageResult;
}

export const PAGE = `<!doctype html><meta charset="utf-8"><title>strata</title>
<script>${PRELUDE}</script>
<script type="module">${MAIN}</script>`;

/** Serves the page at /isolated/ (with COOP/COEP) and /plain/, and the bundle as strata.js. */
export async function serveEnginePage(): Promise<{ server: Server; base: string }> {
  const bundle = await build({
    entryPoints: [`${ROOT}packages/strata-dl/src/index.ts`], bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent',
  });
  const js = bundle.outputFiles[0].contents;
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/isolated/')) {
      res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    }
    if (req.url?.endsWith('/strata.js')) {
      res.setHeader('Content-Type', 'text/javascript');
      res.end(js);
    } else if (req.url?.endsWith('/')) {
      res.setHeader('Content-Type', 'text/html');
      res.end(PAGE);
    } else {
      res.statusCode = req.url?.endsWith('favicon.ico') ? 204 : 404;
      res.end();
    }
  }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** The workload in Node on the js backend (the reference the browsers are checked against). */
export function expectedOnJs(): Workload {
  const before = st.getBackend().name;
  st.setBackend('js');
  try {
    return workload(st);
  } finally {
    st.setBackend(before);
  }
}

/** Every tensor of `got` equals `want`'s shape, and its values to `tol` relative (js and wasm round differently). */
export function assertCloseWorkload(got: Workload, want: Workload, tol = 1e-4): void {
  for (const k of Object.keys(want) as (keyof Workload)[]) {
    assert.deepEqual(got[k].shape, want[k].shape, `${k}: shape`);
    const g = got[k].data;
    const w = want[k].data;
    assert.equal(g.length, w.length, `${k}: length`);
    for (let i = 0; i < w.length; i++) {
      assert.ok(Math.abs(g[i] - w[i]) <= tol * (1 + Math.abs(w[i])), `${k}[${i}]: ${g[i]} in the browser, ${w[i]} in Node (js backend)`);
    }
  }
}

/** The checks every browser must pass on a page that loaded: no errors, wasm where SIMD exists, the loader's variant, Node's numbers, the pool's bits. */
export function assertLoaded(r: PageResult, expected: Workload): void {
  assert.equal(r.error, undefined, `the page failed: ${r.error}`);
  assert.deepEqual(r.errors, []);
  assert.equal(r.backend, r.features.simd ? 'wasm' : 'js', 'the wasm backend wherever WebAssembly SIMD exists');
  // the loader takes the relaxed-SIMD build only where the engine validates it, else plain SIMD
  assert.equal(r.variant, r.features.relaxedSimd ? 'relaxed-simd' : 'simd');
  assertCloseWorkload(r.first, expected);
  // the pool (where there is one) gives the same bits as one thread
  assert.deepEqual(r.again, r.first);
}
