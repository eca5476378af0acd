// SPDX-License-Identifier: MIT
// An optimizer step updates all of a parameter group's parameters in one fused kernel call (one
// task on wasm, its parameters cut into fixed chunks that the threads share). Checked bit for bit
// against the composed rules applied one parameter at a time, on 1 and on 3 threads, with
// parameters that start their state at different steps, several groups, mixed dtypes, and a state
// tensor that another parameter reads (the list must then fall back to one call per parameter).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';
import { countFused } from './count-fused.js';

const { optim } = st;
const hasWasm = st.listBackends().includes('wasm');
type Opt = st.optim.Optimizer<st.optim.SgdHyper, st.optim.SgdState> | st.optim.Optimizer<st.optim.AdamHyper, st.optim.AdamState>;


function sameBits(a: st.Tensor, b: st.Tensor, what: string): void {
  const x = a.dataSync();
  const y = b.dataSync();
  assert.equal(x.length, y.length, what);
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) assert.fail(`${what}: element ${i} is ${x[i]} fused, ${y[i]} composed`);
}

/** Sizes around the kernel's 8192-element chunks, a size 0, and a float64 parameter (composed path) in the same group. */
const SHAPES: { shape: number[]; dtype: 'float32' | 'float64' }[] = [
  { shape: [3, 5], dtype: 'float32' }, { shape: [8192], dtype: 'float32' }, { shape: [0], dtype: 'float32' }, { shape: [2, 8193], dtype: 'float32' },
  { shape: [7], dtype: 'float64' }, { shape: [40_000], dtype: 'float32' }, { shape: [1], dtype: 'float32' },
];

function makeParams(): st.Tensor[] {
  return SHAPES.map(({ shape, dtype }, i) => st.randn(shape, { generator: new st.Generator(10 + i), dtype, backend: 'wasm' }).requiresGrad_());
}

/** Gradient of parameter i at step t; parameter 1 gets none on step 1, so its state starts a step late. */
function setGrads(ps: st.Tensor[], t: number): void {
  ps.forEach((p, i) => {
    if (i === 1 && t === 1) return;
    const noise = st.randn(p.shape, { generator: new st.Generator(1000 * t + i), dtype: p.dtype, backend: 'wasm' });
    p.grad = st.noGrad(() => st.scoped(() => noise.add(p.mul(0.3)).keep()));
    noise.dispose();
  });
}

/** Runs `steps` steps of `make`'s optimizer (two groups) and of the composed rule; returns the kernel calls. */
function compare(make: (groups: { params: st.Tensor[] }[]) => Opt, rule: st.optim.UpdateRule<never, never>, threads: number, what: string): number {
  const saved = st.getNumThreads();
  st.setNumThreads(threads);
  try {
    const a = makeParams();
    const b = makeParams();
    const split = (ps: st.Tensor[]): { params: st.Tensor[] }[] => [{ params: ps.slice(0, 5) }, { params: ps.slice(5) }];
    const fused = make(split(a));
    const composed = new optim.Optimizer('composed', fused.paramGroups.map((g, k) => ({ ...g, params: split(b)[k].params })), fused.defaults, rule as never);
    let calls = 0;
    for (let t = 0; t < 4; t++) {
      setGrads(a, t);
      setGrads(b, t);
      calls += countFused('wasm', () => fused.step());
      composed.step();
      a.forEach((p, i) => {
        sameBits(p, b[i], `${what}, ${threads} threads, step ${t + 1}, parameter ${i}`);
        const sa: Record<string, st.Tensor | number> = fused.state.get(p) ?? {};
        const sb: Record<string, st.Tensor | number> = composed.state.get(b[i]) ?? {};
        assert.deepEqual(Object.keys(sa).sort(), Object.keys(sb).sort(), `${what}: state keys of parameter ${i}`);
        for (const [k, v] of Object.entries(sa)) {
          const w = sb[k];
          if (typeof v === 'number' || typeof w === 'number') assert.equal(v, w, `${what}: ${k} of parameter ${i}`);
          else sameBits(v, w, `${what}, step ${t + 1}: ${k} of parameter ${i}`);
        }
      });
      fused.zeroGrad();
      composed.zeroGrad();
    }
    return calls;
  } finally {
    st.setNumThreads(saved);
  }
}

test('one fused call per group and step updates every parameter as the composed rule does, on 1 and 3 threads', { skip: !hasWasm }, () => {
  for (const threads of [1, 3]) {
    const sgd = compare((g) => new optim.SGD(g, { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 }), optim.sgdUpdate as never, threads, 'SGD');
    // two groups: one call each per step; the float64 parameter takes the composed rule
    assert.equal(sgd, 8, 'SGD kernel calls');
    const adam = compare((g) => new optim.AdamW(g, { lr: 0.01 }), optim.adamUpdate as never, threads, 'AdamW');
    assert.equal(adam, 8, 'AdamW kernel calls');
    compare((g) => new optim.Adam(g, { lr: 0.01, weightDecay: 0.1 }), optim.adamUpdate as never, threads, 'Adam');
  }
});

test('a state tensor that another parameter reads sends the group back to one call per parameter, in order', { skip: !hasWasm }, () => {
  const run = (share: boolean): { calls: number; q: number[] } => {
    const p = st.tensor([1, 2, 3], { backend: 'wasm' }).requiresGrad_();
    const q = st.tensor([4, 5, 6], { backend: 'wasm' }).requiresGrad_();
    const opt = new optim.SGD([p, q], { lr: 0.1, momentum: 0.9 });
    p.grad = st.tensor([1, 1, 1], { backend: 'wasm' });
    q.grad = st.tensor([2, 2, 2], { backend: 'wasm' });
    opt.step();
    // q's next gradient is p's momentum buffer itself, which p's step updates in place (or a copy)
    const buf = opt.state.get(p)?.momentumBuffer;
    assert.ok(buf);
    p.grad = st.tensor([0.5, 0.5, 0.5], { backend: 'wasm' });
    q.grad = share ? buf : buf.clone();
    const calls = countFused('wasm', () => opt.step());
    return { calls, q: [...q.dataSync()] };
  };
  const f = Math.fround;
  const lr = f(0.1), mu = f(0.9);
  /** q after its two steps, from the gradient of its second. */
  const q2 = (g2: number): number[] => [4, 5, 6].map((v) => {
    const q1 = f(v - f(2 * lr));
    return f(q1 - f(f(f(2 * mu) + g2) * lr));
  });
  const copied = run(false);
  assert.equal(copied.calls, 1, 'separate buffers: one call');
  assert.deepEqual(copied.q, q2(1));
  const shared = run(true);
  assert.equal(shared.calls, 2, 'a shared buffer: one call per parameter');
  // p's step first: q reads the updated buffer, 0.9·1 + 0.5
  assert.deepEqual(shared.q, q2(f(f(mu * 1) + 0.5)));
});
