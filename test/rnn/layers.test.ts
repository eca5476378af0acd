// SPDX-License-Identifier: MIT
// The sequence layers: PyTorch's names, shapes and return conventions, agreement with the cells
// stepped by hand, batchFirst, bidirectional, masking of padded sequences, dropout between layers,
// and gradients of whole multi-layer bidirectional stacks through five steps.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as st from 'strata-dl';
import { assertClose } from '../helpers.js';

const { nn } = st;
const f64 = { dtype: 'float64' as const, backend: 'js' };
const gen = (seed: number): { generator: st.Generator } & typeof f64 => ({ ...f64, generator: new st.Generator(seed) });
const randn = (shape: number[], seed: number): st.Tensor => st.randn(shape, gen(seed));

describe('state dict: PyTorch names, shapes and init', () => {
  test('two-layer bidirectional LSTM has exactly PyTorch\'s keys, in its order', () => {
    const lstm = new nn.LSTM(3, 4, { numLayers: 2, bidirectional: true });
    const shapes = Object.entries(lstm.stateDict()).map(([k, v]) => `${k} ${v.shape.join('x')}`);
    assert.deepEqual(shapes, [
      'weight_ih_l0 16x3', 'weight_hh_l0 16x4', 'bias_ih_l0 16', 'bias_hh_l0 16',
      'weight_ih_l0_reverse 16x3', 'weight_hh_l0_reverse 16x4', 'bias_ih_l0_reverse 16', 'bias_hh_l0_reverse 16',
      'weight_ih_l1 16x8', 'weight_hh_l1 16x4', 'bias_ih_l1 16', 'bias_hh_l1 16',
      'weight_ih_l1_reverse 16x8', 'weight_hh_l1_reverse 16x4', 'bias_ih_l1_reverse 16', 'bias_hh_l1_reverse 16',
    ]);
    assert.equal(new nn.GRU(5, 6, { bias: false }).parameters().length, 2);
    assert.deepEqual(new nn.GRU(5, 6).stateDict().weight_ih_l0.shape, [18, 5]);
    assert.deepEqual(new nn.RNN(5, 6).stateDict().weight_hh_l0.shape, [6, 6]);
  });

  test('every weight is drawn from U(−1/√H, 1/√H), and a seed fixes them', () => {
    const k = 1 / Math.sqrt(16);
    const lstm = new nn.LSTM(8, 16, { numLayers: 2, generator: new st.Generator(5) });
    const values = lstm.parameters().flatMap((p) => Array.from(p.dataSync()));
    assert.ok(values.every((v) => Math.abs(v) <= k));
    assert.ok(Math.max(...values) > 0.9 * k && Math.min(...values) < -0.9 * k, 'spans the interval');
    const again = new nn.LSTM(8, 16, { numLayers: 2, generator: new st.Generator(5) });
    assert.deepEqual(Array.from(again.parameters()[5].dataSync()), Array.from(lstm.parameters()[5].dataSync()));
  });

  test('loadStateDict with PyTorch keys sets the weights the forward pass uses', () => {
    const src = new nn.GRU(3, 2, gen(1));
    const dst = new nn.GRU(3, 2, gen(2));
    const x = randn([4, 1, 3], 3);
    assert.notDeepEqual(Array.from(dst.forward(x).dataSync()), Array.from(src.forward(x).dataSync()));
    const dict = Object.fromEntries(Object.entries(src.stateDict()).map(([k, v]) => [k, v.clone()]));
    dst.loadStateDict(dict);
    assertClose(dst.forward(x), src.forward(x), 0, 0);
  });
});

