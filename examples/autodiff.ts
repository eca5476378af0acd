// SPDX-License-Identifier: MIT
// The worked example of the automatic-differentiation lecture:
//   f(x) = (x1·x2·sin x3 + e^(x1·x2)) / x3  at  x = (1, 2, π/2)
// differentiated three ways: reverse mode with backward(), the functional grad, and forward mode
// with one jvp per unit direction. All three agree with the lecture's closed form.
import * as st from 'strata-dl';

const f = (x1: st.Tensor, x2: st.Tensor, x3: st.Tensor): st.Tensor => {
  const x4 = x1.mul(x2);
  const x5 = x3.sin();
  const x6 = x4.exp();
  const x7 = x4.mul(x5);
  const x8 = x6.add(x7);
  return x8.div(x3);
};

const point = [1, 2, Math.PI / 2];
const E2 = Math.exp(2);
const expected = [(4 + 4 * E2) / Math.PI, (2 + 2 * E2) / Math.PI, (-8 - 4 * E2) / Math.PI ** 2];

// 1. Reverse mode, PyTorch style.
const xs = point.map((v) => st.tensor(v, { dtype: 'float64', requiresGrad: true }));
const y = f(xs[0], xs[1], xs[2]);
y.backward();
const byBackward = xs.map((x) => x.grad!.item());

// 2. Reverse mode, JAX style.
const args = point.map((v) => st.tensor(v, { dtype: 'float64' }));
const byGrad = st.grad(f, { argnums: [0, 1, 2] })(...args).map((g) => g.item());

// 3. Forward mode: the directional derivative along each unit vector p1, p2, p3.
const units = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
const byJvp = units.map((p) => st.jvp(f, args, p.map((v) => st.tensor(v, { dtype: 'float64' })))[1].item());

console.log(`f(1, 2, π/2) = ${y.item().toFixed(6)}`);
const row = (name: string, g: number[]): string => `${name.padEnd(12)} ${g.map((v) => v.toFixed(9).padStart(14)).join(' ')}`;
console.log(row('lecture', expected));
console.log(row('backward()', byBackward));
console.log(row('grad', byGrad));
console.log(row('jvp', byJvp));
const worst = Math.max(...[byBackward, byGrad, byJvp].flatMap((g) => g.map((v, i) => Math.abs(v - expected[i]))));
console.log(`largest difference from the lecture: ${worst.toExponential(2)}`);
if (!(worst < 1e-6)) process.exitCode = 1;
