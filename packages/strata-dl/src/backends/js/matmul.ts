// SPDX-License-Identifier: MIT
import { broadcastStrides, matmulDims } from '../../core/shape.js';
import type { Kernel } from '../../backend/backend.js';
import { arr } from './buf.js';
import { forEachOffset } from './iter.js';

/**
 * Batched C = op(A)·op(B) with NumPy batch broadcasting (summed over the batch with `sumBatch`);
 * accumulates in float64; then plus a bias per column and ReLU where given.
 */
export const matmulKernel: Kernel<'matmul'> = (out, [x, y, bias], { transA, transB, sumBatch, relu }) => {
  const c = arr(out);
  const a = arr(x);
  const b = arr(y);
  const { m, n, k, batch } = matmulDims(out.shape, x.shape, y.shape, transA);
  const matA = m * k;
  const matB = k * n;
  const sa = broadcastStrides(x.shape.slice(0, -2), batch).map((s) => s * matA);
  const sb = broadcastStrides(y.shape.slice(0, -2), batch).map((s) => s * matB);
  // A(i,p) and B(p,j) element strides for each transpose case.
  const ai = transA ? 1 : k;
  const ap = transA ? m : 1;
  const bp = transB ? 1 : n;
  const bj = transB ? k : 1;
  const row = new Float64Array(n);
  // sumBatch: every product adds into one [M, N] float64 accumulator, rounded once at the end
  const total = sumBatch ? new Float64Array(m * n) : null;
  forEachOffset(batch, [sa, sb], (bi, [oa, ob]) => {
    const oc = bi * m * n;
    for (let i = 0; i < m; i++) {
      row.fill(0);
      for (let p = 0; p < k; p++) {
        // no skipping of av = 0: 0·inf and 0·NaN are NaN, as in PyTorch's (BLAS) product
        const av = a[oa + i * ai + p * ap];
        const base = ob + p * bp;
        for (let j = 0; j < n; j++) row[j] += av * b[base + j * bj];
      }
      if (total) for (let j = 0; j < n; j++) total[i * n + j] += row[j];
      else for (let j = 0; j < n; j++) c[oc + i * n + j] = row[j];
    }
  });
  if (total) c.set(total);
  if (bias || relu) addBiasRelu(c, bias ? arr(bias) : null, n, relu === true);
};

/** The epilogue: `bias` [N] added to every row of c (rounded to c's dtype after the product), then ReLU (relu's v < 0 ? 0 : v). */
function addBiasRelu(c: ReturnType<typeof arr>, bias: ReturnType<typeof arr> | null, n: number, relu: boolean): void {
  for (let i = 0; i < c.length; i++) {
    const v = bias ? c[i] + bias[i % n] : c[i];
    c[i] = relu && v < 0 ? 0 : v;
  }
}
