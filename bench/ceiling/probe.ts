// SPDX-License-Identifier: MIT
// The wasm ceiling of this machine: how many GFLOP/s 128-bit multiply-adds from registers reach
// (fma-module.ts's loop) on `threads` threads at once, each a worker with its own instance. This is
// the most a wasm SIMD kernel can do here; a GEMM also loads its operands, so it can only approach it.
//
// Method: each worker tiers its instance up (V8 compiles wasm with its baseline compiler first and
// switches to the optimizing one for later calls) by calling it for WARM_MS; then the workers wait
// at a barrier (Atomics on a shared buffer) and each round runs the same number of iterations in
// all of them at once, timed on the main thread from the release to the last worker's answer. The
// first round sizes the others to `seconds / repeats` each. The ceiling is the best round (load on
// the machine only ever lowers a round's rate); median and min are printed next to it.
import { Worker } from 'node:worker_threads';
import { DEFAULT_ACCUMULATORS, type FmaOp, flopsPerIteration, fmaModule } from './fma-module.js';

/** The wasm build a ceiling is for: the relaxed-SIMD one (FMA) or plain SIMD128 (mul + add). */
export type CeilingVariant = 'relaxed-simd' | 'simd';

export interface CeilingOptions {
  variant: CeilingVariant;
  threads: number;
  /** Time for the timed rounds together, in seconds (default 1). */
  seconds?: number;
  /** Timed rounds (default 20: short rounds, so that on a busy machine some run undisturbed). */
  repeats?: number;
  /** Independent accumulators of the loop (default: fma-module.ts's). */
  accumulators?: number;
}

/** One ceiling measurement: the JSON line the benches print. */
export interface Ceiling {
  ceiling: 'wasm-fma';
  variant: CeilingVariant;
  /** The instruction(s) timed: 'f32x4.relaxed_madd', or 'f32x4.mul + f32x4.add'. */
  op: string;
  threads: number;
  /** The ceiling: the best round's GFLOP/s, all threads together. */
  gflops: number;
  median: number;
  min: number;
  repeats: number;
  accumulators: number;
  /** How the FLOPs are counted. */
  counting: string;
}

const WARM_MS = 150;
const S = 0.999; // the loop's multiplier (fma-module.ts): accumulators converge to 1

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, flag } = workerData;
const run = new WebAssembly.Instance(module).exports.run;
let sink = 0;
const warmEnd = performance.now() + ${WARM_MS};
while (performance.now() < warmEnd) sink += run(20000, ${S});
parentPort.postMessage({ ready: true, sink });
parentPort.on('message', ({ round, iters }) => {
  Atomics.add(flag, 1, 1);
  Atomics.notify(flag, 1);
  for (let v = Atomics.load(flag, 0); v !== round; v = Atomics.load(flag, 0)) Atomics.wait(flag, 0, v);
  sink = run(iters, ${S});
  parentPort.postMessage({ round, sink });
});
`;

const OPS: Record<CeilingVariant, { op: FmaOp; name: string }> = {
  'relaxed-simd': { op: 'relaxed-madd', name: 'f32x4.relaxed_madd' },
  simd: { op: 'mul-add', name: 'f32x4.mul + f32x4.add' },
};

/** Whether this engine validates the relaxed-SIMD probe (Node 20 needs --experimental-wasm-relaxed-simd first). */
export function relaxedSimdAvailable(): boolean {
  return WebAssembly.validate(fmaModule({ op: 'relaxed-madd', accumulators: 1, unroll: 1 }));
}

/** The build 'auto' means here (the library's rule: relaxed SIMD where the engine validates it). */
export function resolveVariant(requested: string): CeilingVariant {
  if (requested === 'auto') return relaxedSimdAvailable() ? 'relaxed-simd' : 'simd';
  if (requested === 'simd' || requested === 'relaxed-simd') return requested;
  throw new RangeError(`ceiling: unknown variant '${requested}' (auto, simd or relaxed-simd)`);
}

const nextMessage = (w: Worker): Promise<{ sink: number }> => new Promise((resolve, reject) => {
  const fail = (e: Error): void => reject(e);
  w.once('error', fail);
  w.once('message', (m: { sink: number }) => {
    w.off('error', fail);
    resolve(m);
  });
});

/** Measures the ceiling (see the file's header). */
export async function measureCeiling({ variant, threads, seconds = 1, repeats = 20, accumulators = DEFAULT_ACCUMULATORS }: CeilingOptions): Promise<Ceiling> {
  if (!(Number.isInteger(threads) && threads >= 1)) throw new RangeError(`measureCeiling: threads must be a positive integer, got ${threads}`);
  const { op, name } = OPS[variant];
  const bytes = fmaModule({ op, accumulators });
  if (!WebAssembly.validate(bytes)) {
    throw new Error(`measureCeiling: this engine rejects the ${variant} probe${variant === 'relaxed-simd' ? ' (Node 20: run node with --experimental-wasm-relaxed-simd)' : ''}`);
  }
  const module = new WebAssembly.Module(bytes);
  const flop = flopsPerIteration({ op, accumulators });
  const flag = new Int32Array(new SharedArrayBuffer(8));
  const workers = Array.from({ length: threads }, () => new Worker(WORKER, { eval: true, workerData: { module, flag } }));
  try {
    await Promise.all(workers.map(nextMessage)); // tiered up
    let round = 0;
    const timeRound = async (iters: number): Promise<number> => {
      round++;
      Atomics.store(flag, 1, 0);
      const done = workers.map(nextMessage);
      for (const w of workers) w.postMessage({ round, iters });
      for (let n = Atomics.load(flag, 1); n < threads; n = Atomics.load(flag, 1)) Atomics.wait(flag, 1, n, 1000);
      const t0 = performance.now();
      Atomics.store(flag, 0, round);
      Atomics.notify(flag, 0);
      await Promise.all(done);
      return (performance.now() - t0) / 1000;
    };
    const probeIters = 1 << 20;
    const perIter = (await timeRound(probeIters)) / probeIters;
    const iters = Math.min(2 ** 31 - 1, Math.max(1000, Math.round(seconds / repeats / perIter)));
    const rates: number[] = [];
    for (let r = 0; r < repeats; r++) rates.push((threads * iters * flop) / (await timeRound(iters)) / 1e9);
    rates.sort((a, b) => a - b);
    const round1 = (x: number): number => Math.round(x * 10) / 10;
    return {
      ceiling: 'wasm-fma', variant, op: name, threads,
      gflops: round1(rates[rates.length - 1]), median: round1(rates[Math.floor(rates.length / 2)]), min: round1(rates[0]),
      repeats, accumulators,
      counting: op === 'relaxed-madd' ? '2 FLOPs per lane per FMA' : '2 FLOPs per lane per mul+add pair (as for an FMA)',
    };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
