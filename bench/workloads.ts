// SPDX-License-Identifier: MIT
// The standard workloads of DESIGN.md §5, one entry each. A workload builds its tensors once
// (setup) and then runs one unit of work per `step()`, returning how much work that was in the
// workload's unit (GFLOP for W5, samples for training workloads), so the harness reports work/s.
// TODO(nn owner): W1-W4 (MLP, LeNet-5, CNN, char-LSTM) once src/nn layers exist; add them here.
import type * as Strata from '../src/index.js';

export interface Runner {
  /** Runs one unit and returns the work it did, in `unit`s (before the "/s"). */
  step(): number;
  dispose(): void;
}

export interface Workload {
  id: string;
  what: string;
  /** e.g. 'GFLOP/s', 'samples/s' */
  unit: string;
  setup(st: typeof Strata, backend: string): Runner;
}

const W5: Workload = {
  id: 'W5',
  what: 'matmul 1024x1024x1024 (float32)',
  unit: 'GFLOP/s',
  setup(st, backend) {
    const n = 1024;
    const gen = new st.Generator(5);
    const a = st.rand([n, n], { backend, generator: gen });
    const b = st.rand([n, n], { backend, generator: gen });
    return {
      step() {
        a.matmul(b).dispose();
        return (2 * n * n * n) / 1e9;
      },
      dispose() {
        a.dispose();
        b.dispose();
      },
    };
  },
};

/** Every workload the harness knows, by id. */
export const WORKLOADS: readonly Workload[] = [W5];
