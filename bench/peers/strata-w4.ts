// SPDX-License-Identifier: MIT
// Strata's W4 (bench/workloads/w4.ts, setupW4) for as long as bench/workloads.ts does not list it:
// the same set-up as bench/run.ts's child (a wasm backend of the chosen variant, `threads` threads).
import { setFlagsFromString } from 'node:v8';
import type { Runner, WorkloadId } from './common.js';

export async function setupStrataW4(workload: WorkloadId, threads: number, variant = 'auto'): Promise<{ runner: Runner; backend: string; threads: number; note?: string }> {
  if (workload !== 'W4') throw new Error('bench/peers runs Strata through bench/run.ts; only W4 comes here');
  if (variant === 'relaxed-simd') setFlagsFromString('--experimental-wasm-relaxed-simd'); // as bench/run.ts does, before any wasm compiles
  const st = await import('../../packages/strata-dl/src/index.js');
  const { setupW4 } = await import('../workloads/w4.js');
  const wb = st.createWasmBackend({ reference: st.getBackend('js'), ...(variant === 'auto' ? {} : { variant: variant === 'simd' ? 'simd' : 'relaxed-simd' }) });
  st.registerBackend(wb);
  st.setNumThreads(threads);
  await wb.ready(threads);
  return { runner: setupW4(st, 'wasm'), backend: 'wasm', threads, note: `variant ${wb.variant}; W4 from bench/workloads/w4.ts (not yet in bench/run.ts)` };
}
