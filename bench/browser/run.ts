// SPDX-License-Identifier: MIT
// npm run bench:browser -- [--workload W1,W3,W3i] [--threads N] [--seconds 3] [--rounds 5] [--out results.json]
//
// The workloads in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) on a
// cross-origin isolated page, against the same workloads in this Node process, at the same thread
// count (default: this machine's cores):
//   W1, W3 training: Strata in Chromium (the page's main thread, its Web Worker pool) vs Strata in Node;
//   W3 inference (batch 256): Strata, onnxruntime-web's wasm backend and TF.js's wasm backend in
//   the same page (the same model and weights), and Strata in Node for reference.
// The systems are interleaved: every round runs each of them for --seconds, in a rotating order,
// after one warm-up round that is not counted; min/median/max are over the rounds. On a machine
// that other work shares, the absolute rates drift with the load, but each round measures every
// system under about the same load, so the ratios are fair.
//
// Prints one JSON line per (workload, system), as `npm run bench` does, then one JSON line with the
// machine, the load and the ratios, then a table.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import type { BenchApi, System } from './protocol.js';

const { values } = parseArgs({
  options: {
    workload: { type: 'string', default: 'W1,W3,W3i' },
    threads: { type: 'string' },
    seconds: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '5' },
    out: { type: 'string' },
  },
});
// Chromium runs the relaxed-SIMD (FMA) build; Node 20 has it behind a V8 flag, which this harness
// (never the library) sets before anything compiles, so that both run the same kernels.
setFlagsFromString('--experimental-wasm-relaxed-simd');
const st = await import('../../packages/strata-dl/src/index.js');
const { WORKLOADS } = await import('../workloads.js');

const ROOT = new URL('../..', import.meta.url).pathname;
const CHROMIUM = '/usr/bin/chromium';
const threads = Number(values.threads ?? availableParallelism());
const seconds = Number(values.seconds);
const rounds = Math.max(3, Number(values.rounds));
const workloads = values.workload.split(',').map((s) => s.trim()).filter(Boolean);

type Runtime = 'node' | 'chromium';
interface Entry { workload: string; runtime: Runtime; system: System; backend: string; threads: number; rates: number[] }
const entries: Entry[] = [];
for (const w of workloads) {
  if (!['W1', 'W3', 'W3i'].includes(w)) throw new Error(`bench:browser runs W1, W3 and W3i; got ${w}`);
  entries.push({ workload: w, runtime: 'chromium', system: 'strata', backend: '', threads, rates: [] });
  entries.push({ workload: w, runtime: 'node', system: 'strata', backend: '', threads, rates: [] });
  if (w === 'W3i') {
    entries.push({ workload: w, runtime: 'chromium', system: 'ort', backend: '', threads, rates: [] });
    entries.push({ workload: w, runtime: 'chromium', system: 'tfjs', backend: '', threads, rates: [] });
  }
}

// ---- the page: bundled with esbuild, served on loopback with the isolation headers ----
const bundle = await build({
  entryPoints: [join(ROOT, 'bench/browser/page.ts')], bundle: true, format: 'esm', platform: 'browser', target: 'es2022',
  conditions: ['strata-source'], write: false, logLevel: 'warning',
  // onnxruntime-web's loader names Node built-ins behind run-time checks; a page never takes them
  external: ['node:*', 'fs', 'path', 'url', 'worker_threads', 'module', 'os', 'crypto', 'perf_hooks', 'util'],
});
const pageJs = bundle.outputFiles[0].contents;
const STATIC: Record<string, string> = {
  '/ort/': join(ROOT, 'node_modules/onnxruntime-web/dist/'),
  '/tfjs/': join(ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist/'),
};
const server: Server = createServer((req, res) => {
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  const url = (req.url ?? '/').split('?')[0];
  const type = url.endsWith('.wasm') ? 'application/wasm' : /\.m?js$/.test(url) ? 'text/javascript' : 'text/html';
  try {
    let body: Uint8Array | string;
    if (url === '/favicon.ico') {
      res.statusCode = 204;
      res.end();
      return;
    }
    if (url === '/page.js') body = pageJs;
    else if (url === '/') body = '<!doctype html><meta charset="utf-8"><title>strata bench</title><script type="module" src="/page.js"></script>';
    else {
      const prefix = Object.keys(STATIC).find((p) => url.startsWith(p));
      const name = prefix ? url.slice(prefix.length) : '';
      if (!prefix || !/^[\w.-]+$/.test(name)) throw new Error('not found');
      body = readFileSync(STATIC[prefix] + name);
    }
    res.setHeader('Content-Type', type);
    res.end(body);
  } catch {
    res.statusCode = 404;
    res.end();
  }
}).listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows'],
});
const page = await browser.newPage();
const pageErrors: string[] = [];
page.on('pageerror', (e) => pageErrors.push(String(e)));
page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
await page.goto(base);
await page.waitForFunction(() => 'bench' in window, null, { timeout: 60_000 });
type Win = { bench: BenchApi };
const env = await page.evaluate(() => (window as unknown as Win).bench.env());
if (!env.crossOriginIsolated) throw new Error('bench:browser: the page is not cross-origin isolated');

