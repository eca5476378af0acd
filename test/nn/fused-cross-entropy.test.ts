// SPDX-License-Identifier: MIT
// The fused softmax cross-entropy (its kernels in Backend.fused) against the composed definition it
// replaces, which the js backend runs: loss and logits' gradient for averaged and summed losses,
// ignored targets (some and all), NaN and infinite logits, and a batch of one; that the wasm backend
// really takes the kernels (and not for options they do not cover); gradients of gradients and
// forward mode, which must take the composed path and still agree; and bad targets still rejected.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as st from 'strata-dl';
import { assertClose } from '../helpers.js';

const F = st.nn.functional;
const hasWasm = st.listBackends().includes('wasm');

/** Counts calls of the fused kernels on `backend` while `fn` runs. */
function countCalls(backend: string, fn: () => void): { forward: number; backward: number } {
  const calls = { forward: 0, backward: 0 };
  const k = st.getBackend(backend).fused as Record<string, { run: (a: never) => void }> | undefined;
  if (!k?.crossEntropyForward || !k.crossEntropyBackward) {
    fn();
    return calls;
  }
  const saved = [k.crossEntropyForward.run, k.crossEntropyBackward.run];
  k.crossEntropyForward.run = (a) => { calls.forward++; saved[0](a); };
  k.crossEntropyBackward.run = (a) => { calls.backward++; saved[1](a); };
  try {
    fn();
  } finally {
    [k.crossEntropyForward.run, k.crossEntropyBackward.run] = saved;
  }
  return calls;
}

/** Loss and logits' gradient on `backend`, from the same float32 values. */
function lossAndGrad(backend: string, logits: number[], shape: [number, number], targets: number[], opts: Parameters<typeof F.crossEntropy>[2] = {}): { loss: number; grad: Float32Array } {
  const x = st.tensor(logits, { backend }).reshape(shape).detach().requiresGrad_();
  const y = st.tensor(targets, { dtype: 'int32', backend });
  const l = F.crossEntropy(x, y, opts);
  l.backward();
  return { loss: l.item(), grad: Float32Array.from(x.grad!.dataSync() as ArrayLike<number>) };
}

/** The same values on the js backend. */
const onJs = (t: st.Tensor): st.Tensor => st.tensor(Array.from(t.dataSync() as ArrayLike<number>), { backend: 'js', dtype: t.dtype }).reshape([...t.shape]);

function sameish(a: number, b: number, tol: number, what: string): void {
  if (Number.isNaN(b)) return assert.ok(Number.isNaN(a), `${what}: ${a}, expected NaN`);
  if (!Number.isFinite(b)) return assert.equal(a, b, what);
  assert.ok(Math.abs(a - b) <= tol * (1 + Math.abs(b)), `${what}: ${a} vs ${b}`);
}

function randomCase(seed: number, n: number, c: number): { logits: number[]; targets: number[] } {
  const gen = new st.Generator(seed);
  const logits = Array.from(st.randn([n * c], { generator: gen, backend: 'js' }).mul(3).dataSync() as ArrayLike<number>);
  const targets = Array.from(st.randint(0, c, [n], { generator: gen, backend: 'js' }).dataSync() as ArrayLike<number>);
  return { logits, targets };
}

