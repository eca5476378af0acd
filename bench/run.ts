// SPDX-License-Identifier: MIT
// npm run bench -- [--workload W5] [--backend js,wasm] [--threads 1,2] [--seconds 6] [--warmup 3] [--variant auto|simd|relaxed-simd[,...]]
//
// First prints the wasm ceiling of this machine, one JSON line per (wasm variant, thread count) measured
// (bench/ceiling/probe.ts: register-only 128-bit FMAs, or mul+add for the plain SIMD build; skip it
// with --ceiling skip), then one JSON line per (workload, backend, variant, threads):
//   { workload, backend, variant, threads, median, min, max, unit, repeats, peakRssMiB,
//     flopPerStep, gemmFlopPerStep, workPerStep, gflops, ceilingFraction }
// then a table. Each result: a warm-up of `--warmup` seconds and at least 2 steps (excluded; its
// rate is `warmupRate`), then >= 3 timed repeats that share `--seconds`; median/min/max are over the
// repeats' rates. Each (workload, backend, variant, threads) runs in a
// fresh child process, so peakRssMiB is that configuration's own peak and nothing is left over.
// flopPerStep: the FLOPs one step really does (bench/flops.ts: counted from the primitives it applies,
// backward pass and optimizer included, once, outside the timed loop); gemmFlopPerStep: the part in
// matmuls and convolutions; workPerStep: the step's work in `unit`s (samples for a training step);
// gflops = median · flopPerStep / workPerStep / 1e9; ceilingFraction = gflops / the ceiling at the
// same variant and thread count (wasm only).
//
// Relaxed SIMD on Node 20: naming the variant 'relaxed-simd' makes this harness (never the library)
// call v8.setFlagsFromString('--experimental-wasm-relaxed-simd') before any module is compiled.
// Node documents changing V8 flags after start-up as undefined behaviour, hence opt-in here only;
// Node >= 22 has relaxed SIMD on by default and 'auto' picks it.
import { spawnSync } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { parseArgs } from 'node:util';
import { WORKLOADS } from './workloads.js';
import { WARMUP_SECONDS, warmUp } from './warmup.js';
import { type Ceiling, type CeilingVariant, measureCeiling, resolveVariant } from './ceiling/probe.js';

const { values } = parseArgs({
  options: {
    workload: { type: 'string', default: 'W5' },
    backend: { type: 'string', default: 'js,wasm' },
    threads: { type: 'string' },
    seconds: { type: 'string', default: '6' },
    warmup: { type: 'string', default: String(WARMUP_SECONDS) },
    variant: { type: 'string', default: 'auto' },
    repeats: { type: 'string', default: '5' },
    ceiling: { type: 'string', default: 'measure' }, // 'skip': no ceiling (bench:peers measures its own)
    child: { type: 'boolean', default: false },
  },
});
const list = (s: string): string[] => s.split(',').map((x) => x.trim()).filter(Boolean);
if (values.ceiling !== 'measure' && values.ceiling !== 'skip') throw new Error(`--ceiling must be 'measure' or 'skip', got '${values.ceiling}'`);
const variants = list(values.variant);
// what 'auto' means in the children (which set no flag for it), decided before the flag below
const autoVariant = resolveVariant('auto');
if (variants.includes('relaxed-simd')) setFlagsFromString('--experimental-wasm-relaxed-simd');
const st = await import('../packages/strata-dl/src/index.js');

const seconds = Number(values.seconds);
const warmup = Number(values.warmup);
if (!(warmup >= 0)) throw new Error(`--warmup must be a number of seconds >= 0, got '${values.warmup}'`);
const repeats = Math.max(3, Number(values.repeats));
const threadList = values.threads ? list(values.threads).map(Number) : [st.getNumThreads()];
const workloads = values.workload === 'all' ? WORKLOADS : list(values.workload).map((id) => {
  const w = WORKLOADS.find((x) => x.id === id);
  if (!w) throw new Error(`unknown workload ${id}; known: ${WORKLOADS.map((x) => x.id).join(', ')}`);
  return w;
});

interface Result {
  workload: string; backend: string; variant: string; threads: number; median: number; min: number; max: number; warmupRate: number; unit: string; repeats: number; peakRssMiB: number;
  flopPerStep: number; gemmFlopPerStep: number; workPerStep: number; gflops: number; ceilingFraction?: number;
}
const results: Result[] = [];
const js = st.getBackend('js');

const configs: { w: (typeof workloads)[number]; backend: string; variant: string; threads: number }[] = [];
for (const w of workloads) {
  for (const backend of list(values.backend)) {
    if (backend === 'js') configs.push({ w, backend, variant: 'js', threads: 1 });
    else for (const variant of variants) for (const threads of threadList) configs.push({ w, backend, variant, threads });
  }
}

