// SPDX-License-Identifier: MIT
// Each optimizer step against a scalar reference written from the published update rule (PyTorch's
// documented algorithms), run element by element in plain JavaScript.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';
import { assertClose } from '../helpers.js';

const { optim } = st;
const start = [1.5, -2, 0.25];
/** Gradient of f(θ) = Σ (θᵢ³/3 + θᵢ) at θ, so the steps are not all alike. */
const gradOf = (v: number): number => v * v + 1;

/** Runs `steps` optimizer steps on f, returning the parameter values. */
function run(make: (p: st.Tensor[]) => { zeroGrad(): void; step(): void }, steps: number): number[] {
  const p = st.tensor(start, { dtype: 'float64', backend: 'js', requiresGrad: true });
  const opt = make([p]);
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    p.pow(3).div(3).add(p).sum().backward();
    opt.step();
  }
  return [...p.dataSync()];
}

/** Applies a scalar update rule element by element. */
function reference(steps: number, update: (theta: number, g: number, s: Record<string, number>, t: number) => number): number[] {
  return start.map((theta0) => {
    let theta = theta0;
    const s: Record<string, number> = {};
    for (let t = 1; t <= steps; t++) theta = update(theta, gradOf(theta), s, t);
    return theta;
  });
}

const close = (a: number[], b: number[], tol = 1e-12): void => a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= tol * (1 + Math.abs(b[i])), `element ${i}: ${v} vs ${b[i]}`));

test('SGD: plain step θ − lr·g; on f = θ² with lr 0.1 each step multiplies θ by 0.8', () => {
  const p = st.tensor([1, -2], { requiresGrad: true });
  const opt = new optim.SGD([p], { lr: 0.1 });
  for (let i = 0; i < 3; i++) {
    opt.zeroGrad();
    p.square().sum().backward();
    opt.step();
  }
  assertClose(p, [0.8 ** 3, -2 * 0.8 ** 3], 1e-6);
});

test('SGD with momentum, dampening, Nesterov and weight decay matches the PyTorch algorithm', () => {
  const cases: { momentum?: number; nesterov?: boolean; dampening?: number; weightDecay?: number; maximize?: boolean }[] = [
    { momentum: 0.9 }, { momentum: 0.9, nesterov: true }, { momentum: 0.5, dampening: 0.3, weightDecay: 0.1 }, { weightDecay: 0.2, maximize: true },
  ];
  for (const h of cases) {
    const lr = 0.05;
    const got = run((ps) => new optim.SGD(ps, { lr, ...h }), 4);
    const mu = h.momentum ?? 0;
    const want = reference(4, (th, g0, s, t) => {
      let g = g0 + (h.weightDecay ?? 0) * th;
      if (mu) {
        s.b = t === 1 ? g : mu * s.b + (1 - (h.dampening ?? 0)) * g;
        g = h.nesterov ? g + mu * s.b : s.b;
      }
      return h.maximize ? th + lr * g : th - lr * g;
    });
    close(got, want);
  }
});

test('Adam: the first step moves every coordinate by lr (bias correction); later steps match Kingma & Ba', () => {
  const first = run((ps) => new optim.Adam(ps, { lr: 0.01 }), 1);
  close(first, start.map((v) => v - 0.01), 1e-6);
  const cases: { weightDecay?: number; amsgrad?: boolean; betas?: [number, number] }[] = [{}, { weightDecay: 0.1 }, { amsgrad: true, betas: [0.8, 0.9] }];
  for (const h of cases) {
    const [b1, b2] = h.betas ?? [0.9, 0.999];
    const lr = 0.02;
    const want = reference(5, (th, g0, s, t) => {
      const g = g0 + (h.weightDecay ?? 0) * th;
      s.m = b1 * (s.m ?? 0) + (1 - b1) * g;
      s.v = b2 * (s.v ?? 0) + (1 - b2) * g * g;
      s.vmax = Math.max(s.vmax ?? 0, s.v);
      const v = h.amsgrad ? s.vmax : s.v;
      return th - (lr / (1 - b1 ** t)) * s.m / (Math.sqrt(v) / Math.sqrt(1 - b2 ** t) + 1e-8);
    });
    close(run((ps) => new optim.Adam(ps, { lr, ...h }), 5), want);
  }
});

test('AdamW decays the weights directly: θ ← θ(1 − lr·wd) before the Adam step', () => {
  const lr = 0.01;
  const wd = 0.5;
  const want = reference(3, (th0, g, s, t) => {
    const th = th0 * (1 - lr * wd);
    s.m = 0.9 * (s.m ?? 0) + 0.1 * g;
    s.v = 0.999 * (s.v ?? 0) + 0.001 * g * g;
    return th - (lr / (1 - 0.9 ** t)) * s.m / (Math.sqrt(s.v) / Math.sqrt(1 - 0.999 ** t) + 1e-8);
  });
  close(run((ps) => new optim.AdamW(ps, { lr, weightDecay: wd }), 3), want);
});

