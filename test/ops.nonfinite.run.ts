// SPDX-License-Identifier: MIT
// Runs the non-finite op table (ops.nonfinite.table.ts) on the given backends, in float32 and float64:
// the forward value and the gradients against PyTorch's (ops.nonfinite.expected.json). NaN must
// meet NaN, infinities must match exactly, and a zero's sign must match in forward values (relu(-0)
// is -0); other values within float32's rounding of the transcendental kernels.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type * as St from 'strata-dl';
import { NONFINITE } from './ops.nonfinite.table.js';

type Num = number | 'nan' | 'inf' | '-inf' | '-0';
interface Input { values: Num[]; shape: number[]; kind: 'float' | 'int32' | 'bool' }
interface Expected { inputs: Input[]; shape: number[]; values: Num[]; grads?: (Num[] | null)[] }
const file = JSON.parse(readFileSync(new URL('./ops.nonfinite.expected.json', import.meta.url), 'utf8')) as { torch: string; cases: Record<string, Expected> };

const num = (v: Num): number => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === '-0' ? -0 : v);
const build = (st: typeof St, x: Input, backend: string, float: 'float32' | 'float64'): St.Tensor =>
  st.tensor(x.values.map(num), { shape: x.shape, dtype: x.kind === 'float' ? float : x.kind, backend });

/** First mismatch between `got` and PyTorch's `want`, or null. */
function mismatch(got: ArrayLike<number>, want: Num[], signedZero: boolean): string | null {
  if (got.length !== want.length) return `${got.length} values, PyTorch has ${want.length}`;
  for (let i = 0; i < want.length; i++) {
    const g = Number(got[i]);
    const w = num(want[i]);
    const ok = Number.isNaN(w) ? Number.isNaN(g)
      : !Number.isFinite(w) || !Number.isFinite(g) ? g === w
      : w === 0 && g === 0 ? !signedZero || Object.is(g, w)
      : Math.abs(g - w) <= 1e-5 + 1e-5 * Math.abs(w);
    if (!ok) return `element ${i}: got ${Object.is(g, -0) ? '-0' : g}, PyTorch ${want[i]}`;
  }
  return null;
}

/** The table's own checks: it covers every primitive, and it and PyTorch's file name the same cases. */
export function checkTable(st: typeof St): void {
  test('the non-finite table covers every primitive', () => {
    const prims = [...Object.keys(st.getBackend('js').kernels), 'reshape'];
    const covered = new Set(Object.values(NONFINITE).flatMap((c) => c.prims));
    assert.deepEqual(prims.filter((p) => !covered.has(p as St.Prim)), []);
  });

  test('every case has PyTorch\'s answer and every answer a case', () => {
    assert.deepEqual(Object.keys(NONFINITE).filter((n) => !(n in file.cases)), []);
    assert.deepEqual(Object.keys(file.cases).filter((n) => !(n in NONFINITE)), []);
  });
}

/** The table on each of `backends` (suite names carry `label`, e.g. the wasm build's variant). */
export function runTable(st: typeof St, backends: readonly string[], label = ''): void {
  for (const backend of backends) {
    describe(`non-finite values on ${backend}${label} (PyTorch ${file.torch})`, () => {
      for (const [name, c] of Object.entries(NONFINITE)) {
        const e = file.cases[name];
        if (!e) continue;
        for (const dt of ['float32', 'float64'] as const) {
          test(`${name}: forward (${dt})`, () => {
            const y = c.f(...e.inputs.map((x) => build(st, x, backend, dt)));
            assert.deepEqual([...y.shape], e.shape, `${name}: shape`);
            const m = mismatch(y.dataSync(), e.values, true);
            if (m) assert.fail(`${name} (${backend}, ${dt}) forward: ${m}`);
          });
          if (!e.grads) continue;
          test(`${name}: gradients (${dt})`, () => {
            const xs = e.inputs.map((x) => build(st, x, backend, dt));
            const fl = e.inputs.flatMap((x, i) => (x.kind === 'float' ? [i] : []));
            const g = (...f: St.Tensor[]): St.Tensor => c.f(...xs.map((x, i) => (fl.includes(i) ? f[fl.indexOf(i)] : x)));
            const [y, back] = st.vjp(g, ...fl.map((i) => xs[i]));
            const up = st.arange(1, y.size + 1, 1, { backend, dtype: dt }).reshape(y.shape);
            back(up).forEach((gi, k) => {
              const want = e.grads![k];
              if (!want) return;
              const m = mismatch(gi.dataSync(), want, false);
              if (m) assert.fail(`${name} (${backend}, ${dt}) gradient of input ${fl[k]}: ${m}`);
            });
          });
        }
      }
    });
  }
}
