// SPDX-License-Identifier: MIT
// The warm-up before a benchmark's timed repeats, shared by `npm run bench` and `npm run bench:peers`
// (bench/peers/torch_bench.py follows the same rule).

/**
 * Seconds of warm-up by default. A JavaScript system is not at its steady rate after a few steps:
 * V8 compiles the hot functions in the background over the first seconds (about 0.9 s of optimizing
 * compiler time over W1's first 2,000 steps on a 2-core machine), and on 2 cores those compiler
 * threads take the cores from the kernels. W1 on 2 threads ran its first 100 steps at 3.7 ms each,
 * steps 400-500 at 2.1 ms and those after step 700 at about 1.7 ms; the old warm-up (15% of
 * `--seconds`: 0.45 s for `--seconds 3`) measured mostly that start. Every system gets the same
 * warm-up, and its rate is reported (`warmupRate`), so the start is not hidden.
 */
export const WARMUP_SECONDS = 3;

/** Milliseconds from a fixed point (performance.now, or a test's clock). */
export type Clock = () => number;

/**
 * Runs `step` (returning its work, or a promise of it) for at least one step and `seconds` (the
 * caller has run one before); returns the rate in work per second.
 */
export async function warmUp(step: () => number | Promise<number>, seconds: number, now: Clock = () => performance.now()): Promise<number> {
  const start = now(), end = start + seconds * 1000;
  let work = 0;
  do work += await step(); while (now() < end);
  return work / ((now() - start) / 1000);
}
