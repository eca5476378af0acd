// SPDX-License-Identifier: MIT
// The op table, run on every registered backend: forward against an independent reference, the
// reverse gradient by finite differences (float64), forward mode against reverse mode, second
// derivatives where marked, and every non-reference backend's gradients against the js backend.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as st from 'strata-dl';
import { CASES as BASE_CASES, bindFunctions } from './ops.table.js';
import { TENSOROPS_CASES, bindTensoropsFunctions } from './ops.tensorops.table.js';
import { LAYER_CASES, bindLayerFunctions } from './ops.layers.table.js';
import { assertClose, build } from './helpers.js';

bindFunctions(st);
bindTensoropsFunctions(st);
bindLayerFunctions(st);
const CASES = [...BASE_CASES, ...TENSOROPS_CASES, ...LAYER_CASES];
const PRIMS: st.Prim[] = [
  'neg', 'exp', 'log', 'sqrt', 'sin', 'cos', 'tanh', 'sigmoid', 'relu', 'abs', 'sign',
  'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'where', 'cast',
  'sum', 'max', 'min', 'argmax', 'argmin', 'reshape', 'permute', 'expand', 'slice', 'pad', 'flip', 'concat',
  'gather', 'scatterAdd', 'matmul', 'unfold', 'fold', 'poolIndex', 'pool', 'conv', 'reluGrad',
  'cumsum', 'cumprod', 'argsort',
];

test('the table covers every primitive', () => {
  const covered = new Set(CASES.flatMap((c) => c.prims));
  assert.deepEqual(PRIMS.filter((p) => !covered.has(p)), []);
});

const isDiff = (c: (typeof CASES)[number]): boolean => c.grad !== false;

for (const backend of st.listBackends()) {
  describe(`ops on ${backend}`, () => {
    for (const c of CASES) {
      test(`${c.name}: forward (float32)`, () => {
        const y = c.f(...c.inputs.map((s) => build(s, backend, 'float32')));
        const r = c.ref(...c.inputs);
        assertClose(y, st.tensor(r.values, { shape: r.shape, dtype: 'float64', backend: 'js' }), 1e-5, 1e-5, c.name);
      });
      if (backend === 'js') {
        test(`${c.name}: forward (float64)`, () => {
          const y = c.f(...c.inputs.map((s) => build(s, 'js', 'float64')));
          const r = c.ref(...c.inputs);
          assertClose(y, st.tensor(r.values, { shape: r.shape, dtype: 'float64', backend: 'js' }), 1e-12, 1e-12, c.name);
        });
        if (isDiff(c)) {
          test(`${c.name}: gradcheck`, () => {
            st.gradcheck(c.f, c.inputs.map((s) => build(s, 'js', 'float64')), c.gradOpts ?? {});
          });
          test(`${c.name}: forward mode agrees with reverse mode`, () => {
            st.jvpcheck(c.f, c.inputs.map((s) => build(s, 'js', 'float64')));
          });
        }
        if (c.second) {
          test(`${c.name}: second derivatives`, () => {
            st.gradgradcheck(c.f, c.inputs.map((s) => build(s, 'js', 'float64')), { atol: 1e-4, rtol: 1e-3 });
          });
        }
      } else if (isDiff(c)) {
        test(`${c.name}: gradients match the js backend`, () => {
          const pull = (b: string, dt: 'float32' | 'float64'): st.Tensor[] => {
            const xs = c.inputs.map((s) => build(s, b, dt));
            const fl = xs.flatMap((x, i) => (c.inputs[i].kind === 'float' ? [i] : []));
            const g = (...f: st.Tensor[]): st.Tensor => c.f(...xs.map((x, i) => (fl.includes(i) ? f[fl.indexOf(i)] : x)));
            const [y, back] = st.vjp(g, ...fl.map((i) => xs[i]));
            return back(st.linspace(-1, 1, y.size, { backend: b, dtype: dt }).reshape(y.shape));
          };
          const mine = pull(backend, 'float32');
          const ref = pull('js', 'float64');
          mine.forEach((g, i) => assertClose(g, ref[i], 1e-4, 1e-3, `${c.name} gradient ${i}`));
        });
      }
    }
  });
}
