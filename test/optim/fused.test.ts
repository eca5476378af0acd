// SPDX-License-Identifier: MIT
// Fused optimizer steps (one backend kernel call per step) against the composed update rules they
// replace. Tolerance 0: the kernels do the rules' operations in the rules' order, each rounded to
// the dtype, so parameters and state must agree bit for bit, step after step.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';
import { countFused } from './count-fused.js';

const { optim } = st;
type Dtype = 'float32' | 'float64';
/** Hyperparameters a test may change between steps. */
type Tweakable = Partial<st.optim.SgdHyper> & Partial<st.optim.AdamHyper>;
type Opt = st.optim.Optimizer<st.optim.SgdHyper, st.optim.SgdState> | st.optim.Optimizer<st.optim.AdamHyper, st.optim.AdamState>;

const hasWasm = st.listBackends().includes('wasm');
/** Backend and dtype pairs, and whether the backend offers fused kernels for the dtype. */
const TARGETS: { backend: string; dtype: Dtype; fused: boolean }[] = [
  // js has no kernels: its fused ops run their composed definitions
  { backend: 'js', dtype: 'float32', fused: false },
  { backend: 'js', dtype: 'float64', fused: false },
  ...(hasWasm ? [{ backend: 'wasm', dtype: 'float32' as const, fused: true }, { backend: 'wasm', dtype: 'float64' as const, fused: false }] : []),
];
const SIZES = [0, 1, 3, 4, 5, 17, 67];


/** The gradient of step t: the same values for every run, with a term in θ so weight decay and the state interact. */
function setGrad(p: st.Tensor, t: number): void {
  const noise = st.randn(p.shape, { generator: new st.Generator(100 + t), dtype: p.dtype, backend: p.backend.name });
  p.grad = st.noGrad(() => st.scoped(() => noise.add(p.mul(0.3)).keep()));
  noise.dispose();
}

function sameBits(a: st.Tensor, b: st.Tensor, what: string): void {
  const x = a.dataSync();
  const y = b.dataSync();
  assert.equal(x.length, y.length, what);
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) assert.fail(`${what}: element ${i} is ${x[i]} fused, ${y[i]} composed`);
}

function sameState(a: Opt, pa: st.Tensor, b: Opt, pb: st.Tensor, what: string): void {
  const sa: Record<string, st.Tensor | number> = a.state.get(pa) ?? {};
  const sb: Record<string, st.Tensor | number> = b.state.get(pb) ?? {};
  assert.deepEqual(Object.keys(sa).sort(), Object.keys(sb).sort(), `${what}: state keys`);
  for (const [k, v] of Object.entries(sa)) {
    const w = sb[k];
    if (typeof v === 'number' || typeof w === 'number') assert.equal(v, w, `${what}: ${k}`);
    else sameBits(v, w, `${what}: ${k}`);
  }
}

/**
 * Runs `steps` steps of an optimizer and of the base Optimizer with only the composed `rule` and
 * the same hyperparameters, from the same start; `tweak` may change hyperparameters between steps.
 * Returns the number of fused kernel calls.
 */
function compare(
  make: (ps: st.Tensor[]) => Opt, rule: 'sgd' | 'adam', start: st.Tensor, steps: number, what: string,
  tweak: (group: Tweakable, t: number) => void = () => {},
): number {
  const a = start.clone().requiresGrad_();
  const b = start.clone().requiresGrad_();
  const fused = make([a]);
  const composed: Opt = rule === 'sgd'
    ? new optim.Optimizer('composed', [b], { ...(fused as st.optim.SGD).defaults }, optim.sgdUpdate)
    : new optim.Optimizer('composed', [b], { ...(fused as st.optim.Adam).defaults }, optim.adamUpdate);
  let calls = 0;
  for (let t = 0; t < steps; t++) {
    for (const o of [fused, composed]) tweak(o.paramGroups[0], t);
    setGrad(a, t);
    setGrad(b, t);
    calls += countFused(start.backend.name, () => fused.step());
    composed.step();
    sameBits(a, b, `${what}, step ${t + 1}`);
    sameState(fused, a, composed, b, `${what}, step ${t + 1}`);
    fused.zeroGrad();
    composed.zeroGrad();
  }
  return calls;
}

