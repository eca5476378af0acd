// SPDX-License-Identifier: MIT
// The standard workloads of DESIGN.md §5, one entry each. A workload builds its tensors once
// (setup) and then runs one unit of work per `step()`, returning how much work that was in the
// workload's unit (GFLOP for W5, samples for training workloads), so the harness reports work/s.
// Training workloads use synthetic inputs of MNIST's shape (the rate does not depend on the
// values), the zoo models, softmax cross-entropy and SGD with momentum 0.9, lr 0.01, one step per
// `step()` inside `scoped` (as fit() does).
// W4 (char-LSTM) lives in workloads/w4.ts, written by the recurrent layers' owner.
import type * as Strata from '../packages/strata-dl/src/index.js';
import { W4 } from './workloads/w4.js';
import { TENSOROPS_MICRO } from './workloads/tensorops.js';
import { WINDOW_MICRO } from './workloads/window.js';

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

type ZooModel = 'mlp' | 'lenet5' | 'cnn';

function trainWorkload(id: string, what: string, model: ZooModel, batch: number): Workload {
  return {
    id, what, unit: 'samples/s',
    setup(st, backend) {
      st.setBackend(backend);
      const gen = new st.Generator(1);
      const net = st.models[model]();
      const opt = new st.optim.SGD(net.parameters(), { lr: 0.01, momentum: 0.9 });
      const x = st.rand([batch, 1, 28, 28], { generator: gen });
      const y = st.randint(0, 10, [batch], { generator: gen });
      return {
        step() {
          st.scoped(() => {
            opt.zeroGrad();
            st.nn.functional.crossEntropy(net.forward(x), y).backward();
            opt.step();
          });
          return batch;
        },
        dispose() {
          x.dispose();
          y.dispose();
        },
      };
    },
  };
}

const W3I: Workload = {
  id: 'W3i',
  what: 'W3 inference, batch 256',
  unit: 'samples/s',
  setup(st, backend) {
    st.setBackend(backend);
    const net = st.models.cnn();
    net.eval();
    const x = st.rand([256, 1, 28, 28], { generator: new st.Generator(2) });
    return {
      step() {
        st.noGrad(() => st.scoped(() => { net.forward(x); }));
        return 256;
      },
      dispose() { x.dispose(); },
    };
  },
};

/** Per-op overhead: one small op, or two and their backward, per step (1000 / rate = µs per step). */
const OP1: Workload = {
  id: 'OP1',
  what: 'a + b on 64 float32 elements, no gradient (one op)',
  unit: 'kop/s',
  setup(st, backend) {
    const gen = new st.Generator(7);
    const a = st.rand([64], { backend, generator: gen });
    const b = st.rand([64], { backend, generator: gen });
    return {
      step() {
        a.add(b).dispose();
        return 1e-3;
      },
      dispose() { a.dispose(); b.dispose(); },
    };
  },
};

const OP2: Workload = {
  id: 'OP2',
  what: '(w * b).sum().backward() on 64 elements (two ops forward, their backward)',
  unit: 'kop/s',
  setup(st, backend) {
    const gen = new st.Generator(8);
    const w = st.rand([64], { backend, generator: gen, requiresGrad: true });
    const b = st.rand([64], { backend, generator: gen });
    return {
      step() {
        st.scoped(() => {
          w.grad = null;
          w.mul(b).sum().backward();
        });
        return 1e-3;
      },
      dispose() { w.dispose(); b.dispose(); },
    };
  },
};

/** Every workload the harness knows, by id. */
export const WORKLOADS: readonly Workload[] = [
  trainWorkload('W1', 'MLP 784-256-128-10, batch 128, train', 'mlp', 128),
  trainWorkload('W2', 'LeNet-5-like, batch 64, train', 'lenet5', 64),
  trainWorkload('W3', 'CNN conv32-conv64-pool-dense128, batch 128, train', 'cnn', 128),
  W3I,
  W4,
  W5,
  OP1,
  OP2,
  ...TENSOROPS_MICRO,
  ...WINDOW_MICRO,
];
