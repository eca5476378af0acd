// SPDX-License-Identifier: MIT
// One (system, workload, threads) measurement in its own process, so that peakRssMiB is its own and a
// crash or a hang stays contained: prints one JSON result line (with `error` when it could not run).
// Run by bench/peers/run.ts; by hand: node --import tsx bench/peers/child.ts --system tfjs-wasm --workload W1
import { parseArgs } from 'node:util';
import { WARMUP_SECONDS } from '../warmup.js';
import { CORES, WORKLOADS, WORKLOAD_IDS, measure, peakRssMiB, type PeerResult, type Runner, type WorkloadId } from './common.js';

const { values } = parseArgs({
  options: {
    system: { type: 'string' },
    workload: { type: 'string' },
    threads: { type: 'string' },
    seconds: { type: 'string', default: '6' },
    warmup: { type: 'string', default: String(WARMUP_SECONDS) },
    repeats: { type: 'string', default: '5' },
    'max-step-seconds': { type: 'string', default: '20' },
    variant: { type: 'string', default: 'auto' },
  },
});
const system = values.system ?? '';
const workload = values.workload as WorkloadId;
if (!WORKLOAD_IDS.includes(workload)) throw new Error(`unknown workload ${values.workload}`);
const threads = values.threads ? Number(values.threads) : CORES;

interface Setup { runner: Runner; backend: string; threads: number; note?: string }

async function setup(): Promise<Setup> {
  switch (system) {
    case 'tfjs-cpu': case 'tfjs-wasm': {
      const { setupTfjs } = await import('./tfjs.js');
      return setupTfjs(system === 'tfjs-cpu' ? 'cpu' : 'wasm', workload, threads);
    }
    case 'jax-js': {
      const { setupJax } = await import('./jaxjs.js');
      return setupJax(workload, threads);
    }
    case 'onnxruntime': {
      const { setupOrt } = await import('./ort.js');
      return setupOrt(workload, threads);
    }
    case 'strata': {
      const { setupStrataW4 } = await import('./strata-w4.js');
      return setupStrataW4(workload, threads, values.variant);
    }
    default:
      throw new Error(`unknown system ${system}`);
  }
}

const base = { system, workload, unit: WORKLOADS[workload].unit };
let result: PeerResult;
try {
  const s = await setup();
  const t = await measure(s.runner, Number(values.seconds), Number(values.warmup), Math.max(3, Number(values.repeats)), Number(values['max-step-seconds']));
  s.runner.dispose?.();
  const note = [s.note, t.note].filter(Boolean).join('; ');
  result = { ...base, backend: s.backend, threads: s.threads, median: t.median, min: t.min, max: t.max, repeats: t.repeats, peakRssMiB: peakRssMiB(), ...(t.warmupRate !== undefined ? { warmupRate: t.warmupRate } : {}), ...(note ? { note } : {}) };
} catch (e) {
  const message = e instanceof Error ? e.message : String(e);
  result = { ...base, backend: '-', threads, median: 0, min: 0, max: 0, repeats: 0, peakRssMiB: peakRssMiB(), error: message.split('\n')[0].slice(0, 300) };
}
console.log(JSON.stringify(result));
process.exit(0);
