// SPDX-License-Identifier: MIT
// Randomized cases for every primitive: odd sizes, sizes that are not multiples of the SIMD width or
// the GEMM tiles (5/6 x 8, KC 384), batch 1, broadcasting, and a few large ones.
import type { KernelPrim } from '../../packages/strata-dl/src/backend/backend.js';
import type { DType } from '../../packages/strata-dl/src/core/dtype.js';
import { BINARY, COMPARE, RECORDS, UNARY, type PrimAttrs, type WindowAttrs } from '../../packages/strata-dl/src/ir/prims.js';
import { EXACT, type Input, type Tol, randomInput, rng } from './helpers.js';
import { scanCases } from './cases-scan.js';

export interface Case {
  name: string;
  prim: KernelPrim;
  inputs: Input[];
  attrs: PrimAttrs[KernelPrim];
  tol: Tol;
}

/** Transcendental float32 kernels: polynomial approximations within a few ulp. */
const APPROX: Tol = { atol: 1e-6, rtol: 1e-5 };
/** Reductions and matmul accumulate in float32 in a different order from the float64 reference. */
const accum = (terms: number): Tol => ({ atol: 2e-7 * terms, rtol: 2e-5 });

const SPECIALS = [0, -0, 1, -1, NaN, Infinity, -Infinity, 1e-40, -1e-40, 88.7, 89, -87.5, -104, 1e30, -1e30, 0.5, 0.625, -0.625];

function withSpecials(x: Input): Input {
  const n = Math.min(SPECIALS.length, x.data.length);
  for (let i = 0; i < n; i++) x.data[i] = SPECIALS[i];
  return x;
}

/** Adds a case; the type parameter ties the attributes to the primitive. */
function push<P extends KernelPrim>(out: Case[], c: { name: string; prim: P; inputs: Input[]; attrs: PrimAttrs[P]; tol: Tol }): void {
  out.push(c);
}

