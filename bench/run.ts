// SPDX-License-Identifier: MIT
// npm run bench -- [--workload W5] [--backend js,wasm] [--threads 1,2] [--seconds 6] [--variant auto|simd|relaxed-simd[,...]]
//
// Prints one JSON line per (workload, backend, variant, threads):
//   { workload, backend, variant, threads, median, min, max, unit, repeats, peakRssMiB }
// then a table. Each result: a warm-up (excluded), then >= 3 timed repeats that share `--seconds`;
// median/min/max are over the repeats' rates. Each (workload, backend, variant, threads) runs in a
// fresh child process, so peakRssMiB is that configuration's own peak and nothing is left over.
//
// Relaxed SIMD on Node 20: naming the variant 'relaxed-simd' makes this harness (never the library)
// call v8.setFlagsFromString('--experimental-wasm-relaxed-simd') before any module is compiled.
// Node documents changing V8 flags after start-up as undefined behaviour, hence opt-in here only;
// Node >= 22 has relaxed SIMD on by default and 'auto' picks it.
import { spawnSync } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { parseArgs } from 'node:util';
import { WORKLOADS } from './workloads.js';

const { values } = parseArgs({
  options: {
    workload: { type: 'string', default: 'W5' },
    backend: { type: 'string', default: 'js,wasm' },
    threads: { type: 'string' },
    seconds: { type: 'string', default: '6' },
    variant: { type: 'string', default: 'auto' },
    repeats: { type: 'string', default: '5' },
    child: { type: 'boolean', default: false },
  },
});
const list = (s: string): string[] => s.split(',').map((x) => x.trim()).filter(Boolean);
const variants = list(values.variant);
if (variants.includes('relaxed-simd')) setFlagsFromString('--experimental-wasm-relaxed-simd');
const st = await import('../packages/strata-dl/src/index.js');

const seconds = Number(values.seconds);
const repeats = Math.max(3, Number(values.repeats));
const threadList = values.threads ? list(values.threads).map(Number) : [st.getNumThreads()];
const workloads = values.workload === 'all' ? WORKLOADS : list(values.workload).map((id) => {
  const w = WORKLOADS.find((x) => x.id === id);
  if (!w) throw new Error(`unknown workload ${id}; known: ${WORKLOADS.map((x) => x.id).join(', ')}`);
  return w;
});

interface Result { workload: string; backend: string; variant: string; threads: number; median: number; min: number; max: number; unit: string; repeats: number; peakRssMiB: number }
const results: Result[] = [];
const js = st.getBackend('js');

const configs: { w: (typeof workloads)[number]; backend: string; variant: string; threads: number }[] = [];
for (const w of workloads) {
  for (const backend of list(values.backend)) {
    if (backend === 'js') configs.push({ w, backend, variant: 'js', threads: 1 });
    else for (const variant of variants) for (const threads of threadList) configs.push({ w, backend, variant, threads });
  }
}

if (!values.child) {
  // one child process per configuration
  for (const c of configs) {
    const args = [...process.execArgv, process.argv[1], '--child', '--workload', c.w.id, '--backend', c.backend, '--variant', c.variant === 'js' ? 'auto' : c.variant,
      '--threads', String(c.threads), '--seconds', String(seconds), '--repeats', String(repeats)];
    const res = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const line = res.stdout.split('\n').find((l) => l.startsWith('{'));
    if (res.status !== 0 || !line) throw new Error(`bench: ${c.w.id} on ${c.backend} (${c.variant}, ${c.threads} threads) failed with status ${res.status}`);
    console.log(line);
    results.push(JSON.parse(line) as Result);
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
  const runner = c.w.setup(st, c.backend);
  // warm-up (compiles, tiers up, fills the allocator's free lists): at least 2 steps or 15% of the budget
  const warmEnd = performance.now() + seconds * 150;
  for (let i = 0; i < 2 || performance.now() < warmEnd; i++) runner.step();
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
  console.log(JSON.stringify({
    workload: c.w.id, backend: c.backend, variant, threads: c.threads,
    median: round(rates[Math.floor(rates.length / 2)]), min: round(rates[0]), max: round(rates[rates.length - 1]),
    unit: c.w.unit, repeats: rates.length, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  }));
  process.exit(0);
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

const header = ['workload', 'backend', 'variant', 'threads', 'median', 'min', 'max', 'unit', 'peakRssMiB'] as const;
const rows = results.map((r) => header.map((h) => String(r[h])));
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
console.log('\n' + line(header));
for (const row of rows) console.log(line(row));
const js5 = results.find((r) => r.workload === 'W5' && r.backend === 'js');
for (const r of results.filter((x) => x.workload === 'W5' && x.backend === 'wasm' && js5)) {
  console.log(`W5 wasm ${r.variant} ${r.threads}T / js: ${(r.median / js5!.median).toFixed(1)}x`);
}
