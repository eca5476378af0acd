// SPDX-License-Identifier: MIT
// npm run bench:peers -- [--workload W1,W3i] [--systems strata,tfjs-wasm,jax-js] [--seconds 6] [--warmup 3] [--repeats 5] [--rounds 1]
//                        [--strata-variant auto|simd|relaxed-simd] [--max-step-seconds 20] [--timeout 900]
//                        [--from run1.out,run2.out]   (no measuring: the table of saved JSON lines, later files winning)
//
// The standard workloads (DESIGN.md §5) on Strata and its peers, interleaved: for each workload,
// every system runs in turn (each in a fresh process), so the systems share one time window and
// the ±20–30% drift of this VM's cores hits them alike; --rounds repeats the whole sweep.
// First prints the wasm ceiling of this machine for Strata's build, one JSON line per thread count
// (bench/ceiling/probe.ts; --ceiling skip leaves it out). Then one JSON line per (system,
// configuration, workload, round), in DESIGN.md §5's format with `system` (and `error` where a system
// could not run a workload), `flopPerUnit` (the workload's FLOPs per sample/token/..., counted once
// from the primitives Strata applies for one step: bench/flops.ts; every system runs the same
// model, so the same count serves all), `gflops`, `ceilingGflops` (the ceiling at the same thread
// count, measured again just before that run, or just after it where a system runs at another
// thread count than asked: the VM's speed drifts by 20-30% within minutes, and
// a fraction of a ceiling from another minute mixes that drift into it) and `ceilingFraction` (of
// that ceiling; native peers with wider vectors can pass 1). Then two markdown tables: Strata
// next to each peer's best configuration, with the ratio Strata/peer; and the same as GFLOP/s and
// fractions of the ceiling.
//
// Systems: strata (bench/run.ts, wasm backend, all cores and 1 thread; W4 through bench/workloads/w4.ts until
// bench/run.ts lists it), tfjs-cpu and tfjs-wasm (@tensorflow/tfjs 4.22), jax-js (@jax-js/jax, its
// main thread and a pool of `cores` workers), onnxruntime (onnxruntime-node, W3 inference only, the
// model exported by io.exportOnnx), pytorch (bench/peers/torch_bench.py where a python3 with torch
// exists; all cores and 1 thread, with the OpenMP OpenBLAS first on LD_LIBRARY_PATH when present).
// Inputs are random data of MNIST's shapes: throughput does not depend on the values.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { WORKLOADS as STRATA_WORKLOADS } from '../workloads.js';
import { WARMUP_SECONDS } from '../warmup.js';
import { type Ceiling, type CeilingVariant, measureCeiling, resolveVariant } from '../ceiling/probe.js';
import { CORES, WORKLOADS, WORKLOAD_IDS, type PeerResult, type WorkloadId } from './common.js';

const SYSTEMS = ['strata', 'tfjs-cpu', 'tfjs-wasm', 'jax-js', 'onnxruntime', 'pytorch'] as const;
type System = (typeof SYSTEMS)[number];
const LABELS: Record<System, string> = {
  strata: 'Strata', 'tfjs-cpu': 'TF.js cpu', 'tfjs-wasm': 'TF.js wasm', 'jax-js': 'jax-js', onnxruntime: 'ONNX Runtime', pytorch: 'PyTorch',
};