test('RMSprop (plain, centered, momentum) and Adagrad (with lr decay) match their published rules', () => {
  const cases: { centered?: boolean; momentum?: number; weightDecay?: number }[] = [{}, { centered: true }, { momentum: 0.9, weightDecay: 0.05 }];
  for (const h of cases) {
    const lr = 0.01;
    const want = reference(4, (th, g0, s) => {
      const g = g0 + (h.weightDecay ?? 0) * th;
      s.v = 0.99 * (s.v ?? 0) + 0.01 * g * g;
      s.ga = 0.99 * (s.ga ?? 0) + 0.01 * g;
      const avg = (h.centered ? Math.sqrt(s.v - s.ga * s.ga) : Math.sqrt(s.v)) + 1e-8;
      if (h.momentum) {
        s.buf = h.momentum * (s.buf ?? 0) + g / avg;
        return th - lr * s.buf;
      }
      return th - (lr * g) / avg;
    });
    close(run((ps) => new optim.RMSprop(ps, { lr, ...h }), 4), want);
  }
  const want = reference(4, (th, g, s, t) => {
    s.sum = (s.sum ?? 0.1) + g * g;
    return th - (0.1 / (1 + (t - 1) * 0.05)) * g / (Math.sqrt(s.sum) + 1e-10);
  });
  close(run((ps) => new optim.Adagrad(ps, { lr: 0.1, lrDecay: 0.05, initialAccumulatorValue: 0.1 }), 4), want);
});

test('parameter groups have their own lr; parameters without a gradient or frozen are left alone', () => {
  const a = st.tensor([1], { requiresGrad: true });
  const b = st.tensor([1], { requiresGrad: true });
  const c = st.tensor([1], { requiresGrad: true });
  const opt = new optim.SGD([{ params: [a] }, { params: [b, c], lr: 0.5 }], { lr: 0.1 });
  a.add(b).sum().backward();
  opt.step();
  assertClose(a, [0.9], 1e-6);
  assertClose(b, [0.5], 1e-6);
  assertClose(c, [1]);
  assert.throws(() => new optim.SGD([a, a], { lr: 0.1 }), /SGD: a parameter \[1\] appears in more than one group/);
});

test('optimizer state dicts round-trip: a restored optimizer continues exactly', () => {
  const make = (): st.Tensor => st.tensor(start, { dtype: 'float64', backend: 'js', requiresGrad: true });
  const stepOnce = (p: st.Tensor, opt: { zeroGrad(): void; step(): void }): void => {
    opt.zeroGrad();
    p.pow(3).div(3).add(p).sum().backward();
    opt.step();
  };
  const p1 = make();
  const o1 = new optim.Adam([p1], { lr: 0.05 });
  for (let i = 0; i < 3; i++) stepOnce(p1, o1);
  const p2 = st.tensor([...p1.dataSync()], { dtype: 'float64', backend: 'js', requiresGrad: true });
  const o2 = new optim.Adam([p2], { lr: 0.9 });
  o2.loadStateDict(o1.stateDict());
  assert.equal(o2.paramGroups[0].lr, 0.05);
  for (let i = 0; i < 2; i++) {
    stepOnce(p1, o1);
    stepOnce(p2, o2);
  }
  assertClose(p2, p1, 0, 0);
  assert.equal(o2.state.get(p2)?.step, 5);
});

test('gradient clipping by norm (returns the norm before) and by value', () => {
  const a = st.tensor([3, 0], { requiresGrad: true });
  const b = st.tensor([4], { requiresGrad: true });
  a.mul(st.tensor([1, 0])).sum().mul(3).add(b.sum().mul(4)).backward(); // grads [3, 0] and [4]
  assert.ok(Math.abs(optim.clipGradNorm([a, b], 1) - 5) < 1e-5);
  assertClose(a.grad!, [0.6, 0], 1e-5);
  assertClose(b.grad!, [0.8], 1e-5);
  assert.ok(Math.abs(optim.clipGradNorm([a, b], 10, Infinity) - 0.8) < 1e-5);
  optim.clipGradValue([a, b], 0.7);
  assertClose(a.grad!, [0.6, 0], 1e-5);
  assertClose(b.grad!, [0.7], 1e-5);
  // Two parameters holding the very same gradient tensor (backward of x + y) are both clipped.
  const x = st.tensor([2], { requiresGrad: true });
  const y = st.tensor([2], { requiresGrad: true });
  x.add(y).mul(2).sum().backward();
  optim.clipGradValue([x, y], 1);
  assertClose(x.grad!, [1]);
  assertClose(y.grad!, [1]);
});