describe('fused cross-entropy', { skip: !hasWasm && 'no wasm backend' }, () => {
  const cases: { name: string; n: number; c: number; opts?: Parameters<typeof F.crossEntropy>[2]; edit?: (t: number[], x: number[]) => void }[] = [
    { name: 'MNIST-sized batch', n: 128, c: 10 },
    { name: 'one sample', n: 1, c: 3 },
    { name: 'two classes, sum', n: 7, c: 2, opts: { reduction: 'sum' } },
    { name: 'some targets ignored', n: 9, c: 5, edit: (t) => { t[1] = -100; t[4] = -100; } },
    { name: 'own ignoreIndex', n: 6, c: 4, opts: { ignoreIndex: 2 } },
    { name: 'all targets ignored (NaN loss, as PyTorch)', n: 4, c: 3, edit: (t) => t.fill(-100) },
    { name: 'NaN logit', n: 5, c: 4, edit: (_t, x) => { x[6] = NaN; } },
    { name: '-Inf logit off the target', n: 3, c: 4, edit: (t, x) => { t[0] = 1; x[0] = -Infinity; } },
    { name: '+Inf logit', n: 3, c: 4, edit: (_t, x) => { x[5] = Infinity; } },
    { name: 'large logits (no overflow)', n: 4, c: 6, edit: (_t, x) => { for (let i = 0; i < x.length; i++) x[i] = x[i] * 30 + 80; } },
  ];
  for (const [i, k] of cases.entries()) {
    test(`${k.name}: wasm's kernels agree with the composed definition on js`, () => {
      const { logits, targets } = randomCase(10 + i, k.n, k.c);
      k.edit?.(targets, logits);
      const ref = lossAndGrad('js', logits, [k.n, k.c], targets, k.opts);
      let got = ref;
      const calls = countCalls('wasm', () => { got = lossAndGrad('wasm', logits, [k.n, k.c], targets, k.opts); });
      assert.deepEqual(calls, { forward: 1, backward: 1 }, 'the wasm backend ran the fused kernels');
      sameish(got.loss, ref.loss, 2e-6, 'loss');
      for (let j = 0; j < ref.grad.length; j++) sameish(got.grad[j], ref.grad[j], 2e-6, `grad[${j}]`);
    });
  }

  test('options the kernels do not cover take the composed path', () => {
    const { logits, targets } = randomCase(3, 5, 4);
    const x = st.tensor(logits, { backend: 'wasm' }).reshape([5, 4]);
    const y = st.tensor(targets, { dtype: 'int32', backend: 'wasm' });
    for (const opts of [{ weight: st.tensor([1, 2, 3, 4], { backend: 'wasm' }) }, { labelSmoothing: 0.1 }, { reduction: 'none' as const }]) {
      const calls = countCalls('wasm', () => { F.crossEntropy(x, y, opts); });
      assert.equal(calls.forward, 0, JSON.stringify(Object.keys(opts)));
    }
    const x64 = x.to('float64');
    assert.equal(countCalls('wasm', () => { F.crossEntropy(x64, y); }).forward, 0, 'float64');
    assert.equal(countCalls('wasm', () => { F.crossEntropy(x.reshape([5, 4, 1]), y.reshape([5, 1])); }).forward, 0, '[N, C, d]');
  });

  test('no gradient wanted: the forward kernel alone, no log-sum-exp kept', () => {
    const { logits, targets } = randomCase(4, 8, 3);
    const x = st.tensor(logits, { backend: 'wasm' }).reshape([8, 3]);
    const y = st.tensor(targets, { dtype: 'int32', backend: 'wasm' });
    let loss = NaN;
    const calls = countCalls('wasm', () => { loss = F.crossEntropy(x, y).item(); });
    assert.deepEqual(calls, { forward: 1, backward: 0 });
    sameish(loss, F.crossEntropy(onJs(x), onJs(y)).item(), 2e-6, 'loss');
  });

  test('gradients of gradients and forward mode take the composed path and agree with js', () => {
    const { logits, targets } = randomCase(5, 6, 4);
    const results = ['js', 'wasm'].map((backend) => {
      const y = st.tensor(targets, { dtype: 'int32', backend });
      const x = st.tensor(logits, { backend }).reshape([6, 4]).detach().requiresGrad_();
      const g = st.grad((z: st.Tensor) => F.crossEntropy(z, y))(x);
      // d/dx of Σ (∂L/∂x)² needs the backward recorded: the composed rule, differentiated
      const gg = st.grad((z: st.Tensor) => st.grad((w: st.Tensor) => F.crossEntropy(w, y))(z).square().sum())(x);
      const t = st.onesLike(x);
      const [, tangent] = st.jvp((z: st.Tensor) => F.crossEntropy(z, y), [x], [t]);
      return { g, gg, tangent };
    });
    assertClose(onJs(results[1].g), results[0].g, 1e-6, 1e-5, 'grad');
    assertClose(onJs(results[1].gg), results[0].gg, 1e-6, 1e-5, 'grad of grad');
    assertClose(onJs(results[1].tangent), results[0].tangent, 1e-6, 1e-5, 'jvp');
  });

  test('a class out of range is still a StrataError naming it', () => {
    const x = st.zeros([2, 3], { backend: 'wasm' });
    assert.throws(() => F.crossEntropy(x, st.tensor([0, 3], { dtype: 'int32', backend: 'wasm' })), /crossEntropy: target holds class 3 at index 1\b/);
  });
});
