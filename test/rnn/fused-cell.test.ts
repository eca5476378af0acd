// SPDX-License-Identifier: MIT
// The fused LSTM and GRU cells (their kernels in Backend.fused) against the composed gate equations they replace:
// forward values and the gradients of all three inputs, on every backend and dtype that has the
// kernels, for ragged sizes (hidden not a multiple of the 4 SIMD lanes), batch 1 and a batch large
// enough to be split across threads; then finite differences in float64, gradients of gradients and
// forward mode, which must take the composed path and still agree.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as st from 'strata-dl';
import { gruComposed, gruPointwise } from '../../packages/strata-dl/src/nn/recurrent/fused-gru.js';
import { lstmComposed, lstmPointwise } from '../../packages/strata-dl/src/nn/recurrent/fused-lstm.js';
import { assertClose } from '../helpers.js';

type Dtype = 'float32' | 'float64';
type Step = (xg: st.Tensor, hg: st.Tensor, state: st.Tensor) => st.Tensor[];
interface Cell { name: string; gates: number; fused: Step; composed: Step; outputs: string[]; kernels: ['lstmForward' | 'gruForward', 'lstmBackward' | 'gruBackward'] }
const CELLS: Cell[] = [
  { name: 'LSTM', gates: 4, fused: lstmPointwise, composed: lstmComposed, outputs: ['h', 'c'], kernels: ['lstmForward', 'lstmBackward'] },
  { name: 'GRU', gates: 3, fused: (x, g, h) => [gruPointwise(x, g, h)], composed: (x, g, h) => [gruComposed(x, g, h)], outputs: ['h'], kernels: ['gruForward', 'gruBackward'] },
];

const hasWasm = st.listBackends().includes('wasm');
const TARGETS: { backend: string; dtype: Dtype; fused: boolean; tol: number }[] = [
  // js has no kernels: the fused ops run their composed definitions there
  { backend: 'js', dtype: 'float64', fused: false, tol: 1e-12 },
  { backend: 'js', dtype: 'float32', fused: false, tol: 2e-6 },
  ...(hasWasm ? [
    { backend: 'wasm', dtype: 'float32' as const, fused: true, tol: 5e-6 },
    { backend: 'wasm', dtype: 'float64' as const, fused: false, tol: 1e-12 },
  ] : []),
];
/** [N, H]: ragged hidden sizes, batch 1, and 100 × 200 (20,000 elements: two threads on wasm). */
const SHAPES: [number, number][] = [[1, 1], [3, 5], [2, 4], [4, 7], [1, 13], [100, 200]];

/** Counts calls of a cell's fused kernels on a backend while `fn` runs. */
function countCalls(backend: string, cell: Cell, fn: () => void): { forward: number; backward: number } {
  const calls = { forward: 0, backward: 0 };
  const c = st.getBackend(backend).fused as Record<string, { run: (a: never) => void }> | undefined;
  const [fw, bw] = cell.kernels;
  if (!c?.[fw] || !c[bw]) {
    fn();
    return calls;
  }
  const saved = [c[fw].run, c[bw].run];
  c[fw].run = (a) => { calls.forward++; saved[0](a); };
  c[bw].run = (a) => { calls.backward++; saved[1](a); };
  try {
    fn();
  } finally {
    [c[fw].run, c[bw].run] = saved;
  }
  return calls;
}

/** Inputs of one step; pre-activations span ±4 so every gate leaves its linear range. */
function inputs(cell: Cell, n: number, h: number, backend: string, dtype: Dtype, seed: number): st.Tensor[] {
  const gen = new st.Generator(seed);
  const opts = { generator: gen, backend, dtype };
  const g = cell.gates * h;
  return [st.rand([n, g], opts).mul(8).sub(4), st.randn([n, g], opts), st.randn([n, h], opts)].map((t) => t.requiresGrad_());
}

