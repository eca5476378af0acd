// SPDX-License-Identifier: MIT
// npm run bench:peers -- [--workload W1,W3i] [--systems strata,tfjs-wasm,jax-js] [--seconds 6] [--repeats 5] [--rounds 1]
//                        [--strata-variant auto|simd|relaxed-simd] [--max-step-seconds 20] [--timeout 900]
//                        [--from run1.out,run2.out]   (no measuring: the table of saved JSON lines, later files winning)
//
// The standard workloads (DESIGN.md §5) on Strata and its peers, interleaved: for each workload,
// every system runs in turn (each in a fresh process), so the systems share one time window and
// the ±20–30% drift of this VM's cores hits them alike; --rounds repeats the whole sweep.
// Prints one JSON line per (system, configuration, workload, round), in DESIGN.md §5's format with
// `system` (and `error` where a system could not run a workload), then one markdown table: Strata
// next to each peer's best configuration, with the ratio Strata/peer.
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
import { WORKLOADS as STRATA_WORKLOADS } from '../workloads.js';
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
    repeats: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '1' },
    'strata-variant': { type: 'string', default: 'auto' },
    'max-step-seconds': { type: 'string', default: '20' },
    timeout: { type: 'string', default: '900' },
    from: { type: 'string' },
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
const common = ['--seconds', values.seconds, '--repeats', values.repeats, '--max-step-seconds', values['max-step-seconds']];
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

interface StrataLine { workload: string; backend: string; variant: string; threads: number; median: number; min: number; max: number; unit: string; repeats: number; peakRssMiB: number }

function runStrata(workload: WorkloadId, threads: number): PeerResult {
  const variant = values['strata-variant'];
  if (!STRATA_WORKLOADS.some((w) => w.id === workload)) {
    if (workload !== 'W4') return failed('strata', workload, threads, 'not in bench/workloads.ts');
    return runJson('strata', workload, threads, process.execPath, [...process.execArgv, here('./child.ts'), '--system', 'strata', '--workload', workload, '--threads', String(threads), '--variant', variant, ...common]);
  }
  return runJson('strata', workload, threads, process.execPath, [...process.execArgv, here('../run.ts'), '--workload', workload, '--backend', 'wasm', '--threads', String(threads),
    '--variant', variant, '--seconds', values.seconds, '--repeats', values.repeats], undefined, (line) => {
    const s = JSON.parse(line) as StrataLine; // bench/run.ts's line: DESIGN.md §5's fields plus variant
    return { system: 'strata', workload, backend: s.backend, threads: s.threads, median: s.median, min: s.min, max: s.max, unit: s.unit, repeats: s.repeats, peakRssMiB: s.peakRssMiB, note: `variant ${s.variant}` };
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

// ---- measure, interleaved ----
const results: PeerResult[] = [];
if (values.from) {
  const byKey = new Map<string, PeerResult>();
  for (const file of list(values.from)) {
    for (const line of readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('{'))) {
      const r = JSON.parse(line) as PeerResult;
      byKey.set(`${r.system} ${r.workload} ${r.threads}`, r);
    }
  }
  results.push(...[...byKey.values()].filter((r) => workloads.includes(r.workload as WorkloadId) && systems.includes(r.system as System)));
}
for (let round = 0; round < (values.from ? 0 : Number(values.rounds)); round++) {
  for (const w of workloads) {
    for (const s of systems) {
      if (s === 'onnxruntime' && w !== 'W3i') continue;
      // the per-op overhead workloads compare Strata with PyTorch, the eager peer
      if (w.startsWith('OP') && s !== 'strata' && s !== 'pytorch') continue;
      for (const t of THREADS[s]) {
        const r = runOne(s, w, t);
        console.log(JSON.stringify(r));
        results.push(r);
      }
    }
  }
}

// ---- one table: each system's best configuration; over rounds, the median of the medians ----
const fmt = (x: number): string => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(x >= 10 ? 1 : 2));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
interface Cell { value: number; min: number; max: number; threads: number; error?: string; single?: boolean }
function best(system: System, w: WorkloadId): Cell | null {
  const mine = results.filter((r) => r.system === system && r.workload === w);
  if (!mine.length) return null;
  const ok = mine.filter((r) => !r.error && r.median > 0);
  if (!ok.length) return { value: 0, min: 0, max: 0, threads: mine[0].threads, error: mine[0].error };
  const cells = [...new Set(ok.map((r) => r.threads))].map((t) => {
    const rs = ok.filter((r) => r.threads === t);
    return { value: median(rs.map((r) => r.median)), min: Math.min(...rs.map((r) => r.min)), max: Math.max(...rs.map((r) => r.max)), threads: t, single: rs.some((r) => r.repeats === 1) };
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
