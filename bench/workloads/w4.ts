// SPDX-License-Identifier: MIT
// W4 of DESIGN.md §5: a character-level LSTM language model, vocab 28, hidden 128, sequences of 16,
// batch 32, cross-entropy at every step, SGD momentum 0.9 lr 0.01. Metric: training tokens/s.
// Inputs are one-hot vectors (the LSTM's input size is the vocabulary), which is what the stated
// 0.50 MFLOP per token counts: 3 × (2·4H·(V + H) + 2·H·V) ≈ 0.50 M.
import type * as Strata from '../../packages/strata-dl/src/index.js';
import type { Runner, Workload } from '../workloads.js';

export const W4_CONFIG = { vocab: 28, hidden: 128, seq: 16, batch: 32, lr: 0.01, momentum: 0.9 } as const;

/** One W4 training loop, ready to step; `tokensPerStep` = seq × batch (512). */
export interface W4Runner extends Runner {
  readonly tokensPerStep: number;
  /** The last step's loss (nats per token), to check that training is really happening. */
  lastLoss(): number;
}

/**
 * Builds the model, optimizer and one fixed batch (seeded random characters; the targets are each
 * position's next character) on `backend`. Each `step()` is a full training step (forward over 16
 * steps, loss at every step, backward through time, SGD update) and returns the tokens it trained on.
 */
export function setupW4(st: typeof Strata, backend: string): W4Runner {
  const { vocab, hidden, seq, batch, lr, momentum } = W4_CONFIG;
  const prev = st.getBackend().name;
  st.setBackend(backend);
  try {
    const gen = new st.Generator(4);
    const lstm = new st.nn.LSTM(vocab, hidden, { generator: gen });
    const head = new st.nn.Linear(hidden, vocab, { generator: gen });
    const { x, y } = st.scoped(() => {
      const ids = st.randint(0, vocab, [seq + 1, batch], { generator: gen });
      return {
        x: st.eye(vocab).indexSelect(0, ids.slice(0, 0, seq).reshape([-1])).reshape([seq, batch, vocab]),
        y: ids.slice(0, 1).reshape([-1]),
      };
    });
    const params = [...lstm.parameters(), ...head.parameters()];
    const opt = new st.optim.SGD(params, { lr, momentum });
    let loss = NaN;
    return {
      tokensPerStep: seq * batch,
      lastLoss: () => loss,
      step() {
        loss = st.scoped(() => {
          opt.zeroGrad();
          const logits = head.forward(lstm.forward(x)).reshape([seq * batch, vocab]);
          const l = st.nn.functional.crossEntropy(logits, y);
          l.backward();
          return l.item();
        });
        opt.step();
        return seq * batch;
      },
      dispose() {
        opt.zeroGrad();
        for (const s of opt.state.values()) s.momentumBuffer?.dispose();
        for (const t of [x, y, ...params]) t.dispose();
      },
    };
  } finally {
    st.setBackend(prev);
  }
}

/** The harness entry: register with `WORKLOADS` in bench/workloads.ts. */
export const W4: Workload = {
  id: 'W4',
  what: 'char-LSTM: vocab 28, hidden 128, seq 16, batch 32, CE at every step, SGD momentum 0.9 lr 0.01',
  unit: 'tokens/s',
  setup: setupW4,
};