const start = (n: number, backend: string, dtype: Dtype): st.Tensor => st.randn([n], { generator: new st.Generator(n), dtype, backend });
/** lr changes between steps, as under a schedule. */
const decayLr = (g: Tweakable, t: number): void => { if (t > 0 && g.lr !== undefined) g.lr *= 0.9; };

test('fused SGD equals the composed rule bit for bit for every option, dtype and backend (odd sizes, size 0 and 1)', () => {
  for (const { backend, dtype, fused } of TARGETS) {
    for (const momentum of [0, 0.9]) for (const dampening of [0, 0.25]) for (const nesterov of [false, true]) {
      for (const weightDecay of [0, 0.05]) for (const maximize of [false, true]) {
        const h = { lr: 0.05, momentum, dampening, nesterov, weightDecay, maximize };
        for (const n of SIZES) {
          const calls = compare((ps) => new optim.SGD(ps, h), 'sgd', start(n, backend, dtype), 4, `SGD ${JSON.stringify(h)} ${backend} ${dtype} [${n}]`, decayLr);
          assert.equal(calls, fused ? 4 : 0, `fused kernel calls on ${backend} ${dtype}`);
        }
      }
    }
  }
});

test('fused Adam and AdamW equal the composed rule bit for bit (L2 and decoupled decay, betas, eps, lr changes)', () => {
  for (const { backend, dtype, fused } of TARGETS) {
    for (const W of [optim.Adam, optim.AdamW]) for (const weightDecay of [0, 0.1]) {
      for (const betas of [[0.9, 0.999], [0.5, 0.8]] as [number, number][]) for (const eps of [1e-8, 1e-2]) {
        const h = { lr: 0.01, weightDecay, betas, eps };
        for (const n of SIZES) {
          const calls = compare((ps) => new W(ps, h), 'adam', start(n, backend, dtype), 5, `${W.name} ${JSON.stringify(h)} ${backend} ${dtype} [${n}]`, decayLr);
          assert.equal(calls, fused ? 5 : 0, `fused kernel calls on ${backend} ${dtype}`);
        }
      }
    }
  }
});

test('fused steps on large parameters split over threads agree with the composed rules', { skip: !hasWasm }, () => {
  const threads = st.getNumThreads();
  st.setNumThreads(3); // an uneven split: 16-element chunks shared out three ways
  try {
    for (const n of [(1 << 17) + 5, 3 * (1 << 15) + 37]) {
      const p = start(n, 'wasm', 'float32');
      const h = { lr: 0.02, momentum: 0.9, dampening: 0.1, nesterov: true, weightDecay: 0.01 };
      assert.equal(compare((ps) => new optim.SGD(ps, h), 'sgd', p, 3, `SGD wasm [${n}]`), 3);
      assert.equal(compare((ps) => new optim.AdamW(ps, { lr: 0.01 }), 'adam', p, 3, `AdamW wasm [${n}]`), 3);
      assert.equal(compare((ps) => new optim.Adam(ps, { lr: 0.01, weightDecay: 0.1 }), 'adam', p, 3, `Adam wasm [${n}]`), 3);
    }
    const q = start(70001, 'js', 'float32');
    compare((ps) => new optim.Adam(ps, { lr: 0.01 }), 'adam', q, 3, 'Adam js [70001]');
  } finally {
    st.setNumThreads(threads);
  }
});

test('AMSGrad stays on the composed rule; switching options mid-run keeps both paths equal', () => {
  for (const { backend, dtype } of TARGETS) {
    const p = start(9, backend, dtype);
    assert.equal(compare((ps) => new optim.Adam(ps, { lr: 0.01, amsgrad: true }), 'adam', p, 3, `AMSGrad ${backend} ${dtype}`), 0);
    // AMSGrad for two steps, then plain Adam (the composed rule drops the maximum, then fused steps go on)
    compare((ps) => new optim.Adam(ps, { lr: 0.01, amsgrad: true }), 'adam', p, 5, `AMSGrad then Adam ${backend} ${dtype}`, (g, t) => { g.amsgrad = t < 2; });
    // momentum switched off after two steps keeps the buffer as it is, on again resumes from it
    compare((ps) => new optim.SGD(ps, { lr: 0.1, momentum: 0.9 }), 'sgd', p, 6, `SGD momentum off and on ${backend} ${dtype}`, (g, t) => { g.momentum = t === 2 || t === 3 ? 0 : 0.9; });
  }
});

