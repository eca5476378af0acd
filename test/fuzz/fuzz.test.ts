// SPDX-License-Identifier: MIT
// Differential fuzzing of the public API: every Tensor method, root-level
// function, nn.functional function and nn layer, called with random shapes (0-size dims and scalars
// included), dtypes and attributes (negative and out-of-range axes, strides, paddings...), on `js`
// and on `wasm`. Each call must give the same values on both (NaN in the same places, and none for
// finite inputs in the op's domain) or the same StrataError; a crash of any other kind fails.
// The lists of what is called are built from the package's exports, and a test asserts that every
// export is either fuzzed or on the short skip-list below, with the reason.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import * as st from 'strata-dl';
import { type Arg, check, mat, runOn } from './harness.js';
import { shape, ts } from './arbs.js';
import { TENSOR_METHODS, type Spec } from './tensor-ops.js';
import { FUNCTIONAL as FUNCTIONAL_1, LAYERS as LAYERS_1, ROOT_ONLY as ROOT_ONLY_1 } from './other-ops.js';
import { MORE_FUNCTIONAL, MORE_LAYERS, MORE_ROOT_ONLY, MORE_TENSOR_METHODS } from './more-ops.js';
import { ONNX_BYTES } from './onnx-bytes.js';

const TENSOR_METHODS_ALL: Record<string, Spec> = { ...TENSOR_METHODS, ...MORE_TENSOR_METHODS };
const ROOT_ONLY = { ...ROOT_ONLY_1, ...MORE_ROOT_ONLY };
const FUNCTIONAL = { ...FUNCTIONAL_1, ...MORE_FUNCTIONAL };
const LAYERS = { ...LAYERS_1, ...MORE_LAYERS };

// FUZZ_RUNS=500 for a longer hunt; FUZZ_SEED=<n> replays a run. Each run draws one seed for all its
// properties and prints it first, so that a run which fails, or never ends, can be replayed.
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
console.log(`fuzz seed ${SEED} (FUZZ_SEED=${SEED} replays this run)`);
const RUNS = { numRuns: Number(process.env.FUZZ_RUNS ?? 40), seed: SEED, includeErrorInReport: true };
const F = st.nn.functional as unknown as Record<string, (...a: unknown[]) => unknown>;
const root = st as unknown as Record<string, unknown>;
const isClass = (f: unknown): boolean => typeof f === 'function' && /^class\b/.test(Function.prototype.toString.call(f));

/** Exports not fuzzed here, each with the reason. */
const SKIP: Record<string, string> = {
  'Tensor.backward': 'called by every case: the gradients of all float inputs are compared',
  'Tensor.data': 'the async twin of dataSync, which is fuzzed',
  'Tensor.dispose': 'lifecycle, not an op; covered in test/tensor.test.ts',
  'Tensor.set_': 'replaces a tensor\'s memory in place (optimizers, running statistics), not an op; test/tensor.test.ts',
  'Tensor.registerHook': 'a callback on the backward sweep, not an op; test/autograd-hooks.test.ts',
  'Tensor.retainGrad': 'marks a tensor to keep its gradient, not an op; test/autograd-hooks.test.ts',
  ...Object.fromEntries(['createJsBackend', 'createWasmBackend', 'registerBackend', 'setBackend', 'getBackend', 'listBackends', 'setNumThreads', 'getNumThreads', 'wasmFeatures']
    .map((k) => [`st.${k}`, 'backend management, which this harness itself drives'])),
  ...Object.fromEntries(['manualSeed', 'defaultGenerator', 'noGrad', 'enableGrad', 'isGradEnabled', 'scoped', 'memory']
    .map((k) => [`st.${k}`, 'state and scope helpers the harness uses on every call'])),
  ...Object.fromEntries(['fit', 'evaluate', 'predict'].map((k) => [`st.${k}`, 'training loops over models and datasets; test/train'])),
  ...Object.fromEntries(['gradcheck', 'gradgradcheck', 'jvpcheck'].map((k) => [`st.${k}`, 'finite-difference checkers: test tools, not ops'])),
  'st.customOp': 'user-defined ops: behaviour is the user\'s; test/autograd.test.ts',
  ...Object.fromEntries(['detectAnomaly', 'setDetectAnomaly', 'isAnomalyEnabled']
    .map((k) => [`st.${k}`, 'global mode switches, not ops: the property "anomaly mode changes no result" below fuzzes ops under them'])),
  ...Object.fromEntries(['outSize', 'pair', 'resolvePadding2d', 'padding1dAs2d'].map((k) => [`F.${k}`, 'number helpers of the window ops (fuzzed through them)'])),
  ...Object.fromEntries(['Module', 'ModuleList', 'ModuleDict', 'Sequential', 'Parameter'].map((k) => [`nn.${k}`, 'containers and the base class: no computation of their own'])),
  ...Object.fromEntries(['recurrent', 'rnnCell', 'lstmCell', 'gruCell', 'padSequence', 'sequenceMask', 'timeChunks', 'detachState']
    .map((k) => [`nn.${k}`, 'sequence helpers under the recurrent layers, which are fuzzed; test/rnn'])),
};

