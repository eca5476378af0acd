// SPDX-License-Identifier: MIT
// The LSTM sequence kernels (an LSTM direction's loop over time as one op, nn/recurrent/fused-sequence.ts):
// the layer's outputs and every gradient on wasm float32 against the js backend and against the
// step-by-step loop on wasm itself (the kernels switched off), for ragged batches (not a multiple of
// the micro-kernel's rows), hidden sizes whose 4H or H is not a multiple of 8 columns, one step,
// reverse and bidirectional stacks, batchFirst (which keeps the step loop), inference, and a batch
// large enough for two threads, whose bits must not depend on the thread count. Then gradients of
// gradients, which take the composed loop, and finite differences of that loop in float64.
// Run by fused-sequence.test.ts (the default build) and fused-sequence-relaxed.test.ts (the FMA
// build, whose micro-kernel has 6 rows instead of 5).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as st from 'strata-dl';
import { lstmSequenceComposed } from '../../packages/strata-dl/src/nn/recurrent/fused-sequence.js';
import { assertClose } from '../helpers.js';

const hasWasm = st.listBackends().includes('wasm');
type Kernels = Record<string, { run: (a: never) => void } | undefined>;
const kernels = (): Kernels => (st.getBackend('wasm').fused ?? {}) as Kernels;

/** Counts the sequence kernels' calls while `fn` runs; with `off`, hides them (the step-by-step loop runs). */
function withKernels<T>(off: boolean, fn: () => T): { value: T; forward: number; backward: number } {
  const k = kernels();
  const saved = { f: k.lstmSequenceForward, b: k.lstmSequenceBackward };
  const calls = { forward: 0, backward: 0 };
  if (off) {
    delete k.lstmSequenceForward;
    delete k.lstmSequenceBackward;
  } else {
    const f = saved.f!, b = saved.b!;
    k.lstmSequenceForward = { ...f, run: (a) => { calls.forward++; f.run(a); } };
    k.lstmSequenceBackward = { ...b, run: (a) => { calls.backward++; b.run(a); } };
  }
  try {
    return { value: fn(), ...calls };
  } finally {
    k.lstmSequenceForward = saved.f;
    k.lstmSequenceBackward = saved.b;
  }
}

interface Case { name: string; T: number; N: number; I: number; H: number; opts?: st.nn.RecurrentOptions; state?: boolean; direct?: 'all' | 'out' | 'last' }
const CASES: Case[] = [
  { name: 'ragged batch and hidden 5 (4H = 20, H = 5: ragged column panels both ways)', T: 5, N: 7, I: 3, H: 5, state: true },
  { name: 'one step, batch 1', T: 1, N: 1, I: 2, H: 3, state: true },
  { name: 'two layers, bidirectional, batch 13, hidden 12', T: 4, N: 13, I: 6, H: 12, opts: { numLayers: 2, bidirectional: true }, state: true },
  { name: 'zero initial state, loss on the output only', T: 6, N: 6, I: 4, H: 8, direct: 'out' },
  { name: 'loss on the final states only', T: 3, N: 5, I: 4, H: 16, state: true, direct: 'last' },
  { name: 'W4 sizes (batch 32, hidden 128)', T: 16, N: 32, I: 28, H: 128 },
];

/** Output, h_n, c_n and the gradients of x, h0, c0 and every parameter for a fixed random loss. */
function runCase(c: Case, backend: string): st.Tensor[] {
  const prev = st.getBackend().name;
  st.setBackend(backend);
  try {
    const gen = new st.Generator(11);
    const lstm = new st.nn.LSTM(c.I, c.H, { generator: gen, ...c.opts });
    const dirs = c.opts?.bidirectional ? 2 : 1;
    const L = c.opts?.numLayers ?? 1;
    const x = st.randn([c.T, c.N, c.I], { generator: gen }).requiresGrad_();
    const h0 = st.randn([L * dirs, c.N, c.H], { generator: gen }).requiresGrad_();
    const c0 = st.randn([L * dirs, c.N, c.H], { generator: gen }).requiresGrad_();
    const [out, [h, cn]] = lstm.forwardWithState(x, c.state ? [h0, c0] : null);
    const u = st.randn(out.shape, { generator: gen });
    const direct = c.direct ?? 'all';
    const lOut = out.mul(u).sum();
    const lLast = h.mul(2).sum().add(cn.square().sum());
    (direct === 'out' ? lOut : direct === 'last' ? lLast : lOut.add(lLast)).backward();
    const grads = [x, ...(c.state ? [h0, c0] : []), ...lstm.parameters()].map((t) => t.grad ?? t.zerosLike());
    return [out, h, cn, ...grads].map((t) => t.detach());
  } finally {
    st.setBackend(prev);
  }
}

