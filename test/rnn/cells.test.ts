// SPDX-License-Identifier: MIT
// The three cells against gate equations written out by hand in plain JavaScript (fixed small
// weights, no tensor ops), and their gradients through five time steps against finite differences.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as st from 'strata-dl';
import { assertClose } from '../helpers.js';

const { nn } = st;
const f64 = { dtype: 'float64' as const, backend: 'js' };
const sig = (v: number): number => 1 / (1 + Math.exp(-v));

/** A fixed [rows, cols] matrix of distinct values in about ±0.9 (no randomness). */
function fixedMatrix(rows: number, cols: number, phase: number): number[][] {
  return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => 0.9 * Math.sin(1.7 * r + 0.83 * c + phase)));
}
const fixedVector = (n: number, phase: number): number[] => fixedMatrix(1, n, phase)[0];

/** Row r of W·v + b, the building block of every gate. */
const affine = (W: number[][], v: number[], b: number[]): number[] => W.map((row, r) => row.reduce((acc, w, k) => acc + w * v[k], b[r]));

interface Raw { wIh: number[][]; wHh: number[][]; bIh: number[]; bHh: number[] }
function rawWeights(gates: number, inSize: number, hidden: number): Raw {
  return { wIh: fixedMatrix(gates * hidden, inSize, 0.1), wHh: fixedMatrix(gates * hidden, hidden, 1.3), bIh: fixedVector(gates * hidden, 2.9), bHh: fixedVector(gates * hidden, 4.1) };
}
function load(cell: st.nn.Module, w: Raw): void {
  // PyTorch's key names: this also checks that the cells expose exactly those.
  cell.loadStateDict({
    weight_ih: st.tensor(w.wIh, f64), weight_hh: st.tensor(w.wHh, f64), bias_ih: st.tensor(w.bIh, f64), bias_hh: st.tensor(w.bHh, f64),
  });
}

const IN = 3;
const H = 2;
const x = [[0.5, -1.2, 0.3], [-0.7, 0.1, 0.9]];
const h0 = [[0.2, -0.4], [0.6, 0.05]];
const c0 = [[-0.3, 0.8], [0.1, -0.5]];

describe('cells against hand-written gate equations', () => {
  test('LSTMCell: i, f, g, o in PyTorch order; c\' = f·c + i·g; h\' = o·tanh(c\')', () => {
    const w = rawWeights(4, IN, H);
    const cell = new nn.LSTMCell(IN, H, f64);
    load(cell, w);
    const expH: number[][] = [];
    const expC: number[][] = [];
    x.forEach((xb, b) => {
      const pre = affine(w.wIh, xb, w.bIh).map((v, r) => v + affine(w.wHh, h0[b], w.bHh)[r]);
      const gate = (k: number, j: number): number => pre[k * H + j];
      const c = Array.from({ length: H }, (_, j) => sig(gate(1, j)) * c0[b][j] + sig(gate(0, j)) * Math.tanh(gate(2, j)));
      expC.push(c);
      expH.push(c.map((cj, j) => sig(gate(3, j)) * Math.tanh(cj)));
    });
    const [h, c] = cell.forwardWithState(st.tensor(x, f64), [st.tensor(h0, f64), st.tensor(c0, f64)]);
    assertClose(h, expH, 1e-12, 1e-12, 'h');
    assertClose(c, expC, 1e-12, 1e-12, 'c');
    assertClose(cell.forward(st.tensor(x, f64), st.tensor(h0, f64), st.tensor(c0, f64)), expH, 1e-12, 1e-12, 'forward gives h');
  });

  test('GRUCell: r, z, n in PyTorch order; n = tanh(W_in·x + b_in + r·(W_hn·h + b_hn)); h\' = (1−z)·n + z·h', () => {
    const w = rawWeights(3, IN, H);
    const cell = new nn.GRUCell(IN, H, f64);
    load(cell, w);
    const exp = x.map((xb, b) => {
      const gi = affine(w.wIh, xb, w.bIh);
      const gh = affine(w.wHh, h0[b], w.bHh);
      return Array.from({ length: H }, (_, j) => {
        const r = sig(gi[j] + gh[j]);
        const z = sig(gi[H + j] + gh[H + j]);
        const n = Math.tanh(gi[2 * H + j] + r * gh[2 * H + j]);
        return (1 - z) * n + z * h0[b][j];
      });
    });
    assertClose(cell.forward(st.tensor(x, f64), st.tensor(h0, f64)), exp, 1e-12, 1e-12);
  });

  test('RNNCell: tanh and ReLU', () => {
    const w = rawWeights(1, IN, H);
    for (const nonlinearity of ['tanh', 'relu'] as const) {
      const cell = new nn.RNNCell(IN, H, { ...f64, nonlinearity });
      load(cell, w);
      const act = nonlinearity === 'tanh' ? Math.tanh : (v: number): number => Math.max(0, v);
      const exp = x.map((xb, b) => affine(w.wIh, xb, w.bIh).map((v, r) => act(v + affine(w.wHh, h0[b], w.bHh)[r])));
      assertClose(cell.forward(st.tensor(x, f64), st.tensor(h0, f64)), exp, 1e-12, 1e-12, nonlinearity);
    }
  });

  test('missing states start at zero, and unbatched input [in] gives unbatched state [H]', () => {
    const cell = new nn.LSTMCell(IN, H, { ...f64, generator: new st.Generator(3) });
    const zeros = st.zeros([2, H], f64);
    assertClose(cell.forward(st.tensor(x, f64)), cell.forward(st.tensor(x, f64), zeros, zeros));
    const [h1, c1] = cell.forwardWithState(st.tensor(x[1], f64));
    assert.deepEqual(h1.shape, [H]);
    assertClose(h1, cell.forwardWithState(st.tensor(x, f64))[0].index(1));
    assertClose(c1, cell.forwardWithState(st.tensor(x, f64))[1].index(1));
  });

  test('bias: false drops the biases from the parameters and the state dict', () => {
    const cell = new nn.GRUCell(4, 3, { bias: false });
    assert.deepEqual(Object.keys(cell.stateDict()), ['weight_ih', 'weight_hh']);
    assert.equal(cell.numParameters(), 9 * 4 + 9 * 3);
  });

  test('shape errors name the op, the argument and the shapes', () => {
    const cell = new nn.LSTMCell(8, 4);
    assert.throws(() => cell.forward(st.zeros([2, 10])), /lstm: input \[2,10\] has 10 features, expected 8/);
    assert.throws(() => cell.forwardWithState(st.zeros([2, 8]), [st.zeros([3, 4]), st.zeros([2, 4])]), /lstmCell: h \[3,4\] must be \[2,4\]/);
    assert.throws(() => cell.forward(st.zeros([2, 8]), st.zeros([2, 4])), /LSTMCell: give both h and c/);
    assert.throws(() => new nn.GRUCell(0, 4), /gru: inputSize must be a positive integer, got 0/);
  });
});

