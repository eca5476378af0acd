// SPDX-License-Identifier: MIT
// Shared pieces of the peer benchmarks: the workload definitions every system implements (DESIGN.md
// §5), the result line, and the timing loop (warm-up excluded, >= 3 repeats, median/min/max).
import { availableParallelism } from 'node:os';
import { warmUp } from '../warmup.js';

export type WorkloadId = 'W1' | 'W2' | 'W3' | 'W3i' | 'W4' | 'W5' | 'OP1' | 'OP2';
export const WORKLOAD_IDS: readonly WorkloadId[] = ['W1', 'W2', 'W3', 'W3i', 'W4', 'W5', 'OP1', 'OP2'];

/** What each workload is, as every system implements it. Inputs are random data of MNIST's shapes. */
export const WORKLOADS: Record<WorkloadId, { what: string; unit: string; batch: number }> = {
  W1: { what: 'MLP 784-256-128-10 train, batch 128', unit: 'samples/s', batch: 128 },
  W2: { what: 'LeNet-5-like train, batch 64', unit: 'samples/s', batch: 64 },
  W3: { what: 'CNN conv32-conv64-pool-dense128 train, batch 128', unit: 'samples/s', batch: 128 },
  W3i: { what: 'W3 inference, batch 256', unit: 'samples/s', batch: 256 },
  W4: { what: 'char-LSTM vocab 28, hidden 128, seq 16, batch 32 train', unit: 'tokens/s', batch: 32 },
  W5: { what: 'matmul 1024x1024x1024', unit: 'GFLOP/s', batch: 1 },
  // per-op overhead: thousands of small ops per second (1000 / rate = µs per op)
  OP1: { what: 'a + b on 64 float32 elements, no gradient (one op)', unit: 'kop/s', batch: 1 },
  OP2: { what: '(w * b).sum().backward() on 64 elements (two ops forward, their backward)', unit: 'kop/s', batch: 1 },
};
export const W4_SHAPE = { vocab: 28, hidden: 128, seq: 16, batch: 32 } as const;
export const SGD = { lr: 0.01, momentum: 0.9 } as const;
export const CORES = availableParallelism();

/** One result line: DESIGN.md §5's format plus `system`, and `error` when the system could not run it. */
export interface PeerResult {
  system: string;
  workload: string;
  backend: string;
  threads: number;
  median: number;
  min: number;
  max: number;
  unit: string;
  repeats: number;
  peakRssMiB: number;
  /** The rate over the warm-up (bench/warmup.ts), after the first step: how far from its steady rate a system starts. */
  warmupRate?: number;
  error?: string;
  note?: string;
  /** The FLOPs per unit of work (per sample, token, GFLOP, kop) of the workload, counted on Strata (bench/flops.ts). */
  flopPerUnit?: number;
  /** median · flopPerUnit / 1e9. */
  gflops?: number;
  /**
   * gflops / the wasm ceiling at the same thread count (bench/ceiling/; above 1 for native code with
   * wider vectors): the ceiling measured just before this run (`ceilingGflops`), so that both come
   * from the same minute of a machine whose speed drifts.
   */
  ceilingFraction?: number;
  /** The wasm ceiling (GFLOP/s) at this run's thread count, measured just before it. */
  ceilingGflops?: number;
  /** Strata's own lines: bench/run.ts's FLOP count of one step, its GEMM part and the step's work in units. */
  flopPerStep?: number;
  gemmFlopPerStep?: number;
  workPerStep?: number;
}

/** One unit of work per `step()`, returning how much it was (samples, tokens, GFLOP). */
export interface Runner {
  step(): number | Promise<number>;
  dispose?(): void;
}

export interface Timing { median: number; min: number; max: number; repeats: number; warmupRate?: number; note?: string }

/** A first step longer than this is not followed by a timed one (see `measure`). */
export const SLOW_STEP_SECONDS = 150;

const round = (x: number): number => (x >= 100 ? Math.round(x) : Math.round(x * 100) / 100);

/**
 * Warm-up (at least 2 steps and `warmup` seconds, bench/warmup.ts), then `repeats` timed repeats sharing `seconds`,
 * each at least one step. A system whose first step exceeds `maxStepSeconds` is not repeated: its
 * rate is that of one more step, or, when the first took over SLOW_STEP_SECONDS (TF.js's cpu backend
 * spends minutes on one W3 step), of that first step; the note says which.
 */
export async function measure(runner: Runner, seconds: number, warmup: number, repeats: number, maxStepSeconds: number): Promise<Timing> {
  const t0 = performance.now();
  const firstWork = await runner.step();
  const first = (performance.now() - t0) / 1000;
  if (first > maxStepSeconds) {
    // A slow first step may be mostly compilation (jax-js's jit): time one more step unless the
    // first took so long (TF.js cpu on W3: minutes) that its rate is the only one worth waiting for.
    if (first > SLOW_STEP_SECONDS) {
      const rate = round(firstWork / first);
      return { median: rate, min: rate, max: rate, repeats: 1, note: `one step took ${first.toFixed(0)} s: the rate of that single step (no warm-up, not repeated)` };
    }
    const t1 = performance.now();
    const work = await runner.step();
    const rate = round(work / ((performance.now() - t1) / 1000));
    return { median: rate, min: rate, max: rate, repeats: 1, note: `first step ${first.toFixed(0)} s: the rate of one more step after it (not repeated)` };
  }
  const warmupRate = await warmUp(() => runner.step(), warmup);
  const rates: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const end = performance.now() + (seconds * 1000) / repeats;
    let work = 0;
    const start = performance.now();
    do work += await runner.step(); while (performance.now() < end);
    rates.push(work / ((performance.now() - start) / 1000));
  }
  rates.sort((a, b) => a - b);
  return { median: round(rates[Math.floor(rates.length / 2)]), min: round(rates[0]), max: round(rates[rates.length - 1]), repeats: rates.length, warmupRate: round(warmupRate) };
}

export function peakRssMiB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** Deterministic uniform floats in [lo, hi) (a small LCG: inputs only need MNIST's shapes). */
export function uniform(n: number, lo = 0, hi = 1, seed = 1): Float32Array<ArrayBuffer> {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((hi - lo) * s) / 2 ** 32;
  }
  return out;
}

/** Integer labels in [0, classes). */
export function labels(n: number, classes: number, seed = 2): Int32Array<ArrayBuffer> {
  return Int32Array.from(uniform(n, 0, classes, seed), (v) => Math.min(classes - 1, Math.floor(v)));
}

/** One-hot rows of `labels`. */
export function oneHot(ids: Int32Array, classes: number): Float32Array<ArrayBuffer> {
  const out = new Float32Array(ids.length * classes);
  ids.forEach((c, i) => { out[i * classes + c] = 1; });
  return out;
}
