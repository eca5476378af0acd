// SPDX-License-Identifier: MIT
// Finite-difference checks of a module's parameter gradients (float64 on js): the analytic .grad
// from backward() against central differences obtained by perturbing each parameter in place.
import assert from 'node:assert/strict';
import * as st from 'strata-dl';

/** Runs st.gradcheck for the input, then checks every parameter's gradient element by element. */
export function checkModule(m: st.nn.Module, x: st.Tensor, { eps = 1e-6, atol = 1e-6, rtol = 1e-4, input = true } = {}): void {
  const forward = (): st.Tensor => m.forward(x);
  if (input) st.gradcheck((xi) => m.forward(xi), [x]);
  const out = st.noGrad(forward);
  const g = new st.Generator(7);
  const u = st.tensor(Float64Array.from({ length: out.size }, () => g.normal()), { shape: out.shape, dtype: 'float64', backend: 'js' });
  const objective = (): number => st.noGrad(() => forward().mul(u).sum().item());
  m.zeroGrad();
  forward().mul(u).sum().backward();
  const params = m.namedParameters();
  assert.ok(params.length > 0, 'module has parameters');
  for (const [name, p] of params) {
    assert.equal(p.dtype, 'float64', `${name} is float64`);
    const analytic = p.grad ? p.grad.dataSync() : new Float64Array(p.size);
    const base = Float64Array.from(p.dataSync());
    for (let j = 0; j < base.length; j++) {
      const at = (d: number): number => {
        const v = Float64Array.from(base);
        v[j] += d;
        p.set_(st.tensor(v, { shape: p.shape, dtype: 'float64', backend: 'js' }));
        return objective();
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      p.set_(st.tensor(base, { shape: p.shape, dtype: 'float64', backend: 'js' }));
      const ok = Math.abs(analytic[j] - numeric) <= atol + rtol * Math.abs(numeric);
      assert.ok(ok, `${m.typeName}.${name}[${j}]: analytic ${analytic[j]} vs numeric ${numeric}`);
    }
  }
}

export const f64 = { dtype: 'float64' as const, backend: 'js' };

/** A float64 js tensor of uniform values in [lo, hi), seeded. */
export function rand64(shape: number[], seed = 1, lo = -1, hi = 1): st.Tensor {
  const g = new st.Generator(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return st.tensor(Float64Array.from({ length: n }, () => lo + (hi - lo) * g.random()), { shape, ...f64 });
}

/** Distinct values (no ties), shuffled: for max/min pooling, whose gradient is undefined at ties. */
export function distinct64(shape: number[], seed = 1): st.Tensor {
  const g = new st.Generator(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const v = Array.from({ length: n }, (_, i) => (i - n / 2) * 0.13);
  for (let i = n - 1; i > 0; i--) {
    const j = g.int(0, i + 1);
    [v[i], v[j]] = [v[j], v[i]];
  }
  return st.tensor(v, { shape, ...f64 });
}
