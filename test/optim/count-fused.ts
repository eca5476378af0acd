// SPDX-License-Identifier: MIT
// Counting the fused optimizer kernels' calls, for the tests that check how many a step makes.
import * as st from 'strata-dl';

/** Counts calls of a backend's fused kernels while `fn` runs. */
export function countFused(backend: string, fn: () => void): number {
  const f = st.getBackend(backend).fused as Record<string, { run: (a: never) => void }> | undefined;
  if (!f?.sgd || !f.adam) {
    fn();
    return 0;
  }
  const [sgd, adam] = [f.sgd.run, f.adam.run];
  let calls = 0;
  f.sgd.run = (a) => { calls++; sgd(a); };
  f.adam.run = (a) => { calls++; adam(a); };
  try {
    fn();
  } finally {
    f.sgd.run = sgd;
    f.adam.run = adam;
  }
  return calls;
}