export function buildCases(seed = 1): Case[] {
  const r = rng(seed);
  const cases: Case[] = [];
  const f = (shape: number[], lo = -2, hi = 2): Input => randomInput(r, shape, 'float32', lo, hi);
  const shapes = [[], [1], [3], [4], [7], [17, 33], [5, 1, 9], [1031], [64, 257]];

  // from the records: the test domain, int32 support, and the cost class (a light op is a few exact
  // instructions; a heavy one a polynomial within a few ulp)
  for (const op of UNARY) {
    const rec = RECORDS[op];
    const exact = rec.cost === 'light';
    for (const s of shapes) {
      const [lo, hi] = rec.domain ?? [-10, 10];
      push(cases, { name: `${op} [${s}]`, prim: op, inputs: [f(s, lo, hi)], attrs: {}, tol: exact ? EXACT : APPROX });
    }
    push(cases, { name: `${op} specials`, prim: op, inputs: [withSpecials(f([SPECIALS.length + 3]))], attrs: {}, tol: exact ? EXACT : APPROX });
    if (rec.intOk) {
      push(cases, { name: `${op} int32`, prim: op, inputs: [randomInput(r, [5, 7], 'int32', -9, 9)], attrs: {}, tol: EXACT });
    }
    push(cases, { name: `${op} float64`, prim: op, inputs: [randomInput(r, [11], 'float64', 0.1, 3)], attrs: {}, tol: EXACT });
  }

  const pairs: [number[], number[]][] = [
    [[3, 4], [3, 4]], [[3, 4], [4]], [[3, 1], [1, 4]], [[], [5, 6]], [[2, 1, 5], [3, 1]], [[1], [1]],
    [[17, 33], [17, 1]], [[300, 301], [301]], [[2, 3, 4, 5], [2, 1, 4, 1]], [[7], []], [[0, 3], [3]],
  ];
  for (const op of BINARY) {
    const tol = RECORDS[op].cost === 'light' ? EXACT : APPROX;
    for (const [a, b] of pairs) {
      const [lo, hi] = RECORDS[op].domain ?? [-3, 3];
      const y = f(b, -3, 3);
      push(cases, { name: `${op} [${a}] [${b}]`, prim: op, inputs: [f(a, lo, hi), y], attrs: {}, tol });
    }
    push(cases, { name: `${op} specials`, prim: op, inputs: [withSpecials(f([SPECIALS.length])), withSpecials(f([SPECIALS.length])).data.reverse() && withSpecials(f([SPECIALS.length]))], attrs: {}, tol });
    if (RECORDS[op].intOk) push(cases, { name: `${op} int32`, prim: op, inputs: [randomInput(r, [4, 5], 'int32', 1, 9), randomInput(r, [5], 'int32', 1, 4)], attrs: {}, tol: EXACT });
    push(cases, { name: `${op} mixed float32/int32`, prim: op, inputs: [f([4, 5], 0.5, 2), randomInput(r, [5], 'int32', 1, 4)], attrs: {}, tol });
  }
  for (const op of COMPARE) {
    for (const [a, b] of pairs) {
      // small integers, so that equality happens
      const x = randomInput(r, a, 'int32', -2, 3);
      const y = randomInput(r, b, 'int32', -2, 3);
      push(cases, { name: `${op} [${a}] [${b}]`, prim: op, inputs: [{ ...x, dtype: 'float32', data: Float32Array.from(x.data) }, { ...y, dtype: 'float32', data: Float32Array.from(y.data) }], attrs: {}, tol: EXACT });
    }
    push(cases, { name: `${op} specials`, prim: op, inputs: [withSpecials(f([SPECIALS.length])), f([1])], attrs: {}, tol: EXACT });
    push(cases, { name: `${op} int32`, prim: op, inputs: [randomInput(r, [6], 'int32', -2, 3), randomInput(r, [6], 'int32', -2, 3)], attrs: {}, tol: EXACT });
  }
  const triples: [number[], number[], number[]][] = [[[3, 4], [3, 4], [3, 4]], [[3, 1], [1, 4], []], [[37], [37], [1]], [[2, 3, 17], [17], [2, 1, 1]], [[1000], [1000], [1000]]];
  for (const [c, a, b] of triples) {
    push(cases, { name: `where [${c}] [${a}] [${b}]`, prim: 'where', inputs: [randomInput(r, c, 'bool'), f(a), f(b)], attrs: {}, tol: EXACT });
  }
  push(cases, { name: 'where int32', prim: 'where', inputs: [randomInput(r, [9], 'bool'), randomInput(r, [9], 'int32', -5, 5), randomInput(r, [9], 'int32', -5, 5)], attrs: {}, tol: EXACT });
  const dtypes: DType[] = ['float32', 'float64', 'int32', 'bool'];
  for (const from of dtypes) {
    for (const to of dtypes) {
      const x = from === 'bool' ? randomInput(r, [37], 'bool') : randomInput(r, [37], from, -3, 3);
      if (from === 'float32' || from === 'float64') { x.data[0] = 0; x.data[1] = -0; x.data[2] = NaN; x.data[3] = 2.7; x.data[4] = -2.7; }
      push(cases, { name: `cast ${from} -> ${to}`, prim: 'cast', inputs: [x], attrs: { dtype: to }, tol: EXACT });
    }
  }

  const reds: [number[], number[]][] = [
    [[7], [0]], [[3, 5], [0]], [[3, 5], [1]], [[3, 5], [0, 1]], [[4, 1, 6], [1]], [[2, 3, 4, 5], [1, 3]], [[2, 3, 4, 5], [0, 2]],
    [[2, 3, 4, 5], [0, 1, 2, 3]], [[9, 1031], [1]], [[1031, 9], [0]], [[6, 7], []], [[1, 1], [0]], [[0, 4], [0]], [[130, 70, 3], [0, 2]],
  ];
  for (const p of ['sum', 'max', 'min'] as const) {
    for (const [s, axes] of reds) {
      if (p !== 'sum' && axes.some((a) => s[a] === 0)) continue;
      const terms = axes.reduce((acc, a) => acc * s[a], 1);
      push(cases, { name: `${p} [${s}] axes [${axes}]`, prim: p, inputs: [f(s)], attrs: { axes }, tol: p === 'sum' ? accum(terms) : EXACT });
    }
    push(cases, { name: `${p} with NaN`, prim: p, inputs: [withSpecials(f([3, SPECIALS.length]))], attrs: { axes: [1] }, tol: p === 'sum' ? accum(30) : EXACT });
    push(cases, { name: `${p} int32`, prim: p, inputs: [randomInput(r, [4, 6], 'int32', -9, 9)], attrs: { axes: [1] }, tol: EXACT });
  }
  push(cases, { name: 'sum bool', prim: 'sum', inputs: [randomInput(r, [4, 6], 'bool')], attrs: { axes: [0] }, tol: EXACT });
  for (const p of ['argmax', 'argmin'] as const) {
    for (const [s, axis] of [[[7], 0], [[3, 5], 0], [[3, 5], 1], [[2, 3, 4], 1], [[1, 9], 1], [[33, 129], 1]] as [number[], number][]) {
      const x = randomInput(r, s, 'int32', -3, 3); // ties: the first index must win
      push(cases, { name: `${p} [${s}] axis ${axis}`, prim: p, inputs: [{ ...x, dtype: 'float32', data: Float32Array.from(x.data) }], attrs: { axis }, tol: EXACT });
    }
    push(cases, { name: `${p} NaN`, prim: p, inputs: [withSpecials(f([2, SPECIALS.length]))], attrs: { axis: 1 }, tol: EXACT });
  }

  for (const dt of dtypes) {
    const g = (s: number[]): Input => (dt === 'bool' ? randomInput(r, s, 'bool') : randomInput(r, s, dt, -9, 9));
    push(cases, { name: `permute ${dt} 2d`, prim: 'permute', inputs: [g([33, 65])], attrs: { perm: [1, 0] }, tol: EXACT });
    push(cases, { name: `permute ${dt} 4d`, prim: 'permute', inputs: [g([2, 3, 4, 5])], attrs: { perm: [0, 2, 3, 1] }, tol: EXACT });
    push(cases, { name: `expand ${dt}`, prim: 'expand', inputs: [g([3, 1, 5])], attrs: { shape: [2, 3, 4, 5] }, tol: EXACT });
    push(cases, { name: `expand ${dt} scalar`, prim: 'expand', inputs: [g([])], attrs: { shape: [7, 9] }, tol: EXACT });
    push(cases, { name: `expand ${dt} one value to a large odd shape`, prim: 'expand', inputs: [g([1, 1])], attrs: { shape: [37, 1001] }, tol: EXACT });
    push(cases, { name: `slice ${dt}`, prim: 'slice', inputs: [g([5, 7, 9])], attrs: { starts: [1, 0, 3], ends: [4, 7, 8] }, tol: EXACT });
    push(cases, { name: `pad ${dt}`, prim: 'pad', inputs: [g([3, 4])], attrs: { before: [1, 2], after: [0, 3], value: dt === 'bool' ? 1 : 1.5 }, tol: EXACT });
    push(cases, { name: `pad ${dt} value -2.7`, prim: 'pad', inputs: [g([2, 33])], attrs: { before: [0, 5], after: [1, 2], value: -2.7 }, tol: EXACT });
    push(cases, { name: `flip ${dt}`, prim: 'flip', inputs: [g([3, 4, 5])], attrs: { axes: [0, 2] }, tol: EXACT });
    push(cases, { name: `concat ${dt}`, prim: 'concat', inputs: [g([2, 3, 4]), g([2, 1, 4]), g([2, 5, 4])], attrs: { axis: 1 }, tol: EXACT });
    push(cases, { name: `concat ${dt} axis 0`, prim: 'concat', inputs: [g([2, 3]), g([4, 3])], attrs: { axis: 0 }, tol: EXACT });
  }
  push(cases, { name: 'permute large', prim: 'permute', inputs: [f([3, 130, 257])], attrs: { perm: [2, 0, 1] }, tol: EXACT });
  // transposes of the two inner axes go in 4x4 tiles of 16x16 blocks: whole blocks, ragged blocks,
  // ragged rows and columns, a batch above them, too few rows for a tile, and non-finite values
  for (const [s, perm] of [[[64, 48], [1, 0]], [[3, 37, 70], [0, 2, 1]], [[4, 6, 5, 7], [0, 3, 1, 2]], [[2, 3, 40], [0, 2, 1]], [[5, 9, 17], [2, 1, 0]]] as [number[], number[]][]) {
    push(cases, { name: `permute [${s}] by [${perm}]`, prim: 'permute', inputs: [f(s)], attrs: { perm }, tol: EXACT });
  }
  push(cases, { name: 'permute int32 transposed in tiles', prim: 'permute', inputs: [randomInput(r, [2, 21, 18], 'int32', -9, 9)], attrs: { perm: [0, 2, 1] }, tol: EXACT });
  push(cases, { name: 'permute NaN and infinities', prim: 'permute', inputs: [withSpecials(f([SPECIALS.length, 8]))], attrs: { perm: [1, 0] }, tol: EXACT });
  push(cases, { name: 'pad 4d', prim: 'pad', inputs: [f([2, 3, 5, 7])], attrs: { before: [0, 0, 2, 1], after: [0, 0, 1, 2], value: 0 }, tol: EXACT });
  push(cases, { name: 'concat mixed dtypes', prim: 'concat', inputs: [f([2, 3]), randomInput(r, [2, 2], 'int32', 0, 5)], attrs: { axis: 1 }, tol: EXACT });
  push(cases, { name: 'gather', prim: 'gather', inputs: [f([4, 6]), randomInput(r, [4, 3], 'int32', 0, 6)], attrs: { axis: 1 }, tol: EXACT });
  push(cases, { name: 'gather axis 0', prim: 'gather', inputs: [f([5, 3]), randomInput(r, [7, 2], 'int32', 0, 5)], attrs: { axis: 0 }, tol: EXACT });
  push(cases, { name: 'gather int32 3d, index smaller than input', prim: 'gather', inputs: [randomInput(r, [3, 5, 4], 'int32', -9, 9), randomInput(r, [2, 7, 3], 'int32', 0, 5)], attrs: { axis: 1 }, tol: EXACT });
  push(cases, { name: 'gather bool', prim: 'gather', inputs: [randomInput(r, [4, 6], 'bool'), randomInput(r, [4, 2], 'int32', 0, 6)], attrs: { axis: 1 }, tol: EXACT });
  push(cases, { name: 'gather last axis, rows (pooling)', prim: 'gather', inputs: [f([2, 3, 50]), randomInput(r, [2, 3, 20], 'int32', 0, 50)], attrs: { axis: 2 }, tol: EXACT });
  push(cases, { name: 'scatterAdd last axis, rows, duplicates, src larger', prim: 'scatterAdd', inputs: [f([2, 3, 50]), randomInput(r, [2, 3, 20], 'int32', 0, 10), f([2, 3, 25])], attrs: { axis: 2 }, tol: EXACT });
  push(cases, { name: 'gather large (embedding rows)', prim: 'gather', inputs: [f([1000, 64]), randomInput(r, [300, 64], 'int32', 0, 1000)], attrs: { axis: 0 }, tol: EXACT });
  // float32 accumulation in index order, as the reference does: exact
  push(cases, { name: 'scatterAdd', prim: 'scatterAdd', inputs: [f([4, 6]), randomInput(r, [4, 3], 'int32', 0, 6), f([4, 5])], attrs: { axis: 1 }, tol: EXACT });
  push(cases, { name: 'scatterAdd 3d, duplicates, src larger', prim: 'scatterAdd', inputs: [f([3, 4, 5]), randomInput(r, [2, 9, 5], 'int32', 0, 4), f([3, 10, 6])], attrs: { axis: 1 }, tol: EXACT });
  push(cases, { name: 'scatterAdd axis 0 large', prim: 'scatterAdd', inputs: [f([1000, 64]), randomInput(r, [300, 64], 'int32', 0, 1000), f([300, 64])], attrs: { axis: 0 }, tol: EXACT });
  push(cases, { name: 'scatterAdd float64', prim: 'scatterAdd', inputs: [randomInput(r, [3, 4], 'float64'), randomInput(r, [3, 2], 'int32', 0, 4), randomInput(r, [3, 2], 'float64')], attrs: { axis: 1 }, tol: EXACT });

  const mm: [number, number, number, number[], number[]][] = [
    // m, k, n, batch of a, batch of b
    [1, 1, 1, [], []], [2, 3, 4, [], []], [5, 7, 8, [], []], [6, 9, 8, [], []], [7, 13, 9, [], []], [13, 1, 17, [], []],
    [31, 64, 33, [], []], [64, 385, 40, [], []], [130, 400, 257, [], []], [257, 131, 300, [], []], [1, 500, 1, [], []],
    [3, 4, 5, [2], [2]], [3, 4, 5, [2, 1], [3]], [9, 7, 11, [4], []], [9, 7, 11, [], [3]], [2, 2, 2, [1], [1]],
    [33, 17, 65, [5], [5]], [120, 96, 264, [2], []], [4, 0, 3, [], []],
    // one A for a batch of B (packed once per thread): several k- and row-blocks, ragged rows
    [130, 400, 70, [], [3]], [64, 288, 100, [1], [5]],
    // small M (B read in place, ragged last panel packed): several k-blocks, batches, shared A
    [16, 400, 100, [], [5]], [20, 150, 64, [3], [3]], [24, 9, 676, [], [4]],
    // one block of rows and N past the in-place-A limit: several k-blocks, with A packed once for
    // the batch and per matrix
    [100, 500, 300, [], [5]], [100, 500, 300, [5], [5]],
    // rows ending in tiles one row short (128 = 18·6 + 4·5 in two balanced blocks of 64; 61; 25 =
    // 5·5) and too few rows for that (13: a ragged last tile)
    [128, 300, 72, [], []], [61, 70, 40, [], [2]], [25, 33, 17, [], []], [13, 40, 24, [], []],
  ];
  for (const [m, k, n, ba, bb] of mm) {
    for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]]) {
      const a = f([...ba, ...(transA ? [k, m] : [m, k])], -1, 1);
      const b = f([...bb, ...(transB ? [n, k] : [k, n])], -1, 1);
      push(cases, { name: `matmul ${m}x${k}x${n} batch [${ba}]/[${bb}] tA=${transA} tB=${transB}`, prim: 'matmul', inputs: [a, b], attrs: { transA, transB }, tol: accum(k) });
    }
  }
  // summed over the batch: fixed chunks of the batch into partials (small C; 16 chunks, or 3 that
  // threads split into blocks of C), else items that accumulate over every matrix (split along N,
  // or M when taller; C over SUM_PARTIAL_MAX); Aᵀ·B with both batched is one long GEMM; broadcast
  // batches; K = 0
  const mmSum: [number, number, number, number[], number[]][] = [
    [16, 100, 150, [64], [64]], [30, 3000, 40, [7], [7]], [6, 784, 25, [7], [7]], [64, 576, 288, [3], [3]], [300, 20, 17, [4], [4]], [520, 3, 520, [4], [4]], [530, 2, 500, [3], []],
    [5, 7, 9, [2, 3], [3]], [9, 13, 11, [], [6]], [7, 3, 5, [4], []], [4, 0, 3, [2], [2]], [1, 1, 1, [5], [5]],
  ];
  for (const [m, k, n, ba, bb] of mmSum) {
    for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]]) {
      const a = f([...ba, ...(transA ? [k, m] : [m, k])], -1, 1);
      const b = f([...bb, ...(transB ? [n, k] : [k, n])], -1, 1);
      const batch = Math.max(ba.reduce((x, y) => x * y, 1), bb.reduce((x, y) => x * y, 1));
      push(cases, { name: `matmul sumBatch ${m}x${k}x${n} batch [${ba}]/[${bb}] tA=${transA} tB=${transB}`, prim: 'matmul', inputs: [a, b], attrs: { transA, transB, sumBatch: true }, tol: accum(k * batch) });
    }
  }
  push(cases, { name: 'matmul float64', prim: 'matmul', inputs: [randomInput(r, [3, 4], 'float64'), randomInput(r, [4, 5], 'float64')], attrs: { transA: false, transB: false }, tol: { atol: 1e-12, rtol: 1e-12 } });

  const win = (kernel: [number, number], stride: [number, number], padding: [number, number, number, number], dilation: [number, number]): WindowAttrs => ({ kernel, stride, padding, dilation });
  const windows: [number[], WindowAttrs][] = [
    [[1, 1, 5, 5], win([3, 3], [1, 1], [0, 0, 0, 0], [1, 1])],
    [[2, 3, 7, 9], win([3, 3], [1, 1], [1, 1, 1, 1], [1, 1])],
    [[2, 3, 8, 8], win([2, 2], [2, 2], [0, 0, 0, 0], [1, 1])],
    [[1, 2, 9, 11], win([5, 3], [2, 3], [2, 1, 0, 2], [1, 1])],
    [[2, 2, 10, 10], win([3, 3], [1, 2], [2, 2, 2, 2], [2, 2])],
    [[3, 4, 28, 28], win([5, 5], [1, 1], [2, 2, 2, 2], [1, 1])],
    [[1, 1, 4, 4], win([4, 4], [1, 1], [0, 0, 0, 0], [1, 1])],
    [[2, 5, 13, 7], win([1, 1], [1, 1], [0, 0, 0, 0], [1, 1])],
  ];
  for (const [shape, a] of windows) {
    push(cases, { name: `unfold [${shape}] k${a.kernel} s${a.stride} p${a.padding} d${a.dilation}`, prim: 'unfold', inputs: [f(shape)], attrs: a, tol: EXACT });
    const oh = Math.floor((shape[2] + a.padding[0] + a.padding[1] - a.dilation[0] * (a.kernel[0] - 1) - 1) / a.stride[0]) + 1;
    const ow = Math.floor((shape[3] + a.padding[2] + a.padding[3] - a.dilation[1] * (a.kernel[1] - 1) - 1) / a.stride[1]) + 1;
    const cols = f([shape[0], shape[1] * a.kernel[0] * a.kernel[1], oh * ow]);
    push(cases, { name: `fold [${shape}] k${a.kernel} s${a.stride} p${a.padding} d${a.dilation}`, prim: 'fold', inputs: [cols], attrs: { ...a, outputSize: [shape[2], shape[3]] }, tol: accum(a.kernel[0] * a.kernel[1]) });
  }
  // conv: the same windows (strided, padded, dilated, 1x1) with O filters, above 24 an implicit GEMM
  // and up to 24 unfold + GEMM; then shapes that take the GEMM's other paths: a batch split in
  // column blocks (batch 1), whole images with the weights packed once, ragged 8-column panels that
  // wrap output rows, several k-blocks
  const convs: [number[], WindowAttrs, number][] = [
    ...windows.map(([shape, a], i): [number[], WindowAttrs, number] => [shape, a, [25, 3, 30, 5, 26, 7, 40, 9][i]]),
    [[1, 32, 26, 26], win([3, 3], [1, 1], [0, 0, 0, 0], [1, 1]), 64],
    [[6, 6, 14, 14], win([5, 5], [1, 1], [0, 0, 0, 0], [1, 1]), 16],
    [[5, 50, 9, 11], win([3, 3], [1, 1], [1, 1, 1, 1], [1, 1]), 37],
    [[3, 130, 6, 7], win([3, 3], [1, 1], [1, 1, 1, 1], [1, 1]), 29],
    // more than 16,384 values per window: past the implicit GEMM's tables, unfold first
    [[1, 1025, 4, 4], win([4, 4], [1, 1], [0, 0, 0, 0], [1, 1]), 26],
    [[4, 1, 28, 28], win([3, 3], [1, 1], [0, 0, 0, 0], [1, 1]), 32],
    // whole images, weights packed once for the batch, two k-blocks
    [[5, 48, 20, 20], win([3, 3], [1, 1], [1, 1, 1, 1], [1, 1]), 20],
  ];
  // the epilogue on every path (whole images, blocks of columns, of rows; unfold first): bias and
  // ReLU, bias alone, ReLU alone, in turn
  convs.push([[1, 64, 5, 5], win([3, 3], [1, 1], [0, 0, 0, 0], [1, 1]), 400], [[2, 0, 3, 3], win([2, 2], [1, 1], [0, 0, 0, 0], [1, 1]), 5]);
  for (const [i, [shape, a, o]] of convs.entries()) {
    const k = shape[1] * a.kernel[0] * a.kernel[1];
    const name = `[${shape}] O=${o} k${a.kernel} s${a.stride} p${a.padding} d${a.dilation}`;
    const x = f(shape), w = f([o, k], -1, 1);
    push(cases, { name: `conv ${name}`, prim: 'conv', inputs: [x, w], attrs: a, tol: accum(k) });
    const bias = i % 3 !== 2, relu = i % 3 !== 1;
    push(cases, { name: `conv ${name}${bias ? ' + bias' : ''}${relu ? ', ReLU' : ''}`, prim: 'conv', inputs: bias ? [x, w, f([o], -1, 1)] : [x, w], attrs: { ...a, relu }, tol: accum(k + 1) });
  }
  push(cases, { name: 'conv float64', prim: 'conv', inputs: [randomInput(r, [2, 2, 5, 5], 'float64'), randomInput(r, [3, 18], 'float64')], attrs: win([3, 3], [1, 1], [1, 1, 1, 1], [1, 1]), tol: { atol: 1e-12, rtol: 1e-12 } });
  push(cases, { name: 'unfold float64', prim: 'unfold', inputs: [randomInput(r, [1, 2, 5, 5], 'float64')], attrs: win([3, 3], [1, 1], [1, 1, 1, 1], [1, 1]), tol: EXACT });

  // poolIndex: the same windows plus pooling's usual ones; small integers make ties in most windows.
  const tied = (shape: number[]): Input => {
    const x = randomInput(r, shape, 'int32', -2, 3);
    return { ...x, dtype: 'float32', data: Float32Array.from(x.data) };
  };
  const pools: [number[], WindowAttrs][] = [
    ...windows,
    [[128, 64, 24, 24], win([2, 2], [2, 2], [0, 0, 0, 0], [1, 1])],
    [[1, 3, 7, 9], win([3, 3], [2, 2], [1, 1, 1, 1], [1, 1])],
    [[2, 1, 1, 31], win([1, 4], [1, 3], [0, 0, 2, 2], [1, 1])],
    [[3, 2, 6, 5], win([2, 3], [1, 1], [1, 0, 2, 1], [3, 1])],
  ];
  for (const [i, [shape, a]] of pools.entries()) {
    const mode = i % 2 ? 'min' : 'max';
    push(cases, { name: `poolIndex ${mode} [${shape}] k${a.kernel} s${a.stride} p${a.padding} d${a.dilation}`, prim: 'poolIndex', inputs: [f(shape)], attrs: { ...a, mode }, tol: EXACT });
    push(cases, { name: `poolIndex max, ties [${shape}] k${a.kernel} s${a.stride} p${a.padding} d${a.dilation}`, prim: 'poolIndex', inputs: [tied(shape)], attrs: { ...a, mode: 'max' }, tol: EXACT });
    push(cases, { name: `pool ${mode} [${shape}] k${a.kernel} s${a.stride} p${a.padding} d${a.dilation}`, prim: 'pool', inputs: [f(shape)], attrs: { ...a, mode }, tol: EXACT });
  }
  for (const mode of ['max', 'min'] as const) {
    push(cases, { name: `poolIndex ${mode} with NaN and infinities`, prim: 'poolIndex', inputs: [withSpecials(f([1, 2, 3, SPECIALS.length]))], attrs: { ...win([2, 3], [1, 2], [1, 1, 1, 0], [1, 1]), mode }, tol: EXACT });
    push(cases, { name: `pool ${mode} with NaN and infinities`, prim: 'pool', inputs: [withSpecials(f([1, 2, 3, SPECIALS.length]))], attrs: { ...win([2, 3], [1, 2], [1, 1, 1, 0], [1, 1]), mode }, tol: EXACT });
  }
  push(cases, { name: 'pool int32', prim: 'pool', inputs: [randomInput(r, [2, 3, 6, 5], 'int32', -3, 3)], attrs: { ...win([2, 2], [1, 1], [1, 0, 0, 1], [1, 1]), mode: 'max' }, tol: EXACT });
  push(cases, { name: 'poolIndex int32', prim: 'poolIndex', inputs: [randomInput(r, [2, 3, 6, 5], 'int32', -3, 3)], attrs: { ...win([2, 2], [1, 1], [1, 0, 0, 1], [1, 1]), mode: 'min' }, tol: EXACT });
  push(cases, { name: 'poolIndex float64', prim: 'poolIndex', inputs: [randomInput(r, [2, 2, 5, 5], 'float64')], attrs: { ...win([3, 3], [2, 2], [1, 1, 1, 1], [1, 1]), mode: 'max' }, tol: EXACT });
  cases.push(...scanCases(r));
  return cases;
}