describe('forward: shapes, return conventions and agreement with the cells', () => {
  test('LSTM returns output [T,N,H] and (h_n, c_n) [L,N,H]; the last output is h_n of the top layer', () => {
    const lstm = new nn.LSTM(3, 4, { ...gen(1), numLayers: 2 });
    const [out, [h, c]] = lstm.forwardWithState(randn([5, 2, 3], 2));
    assert.deepEqual([out.shape, h.shape, c.shape], [[5, 2, 4], [2, 2, 4], [2, 2, 4]]);
    assertClose(out.index(4), h.index(1), 0, 0);
    assertClose(lstm.forward(randn([5, 2, 3], 2)), out, 0, 0);
  });

  for (const kind of ['LSTM', 'GRU', 'RNN'] as const) {
    test(`${kind}: one layer equals its cell stepped by hand from a given initial state`, () => {
      const layer = kind === 'LSTM' ? new nn.LSTM(3, 4, gen(7)) : kind === 'GRU' ? new nn.GRU(3, 4, gen(7)) : new nn.RNN(3, 4, gen(7));
      const cell = kind === 'LSTM' ? new nn.LSTMCell(3, 4, f64) : kind === 'GRU' ? new nn.GRUCell(3, 4, f64) : new nn.RNNCell(3, 4, f64);
      const sd = layer.stateDict();
      cell.loadStateDict({ weight_ih: sd.weight_ih_l0, weight_hh: sd.weight_hh_l0, bias_ih: sd.bias_ih_l0, bias_hh: sd.bias_hh_l0 });
      const x = randn([6, 2, 3], 8);
      const h0 = randn([1, 2, 4], 9);
      const c0 = randn([1, 2, 4], 10);
      let h = h0.index(0);
      let c = c0.index(0);
      const outs: st.Tensor[] = [];
      for (let t = 0; t < 6; t++) {
        if (cell instanceof nn.LSTMCell) [h, c] = cell.forwardWithState(x.index(t), [h, c]);
        else h = cell.forward(x.index(t), h);
        outs.push(h);
      }
      const out = layer instanceof nn.LSTM ? layer.forward(x, h0, c0) : layer.forward(x, h0);
      assertClose(out, st.stack(outs), 1e-12, 1e-12);
    });
  }

  test('batchFirst: [N,T,F] in and out, same numbers as time-major', () => {
    const a = new nn.GRU(3, 4, { ...gen(4), numLayers: 2 });
    const b = new nn.GRU(3, 4, { ...gen(4), numLayers: 2, batchFirst: true });
    const x = randn([5, 2, 3], 1);
    const [outA, hA] = a.forwardWithState(x);
    const [outB, hB] = b.forwardWithState(x.transpose(0, 1));
    assert.deepEqual(outB.shape, [2, 5, 4]);
    assertClose(outB, outA.transpose(0, 1), 1e-12, 1e-12);
    assertClose(hB, hA, 1e-12, 1e-12, 'h_n stays [L, N, H] as in PyTorch');
  });

  test('bidirectional: the reverse half is the reverse cell run over the flipped sequence', () => {
    const bi = new nn.LSTM(3, 4, { ...gen(3), bidirectional: true });
    const back = new nn.LSTM(3, 4, f64);
    const sd = bi.stateDict();
    back.loadStateDict({ weight_ih_l0: sd.weight_ih_l0_reverse, weight_hh_l0: sd.weight_hh_l0_reverse, bias_ih_l0: sd.bias_ih_l0_reverse, bias_hh_l0: sd.bias_hh_l0_reverse });
    const x = randn([5, 2, 3], 6);
    const [out, [h]] = bi.forwardWithState(x);
    assert.deepEqual(out.shape, [5, 2, 8]);
    const [outBack, [hBack]] = back.forwardWithState(x.flip(0));
    assertClose(out.slice(2, 4, 8), outBack.flip(0), 1e-12, 1e-12);
    assertClose(h.index(1), hBack.index(0), 1e-12, 1e-12);
  });

  test('unbatched input [T, F] with h0 [L, H]', () => {
    const rnn = new nn.RNN(3, 4, { ...gen(2), numLayers: 2, nonlinearity: 'relu' });
    const x = randn([5, 3], 1);
    const h0 = randn([2, 4], 2);
    const [out, h] = rnn.forwardWithState(x, h0);
    assert.deepEqual([out.shape, h.shape], [[5, 4], [2, 4]]);
    const [outB, hB] = rnn.forwardWithState(x.unsqueeze(1), h0.unsqueeze(1));
    assertClose(out, outB.squeeze(1), 0, 0);
    assertClose(h, hB.squeeze(1), 0, 0);
  });

  test('errors name the op, the argument and the shapes', () => {
    const lstm = new nn.LSTM(8, 20, { numLayers: 2 });
    assert.throws(() => lstm.forward(st.zeros([5, 3, 10])), /^StrataError: lstm: input \[5,3,10\] has 10 features, expected 8$/);
    assert.throws(() => lstm.forwardWithState(st.zeros([5, 3, 8]), [st.zeros([1, 3, 20]), st.zeros([2, 3, 20])]), /lstm: h0 \[1,3,20\] must be \[2,3,20\] \(numLayers·numDirections, batch, hiddenSize\)/);
    assert.throws(() => lstm.forward(st.zeros([2, 2, 2, 8])), /lstm: input must be \[T, N, features\]/);
    assert.throws(() => new nn.GRU(4, 4).forwardWithState(st.zeros([5, 3, 4]), undefined, { lengths: [5, 6, 1] }), /gru: lengths must be integers in \[0, 5\]/);
    assert.throws(() => new nn.GRU(4, 4).forwardWithState(st.zeros([5, 3, 4]), undefined, { lengths: [5, 1] }), /gru: lengths has 2 entries for a batch of 3/);
    assert.throws(() => new nn.RNN(4, 4, { dropout: 2 }), /rnn: dropout must be in \[0, 1\], got 2/);
  });
});

