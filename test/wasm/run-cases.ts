// SPDX-License-Identifier: MIT
import type { Backend, KernelPrim, Kernels } from '../../packages/strata-dl/src/backend/backend.js';
import { setNumThreads } from '../../packages/strata-dl/src/backends/wasm/index.js';
import { buildCases } from './cases.js';
import { compare, run } from './helpers.js';

/** Runs every case on both backends; returns one line per disagreement. */
export function buildCasesFor(wasm: Backend, js: Backend, threads: number): string[] {
  setNumThreads(threads);
  const failures: string[] = [];
  for (const c of buildCases(threads)) {
    let msg: string | null;
    try {
      const want = run(js, c.prim, c.inputs, c.attrs);
      const got = run(wasm, c.prim, c.inputs, c.attrs);
      msg = got.shape.join() !== want.shape.join() ? `shape ${got.shape} vs ${want.shape}` : compare(got.data, want.data, c.tol);
    } catch (e) {
      msg = `threw ${(e as Error).message}`;
    }
    if (msg) failures.push(`${c.name}: ${msg}`);
  }
  return failures;
}

/** Kernel names without a case (the table must cover every entry of `Kernels`). */
export function PRIM_KERNELS_COVERED(): { missing: string[] } {
  const all = Object.keys(createDummy()) as KernelPrim[];
  const have = new Set(buildCases(1).map((c) => c.prim));
  return { missing: all.filter((p) => !have.has(p)) };
}

function createDummy(): Record<keyof Kernels, true> {
  return {
    neg: true, exp: true, log: true, sqrt: true, sin: true, cos: true, tanh: true, sigmoid: true, relu: true, abs: true, sign: true,
    add: true, sub: true, mul: true, div: true, pow: true, maximum: true, minimum: true, eq: true, ne: true, lt: true, le: true, gt: true, ge: true,
    where: true, cast: true, sum: true, max: true, min: true, argmax: true, argmin: true, permute: true, expand: true, slice: true, pad: true,
    flip: true, concat: true, gather: true, scatterAdd: true, matmul: true, unfold: true, fold: true, poolIndex: true, pool: true, conv: true, reluGrad: true,
    cumsum: true, cumprod: true, argsort: true,
    floor: true, ceil: true, round: true, trunc: true, log1p: true, expm1: true, atan: true, asin: true, acos: true, atan2: true, fmod: true, log2: true, log10: true,
  };
}
