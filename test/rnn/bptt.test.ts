// SPDX-License-Identifier: MIT
// Truncated backpropagation through time: detaching the state between chunks cuts the graph there
// (and only there), and a model trained chunk by chunk on a long sequence still learns it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as st from 'strata-dl';
import { assertClose } from '../helpers.js';

const { nn, optim } = st;
const f64 = { dtype: 'float64' as const, backend: 'js' };

describe('truncated BPTT', () => {
  test('timeChunks splits along time (dim 0, or 1 with batchFirst)', () => {
    assert.deepEqual(nn.timeChunks(st.zeros([10, 2, 3]), 4).map((c) => c.shape[0]), [4, 4, 2]);
    assert.deepEqual(nn.timeChunks(st.zeros([2, 10, 3]), 5, { batchFirst: true }).map((c) => c.shape), [[2, 5, 3], [2, 5, 3]]);
    assert.throws(() => nn.timeChunks(st.zeros([4, 2]), 0), /timeChunks: size must be a positive integer, got 0/);
  });

  test('detachState cuts the graph between chunks but keeps the values', () => {
    const lstm = new nn.LSTM(2, 3, { ...f64, generator: new st.Generator(1) });
    const x = st.randn([8, 1, 2], { ...f64, generator: new st.Generator(2) });
    const [x1, x2] = nn.timeChunks(x, 4).map((c) => c.detach().requiresGrad_());
    const [, state] = lstm.forwardWithState(x1);
    const cut = nn.detachState(state);
    assert.ok(cut[0].isLeaf && cut[1].isLeaf && !cut[0].requiresGrad);
    assertClose(cut[0], state[0], 0, 0);
    const [out2] = lstm.forwardWithState(x2, cut);
    out2.sum().backward();
    assert.equal(x1.grad, null, 'no gradient reaches the first chunk');
    assert.ok(x2.grad);
    // Without the cut, the gradient does reach it.
    lstm.zeroGrad();
    const [out2b] = lstm.forwardWithState(x2, lstm.forwardWithState(x1)[1]);
    out2b.sum().backward();
    const gradOf = (t: st.Tensor): st.Tensor | null => t.grad;
    const reached = gradOf(x1);
    assert.ok(reached && reached.abs().sum().item() > 0);
    // A GRU state is a single tensor.
    const h = nn.detachState(new nn.GRU(2, 3, f64).forwardWithState(x1)[1]);
    assert.ok(h.isLeaf && !h.requiresGrad);
  });

  test('an LSTM trained in chunks of 10 steps learns a 200-step periodic sequence', () => {
    // Next-value prediction of a period-7 pattern; the state carries the phase across chunks.
    const pattern = [0, 1, 0.5, -1, 0.2, 0.8, -0.4];
    const seq = Array.from({ length: 201 }, (_, t) => pattern[t % 7]);
    const x = st.tensor(seq.slice(0, 200), { shape: [200, 1, 1] });
    const y = st.tensor(seq.slice(1), { shape: [200, 1, 1] });
    const lstm = new nn.LSTM(1, 16, { generator: new st.Generator(3) });
    const head = new nn.Linear(16, 1, { generator: new st.Generator(4) });
    const params = [...lstm.parameters(), ...head.parameters()];
    const opt = new optim.Adam(params, { lr: 0.02 });
    const epochLoss = (): number => {
      let state: [st.Tensor, st.Tensor] | null = null;
      let total = 0;
      const ys = nn.timeChunks(y, 10);
      nn.timeChunks(x, 10).forEach((xc, i) => {
        total += st.scoped(() => {
          const [out, next] = lstm.forwardWithState(xc, state);
          const loss = head.forward(out).sub(ys[i]).square().mean();
          opt.zeroGrad();
          loss.backward();
          optim.clipGradNorm(params, 1);
          opt.step();
          state = nn.detachState(next);
          state[0].keep();
          state[1].keep();
          return loss.item();
        });
      });
      return total / 20;
    };
    const first = epochLoss();
    let last = first;
    for (let e = 0; e < 25; e++) last = epochLoss();
    assert.ok(last < 0.1 * first, `loss ${first.toFixed(4)} → ${last.toFixed(4)}`);
  });
});