/** Root functions that are a Tensor method under another name. */
const ALIAS: Record<string, string> = { variance: 'var', cast: 'to' };

/**
 * Elements of the input of jacobian and hessian, whose time and memory grow with its square (a
 * 5,000-element input takes minutes and over 10 GiB); 200 still runs the SIMD loops and their tails.
 */
const SQUARE_COST_MAX = 200;

/** Calls that take functions: fixed functions of random tensors. */
const f = (x: st.Tensor): st.Tensor => x.sin().mul(x).sum();
const CUSTOM: Record<string, { arb: fc.Arbitrary<Arg[]>; call: (a: unknown[]) => unknown }> = {
  grad: { arb: fc.tuple(TENSOR_METHODS.sin.arb.map((a) => a[0])), call: ([x]) => st.grad(f)(x as st.Tensor) },
  valueAndGrad: { arb: fc.tuple(TENSOR_METHODS.sin.arb.map((a) => a[0])), call: ([x]) => st.valueAndGrad(f)(x as st.Tensor) },
  vjp: { arb: fc.tuple(TENSOR_METHODS.sin.arb.map((a) => a[0])), call: ([x]) => { const [y, back] = st.vjp((t: st.Tensor) => t.tanh(), x as st.Tensor); return [y, back(y.cos())]; } },
  jvp: { arb: fc.tuple(TENSOR_METHODS.sin.arb.map((a) => a[0])), call: ([x]) => st.jvp((t: st.Tensor) => t.tanh().mul(t), [x as st.Tensor], [(x as st.Tensor).cos()]) },
  importOnnx: { arb: ONNX_BYTES, call: ([bytes]) => st.importOnnx(new Uint8Array(bytes as number[])) },
  hvp: { arb: fc.tuple(TENSOR_METHODS.sin.arb.map((a) => a[0])), call: ([x]) => st.hvp(f, x as st.Tensor, (x as st.Tensor).cos()) },
  jacobian: { arb: fc.tuple(ts(shape(0, 4, SQUARE_COST_MAX)), fc.constantFrom('reverse', 'forward')), call: ([x, mode]) => st.jacobian((t: st.Tensor) => t.tanh().mul(t.sum()), x as st.Tensor, { mode: mode as 'reverse' | 'forward' }) },
  hessian: { arb: fc.tuple(ts(shape(0, 4, SQUARE_COST_MAX))), call: ([x]) => st.hessian(f, x as st.Tensor) },
};

interface Target { name: string; arb: fc.Arbitrary<Arg[]>; call: (a: unknown[]) => unknown; finite: boolean }

function targets(): Target[] {
  const out: Target[] = [];
  const methodCall = (m: string) => ([x, ...rest]: unknown[]): unknown => (x as unknown as Record<string, (...a: unknown[]) => unknown>)[m](...rest);
  for (const [m, spec] of Object.entries(TENSOR_METHODS_ALL)) out.push({ name: `Tensor.${m}`, arb: spec.arb, call: methodCall(m), finite: spec.finite ?? true });
  const rootFn = (k: string) => (a: unknown[]): unknown => (root[k] as (...a: unknown[]) => unknown)(...a);
  for (const k of Object.keys(root)) {
    const spec: Spec | undefined = TENSOR_METHODS_ALL[ALIAS[k] ?? k] ?? ROOT_ONLY[k];
    if (spec && typeof root[k] === 'function' && !isClass(root[k])) out.push({ name: `st.${k}`, arb: spec.arb, call: rootFn(k), finite: spec.finite ?? true });
  }
  for (const [k, c] of Object.entries(CUSTOM)) out.push({ name: `st.${k}`, arb: c.arb, call: c.call, finite: true });
  for (const [k, spec] of Object.entries(FUNCTIONAL)) out.push({ name: `F.${k}`, arb: spec.arb, call: (a) => F[k](...a), finite: spec.finite ?? true });
  const nn = st.nn as unknown as Record<string, new (...a: unknown[]) => st.nn.Module & { forward(...a: unknown[]): unknown }>;
  for (const [k, spec] of Object.entries(LAYERS)) {
    out.push({
      name: `nn.${k}`,
      arb: spec.arb.map(({ ctor, input }) => [ctor, input]),
      call: ([ctor, input]) => new nn[k](...(ctor as unknown[])).forward(...(input as unknown[])),
      finite: spec.finite ?? true,
    });
  }
  return out;
}

