// SPDX-License-Identifier: MIT
// What the browser benchmark's driver (run.ts) calls on its page (page.ts) as `window.bench`.

/** What a system runs on, as set up. */
export interface SetupInfo { backend: string; threads: number }

export type System = 'strata' | 'ort' | 'tfjs';

export interface BenchApi {
  /** Prepares `workload` on `system` with `threads` threads (and, for Strata, starts its pool). */
  setup(system: System, workload: string, threads: number): Promise<SetupInfo>;
  /** Runs whole steps for at least `ms` milliseconds; returns the rate (samples/s). */
  round(system: System, workload: string, ms: number): Promise<number>;
  /** Max |difference| of ONNX Runtime's and TF.js's W3 logits from Strata's, and the logits' scale. */
  agreement(): Promise<Record<string, number>>;
  env(): { userAgent: string; hardwareConcurrency: number; crossOriginIsolated: boolean };
}