const { values } = parseArgs({
  options: {
    workload: { type: 'string', default: WORKLOAD_IDS.join(',') },
    systems: { type: 'string', default: SYSTEMS.join(',') },
    seconds: { type: 'string', default: '6' },
    warmup: { type: 'string', default: String(WARMUP_SECONDS) },
    repeats: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '1' },
    'strata-variant': { type: 'string', default: 'auto' },
    'max-step-seconds': { type: 'string', default: '20' },
    timeout: { type: 'string', default: '900' },
    from: { type: 'string' },
    ceiling: { type: 'string', default: 'measure' }, // 'skip': no ceiling line, no fractions
  },
});
const list = (s: string): string[] => s.split(',').map((x) => x.trim()).filter(Boolean);
const workloads = list(values.workload).map((w) => {
  if (!(WORKLOAD_IDS as readonly string[]).includes(w)) throw new Error(`unknown workload ${w}; known: ${WORKLOAD_IDS.join(', ')}`);
  return w as WorkloadId;
});
const systems = list(values.systems).map((s) => {
  if (!(SYSTEMS as readonly string[]).includes(s)) throw new Error(`unknown system ${s}; known: ${SYSTEMS.join(', ')}`);
  return s as System;
});
if (values.ceiling !== 'measure' && values.ceiling !== 'skip') throw new Error(`--ceiling must be 'measure' or 'skip', got '${values.ceiling}'`);
if (!(Number(values.warmup) >= 0)) throw new Error(`--warmup must be a number of seconds >= 0, got '${values.warmup}'`);
const common = ['--seconds', values.seconds, '--warmup', values.warmup, '--repeats', values.repeats, '--max-step-seconds', values['max-step-seconds']];
const timeoutMs = Number(values.timeout) * 1000;
const here = (f: string): string => fileURLToPath(new URL(f, import.meta.url));

/** The thread counts each system is measured at (the table shows each system's best). */
const THREADS: Record<System, number[]> = {
  strata: [...new Set([CORES, 1])], 'tfjs-cpu': [1], 'tfjs-wasm': [CORES], 'jax-js': [...new Set([1, CORES])], onnxruntime: [CORES], pytorch: [...new Set([CORES, 1])],
};

function failed(system: System, workload: WorkloadId, threads: number, error: string): PeerResult {
  return { system, workload, backend: '-', threads, median: 0, min: 0, max: 0, unit: WORKLOADS[workload].unit, repeats: 0, peakRssMiB: 0, error };
}

/** Runs a command that prints one JSON result line; a crash, a hang or garbage becomes an error result. */
function runJson(system: System, workload: WorkloadId, threads: number, cmd: string, args: string[], env?: NodeJS.ProcessEnv, convert = (line: string): PeerResult => JSON.parse(line) as PeerResult): PeerResult {
  const res = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, env: env ?? process.env, maxBuffer: 64 << 20 });
  const line = (res.stdout ?? '').split('\n').find((l) => l.startsWith('{'));
  if (res.error || !line) {
    const why = res.error?.message.includes('ETIMEDOUT') ? `timed out after ${values.timeout} s` : res.error?.message
      ?? `exited with status ${res.status}${res.signal ? ` (${res.signal})` : ''}: ${(res.stderr ?? '').trim().split('\n').slice(-1)[0]?.slice(0, 200) ?? ''}`;
    return failed(system, workload, threads, why);
  }
  return convert(line);
}

interface StrataLine {
  workload: string; backend: string; variant: string; threads: number; median: number; min: number; max: number; warmupRate: number; unit: string; repeats: number; peakRssMiB: number;
  flopPerStep: number; gemmFlopPerStep: number; workPerStep: number;
}

function runStrata(workload: WorkloadId, threads: number): PeerResult {
  const variant = values['strata-variant'];
  if (!STRATA_WORKLOADS.some((w) => w.id === workload)) {
    if (workload !== 'W4') return failed('strata', workload, threads, 'not in bench/workloads.ts');
    return runJson('strata', workload, threads, process.execPath, [...process.execArgv, here('./child.ts'), '--system', 'strata', '--workload', workload, '--threads', String(threads), '--variant', variant, ...common]);
  }
  return runJson('strata', workload, threads, process.execPath, [...process.execArgv, here('../run.ts'), '--workload', workload, '--backend', 'wasm', '--threads', String(threads),
    '--variant', variant, '--seconds', values.seconds, '--warmup', values.warmup, '--repeats', values.repeats, '--ceiling', 'skip'], undefined, (line) => {
    const s = JSON.parse(line) as StrataLine; // bench/run.ts's line: DESIGN.md §5's fields plus variant and its FLOP count
    return {
      system: 'strata', workload, backend: s.backend, threads: s.threads, median: s.median, min: s.min, max: s.max, unit: s.unit, repeats: s.repeats, peakRssMiB: s.peakRssMiB, warmupRate: s.warmupRate, note: `variant ${s.variant}`,
      flopPerStep: s.flopPerStep, gemmFlopPerStep: s.gemmFlopPerStep, workPerStep: s.workPerStep,
    };
  });
}

