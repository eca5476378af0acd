// SPDX-License-Identifier: MIT
// pca2 against known answers, and on random data against an independent reference: the full
// eigen-decomposition of the covariance by Jacobi rotations, written here.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pca2 } from '../../packages/strata-dl-cli/src/viz/index.js';

/** mulberry32: a small seeded generator, so the random cases are the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void => {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
};
const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * b[i]; return s; };

/** Covariance (n − 1) of row-major data, straightforwardly. */
function covariance(x: Float64Array, n: number, d: number): number[][] {
  const mean = Array.from({ length: d }, (_, c) => { let s = 0; for (let r = 0; r < n; r++) s += x[r * d + c]; return s / n; });
  return Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => {
    let s = 0;
    for (let r = 0; r < n; r++) s += (x[r * d + i] - mean[i]) * (x[r * d + j] - mean[j]);
    return s / (n - 1);
  }));
}

/** Eigenvalues of a symmetric matrix by cyclic Jacobi rotations, descending. */
function jacobiEigenvalues(m: number[][]): number[] {
  const a = m.map((r) => [...r]);
  const d = a.length;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p][q] ** 2;
    if (off < 1e-26) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        if (a[p][q] === 0) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) { const kp = a[k][p]; const kq = a[k][q]; a[k][p] = c * kp - s * kq; a[k][q] = s * kp + c * kq; }
        for (let k = 0; k < d; k++) { const pk = a[p][k]; const qk = a[q][k]; a[p][k] = c * pk - s * qk; a[q][k] = s * pk + c * qk; }
      }
    }
  }
  return a.map((r, i) => r[i]).sort((x, y) => y - x);
}

/** n rows of d columns with very different spreads along random directions, plus an offset. */
function randomData(n: number, d: number, seed: number): Float64Array {
  const r = rng(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const mix = Array.from({ length: d * d }, () => gauss());
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const z = Array.from({ length: d }, (_, k) => gauss() * (5 / (k + 1)));
    for (let c = 0; c < d; c++) x[i * d + c] = 3 + c + dot(z, mix.slice(c * d, (c + 1) * d));
  }
  return x;
}