/** Every public function, method and layer, by the names used above. */
function exportsToCover(): string[] {
  const names: string[] = [];
  const proto = st.Tensor.prototype as unknown as Record<string, unknown>;
  for (const k of Object.getOwnPropertyNames(st.Tensor.prototype)) {
    const d = Object.getOwnPropertyDescriptor(st.Tensor.prototype, k)!;
    if (k !== 'constructor' && !k.startsWith('_') && !d.get && typeof proto[k] === 'function') names.push(`Tensor.${k}`);
  }
  for (const [k, v] of Object.entries(root)) if (typeof v === 'function' && !isClass(v)) names.push(`st.${k}`);
  for (const [k, v] of Object.entries(st.nn.functional)) if (typeof v === 'function') names.push(`F.${k}`);
  for (const [k, v] of Object.entries(st.nn)) if (typeof v === 'function') names.push(`nn.${k}`);
  return names;
}

const all = targets();

test('the fuzzer covers every exported op and layer, or says why not', () => {
  const fuzzed = new Set(all.map((t) => t.name));
  const missing = exportsToCover().filter((n) => !fuzzed.has(n) && !(n in SKIP));
  assert.deepEqual(missing, [], `exports neither fuzzed nor on the skip-list: ${missing.join(', ')}`);
  const stale = Object.keys(SKIP).filter((n) => !exportsToCover().includes(n));
  assert.deepEqual(stale, [], `skip-list entries that are no longer exported: ${stale.join(', ')}`);
  assert.ok(Object.keys(SKIP).length < exportsToCover().length / 5, 'the skip-list should stay short');
});

for (const t of all) {
  test(`fuzz ${t.name}: js and wasm agree, or both raise a StrataError`, () => {
    fc.assert(fc.property(t.arb, (args) => {
      check(t.name, () => t.call(args.map(mat)), { finite: t.finite });
    }), RUNS);
  });
}

test('anomaly mode changes no result: ops under detectAnomaly give the same values or the same StrataError, and the mode is restored', () => {
  const picks = ['Tensor.cumsum', 'Tensor.norm', 'F.groupNorm', 'F.interpolate', 'Tensor.sort', 'F.tripletMarginLoss'].map((n) => all.find((t) => t.name === n)!);
  fc.assert(fc.property(fc.constantFrom(...picks).chain((t) => fc.tuple(fc.constant(t), t.arb)), ([t, args]) => {
    const plain = runOn('js', () => t.call(args.map(mat)), 1);
    assert.equal(st.isAnomalyEnabled(), false);
    let anomaly: ReturnType<typeof runOn> | undefined;
    try {
      anomaly = st.detectAnomaly(() => runOn('js', () => t.call(args.map(mat)), 1));
    } catch (e) {
      // anomaly mode may stop a NaN/∞ that the plain run let through (instanceNorm's 0/0, say)
      assert.ok(e instanceof st.AnomalyError, `${t.name}: ${String(e)}`);
    }
    assert.equal(st.isAnomalyEnabled(), false, 'detectAnomaly restores the mode');
    if (anomaly && !(!anomaly.ok && anomaly.error instanceof st.AnomalyError)) assert.deepEqual(anomaly.ok ? [anomaly.value, anomaly.grads] : anomaly.error.message, plain.ok ? [plain.value, plain.grads] : plain.error.message, t.name);
  }), { ...RUNS, numRuns: 30 });
  st.setDetectAnomaly(true);
  assert.equal(st.isAnomalyEnabled(), true);
  st.setDetectAnomaly(false);
  assert.equal(st.isAnomalyEnabled(), false);
});

test('randLike and randnLike: the shape of the input, its dtype unless one is given, and the same draws as rand/randn under one seed', () => {
  const spec = MORE_ROOT_ONLY.randLike.arb;
  fc.assert(fc.property(spec, fc.constantFrom('randLike', 'randnLike'), (args, k) => {
    const x = mat(args[0]) as st.Tensor;
    const opts = args[1] as { dtype?: st.DType };
    const dtype = opts.dtype ?? x.dtype;
    if (dtype !== 'float32' && dtype !== 'float64') return;
    st.manualSeed(3);
    const y = (k === 'randLike' ? st.randLike : st.randnLike)(x, opts);
    st.manualSeed(3);
    const z = (k === 'randLike' ? st.rand : st.randn)([...x.shape], { dtype });
    assert.deepEqual([[...y.shape], y.dtype, y.backend.name], [[...x.shape], dtype, x.backend.name]);
    assert.deepEqual([...y.dataSync()], [...z.dataSync()]);
  }), RUNS);
});