describe('variable-length sequences (lengths)', () => {
  test('each padded element gets the result it would get alone: zero outputs past its end, h_n at its last step', () => {
    for (const bidirectional of [false, true]) {
      const lstm = new nn.LSTM(3, 4, { ...gen(9), numLayers: 2, bidirectional, batchFirst: true });
      const lengths = [5, 2, 3];
      const x = randn([3, 5, 3], 4);
      const [out, [h, c]] = lstm.forwardWithState(x, null, { lengths });
      lengths.forEach((n, b) => {
        const [alone, [hAlone, cAlone]] = lstm.forwardWithState(x.index(b).slice(0, 0, n).unsqueeze(0));
        assertClose(out.index(b).slice(0, 0, n), alone.index(0), 1e-12, 1e-12, `b${b} valid steps`);
        if (n < 5) assertClose(out.index(b).slice(0, n), st.zeros([5 - n, bidirectional ? 8 : 4], f64), 0, 0, `b${b} padding`);
        assertClose(h.index(null, b), hAlone.index(null, 0), 1e-12, 1e-12, `b${b} h_n`);
        assertClose(c.index(null, b), cAlone.index(null, 0), 1e-12, 1e-12, `b${b} c_n`);
      });
    }
  });

  test('padSequence and sequenceMask', () => {
    const { padded, lengths } = nn.padSequence([st.ones([2, 3]), st.ones([4, 3]).mul(2)], { batchFirst: true, paddingValue: -1 });
    assert.deepEqual([padded.shape, lengths], [[2, 4, 3], [2, 4]]);
    assert.deepEqual(padded.index(0, null, 0).toArray(), [1, 1, -1, -1]);
    assert.deepEqual(nn.padSequence([st.ones([1]), st.ones([3])]).padded.shape, [3, 2]);
    assert.deepEqual(nn.sequenceMask([2, 3], 4).toArray(), [[true, true, false, false], [true, true, true, false]]);
    assert.deepEqual(nn.sequenceMask(st.tensor([1, 0], { dtype: 'int32' }), undefined, { timeFirst: true }).toArray(), [[true, false]]);
  });
});

describe('dropout between layers', () => {
  test('acts only between layers, only in training mode', () => {
    const x = randn([4, 2, 3], 1);
    const deep = new nn.GRU(3, 4, { ...gen(1), numLayers: 2, dropout: 1 });
    // With p = 1 the second layer sees zeros, so the output no longer depends on the input.
    assertClose(deep.forward(x), deep.forward(x.mul(3)), 0, 0);
    deep.eval();
    assert.notDeepEqual(Array.from(deep.forward(x).dataSync()), Array.from(deep.forward(x.mul(3)).dataSync()));
    const shallow = new nn.GRU(3, 4, { ...gen(1), dropout: 1 });
    assert.notDeepEqual(Array.from(shallow.forward(x).dataSync()), Array.from(shallow.forward(x.mul(3)).dataSync()));
  });
});