/** The suite, on the wasm backend that the process's engine gives (`build` names it in the titles). */
export function sequenceSuite(build: string): void {
describe(`LSTM sequence kernels (${build} build)`, { skip: !hasWasm }, () => {
  for (const c of CASES) {
    test(`${c.name}: values and gradients equal js and the step-by-step loop`, () => {
      const layers = (c.opts?.numLayers ?? 1) * (c.opts?.bidirectional ? 2 : 1);
      const got = withKernels(false, () => runCase(c, 'wasm'));
      assert.deepEqual([got.forward, got.backward], [layers, layers], 'one forward and one backward kernel call per layer and direction');
      const steps = withKernels(true, () => runCase(c, 'wasm')).value;
      const ref = runCase(c, 'js');
      got.value.forEach((g, i) => {
        assertClose(g, ref[i], 1e-4, 1e-4, `${c.name}: tensor ${i} against js`);
        assertClose(g, steps[i], 1e-4, 1e-4, `${c.name}: tensor ${i} against the step loop`);
      });
    });
  }

  test('inference (no gradients) runs the forward kernel only and gives the same values', () => {
    st.setBackend('wasm');
    try {
      const gen = new st.Generator(2);
      const lstm = new st.nn.LSTM(5, 9, { generator: gen, bidirectional: true });
      const x = st.randn([7, 4, 5], { generator: gen });
      const r = withKernels(false, () => st.noGrad(() => lstm.forwardWithState(x)));
      assert.deepEqual([r.forward, r.backward], [2, 0]);
      const want = withKernels(true, () => st.noGrad(() => lstm.forwardWithState(x))).value;
      assertClose(r.value[0], want[0], 1e-5, 1e-5, 'output');
      assertClose(r.value[1][0], want[1][0], 1e-5, 1e-5, 'h_n');
      assertClose(r.value[1][1], want[1][1], 1e-5, 1e-5, 'c_n');
    } finally {
      st.setBackend('js');
    }
  });

  test('batchFirst, padded lengths and float64 keep the step-by-step loop', () => {
    st.setBackend('wasm');
    try {
      const gen = new st.Generator(3);
      const x = st.randn([3, 4, 2], { generator: gen });
      const calls = (f: () => unknown): number => withKernels(false, f).forward;
      assert.equal(calls(() => new st.nn.LSTM(2, 3, { generator: gen, batchFirst: true }).forward(x)), 0);
      assert.equal(calls(() => new st.nn.LSTM(2, 3, { generator: gen }).forwardWithState(x, null, { lengths: [3, 2, 1, 3] })), 0);
      assert.equal(calls(() => new st.nn.LSTM(2, 3, { generator: gen, dtype: 'float64' }).forward(x.double())), 0);
      assert.equal(calls(() => new st.nn.LSTM(2, 3, { generator: gen }).forward(x)), 1);
    } finally {
      st.setBackend('js');
    }
  });

  test('bits do not depend on the thread count (batch 32, hidden 128: steps split over threads)', async () => {
    const wasm = st.getBackend('wasm') as st.WasmBackend;
    const prev = st.getNumThreads();
    const c = CASES[CASES.length - 1];
    const bits = (ts: st.Tensor[]): Uint32Array[] => ts.map((t) => new Uint32Array(Float32Array.from(t.dataSync()).buffer));
    try {
      st.setNumThreads(1);
      const one = bits(runCase(c, 'wasm'));
      for (const threads of [2, 3]) {
        st.setNumThreads(threads);
        await wasm.ready(threads);
        bits(runCase(c, 'wasm')).forEach((b, i) => assert.deepEqual(b, one[i], `tensor ${i} on ${threads} threads vs 1`));
      }
    } finally {
      st.setNumThreads(prev);
    }
  });

  test('gradients of gradients: the recorded backward differentiates the step-by-step loop', () => {
    const second = (backend: string): st.Tensor[] => {
      const prev = st.getBackend().name;
      st.setBackend(backend);
      try {
        const gen = new st.Generator(5);
        const lstm = new st.nn.LSTM(3, 4, { generator: gen });
        const x = st.randn([3, 2, 3], { generator: gen }).requiresGrad_();
        const [out, [h, c]] = lstm.forwardWithState(x);
        out.square().sum().add(c.mul(h).sum()).backward(undefined, { createGraph: true, retainGraph: true });
        const gx = x.grad!;
        const gw = lstm.cell(0).weightHh.grad!;
        x.grad = null;
        for (const p of lstm.parameters()) p.grad = null;
        gx.square().sum().add(gw.square().sum()).backward();
        return [x.grad!, ...lstm.parameters().map((p) => p.grad!)];
      } finally {
        st.setBackend(prev);
      }
    };
    const got = withKernels(false, () => second('wasm'));
    assert.equal(got.forward, 1, 'the forward kernel ran');
    const want = second('js');
    got.value.forEach((g, i) => assertClose(g, want[i], 1e-4, 1e-4, `second derivative ${i}`));
  });
});

}

/** Finite differences of the step-by-step loop (js, float64): what the kernels are checked against. */
export function composedSuite(): void {
test('the step-by-step loop the kernels replace agrees with finite differences in float64 (forward and reverse)', () => {
  for (const reverse of [false, true]) {
    const gen = new st.Generator(reverse ? 8 : 9);
    const o = { generator: gen, dtype: 'float64' as const, backend: 'js' };
    const ins = [st.randn([3, 2, 8], o), st.randn([2, 2], o), st.randn([2, 2], o), st.randn([8, 2], o)].map((t) => t.requiresGrad_());
    st.gradcheck((xg, h0, c0, w) => st.cat(lstmSequenceComposed(reverse)(xg, h0, c0, w).map((t) => t.reshape([-1])), 0), ins);
  }
});
}
