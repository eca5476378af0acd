// SPDX-License-Identifier: MIT
// The initializers beyond the random-scale ones: PyTorch's `trunc_normal_` (transformers), and the
// structured `orthogonal_` (recurrent and deep linear nets), `eye_` and `dirac_` (layers that start
// as the identity). Drawn on the host in float64, then made a tensor, as init.ts's.
import { StrataError, fmtShape } from '../core/errors.js';
import { type Generator, defaultGenerator } from '../core/rng.js';
import type { Tensor } from '../tensor/tensor.js';
import type { InitOptions } from './init.js';
import { draw, fromHost, inPlace } from './init-draw.js';

/**
 * One draw of a standard normal restricted to [lo, hi], exactly distributed, by Robert's rejection
 * samplers (Statistics and Computing 5, 1995), each efficient where it is used: plain normal draws
 * for a wide interval around 0, a uniform proposal for a narrow one, and an exponential proposal
 * (rate λ = (lo + √(lo² + 4)) / 2) for a tail; a negative tail is the mirrored positive one.
 */
function truncatedStandard(g: Generator, lo: number, hi: number): number {
  if (hi <= 0 && lo < 0) return -truncatedStandard(g, -hi, -lo);
  if (lo < 0) {
    // around 0: the normal itself unless the interval is narrow, then uniform with e^(−z²/2)
    if (hi - lo >= Math.sqrt(2 * Math.PI)) for (;;) { const z = g.normal(); if (z >= lo && z <= hi) return z; }
    for (;;) { const z = lo + (hi - lo) * g.random(); if (g.random() <= Math.exp(-z * z / 2)) return z; }
  }
  const lambda = (lo + Math.sqrt(lo * lo + 4)) / 2;
  // the exponential proposal where the interval is long enough for it to pay (Robert's bound)
  if (hi - lo >= (2 / (lo + Math.sqrt(lo * lo + 4))) * Math.exp((lo * lo - lo * Math.sqrt(lo * lo + 4)) / 4 + 0.5)) {
    for (;;) {
      const z = lo - Math.log(1 - g.random()) / lambda;
      if (z <= hi && g.random() <= Math.exp(-((z - lambda) ** 2) / 2)) return z;
    }
  }
  for (;;) { const z = lo + (hi - lo) * g.random(); if (g.random() <= Math.exp((lo * lo - z * z) / 2)) return z; }
}

/**
 * A normal with mean `mean` and standard deviation `std` restricted to [a, b] (absolute bounds, as
 * `nn.init.trunc_normal_`: default [−2, 2]), drawn exactly by rejection, so even an interval far in
 * a tail is sampled efficiently. The values differ from PyTorch's (another generator and method).
 *
 * @example
 * const w = init.truncNormal([64, 64], 0, 0.02, -0.04, 0.04, { generator: new Generator(0) });
 * w.abs().max().item() <= 0.04; // true
 */
export function truncNormal(shape: readonly number[], mean = 0, std = 1, a = -2, b = 2, opts: InitOptions = {}): Tensor {
  if (!(std > 0) || !(a < b) || Number.isNaN(mean)) {
    throw new StrataError('truncNormal', `needs std > 0 and a < b, got mean ${mean}, std ${std}, [${a}, ${b}]`);
  }
  const lo = (a - mean) / std, hi = (b - mean) / std;
  // (a value a rounding step outside [a, b] after the scaling is put back on the bound)
  return draw(shape, opts, (g) => Math.min(b, Math.max(a, mean + std * truncatedStandard(g, lo, hi))));
}

/**
 * A (semi-)orthogonal matrix times `gain`, as `nn.init.orthogonal_`: the Q of the QR decomposition
 * of a normal matrix [rows, cols] (rows = shape[0], cols the product of the rest; transposed first
 * when rows < cols), with Q's columns signed by R's diagonal so that Q is uniformly distributed.
 * Orthonormal rows (or columns, whichever are fewer), so Q·Qᵀ (or Qᵀ·Q) is gain²·I.
 *
 * @example
 * const q = init.orthogonal([3, 3], { generator: new Generator(1) });
 * q.matmul(q.t()).sub(init.eye([3, 3])).abs().max().item() < 1e-6; // true
 */