describe('cell gradients through five time steps (float64 gradcheck)', () => {
  const T = 5;
  const g = new st.Generator(11);
  const r = (shape: number[]): st.Tensor => st.rand(shape, { ...f64, generator: g }).mul(1.6).sub(0.8);
  const weights = (gates: number, inSize: number, hidden: number): st.Tensor[] =>
    [r([gates * hidden, inSize]), r([gates * hidden, hidden]), r([gates * hidden]), r([gates * hidden])];
  const W = ([weightIh, weightHh, biasIh, biasHh]: st.Tensor[]): st.nn.CellWeights => ({ weightIh, weightHh, biasIh, biasHh });

  test('LSTM cell unrolled: d(h_1..h_5, c_5) w.r.t. inputs, initial state and all four weights', () => {
    const f = (xs: st.Tensor, h: st.Tensor, c: st.Tensor, ...w: st.Tensor[]): st.Tensor => {
      const outs: st.Tensor[] = [];
      let state: [st.Tensor, st.Tensor] = [h, c];
      for (let t = 0; t < T; t++) {
        state = nn.lstmCell(xs.index(t), state, W(w));
        outs.push(state[0]);
      }
      return st.cat([st.stack(outs), state[1].unsqueeze(0)]);
    };
    assert.ok(st.gradcheck(f, [r([T, 2, 3]), r([2, 2]), r([2, 2]), ...weights(4, 3, 2)]).ok);
  });

  test('GRU cell unrolled', () => {
    const f = (xs: st.Tensor, h: st.Tensor, ...w: st.Tensor[]): st.Tensor => {
      const outs: st.Tensor[] = [];
      let state = h;
      for (let t = 0; t < T; t++) outs.push((state = nn.gruCell(xs.index(t), state, W(w))));
      return st.stack(outs);
    };
    assert.ok(st.gradcheck(f, [r([T, 2, 3]), r([2, 2]), ...weights(3, 3, 2)]).ok);
  });

  test('RNN cell unrolled (tanh)', () => {
    const f = (xs: st.Tensor, h: st.Tensor, ...w: st.Tensor[]): st.Tensor => {
      const outs: st.Tensor[] = [];
      let state = h;
      for (let t = 0; t < T; t++) outs.push((state = nn.rnnCell(xs.index(t), state, W(w))));
      return st.stack(outs);
    };
    assert.ok(st.gradcheck(f, [r([T, 2, 3]), r([2, 2]), ...weights(1, 3, 2)]).ok);
  });
});
