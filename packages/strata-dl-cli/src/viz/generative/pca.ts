// SPDX-License-Identifier: MIT
// The first two principal components of a small data set, for the report's 2-D views of a latent
// space and of raw pixels. Orthogonal (subspace) iteration on the covariance with a Rayleigh–Ritz
// step, in float64: exact enough for a scatter plot, and no dependency for it. Deterministic: a
// fixed start and a sign convention (each component's largest-magnitude entry is positive, as
// scikit-learn's svd_flip does), so the same data always gives the same picture.
import { StrataError } from 'strata-dl';

export interface Pca2 {
  /** The two unit-length, orthogonal directions (length dim each), by decreasing variance. */
  components: [Float64Array, Float64Array];
  /** The variance (covariance eigenvalue, divided by n − 1) along each component. */
  variances: [number, number];
  /** The total variance (trace of the covariance), for the share each component explains. */
  totalVariance: number;
  /** The centered data projected on the components: n × 2, row-major. */
  projected: Float64Array;
  mean: Float64Array;
}

const MAX_ITER = 500;
/** Squared sine of the angle the plane may still move by: about 1e-12 radians. */
const TOL = 1e-24;

/**
 * Top-2 principal components of `data` (n × dim, row-major). With `fitRows` < n the components are
 * fitted on that many evenly spaced rows (the covariance costs fitRows × dim² / 2) and every row is
 * projected.
 *
 * @example
 * const p = pca2(Float32Array.from([2, 0, -2, 0, 0, 1, 0, -1]), 4, 2);
 * p.components[0]; // [1, 0]: the x axis carries the most variance
 */
export function pca2(data: ArrayLike<number>, n: number, dim: number, fitRows = n): Pca2 {
  if (!Number.isInteger(n) || !Number.isInteger(dim) || n < 2 || dim < 2) throw new StrataError('pca2', `needs n ≥ 2 rows of dim ≥ 2, got n=${n}, dim=${dim}`);
  if (data.length !== n * dim) throw new StrataError('pca2', `data of n=${n} × dim=${dim} needs ${n * dim} values, got ${data.length}`);
  if (!Number.isInteger(fitRows) || fitRows < 2) throw new StrataError('pca2', `fitRows must be an integer ≥ 2, got ${fitRows}`);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw new StrataError('pca2', `data[${i}] is ${data[i]}: values must be finite`);
  }
  const m = Math.min(n, fitRows);
  const rows = Array.from({ length: m }, (_, i) => Math.floor((i * n) / m));
  const x = centered(data, rows, dim);
  const cov = covariance(x.values, m, dim);
  let total = 0;
  for (let i = 0; i < dim; i++) total += cov[i * dim + i];
  // Start from two fixed, generic vectors (not axis-aligned, so they are not orthogonal to an answer by accident).
  let q0: Float64Array = Float64Array.from({ length: dim }, (_, i) => 1 + ((i * 7919) % 13) / 13);
  let q1: Float64Array = Float64Array.from({ length: dim }, (_, i) => ((i * 104729) % 17) / 17 - 0.5);
  [q0, q1] = orthonormalize(q0, q1);
  for (let it = 0; it < MAX_ITER; it++) {
    const [n0, n1] = orthonormalize(matVec(cov, q0, dim), matVec(cov, q1, dim));
    // Converged when the spanned plane stops moving: the new vectors lie in the old plane. The squared
    // distance from the plane, computed directly (not as 1 − cos²) so it resolves angles below 1e-8.
    const moved = Math.max(offPlane(n0, q0, q1), offPlane(n1, q0, q1));
    q0 = n0;
    q1 = n1;
    if (moved < TOL) break;
  }
  const [v0, v1, l0, l1] = ritz(cov, q0, q1, dim);
  const components: [Float64Array, Float64Array] = [flipSign(v0), flipSign(v1)];
  const projected = new Float64Array(n * 2);
  for (let r = 0; r < n; r++) {
    let p0 = 0;
    let p1 = 0;
    for (let c = 0; c < dim; c++) {
      const v = data[r * dim + c] - x.mean[c];
      p0 += v * components[0][c];
      p1 += v * components[1][c];
    }
    projected[r * 2] = p0;
    projected[r * 2 + 1] = p1;
  }
  return { components, variances: [Math.max(l0, 0), Math.max(l1, 0)], totalVariance: total, projected, mean: x.mean };
}