// ---- set-up ----
st.setNumThreads(threads);
await (st.getBackend('wasm') as import('../../packages/strata-dl/src/index.js').WasmBackend).ready(threads);
const nodeRunners = new Map<string, { step(): number }>();
for (const e of entries) {
  if (e.runtime === 'node') {
    if (e.workload === 'W3i') {
      // the page's W3i: the seeded model, forward under noGrad, logits read back
      st.manualSeed(0);
      const model = st.models.cnn();
      model.eval();
      const x = st.rand([256, 1, 28, 28], { generator: new st.Generator(2) });
      nodeRunners.set(e.workload, { step: () => { st.noGrad(() => st.scoped(() => { model.forward(x).dataSync(); })); return 256; } });
    } else {
      nodeRunners.set(e.workload, WORKLOADS.find((w) => w.id === e.workload)!.setup(st, 'wasm'));
    }
    const b = st.getBackend('wasm') as import('../../packages/strata-dl/src/index.js').WasmBackend;
    e.backend = `wasm ${b.variant}`;
  } else {
    const info = await page.evaluate(([s, w, t]) => (window as unknown as Win).bench.setup(s as System, w as string, t as number), [e.system, e.workload, threads] as const);
    e.backend = info.backend;
    e.threads = info.threads;
  }
}
const agreement = workloads.includes('W3i') ? await page.evaluate(() => (window as unknown as Win).bench.agreement()) : null;

async function runOnce(e: Entry, ms: number): Promise<number> {
  if (e.runtime === 'chromium') return page.evaluate(([s, w, m]) => (window as unknown as Win).bench.round(s as System, w as string, m as number), [e.system, e.workload, ms] as const);
  const r = nodeRunners.get(e.workload)!;
  let work = 0;
  const t0 = performance.now();
  do work += r.step(); while (performance.now() < t0 + ms);
  return work / ((performance.now() - t0) / 1000);
}

// ---- interleaved rounds: a warm-up round (not counted), then `rounds`, each in a rotated order ----
const load0 = loadavg();
const started = new Date().toISOString();
for (const e of entries) await runOnce(e, Math.max(1000, (seconds * 1000) / 2));
for (let r = 0; r < rounds; r++) {
  for (let i = 0; i < entries.length; i++) {
    const e = entries[(i + r) % entries.length];
    e.rates.push(await runOnce(e, seconds * 1000));
  }
}
const load1 = loadavg();
await browser.close();
server.close();

// ---- report ----
const round = (x: number): number => (x >= 100 ? Math.round(x) : Math.round(x * 100) / 100);
interface Line { workload: string; runtime: Runtime; system: string; backend: string; threads: number; median: number; min: number; max: number; unit: string; repeats: number; medianRatio?: number }
const lines: Line[] = entries.map((e) => {
  const s = [...e.rates].sort((a, b) => a - b);
  return {
    workload: e.workload, runtime: e.runtime, system: e.system, backend: e.backend, threads: e.threads,
    median: round(s[Math.floor(s.length / 2)]), min: round(s[0]), max: round(s[s.length - 1]), unit: 'samples/s', repeats: s.length,
  };
});
for (const l of lines) console.log(JSON.stringify(l));

/** Median over rounds of the per-round ratio a/b (both measured within the same round). */
const ratio = (w: string, a: [Runtime, System], b: [Runtime, System]): number | null => {
  const ea = entries.find((e) => e.workload === w && e.runtime === a[0] && e.system === a[1]);
  const eb = entries.find((e) => e.workload === w && e.runtime === b[0] && e.system === b[1]);
  if (!ea || !eb) return null;
  const rs = ea.rates.map((x, i) => x / eb.rates[i]).sort((p, q) => p - q);
  return Math.round(rs[Math.floor(rs.length / 2)] * 1000) / 1000;
};
const cpu = (() => {
  try {
    return /Model name:\s*(.+)/.exec(execFileSync('lscpu', { encoding: 'utf8' }))?.[1].trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
})();
const summary = {
  started, machine: { cpu, cores: availableParallelism(), node: process.version, chromium: /Chrome\/([\d.]+)/.exec(env.userAgent)?.[1] ?? env.userAgent },
  load: { start: load0.map((x) => Math.round(x * 100) / 100), end: load1.map((x) => Math.round(x * 100) / 100) },
  threads, secondsPerRound: seconds, rounds,
  ratios: {
    'W1 chromium/node': ratio('W1', ['chromium', 'strata'], ['node', 'strata']),
    'W3 chromium/node': ratio('W3', ['chromium', 'strata'], ['node', 'strata']),
    'W3i chromium/node': ratio('W3i', ['chromium', 'strata'], ['node', 'strata']),
    'W3i strata/onnxruntime-web': ratio('W3i', ['chromium', 'strata'], ['chromium', 'ort']),
    'W3i strata/tfjs-wasm': ratio('W3i', ['chromium', 'strata'], ['chromium', 'tfjs']),
  },
  w3iMaxAbsDiffFromStrata: agreement,
  pageErrors,
};
console.log(JSON.stringify(summary));
if (values.out) writeFileSync(values.out, JSON.stringify({ results: lines, summary }, null, 2) + '\n');

const header = ['workload', 'runtime', 'system', 'backend', 'threads', 'median', 'min', 'max', 'unit'] as const;
const rows = lines.map((l) => header.map((h) => String(l[h])));
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
const fmt = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
console.log('\n' + fmt(header));
for (const row of rows) console.log(fmt(row));
console.log(`\n${cpu}, ${threads} thread(s); load average ${summary.load.start.join(' ')} at the start, ${summary.load.end.join(' ')} at the end`);
for (const [k, v] of Object.entries(summary.ratios)) if (v !== null) console.log(`${k}: ${v}x (median of per-round ratios)`);
