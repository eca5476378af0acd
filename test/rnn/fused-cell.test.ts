// SPDX-License-Identifier: MIT
// The fused LSTM cell (Backend.cells) against the composed gate equations it replaces: forward
// values and the gradients of all three inputs, on every backend and dtype that has the kernels,
// for ragged sizes (hidden not a multiple of the 4 SIMD lanes), batch 1 and a batch large enough to
// be split across threads; then finite differences in float64, gradients of gradients and forward
// mode, which must take the composed path and still agree.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as st from 'strata';
import { lstmComposed, lstmPointwise } from '../../src/nn/recurrent/fused.js';
import { assertClose } from '../helpers.js';

type Dtype = 'float32' | 'float64';
const hasWasm = st.listBackends().includes('wasm');
const TARGETS: { backend: string; dtype: Dtype; fused: boolean; tol: number }[] = [
  { backend: 'js', dtype: 'float64', fused: true, tol: 1e-12 },
  { backend: 'js', dtype: 'float32', fused: true, tol: 2e-6 },
  ...(hasWasm ? [
    { backend: 'wasm', dtype: 'float32' as const, fused: true, tol: 5e-6 },
    { backend: 'wasm', dtype: 'float64' as const, fused: false, tol: 1e-12 },
  ] : []),
];
/** [N, H]: ragged hidden sizes, batch 1, and 100 × 200 (20,000 elements: two threads on wasm). */
const SHAPES: [number, number][] = [[1, 1], [3, 5], [2, 4], [4, 7], [1, 13], [100, 200]];

/** Counts calls of a backend's fused cell kernels while `fn` runs. */
function countCalls(backend: string, fn: () => void): { forward: number; backward: number } {
  const cells = st.getBackend(backend).cells;
  const calls = { forward: 0, backward: 0 };
  if (!cells) {
    fn();
    return calls;
  }
  const { lstmForward, lstmBackward } = cells;
  const c = cells as { -readonly [K in keyof typeof cells]: (typeof cells)[K] };
  c.lstmForward = (a) => { calls.forward++; lstmForward(a); };
  c.lstmBackward = (a) => { calls.backward++; lstmBackward(a); };
  try {
    fn();
  } finally {
    c.lstmForward = lstmForward;
    c.lstmBackward = lstmBackward;
  }
  return calls;
}

/** Inputs of one step; pre-activations span ±4 so every gate leaves its linear range. */
function inputs(n: number, h: number, backend: string, dtype: Dtype, seed: number): st.Tensor[] {
  const gen = new st.Generator(seed);
  const opts = { generator: gen, backend, dtype };
  return [st.rand([n, 4 * h], opts).mul(8).sub(4), st.randn([n, 4 * h], opts), st.randn([n, h], opts)].map((t) => t.requiresGrad_());
}

/** h', c' and the gradients of xg, hg, c for the loss Σ h'·u + Σ c'·v (fixed u, v). */
function run(step: typeof lstmComposed, ins: st.Tensor[], seed: number): st.Tensor[] {
  for (const t of ins) t.grad = null;
  const [h, c] = step(ins[0], ins[1], ins[2]);
  const gen = new st.Generator(seed);
  const u = st.randn(h.shape, { generator: gen, backend: h.backend.name, dtype: h.dtype });
  const v = st.randn(c.shape, { generator: gen, backend: h.backend.name, dtype: h.dtype });
  h.mul(u).sum().add(c.mul(v).sum()).backward();
  return [h.detach(), c.detach(), ...ins.map((t) => t.grad!)];
}

describe('fused LSTM cell', () => {
  for (const { backend, dtype, fused, tol } of TARGETS) {
    test(`${backend} ${dtype}: values and gradients equal the composed equations${fused ? '' : ' (no fused kernel: composed path)'}`, () => {
      SHAPES.forEach(([n, h], k) => {
        const ins = inputs(n, h, backend, dtype, 10 + k);
        let got: st.Tensor[] = [];
        const calls = countCalls(backend, () => { got = run(lstmPointwise, ins, 50 + k); });
        assert.deepEqual(calls, fused ? { forward: 1, backward: 1 } : { forward: 0, backward: 0 }, `[${n}, ${h}] kernel calls`);
        const want = run(lstmComposed, ins, 50 + k);
        ['h', 'c', 'dxg', 'dhg', 'dc'].forEach((what, i) => {
          assert.deepEqual(got[i].shape, want[i].shape, what);
          assertClose(got[i], want[i], tol, tol, `[${n}, ${h}] ${what}`);
        });
      });
    });
  }

  const stepOf = (xg: st.Tensor, hg: st.Tensor, c: st.Tensor): st.Tensor => st.stack(lstmPointwise(xg, hg, c));

  test('float64 gradients agree with central finite differences (js, fused kernels)', () => {
    const ins = inputs(3, 5, 'js', 'float64', 7);
    const calls = countCalls('js', () => { st.gradcheck(stepOf, ins); });
    assert.ok(calls.forward > 0 && calls.backward > 0, `the fused kernels ran: ${JSON.stringify(calls)}`);
  });

  test('gradients of gradients: the recorded backward is composed and checks against finite differences', () => {
    st.gradgradcheck(stepOf, inputs(2, 3, 'js', 'float64', 3));
    // the same second derivative as the composed cell's, through backward({ createGraph })
    const second = (step: typeof lstmComposed): st.Tensor[] => {
      const ins = inputs(2, 3, 'js', 'float64', 4);
      const [h, c] = step(ins[0], ins[1], ins[2]);
      h.square().sum().add(c.mul(h).sum()).backward(undefined, { createGraph: true, retainGraph: true });
      const [dxg, dhg, dc] = ins.map((t) => t.grad!);
      for (const t of ins) t.grad = null;
      dxg.square().sum().add(dhg.mul(dc.sum()).sum()).backward();
      return ins.map((t) => t.grad!);
    };
    const want = second(lstmComposed);
    second(lstmPointwise).forEach((g, i) => assertClose(g, want[i], 1e-10, 1e-10, `second derivative of input ${i}`));
  });

  test('forward mode (jvp) through the step matches the composed cell and reverse mode', () => {
    const ins = inputs(2, 3, 'js', 'float64', 5).map((t) => t.detach());
    const ts = inputs(2, 3, 'js', 'float64', 6).map((t) => t.detach());
    const [y, t] = st.jvp(stepOf, ins, ts);
    const [y0, t0] = st.jvp((xg, hg, c) => st.stack(lstmComposed(xg, hg, c)), ins, ts);
    assertClose(y, y0, 1e-12, 1e-12, 'primal');
    assertClose(t, t0, 1e-12, 1e-12, 'tangent');
    st.jvpcheck(stepOf, ins);
  });
});