export function orthogonal(shape: readonly number[], opts: InitOptions & { gain?: number } = {}): Tensor {
  if (shape.length < 2) throw new StrataError('orthogonal', `needs at least 2 dimensions, got ${fmtShape(shape)}`);
  const rows = shape[0], cols = shape.slice(1).reduce((p, d) => p * d, 1);
  const g = opts.generator ?? defaultGenerator();
  const gain = opts.gain ?? 1;
  // the tall one of [rows, cols] and its transpose: its columns (n of them) are made orthonormal
  const m = Math.max(rows, cols), n = Math.min(rows, cols);
  const a: number[][] = Array.from({ length: rows }, () => Array.from({ length: cols }, () => g.normal()));
  const col = (j: number): number[] => Array.from({ length: m }, (_, i) => (rows >= cols ? a[i][j] : a[j][i]));
  // Gram–Schmidt, twice per column (re-orthogonalized, as accurate as Householder here); the sign
  // of R's diagonal is the sign of the projection kept, so no flip is needed afterwards
  const q: number[][] = [];
  for (let j = 0; j < n; j++) {
    const v = col(j);
    for (let pass = 0; pass < 2; pass++) {
      for (const u of q) {
        let d = 0;
        for (let i = 0; i < m; i++) d += u[i] * v[i];
        for (let i = 0; i < m; i++) v[i] -= d * u[i];
      }
    }
    const norm = Math.hypot(...v);
    q.push(v.map((x) => x / norm));
  }
  const values = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) values[i * cols + j] = gain * (rows >= cols ? q[j][i] : q[i][j]);
  return fromHost(values, shape, opts);
}

/**
 * The identity of a 2-D shape (ones on the main diagonal, as `nn.init.eye_`), so that a Linear layer
 * starts by passing its input through.
 *
 * @example
 * init.eye([2, 3]).toArray(); // [[1, 0, 0], [0, 1, 0]]
 */
export function eye(shape: readonly number[], opts: InitOptions = {}): Tensor {
  if (shape.length !== 2) throw new StrataError('eye', `needs a 2-D shape, got ${fmtShape(shape)}`);
  const [r, c] = shape;
  const values = new Float64Array(r * c);
  for (let i = 0; i < Math.min(r, c); i++) values[i * c + i] = 1;
  return fromHost(values, shape, opts);
}

/**
 * A convolution's identity (`nn.init.dirac_`): for a weight [out, in / groups, ...kernel], output
 * channel i of each group takes input channel i at the kernel's centre, so the layer starts by
 * passing as many channels as it can through unchanged.
 *
 * @example
 * init.dirac([2, 2, 3]).toArray(); // [[[0, 1, 0], [0, 0, 0]], [[0, 0, 0], [0, 1, 0]]]
 */
export function dirac(shape: readonly number[], opts: InitOptions & { groups?: number } = {}): Tensor {
  const groups = opts.groups ?? 1;
  if (shape.length < 3 || shape.length > 5) throw new StrataError('dirac', `needs a 3-, 4- or 5-D weight, got ${fmtShape(shape)}`);
  if (!Number.isInteger(groups) || groups < 1 || shape[0] % groups !== 0) {
    throw new StrataError('dirac', `the ${shape[0]} output channels must split into groups = ${groups}`);
  }
  const perGroup = shape[0] / groups, inCh = shape[1], kernel = shape.slice(2);
  const k = kernel.reduce((p, d) => p * d, 1);
  // the centre of the kernel, flattened (floor of half each size, as PyTorch's size // 2)
  const centre = kernel.reduce((o, d) => o * d + Math.floor(d / 2), 0);
  const values = new Float64Array(shape[0] * inCh * k);
  for (let gi = 0; gi < groups; gi++) for (let i = 0; i < Math.min(perGroup, inCh); i++) values[((gi * perGroup + i) * inCh + i) * k + centre] = 1;
  return fromHost(values, shape, opts);
}

/** Overwrites `t` with `truncNormal(t.shape, mean, std, a, b)` (`nn.init.trunc_normal_`); returns `t`. */
export const truncNormal_ = (t: Tensor, mean = 0, std = 1, a = -2, b = 2, opts: InitOptions = {}): Tensor => inPlace(t, (s, o) => truncNormal(s, mean, std, a, b, o), opts);
/** Overwrites `t` with `orthogonal(t.shape)` (`nn.init.orthogonal_`); returns `t`. */
export const orthogonal_ = (t: Tensor, opts: InitOptions & { gain?: number } = {}): Tensor => inPlace(t, (s, o) => orthogonal(s, { ...opts, ...o }), opts);
/** Overwrites a 2-D `t` with the identity (`nn.init.eye_`); returns `t`. */
export const eye_ = (t: Tensor): Tensor => inPlace(t, (s, o) => eye(s, o), {});
/** Overwrites a convolution weight `t` with `dirac(t.shape)` (`nn.init.dirac_`); returns `t`. */
export const dirac_ = (t: Tensor, groups = 1): Tensor => inPlace(t, (s, o) => dirac(s, { ...o, groups }), {});