test('schedules: step, exponential, cosine, one-cycle (PyTorch shape) and reduce-on-plateau', () => {
  assert.equal(optim.stepDecay(0.1, 25, { stepSize: 10, gamma: 0.5 }), 0.025);
  assert.ok(Math.abs(optim.exponentialDecay(0.1, 3, { gamma: 0.9 }) - 0.0729) < 1e-12);
  assert.equal(optim.cosineAnnealing(0.1, 0, { tMax: 10 }), 0.1);
  assert.ok(Math.abs(optim.cosineAnnealing(0.1, 5, { tMax: 10, etaMin: 0.02 }) - 0.06) < 1e-12);
  assert.ok(Math.abs(optim.cosineAnnealing(0.1, 10, { tMax: 10 })) < 1e-12);
  const oc = { maxLr: 1, totalSteps: 100 };
  assert.ok(Math.abs(optim.oneCycle(0, 0, oc) - 1 / 25) < 1e-12);
  assert.ok(Math.abs(optim.oneCycle(0, 29, oc) - 1) < 1e-12);
  assert.ok(Math.abs(optim.oneCycle(0, 99, oc) - 1 / 25 / 1e4) < 1e-12);
  // one scheduler step per batch, as in PyTorch: the step after the last batch (t = totalSteps) is
  // allowed, the one after that is not. PyTorch 1.13's OneCycleLR(max_lr=1, total_steps=10):
  {
    const q = st.tensor([1], { requiresGrad: true });
    const o = new optim.SGD([q], { lr: 0.1 });
    const one = new optim.OneCycleLR(o, { maxLr: 1, totalSteps: 10 });
    const seen = [o.paramGroups[0].lr];
    for (let i = 0; i < 10; i++) { one.step(); seen.push(o.paramGroups[0].lr); }
    close(seen, [0.04, 0.52, 1.0, 0.9504846320134737, 0.8117456539497631, 0.6112620219362893, 0.38874197806371075,
      0.18825834605023697, 0.049519367986526286, 4e-06, 0.04951936798652623]);
    assert.throws(() => one.step(), /oneCycle.*step 11 is past totalSteps 10/);
  }
  const p = st.tensor([1], { requiresGrad: true });
  const opt = new optim.SGD([p], { lr: 0.1 });
  const sched = new optim.StepLR(opt, { stepSize: 2, gamma: 0.1 });
  const lrs = [opt.paramGroups[0].lr];
  for (let i = 0; i < 4; i++) { sched.step(); lrs.push(opt.paramGroups[0].lr); }
  close(lrs, [0.1, 0.1, 0.01, 0.01, 0.001]);
  const plateau = new optim.ReduceLROnPlateau(opt, { patience: 1, factor: 0.5 });
  for (const v of [1, 0.9, 0.95, 0.91]) plateau.step(v); // two epochs without improvement > patience 1
  assert.ok(Math.abs(opt.paramGroups[0].lr - 0.0005) < 1e-12);
});

test('LambdaLR, MultiStepLR and LinearLR give PyTorch 1.13\'s lr at every step (values from torch.optim.lr_scheduler, lr 0.5)', () => {
  const lrsOf = (make: (o: st.optim.SGD) => st.optim.LRScheduler, n = 12): number[] => {
    const opt = new optim.SGD([st.tensor([1], { requiresGrad: true })], { lr: 0.5 });
    const sched = make(opt);
    const out: number[] = [];
    for (let t = 0; t < n; t++) { out.push(opt.paramGroups[0].lr); sched.step(); }
    return out;
  };
  close(lrsOf((o) => new optim.MultiStepLR(o, { milestones: [3, 7], gamma: 0.5 })), [0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.125, 0.125, 0.125, 0.125, 0.125]);
  close(lrsOf((o) => new optim.LinearLR(o, { startFactor: 0.25, endFactor: 1, totalIters: 4 })), [0.125, 0.21875, 0.3125, 0.40625, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
  close(lrsOf((o) => new optim.LinearLR(o)), [0.16666666666666666, 0.23333333333333334, 0.30000000000000004, 0.36666666666666675, 0.43333333333333346, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
  close(lrsOf((o) => new optim.LambdaLR(o, (t) => 0.9 ** t)), [0.5, 0.45, 0.405, 0.3645, 0.32805, 0.295245, 0.2657205, 0.23914845, 0.215233605, 0.1937102445, 0.17433922005, 0.156905298045]);
  assert.throws(() => lrsOf((o) => new optim.LinearLR(o, { startFactor: 0 })), /^StrataError: LinearLR: startFactor must be in \(0, 1\], got 0/);
  assert.throws(() => lrsOf((o) => new optim.MultiStepLR(o, { milestones: [2.5] })), /^StrataError: MultiStepLR: milestones must be non-negative integers, got \[2\.5\]/);
});
