// SPDX-License-Identifier: MIT
// Runs op-table cases on every registered backend: forward against the reference (float32 on each
// backend, float64 on js), gradcheck and forward mode vs reverse mode on js in float64, and every
// other backend's gradients against js. ops.test.ts runs the main tables through it, and
// ops.losses.test.ts the losses' table.
import { describe, test } from 'node:test';
import * as st from 'strata-dl';
import { assertClose, build } from './helpers.js';
import type { OpCase } from './ops.table.js';

export function runOpTable(title: string, cases: readonly OpCase[]): void {
  for (const backend of st.listBackends()) {
    describe(`${title} on ${backend}`, () => {
      for (const c of cases) {
        const diff = c.grad !== false;
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
          if (diff) {
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
        } else if (diff) {
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
}