describe('pca2', () => {
  test('axis-aligned 2-D example: components, variances and projections are known', () => {
    const p = pca2(Float32Array.from([2, 0, -2, 0, 0, 1, 0, -1]), 4, 2);
    close(p.components[0], [1, 0], 1e-12, 'pc1');
    close(p.components[1], [0, 1], 1e-12, 'pc2');
    close(p.variances, [8 / 3, 2 / 3], 1e-12, 'variances');
    assert.ok(Math.abs(p.totalVariance - 10 / 3) < 1e-12);
    close(p.projected, [2, 0, -2, 0, 0, 1, 0, -1], 1e-12, 'projected');
  });

  test('rotated 2-D example: the long axis is (0.6, 0.8); signs make the largest entry positive', () => {
    // ±2 along (0.6, 0.8), ±1 along (−0.8, 0.6), offset by (10, −4).
    const pts: number[] = [];
    for (const t of [-2, 2]) for (const s of [-1, 1]) pts.push(10 + 0.6 * t - 0.8 * s, -4 + 0.8 * t + 0.6 * s);
    const p = pca2(pts, 4, 2);
    close(p.components[0], [0.6, 0.8], 1e-12, 'pc1');
    close(p.components[1], [0.8, -0.6], 1e-12, 'pc2'); // (−0.8, 0.6) flipped: its largest entry is made positive
    close(p.mean, [10, -4], 1e-12, 'mean');
    close(p.variances, [16 / 3, 4 / 3], 1e-12, 'variances');
  });

  test('random 8-D data: top two eigenvalues of the covariance (Jacobi reference), orthonormal, reconstruction', () => {
    const n = 300;
    const d = 8;
    const x = randomData(n, d, 7);
    const p = pca2(x, n, d);
    const cov = covariance(x, n, d);
    const eig = jacobiEigenvalues(cov);
    assert.ok(Math.abs(p.variances[0] - eig[0]) < 1e-9 * eig[0], `λ1 ${p.variances[0]} vs ${eig[0]}`);
    assert.ok(Math.abs(p.variances[1] - eig[1]) < 1e-9 * eig[0], `λ2 ${p.variances[1]} vs ${eig[1]}`);
    assert.ok(Math.abs(p.totalVariance - eig.reduce((a, b) => a + b, 0)) < 1e-9 * eig[0]);
    const [v0, v1] = p.components;
    assert.ok(Math.abs(dot(v0, v0) - 1) < 1e-12 && Math.abs(dot(v1, v1) - 1) < 1e-12 && Math.abs(dot(v0, v1)) < 1e-12, 'orthonormal');
    // Each component solves C v = λ v.
    for (const [k, v] of [v0, v1].entries()) close(cov.map((row) => dot(row, v)), v.map((e) => e * p.variances[k]), 1e-8 * eig[0], `C v${k}`);
    // Reconstruction from the two projections leaves exactly the variance of the other directions.
    let residual = 0;
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < d; c++) {
        const back = p.mean[c] + p.projected[2 * r] * v0[c] + p.projected[2 * r + 1] * v1[c];
        residual += (x[r * d + c] - back) ** 2;
      }
    }
    assert.ok(Math.abs(residual / (n - 1) - eig.slice(2).reduce((a, b) => a + b, 0)) < 1e-8 * eig[0], 'residual variance');
    // The sign convention: each component's largest-magnitude entry is positive.
    for (const v of [v0, v1]) assert.ok(v.reduce((m, e) => (Math.abs(e) > Math.abs(m) ? e : m), 0) > 0);
  });

  test('deterministic: negated or reordered data gives the same components', () => {
    const n = 120;
    const d = 5;
    const x = randomData(n, d, 3);
    const a = pca2(x, n, d);
    const b = pca2(x.map((v) => -v), n, d);
    const rev = new Float64Array(n * d);
    for (let r = 0; r < n; r++) rev.set(x.subarray((n - 1 - r) * d, (n - r) * d), r * d);
    const c = pca2(rev, n, d);
    for (const k of [0, 1]) {
      close(b.components[k], a.components[k], 1e-9, `negated pc${k + 1}`);
      close(c.components[k], a.components[k], 1e-9, `reordered pc${k + 1}`);
    }
    assert.deepEqual(pca2(x, n, d), a, 'bit-identical on a second run');
  });

  test('fitRows fits on evenly spaced rows and projects every row', () => {
    const n = 400;
    const d = 6;
    const x = randomData(n, d, 11);
    const sub = new Float64Array(100 * d);
    for (let i = 0; i < 100; i++) sub.set(x.subarray(i * 4 * d, (i * 4 + 1) * d), i * d);
    const full = pca2(sub, 100, d);
    const p = pca2(x, n, d, 100);
    close(p.components[0], full.components[0], 1e-12, 'pc1');
    assert.equal(p.projected.length, n * 2);
    close([p.projected[8], p.projected[9]], [full.projected[2], full.projected[3]], 1e-9, 'row 4 = fitted row 1');
  });

  test('rank-one data: the second component is still a unit vector orthogonal to the first', () => {
    const p = pca2([1, 2, 3, 2, 4, 6, 3, 6, 9], 3, 3);
    close(p.components[0], [1, 2, 3].map((v) => v / Math.sqrt(14)), 1e-12, 'pc1');
    assert.ok(Math.abs(dot(p.components[1], p.components[1]) - 1) < 1e-12 && Math.abs(dot(p.components[0], p.components[1])) < 1e-12);
    assert.ok(Math.abs(p.variances[1]) < 1e-12);
  });

  test('bad input names the function and the value', () => {
    assert.throws(() => pca2([1, 2], 1, 2), /pca2: needs n ≥ 2 rows of dim ≥ 2, got n=1, dim=2/);
    assert.throws(() => pca2([1, 2, 3], 2, 2), /pca2: data of n=2 × dim=2 needs 4 values, got 3/);
    assert.throws(() => pca2([1, 2, NaN, 4], 2, 2), /pca2: data\[2\] is NaN/);
  });
});