/** The chosen rows, centered on their mean. */
function centered(data: ArrayLike<number>, rows: number[], dim: number): { values: Float64Array; mean: Float64Array } {
  const mean = new Float64Array(dim);
  for (const r of rows) for (let c = 0; c < dim; c++) mean[c] += data[r * dim + c];
  for (let c = 0; c < dim; c++) mean[c] /= rows.length;
  const values = new Float64Array(rows.length * dim);
  rows.forEach((r, i) => {
    for (let c = 0; c < dim; c++) values[i * dim + c] = data[r * dim + c] - mean[c];
  });
  return { values, mean };
}

/** Xᵀ X / (n − 1), only the upper triangle computed. */
function covariance(x: Float64Array, n: number, dim: number): Float64Array {
  const cov = new Float64Array(dim * dim);
  for (let r = 0; r < n; r++) {
    const o = r * dim;
    for (let i = 0; i < dim; i++) {
      const xi = x[o + i];
      if (xi === 0) continue; // MNIST's border pixels are always 0, so 0 after centering too: a fifth of the work saved
      const ci = i * dim;
      for (let j = i; j < dim; j++) cov[ci + j] += xi * x[o + j];
    }
  }
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) {
      cov[i * dim + j] /= n - 1;
      cov[j * dim + i] = cov[i * dim + j];
    }
  }
  return cov;
}

function matVec(m: Float64Array, v: Float64Array, dim: number): Float64Array {
  const out = new Float64Array(dim);
  for (let i = 0; i < dim; i++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += m[i * dim + j] * v[j];
    out[i] = s;
  }
  return out;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** |v − its projection on the plane of the orthonormal a, b|². */
function offPlane(v: Float64Array, a: Float64Array, b: Float64Array): number {
  const pa = dot(v, a);
  const pb = dot(v, b);
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] - pa * a[i] - pb * b[i]) ** 2;
  return s;
}

function scaled(v: Float64Array, s: number): Float64Array {
  return v.map((x) => x * s);
}

/** Gram–Schmidt on two vectors; a vector that vanishes (rank < 2) is replaced by a fixed orthogonal one. */
function orthonormalize(a: Float64Array, b: Float64Array): [Float64Array, Float64Array] {
  const unit = (v: Float64Array, fallback: number): Float64Array => {
    const len = Math.sqrt(dot(v, v));
    if (len > 1e-300) return scaled(v, 1 / len);
    const e = new Float64Array(v.length);
    e[fallback % v.length] = 1;
    return e;
  };
  const u0 = unit(a, 0);
  const project = (v: Float64Array): Float64Array => { const p = dot(v, u0); return v.map((x, i) => x - p * u0[i]); };
  let u1 = project(b);
  if (Math.sqrt(dot(u1, u1)) < 1e-12 * Math.max(1, Math.sqrt(dot(b, b)))) {
    // b lies along a: any direction orthogonal to u0 spans the rest of a rank-1 plane equally well.
    const k = u0.reduce((best, x, i) => (Math.abs(x) < Math.abs(u0[best]) ? i : best), 0);
    const e = new Float64Array(u0.length);
    e[k] = 1;
    u1 = project(e);
  }
  return [u0, unit(u1, 1)];
}

/** Rotates the orthonormal pair q0, q1 into the eigenvectors of the covariance restricted to their plane. */
function ritz(cov: Float64Array, q0: Float64Array, q1: Float64Array, dim: number): [Float64Array, Float64Array, number, number] {
  const c0 = matVec(cov, q0, dim);
  const c1 = matVec(cov, q1, dim);
  const a = dot(q0, c0);
  const b = dot(q0, c1);
  const d = dot(q1, c1);
  // Eigen-decomposition of the symmetric 2×2 [[a, b], [b, d]]: the rotation angle that zeroes b.
  const theta = 0.5 * Math.atan2(2 * b, a - d);
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const l0 = a * cos * cos + 2 * b * cos * sin + d * sin * sin;
  const l1 = a * sin * sin - 2 * b * cos * sin + d * cos * cos;
  const v0 = q0.map((x, i) => cos * x + sin * q1[i]);
  const v1 = q0.map((x, i) => -sin * x + cos * q1[i]);
  return l0 >= l1 ? [v0, v1, l0, l1] : [v1, v0, l1, l0];
}

/** The sign convention: the entry of largest magnitude is positive (the first such on a tie). */
function flipSign(v: Float64Array): Float64Array {
  let k = 0;
  for (let i = 1; i < v.length; i++) if (Math.abs(v[i]) > Math.abs(v[k]) + 1e-12) k = i;
  return v[k] < 0 ? scaled(v, -1) : v;
}