describe('full layers pass gradcheck through five steps (float64)', () => {
  const T = 5;
  const g = new st.Generator(21);
  const r = (shape: number[]): st.Tensor => st.rand(shape, { ...f64, generator: g }).mul(1.6).sub(0.8);
  const cellWeights = (gates: number, inSize: number, hidden: number): st.Tensor[] =>
    [r([gates * hidden, inSize]), r([gates * hidden, hidden]), r([gates * hidden]), r([gates * hidden])];
  /** Two layers, two directions: weights listed flat, regrouped [layer][direction]. */
  const stack = (ws: st.Tensor[]): st.nn.CellWeights[][] => [0, 1].map((l) => [0, 1].map((d) => {
    const [weightIh, weightHh, biasIh, biasHh] = ws.slice((2 * l + d) * 4, (2 * l + d) * 4 + 4);
    return { weightIh, weightHh, biasIh, biasHh };
  }));
  const make = (gates: number): st.Tensor[] => [...cellWeights(gates, 2, 2), ...cellWeights(gates, 2, 2), ...cellWeights(gates, 4, 2), ...cellWeights(gates, 4, 2)];

  test('LSTM, 2 layers, bidirectional, with lengths: output, h_n and c_n', () => {
    const f = (x: st.Tensor, h0: st.Tensor, c0: st.Tensor, ...ws: st.Tensor[]): st.Tensor => {
      const { output, h, c } = nn.recurrent('lstm', x, { h: h0, c: c0 }, stack(ws), { lengths: [5, 3] });
      return st.cat([output.flatten(), h.flatten(), c!.flatten()]);
    };
    assert.ok(st.gradcheck(f, [r([T, 2, 2]), r([4, 2, 2]), r([4, 2, 2]), ...make(4)]).ok);
  });

  test('GRU, 2 layers, bidirectional, batchFirst', () => {
    const f = (x: st.Tensor, h0: st.Tensor, ...ws: st.Tensor[]): st.Tensor => {
      const { output, h } = nn.recurrent('gru', x, { h: h0 }, stack(ws), { batchFirst: true });
      return st.cat([output.flatten(), h.flatten()]);
    };
    assert.ok(st.gradcheck(f, [r([2, T, 2]), r([4, 2, 2]), ...make(3)]).ok);
  });

  test('RNN (tanh), 2 layers, bidirectional', () => {
    const f = (x: st.Tensor, h0: st.Tensor, ...ws: st.Tensor[]): st.Tensor => {
      const { output, h } = nn.recurrent('rnnTanh', x, { h: h0 }, stack(ws));
      return st.cat([output.flatten(), h.flatten()]);
    };
    assert.ok(st.gradcheck(f, [r([T, 2, 2]), r([4, 2, 2]), ...make(1)]).ok);
  });

  test('forward mode agrees with reverse mode through the unrolled GRU and LSTM (jvpcheck)', () => {
    const w1 = stack(make(3));
    const w2 = stack(make(4));
    const r1 = st.jvpcheck((x: st.Tensor, h0: st.Tensor) => nn.recurrent('gru', x, { h: h0 }, w1).output, [r([T, 2, 2]), r([4, 2, 2])]);
    const r2 = st.jvpcheck((x: st.Tensor) => nn.recurrent('lstm', x, null, w2, { lengths: [2, 5] }).h, [r([T, 2, 2])]);
    assert.ok(Math.abs(r1.forward) > 0 && Math.abs(r2.forward) > 0);
  });

  test('W_hh, whose gradient is one matmul over all steps: a loss on early steps only, and second derivatives', () => {
    for (const [mode, gates] of [['lstm', 4], ['gru', 3], ['rnnTanh', 1]] as const) {
      const [wIh, , bIh, bHh] = cellWeights(gates, 2, 2);
      const x = r([T, 2, 2]);
      const one = (wHh: st.Tensor): st.nn.CellWeights[][] => [[{ weightIh: wIh, weightHh: wHh, biasIh: bIh, biasHh: bHh }]];
      // steps 3 and 4 get no gradient: their products are left out of W_hh's matmul
      assert.ok(st.gradcheck((wHh: st.Tensor) => nn.recurrent(mode, x, null, one(wHh)).output.slice(0, 0, 3), [r([gates * 2, 2])]).ok, mode);
      assert.ok(st.gradgradcheck((wHh: st.Tensor) => nn.recurrent(mode, x, null, one(wHh)).output, [r([gates * 2, 2])]).ok, `${mode} second order`);
    }
  });

  test('the LSTM module\'s parameter gradients from backward() match the functional gradcheck path', () => {
    const lstm = new nn.LSTM(2, 2, { ...gen(3), numLayers: 2, bidirectional: true });
    const x = r([T, 2, 2]);
    const u = r([T, 2, 4]);
    lstm.forward(x).mul(u).sum().backward();
    const ws = lstm.parameters().map((p) => p.detach());
    const grads = st.grad((...w: st.Tensor[]) => nn.recurrent('lstm', x, null, stack(w)).output.mul(u).sum(), { argnums: ws.map((_, i) => i) })(...ws);
    lstm.parameters().forEach((p, i) => assertClose(p.grad!, grads[i], 1e-12, 1e-12, `param ${i}`));
  });
});
