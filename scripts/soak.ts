// SPDX-License-Identifier: MIT
// Soak test: long training runs of the standard workloads (bench/workloads.ts: W1 = MLP, W3 = CNN)
// on the wasm backend must keep memory flat. Prints one JSON object:
//   { date, node, cpu, threads, gcBeforeSamples, runs: [{ workload, steps, seconds, samples: [{ step,
//     liveBytes, liveTensors, wasmReservedBytes, rssBytes, heapTotalBytes, heapUsedBytes, externalBytes }],
//     liveBytesFlat, rssGrowth, outsideHeapGrowth }] }
// where rssGrowth is (max RSS after step 100) / (RSS at step 100) - 1, outsideHeapGrowth the same for
// RSS - heapTotal (memory outside V8's JS heap: wasm memory, native buffers, code), and liveBytesFlat
// says the live tensor bytes at every sample equal those at step 100.
//
//   node --import tsx --conditions=strata-source scripts/soak.ts [--w1 10000] [--w3 1000] [--every 500] [--gc]
//
// --gc runs each child with --expose-gc and collects garbage before every sample, so the JS heap
// numbers are what is retained rather than where V8's collector happens to be.
//
// Each workload runs in its own child process, so its RSS is its own and starts from a fresh heap.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    w1: { type: 'string', default: '10000' },
    w3: { type: 'string', default: '1000' },
    every: { type: 'string', default: '500' },
    gc: { type: 'boolean', default: false },
    child: { type: 'string' },
    steps: { type: 'string' },
  },
});

interface Sample { step: number; liveBytes: number; liveTensors: number; wasmReservedBytes: number; rssBytes: number; heapTotalBytes: number; heapUsedBytes: number; externalBytes: number }
interface Run { workload: string; steps: number; seconds: number; samples: Sample[]; liveBytesFlat: boolean; rssGrowth: number; outsideHeapGrowth: number }

if (values.child) {
  const st = await import('../packages/strata-dl/src/index.js');
  const { WORKLOADS } = await import('../bench/workloads.js');
  const w = WORKLOADS.find((x) => x.id === values.child);
  if (!w) throw new Error(`unknown workload ${values.child}`);
  const steps = Number(values.steps);
  const every = Number(values.every);
  const runner = w.setup(st, 'wasm');
  const backend = st.getBackend('wasm') as import('../packages/strata-dl/src/index.js').WasmBackend;
  const samples: Sample[] = [];
  const t0 = performance.now();
  for (let i = 1; i <= steps; i++) {
    runner.step();
    if (i === 100 || (i % every === 0 && i >= 100) || i === steps) {
      (globalThis as { gc?: () => void }).gc?.();
      const m = st.memory();
      const mu = process.memoryUsage();
      samples.push({
        step: i, liveBytes: m.bytes, liveTensors: m.tensors, wasmReservedBytes: backend.reservedBytes(),
        rssBytes: mu.rss, heapTotalBytes: mu.heapTotal, heapUsedBytes: mu.heapUsed, externalBytes: mu.external,
      });
      // progress on stderr, so that a long run shows where it is (and what it had, if stopped)
      process.stderr.write(`${w.id} ${JSON.stringify(samples[samples.length - 1])}\n`);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  runner.dispose();
  const base = samples.find((s) => s.step === 100) ?? samples[0];
  const run: Run = {
    workload: w.id, steps, seconds: Math.round(seconds * 10) / 10, samples,
    liveBytesFlat: samples.every((s) => s.liveBytes === base.liveBytes),
    rssGrowth: Math.max(...samples.map((s) => s.rssBytes)) / base.rssBytes - 1,
    outsideHeapGrowth: Math.max(...samples.map((s) => s.rssBytes - s.heapTotalBytes)) / (base.rssBytes - base.heapTotalBytes) - 1,
  };
  process.stdout.write(JSON.stringify(run));
  await backend.close();
} else {
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  const runs: Run[] = [];
  for (const [id, steps] of [['W1', values.w1], ['W3', values.w3]] as const) {
    if (Number(steps) <= 0) continue;
    const flags = values.gc ? ['--expose-gc'] : [];
    const child = spawnSync(process.execPath, [...flags, ...process.execArgv, process.argv[1], '--child', id, '--steps', steps, '--every', values.every],
      { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] });
    if (child.status !== 0) throw new Error(`${id} soak failed with status ${child.status}`);
    runs.push(JSON.parse(child.stdout) as Run);
  }
  const { getNumThreads } = await import('../packages/strata-dl/src/index.js');
  console.log(JSON.stringify({ date: new Date().toISOString(), node: process.version, cpu, threads: getNumThreads(), gcBeforeSamples: values.gc, runs }, null, 1));
}