/** The outputs and the gradients of xg, hg and the state for the loss Σ out_k·u_k (fixed u_k). */
function run(step: Step, ins: st.Tensor[], seed: number): st.Tensor[] {
  for (const t of ins) t.grad = null;
  const outs = step(ins[0], ins[1], ins[2]);
  const gen = new st.Generator(seed);
  const loss = outs.map((o) => o.mul(st.randn(o.shape, { generator: gen, backend: o.backend.name, dtype: o.dtype })).sum());
  loss.reduce((a, b) => a.add(b)).backward();
  return [...outs.map((o) => o.detach()), ...ins.map((t) => t.grad!)];
}

for (const cell of CELLS) {
  const stepOf = (xg: st.Tensor, hg: st.Tensor, s: st.Tensor): st.Tensor => st.stack(cell.fused(xg, hg, s));

  describe(`fused ${cell.name} cell`, () => {
    for (const { backend, dtype, fused, tol } of TARGETS) {
      test(`${backend} ${dtype}: values and gradients equal the composed equations${fused ? '' : ' (no fused kernel: composed path)'}`, () => {
        SHAPES.forEach(([n, h], k) => {
          const ins = inputs(cell, n, h, backend, dtype, 10 + k);
          let got: st.Tensor[] = [];
          const calls = countCalls(backend, cell, () => { got = run(cell.fused, ins, 50 + k); });
          assert.deepEqual(calls, fused ? { forward: 1, backward: 1 } : { forward: 0, backward: 0 }, `[${n}, ${h}] kernel calls`);
          const want = run(cell.composed, ins, 50 + k);
          [...cell.outputs, 'dxg', 'dhg', 'dstate'].forEach((what, i) => {
            assert.deepEqual(got[i].shape, want[i].shape, what);
            assertClose(got[i], want[i], tol, tol, `[${n}, ${h}] ${what}`);
          });
        });
      });
    }

    test('float64 gradients agree with central finite differences (js: the composed definition the kernels are checked against)', () => {
      st.gradcheck(stepOf, inputs(cell, 3, 5, 'js', 'float64', 7));
    });

    /** Second derivatives through backward({ createGraph }) of the step on a backend and dtype. */
    const second = (step: Step, backend: string, dtype: Dtype): st.Tensor[] => {
      const ins = inputs(cell, 2, 3, backend, dtype, 4);
      const outs = step(ins[0], ins[1], ins[2]);
      const h = outs[0];
      h.square().sum().add(outs[outs.length - 1].mul(h).sum()).backward(undefined, { createGraph: true, retainGraph: true });
      const [dxg, dhg, ds] = ins.map((t) => t.grad!);
      for (const t of ins) t.grad = null;
      dxg.square().sum().add(dhg.mul(ds.sum()).sum()).backward();
      return ins.map((t) => t.grad!);
    };

    test('gradients of gradients: finite differences in float64 (js, composed)', () => {
      st.gradgradcheck(stepOf, inputs(cell, 2, 3, 'js', 'float64', 3));
    });

    test('gradients of gradients through the fused kernels: the recorded backward differentiates the composed equations', { skip: !hasWasm }, () => {
      const want = second(cell.composed, 'wasm', 'float32');
      let got: st.Tensor[] = [];
      const calls = countCalls('wasm', cell, () => { got = second(cell.fused, 'wasm', 'float32'); });
      // the recorded first backward differentiates the composed equations; the second reaches the cell's
      // outputs again (the first gradients depend on them) and may run the backward kernel there
      assert.equal(calls.forward, 1, 'the forward kernel ran');
      got.forEach((g, i) => assertClose(g, want[i], 1e-4, 1e-4, `second derivative of input ${i}`));
    });

    test('forward mode (jvp) through the step matches the composed cell and reverse mode', () => {
      const ins = inputs(cell, 2, 3, 'js', 'float64', 5).map((t) => t.detach());
      const ts = inputs(cell, 2, 3, 'js', 'float64', 6).map((t) => t.detach());
      const [y, t] = st.jvp(stepOf, ins, ts);
      const [y0, t0] = st.jvp((xg, hg, s) => st.stack(cell.composed(xg, hg, s)), ins, ts);
      assertClose(y, y0, 1e-12, 1e-12, 'primal');
      assertClose(t, t0, 1e-12, 1e-12, 'tangent');
      st.jvpcheck(stepOf, ins);
    });
  });
}
