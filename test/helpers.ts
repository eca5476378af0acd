// SPDX-License-Identifier: MIT
// Shared test helpers: input specs that can be built on any backend and dtype, and closeness checks.
import assert from 'node:assert/strict';
import * as st from 'strata-dl';

export type Kind = 'float' | 'int32' | 'bool';
/** An input described as plain data, so the same case can be built on every backend and float dtype. */
export interface Spec {
  values: number[];
  shape: number[];
  kind: Kind;
}

const gen = new st.Generator(1234);

/** Uniform random float input in [lo, hi), rounded away from `avoid` points (kinks, ties). */
export function rnd(shape: number[], lo = -2, hi = 2, avoid: number[] = []): Spec {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: n }, () => {
    let v: number;
    do v = lo + (hi - lo) * gen.random();
    while (avoid.some((p) => Math.abs(v - p) < 0.05));
    return v;
  });
  return { values, shape, kind: 'float' };
}
/** Distinct values (no ties), useful for max/min/sort-like ops. */
export function distinct(shape: number[]): Spec {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: n }, (_, i) => i * 0.37 - n * 0.15);
  for (let i = n - 1; i > 0; i--) {
    const j = gen.int(0, i + 1);
    [values[i], values[j]] = [values[j], values[i]];
  }
  return { values, shape, kind: 'float' };
}
export function ints(values: number[], shape = [values.length]): Spec {
  return { values, shape, kind: 'int32' };
}
export function bools(values: number[], shape = [values.length]): Spec {
  return { values, shape, kind: 'bool' };
}
export function fixed(values: number[], shape = [values.length]): Spec {
  return { values, shape, kind: 'float' };
}

export function build(s: Spec, backend: string, floatType: 'float32' | 'float64'): st.Tensor {
  const dtype = s.kind === 'float' ? floatType : s.kind;
  return st.tensor(s.values, { shape: s.shape, dtype, backend });
}

/** Asserts two tensors (or a tensor and nested arrays) agree elementwise within atol + rtol·|expected|. */
export function assertClose(actual: st.Tensor, expected: st.Tensor | st.Nested, atol = 1e-5, rtol = 1e-5, what = ''): void {
  const exp = expected instanceof st.Tensor ? expected : st.tensor(expected, { dtype: 'float64', backend: 'js' });
  assert.deepEqual([...actual.shape], [...exp.shape], `${what} shape ${actual.shape} vs ${exp.shape}`);
  const a = actual.dataSync();
  const e = exp.dataSync();
  for (let i = 0; i < a.length; i++) {
    const x = Number(a[i]);
    const y = Number(e[i]);
    const ok = (Number.isNaN(x) && Number.isNaN(y)) || x === y || Math.abs(x - y) <= atol + rtol * Math.abs(y);
    if (!ok) assert.fail(`${what} element ${i}: got ${x}, expected ${y} (atol ${atol}, rtol ${rtol})`);
  }
}