test('state dicts move between fused and composed optimizers and continue bit for bit', () => {
  for (const { backend, dtype } of TARGETS) {
    for (const rule of ['sgd', 'adam'] as const) {
      const make = (ps: st.Tensor[], fusedToo: boolean): Opt => {
        if (rule === 'sgd') {
          const d: st.optim.SgdHyper = { lr: 0.05, momentum: 0.9, dampening: 0, weightDecay: 0.01, nesterov: true, maximize: false };
          return fusedToo ? new optim.SGD(ps, d) : new optim.Optimizer('SGD', ps, d, optim.sgdUpdate);
        }
        const d: st.optim.AdamHyper = { lr: 0.01, betas: [0.9, 0.99], eps: 1e-8, weightDecay: 0.01, decoupled: true, amsgrad: false };
        return fusedToo ? new optim.AdamW(ps, d) : new optim.Optimizer('AdamW', ps, d, optim.adamUpdate);
      };
      const init = start(13, backend, dtype);
      const run = (chain: boolean[]): st.Tensor => {
        const p = init.clone().requiresGrad_();
        let opt = make([p], chain[0]);
        chain.forEach((fusedToo, k) => {
          if (k > 0) {
            const next = make([p], fusedToo);
            next.loadStateDict(opt.stateDict());
            opt = next;
          }
          for (let t = 0; t < 2; t++) {
            setGrad(p, 2 * k + t);
            opt.step();
            opt.zeroGrad();
          }
        });
        return p;
      };
      const straight = run([true, true, true]);
      for (const chain of [[true, false, true], [false, true, false], [false, false, false]]) sameBits(run(chain), straight, `${rule} ${backend} ${dtype} ${chain}`);
    }
  }
});

test('a fused step leaves tensors that share the old parameter storage as they were, as the composed one does', () => {
  for (const { backend, dtype } of TARGETS) {
    const init = st.tensor([1, 2, 3], { dtype, backend });
    const p = new st.nn.Parameter(init); // shares init's storage
    const view = p.detach();
    const opt = new optim.Adam([p], { lr: 0.1 });
    p.grad = st.tensor([1, 1, 1], { dtype, backend });
    opt.step();
    assert.deepEqual([...init.dataSync()], [1, 2, 3], `${backend} ${dtype}: the wrapped tensor`);
    assert.deepEqual([...view.dataSync()], [1, 2, 3], `${backend} ${dtype}: a detached view`);
    assert.ok(Math.abs(p.dataSync()[0] - 0.9) < 1e-6, `${backend} ${dtype}: the parameter moved`);
  }
});

test('10,000 fused steps on wasm keep memory() flat', { skip: !hasWasm }, () => {
  const x = st.randn([8, 5], { generator: new st.Generator(3), backend: 'wasm' });
  const w = st.randn([5, 3], { generator: new st.Generator(4), backend: 'wasm' }).requiresGrad_();
  const b = st.zeros([3], { backend: 'wasm' }).requiresGrad_();
  for (const opt of [new optim.AdamW([w, b], { lr: 1e-3 }), new optim.SGD([w, b], { lr: 1e-3, momentum: 0.9, weightDecay: 1e-4 })]) {
    const step = (): void => {
      opt.zeroGrad();
      st.scoped(() => x.matmul(w).add(b).square().mean().backward());
      opt.step();
    };
    let calls = 0;
    for (let i = 0; i < 100; i++) calls += countFused('wasm', step);
    assert.equal(calls, 100, 'one kernel call per step for both parameters');
    const warm = st.memory();
    for (let i = 0; i < 4_900; i++) step();
    const end = st.memory();
    assert.equal(end.tensors, warm.tensors, `${opt.name}: live tensors grew from ${warm.tensors} to ${end.tensors}`);
    assert.equal(end.bytes, warm.bytes, `${opt.name}: live bytes grew from ${warm.bytes} to ${end.bytes}`);
    opt.zeroGrad();
  }
});