/** The first python3 that imports torch, or null. */
function findTorchPython(): string | null {
  for (const py of [process.env.PYTHON, 'python3', '/usr/bin/python3']) {
    if (py && spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 }).status === 0) return py;
  }
  return null;
}
const ompBlas = `/usr/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu/openblas-openmp`;
let torchPython: string | null | undefined;

function runTorch(workload: WorkloadId, threads: number): PeerResult {
  torchPython ??= findTorchPython();
  if (!torchPython) return failed('pytorch', workload, threads, 'not installed: no python3 here imports torch (Debian: apt-get install python3-torch libopenblas0-openmp)');
  const env = { ...process.env };
  if (existsSync(ompBlas)) env.LD_LIBRARY_PATH = [ompBlas, env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  return runJson('pytorch', workload, threads, torchPython, [here('./torch_bench.py'), '--workload', workload, '--threads', String(threads), ...common], env);
}

function runOne(system: System, workload: WorkloadId, threads: number): PeerResult {
  if (system === 'strata') return runStrata(workload, threads);
  if (system === 'pytorch') return runTorch(workload, threads);
  return runJson(system, workload, threads, process.execPath, [...process.execArgv, here('./child.ts'), '--system', system, '--workload', workload, '--threads', String(threads), ...common]);
}

// ---- the wasm ceiling, then measure, interleaved ----
const results: PeerResult[] = [];
const ceilings = new Map<number, Ceiling>();
let variantOnce: CeilingVariant | undefined; // ceilingVariant's answer (declared before the first ceiling is measured)
const flopPerUnit = new Map<string, number>();
if (values.from) {
  const byKey = new Map<string, PeerResult>();
  for (const file of list(values.from)) {
    for (const line of readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('{'))) {
      const r = JSON.parse(line) as PeerResult | Ceiling;
      if ('ceiling' in r) ceilings.set(r.threads, r);
      else byKey.set(`${r.system} ${r.workload} ${r.threads}`, r);
    }
  }
  results.push(...[...byKey.values()].filter((r) => workloads.includes(r.workload as WorkloadId) && systems.includes(r.system as System)));
  for (const r of results) if (r.flopPerUnit) flopPerUnit.set(r.workload, r.flopPerUnit);
} else if (values.ceiling !== 'skip') {
  for (const t of [...new Set(systems.flatMap((s) => THREADS[s]))].sort((a, b) => a - b)) {
    const c = await ceilingNow(t);
    console.log(JSON.stringify(c));
    ceilings.set(t, c);
  }
}

/** The wasm ceiling of Strata's build on `threads` threads, measured now. */
async function ceilingNow(threads: number): Promise<Ceiling> {
  return measureCeiling({ variant: ceilingVariant(), threads });
}

/** Strata's build for the ceiling, resolved once (before the flag: 'auto' means what it means in Strata's children). */
function ceilingVariant(): CeilingVariant {
  if (variantOnce) return variantOnce;
  const requested = values['strata-variant'];
  variantOnce = resolveVariant(requested);
  if (requested === 'relaxed-simd') setFlagsFromString('--experimental-wasm-relaxed-simd');
  return variantOnce;
}

/**
 * The FLOPs per unit of `w`, counted once in this process on Strata (the same model every system
 * runs): one step after a first, through the primitive observer (bench/flops.ts).
 */