const ceilings: Ceiling[] = [];
/** The ceiling for a wasm variant at a thread count, measured (and printed) the first time it is asked for. */
async function ceilingFor(variant: CeilingVariant, threads: number): Promise<Ceiling> {
  let c = ceilings.find((x) => x.variant === variant && x.threads === threads);
  if (!c) {
    c = await measureCeiling({ variant, threads });
    console.log(JSON.stringify(c));
    ceilings.push(c);
  }
  return c;
}

if (!values.child) {
  if (values.ceiling !== 'skip') {
    // the ceilings first, before any workload: each wasm build on 1 thread and on each thread count run
    for (const c of configs) {
      if (c.backend !== 'wasm') continue;
      const variant = c.variant === 'auto' ? autoVariant : resolveVariant(c.variant);
      for (const t of [1, c.threads]) await ceilingFor(variant, t);
    }
  }
  // one child process per configuration
  for (const c of configs) {
    const args = [...process.execArgv, process.argv[1], '--child', '--workload', c.w.id, '--backend', c.backend, '--variant', c.variant === 'js' ? 'auto' : c.variant,
      '--threads', String(c.threads), '--seconds', String(seconds), '--warmup', String(warmup), '--repeats', String(repeats)];
    const res = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const line = res.stdout.split('\n').find((l) => l.startsWith('{'));
    if (res.status !== 0 || !line) throw new Error(`bench: ${c.w.id} on ${c.backend} (${c.variant}, ${c.threads} threads) failed with status ${res.status}`);
    const r = JSON.parse(line) as Result;
    if (r.backend === 'wasm' && values.ceiling !== 'skip') {
      r.ceilingFraction = Math.round((r.gflops / (await ceilingFor(r.variant as CeilingVariant, r.threads)).gflops) * 1000) / 1000;
    }
    console.log(JSON.stringify(r));
    results.push(r);
  }
} else {
  const c = configs[0];
  let variant = c.variant;
  if (c.backend === 'wasm') {
    const v = variant === 'auto' ? undefined : variant === 'simd' ? 'simd' : 'relaxed-simd';
    const wb = st.createWasmBackend({ reference: js, ...(v ? { variant: v } : {}) });
    st.registerBackend(wb); // replaces the default 'wasm' entry with this variant
    variant = wb.variant;
    st.setNumThreads(c.threads);
    await wb.ready(c.threads);
  }
  const { countFlops } = await import('./flops.js');
  const runner = c.w.setup(st, c.backend);
  // the FLOPs of one step, counted on the second (the first may differ: an optimizer's state starts then)
  runner.step();
  const { result: workPerStep, flops } = countFlops(() => runner.step());
  const warmupRate = await warmUp(() => runner.step(), warmup);
  const rates: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const end = performance.now() + (seconds * 1000) / repeats;
    let work = 0;
    const t0 = performance.now();
    do work += runner.step(); while (performance.now() < end);
    rates.push(work / ((performance.now() - t0) / 1000));
  }
  runner.dispose();
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)];
  const line: Result = {
    workload: c.w.id, backend: c.backend, variant, threads: c.threads,
    median: round(median), min: round(rates[0]), max: round(rates[rates.length - 1]), warmupRate: round(warmupRate),
    unit: c.w.unit, repeats: rates.length, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    flopPerStep: flops.total, gemmFlopPerStep: flops.gemm, workPerStep, gflops: round((median * flops.total) / workPerStep / 1e9),
  };
  console.log(JSON.stringify(line));
  process.exit(0);
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

const header = ['workload', 'backend', 'variant', 'threads', 'median', 'min', 'max', 'unit', 'peakRssMiB', 'gflops', 'ceilingFraction'] as const;
const rows = results.map((r) => header.map((h) => String(r[h] ?? '-')));
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
console.log('\n' + line(header));
for (const row of rows) console.log(line(row));
const js5 = results.find((r) => r.workload === 'W5' && r.backend === 'js');
for (const r of results.filter((x) => x.workload === 'W5' && x.backend === 'wasm' && js5)) {
  console.log(`W5 wasm ${r.variant} ${r.threads}T / js: ${(r.median / js5!.median).toFixed(1)}x`);
}
for (const c of ceilings) console.log(`wasm ceiling (${c.variant}, ${c.op}): ${c.gflops} GFLOP/s on ${c.threads} thread(s) (median ${c.median}, min ${c.min} over ${c.repeats} rounds)`);