async function countWorkload(w: WorkloadId): Promise<number | undefined> {
  const workload = STRATA_WORKLOADS.find((x) => x.id === w);
  if (!workload) return undefined;
  const st = await import('../../packages/strata-dl/src/index.js');
  const { countFlops } = await import('../flops.js');
  st.setNumThreads(1);
  // the wasm backend where there is one (the count does not depend on the backend, only the time)
  const runner = workload.setup(st, st.listBackends().includes('wasm') ? 'wasm' : 'js');
  runner.step();
  const { result, flops } = countFlops(() => runner.step());
  runner.dispose();
  return flops.total / result;
}

/** Adds the FLOP rate and the fraction of the ceiling `c` (measured just before the run) to a result. */
function withFlops(r: PeerResult, c: Ceiling | undefined): PeerResult {
  const perUnit = flopPerUnit.get(r.workload);
  if (r.error || !perUnit) return r;
  const gflops = Math.round((r.median * perUnit) / 1e7) / 100;
  return { ...r, flopPerUnit: perUnit, gflops, ...(c ? { ceilingGflops: c.gflops, ceilingFraction: Math.round((gflops / c.gflops) * 1000) / 1000 } : {}) };
}

for (let round = 0; round < (values.from ? 0 : Number(values.rounds)); round++) {
  for (const w of workloads) {
    if (!flopPerUnit.has(w)) {
      const perUnit = await countWorkload(w);
      if (perUnit) flopPerUnit.set(w, Math.round(perUnit));
    }
    for (const s of systems) {
      if (s === 'onnxruntime' && w !== 'W3i') continue;
      // the per-op overhead workloads compare Strata with PyTorch, the eager peer
      if (w.startsWith('OP') && s !== 'strata' && s !== 'pytorch') continue;
      for (const t of THREADS[s]) {
        // the ceiling again, in the same minute as the run (rates only: not for the per-op workloads);
        // where a system runs at another thread count than asked (TF.js's wasm backend reports 1), just after it
        const rated = flopPerUnit.has(w) && !w.startsWith('OP') && values.ceiling !== 'skip';
        const before = rated ? await ceilingNow(t) : undefined;
        const raw = runOne(s, w, t);
        const near = rated && raw.threads !== t ? await ceilingNow(raw.threads) : before;
        const r = withFlops(raw, near);
        console.log(JSON.stringify(r));
        results.push(r);
      }
    }
  }
}

// ---- one table: each system's best configuration; over rounds, the median of the medians ----
const fmt = (x: number): string => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(x >= 10 ? 1 : 2));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** A system's best thread count on a workload: medians over rounds (`fraction`: of its ceilingFraction). */
interface Cell { value: number; min: number; max: number; threads: number; error?: string; single?: boolean; fraction?: number }
function best(system: System, w: WorkloadId): Cell | null {
  const mine = results.filter((r) => r.system === system && r.workload === w);
  if (!mine.length) return null;
  const ok = mine.filter((r) => !r.error && r.median > 0);
  if (!ok.length) return { value: 0, min: 0, max: 0, threads: mine[0].threads, error: mine[0].error };
  const cells = [...new Set(ok.map((r) => r.threads))].map((t) => {
    const rs = ok.filter((r) => r.threads === t);
    const fractions = rs.flatMap((r) => (r.ceilingFraction === undefined ? [] : [r.ceilingFraction]));
    return {
      value: median(rs.map((r) => r.median)), min: Math.min(...rs.map((r) => r.min)), max: Math.max(...rs.map((r) => r.max)), threads: t,
      single: rs.some((r) => r.repeats === 1), ...(fractions.length ? { fraction: median(fractions) } : {}),
    };
  });
  return cells.reduce((a, b) => (b.value > a.value ? b : a));
}

const peers = systems.filter((s) => s !== 'strata');
const errors: string[] = [];
const footnote = (e: string): string => {
  let i = errors.indexOf(e);
  if (i < 0) i = errors.push(e) - 1;
  return `fails [${i + 1}]`;
};
const header = ['workload', 'unit', ...(systems.includes('strata') ? ['Strata'] : []), ...peers.map((p) => `${LABELS[p]} (Strata/it)`)];
const rows = workloads.map((w) => {
  const st = systems.includes('strata') ? best('strata', w) : null;
  const stCell = st ? (st.error ? footnote(st.error) : `${fmt(st.value)} (${st.threads}T)${st.single ? ' †' : ''}`) : '-';
  return [w, WORKLOADS[w].unit, ...(systems.includes('strata') ? [stCell] : []), ...peers.map((p) => {
    const c = best(p, w);
    if (!c) return '-';
    if (c.error) return footnote(c.error);
    const ratio = st && !st.error && st.value > 0 ? ` **${(st.value / c.value).toFixed(st.value / c.value >= 10 ? 0 : 2)}x**` : '';
    return `${fmt(c.value)} (${c.threads}T)${c.single ? ' †' : ''}${ratio}`;
  })];
});
console.log('');
console.log(`| ${header.join(' | ')} |`);
console.log(`|${header.map((_, i) => (i < 2 ? ' --- ' : ' ---: ')).join('|')}|`);
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
console.log('');
console.log(`${values.from ? `From ${values.from}` : `Median of ${values.rounds} round(s)`}; each cell is a system's best thread count (nT); ratio = Strata / peer (> 1: Strata faster). ${CORES} cores.`);
if (results.some((r) => r.repeats === 1)) console.log('† a single timed step (its first step took longer than --max-step-seconds; see the JSON note)');
errors.forEach((e, i) => console.log(`[${i + 1}] ${e}`));

// ---- the same as FLOP rates: GFLOP/s and the share of the wasm ceiling at the system's thread count ----
const rated = workloads.filter((w) => flopPerUnit.has(w) && !w.startsWith('OP'));
if (rated.length) {
  const rate = (system: System, w: WorkloadId): string => {
    const c = best(system, w);
    if (!c) return '-';
    if (c.error) return footnote(c.error);
    const g = (c.value * flopPerUnit.get(w)!) / 1e9;
    return `${fmt(g)} (${c.threads}T)${c.fraction !== undefined ? ` ${Math.round(100 * c.fraction)}%` : ''}`;
  };
  const header2 = ['workload', 'MFLOP per unit', ...systems.map((s) => LABELS[s])];
  console.log('');
  console.log(`| ${header2.join(' | ')} |`);
  console.log(`|${header2.map((_, i) => (i < 1 ? ' --- ' : ' ---: ')).join('|')}|`);
  for (const w of rated) console.log(`| ${[w, (flopPerUnit.get(w)! / 1e6).toFixed(w === 'W5' ? 0 : 2), ...systems.map((s) => rate(s, w))].join(' | ')} |`);
  console.log('');
  console.log('GFLOP/s at each system\'s best thread count (nT), from the FLOPs Strata counts for the workload (bench/flops.ts: every primitive of one step, backward and optimizer included; a multiply-add is 2); % = of the wasm ceiling at that thread count, measured just before each run (the median over rounds).');
}
for (const c of [...ceilings.values()].sort((a, b) => a.threads - b.threads)) {
  const near = results.flatMap((r) => (r.threads === c.threads && r.ceilingGflops !== undefined ? [r.ceilingGflops] : []));
  const spread = near.length ? `; measured again before each run: ${Math.min(...near)}-${Math.max(...near)} (median ${median(near)}, ${near.length} runs)` : '';
  console.log(`wasm ceiling (${c.variant}, ${c.op}, registers only): ${c.gflops} GFLOP/s on ${c.threads} thread(s) at the start (median ${c.median}, min ${c.min} over ${c.repeats} rounds)${spread}`);
}
