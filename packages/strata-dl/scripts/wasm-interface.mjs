// SPDX-License-Identifier: MIT
// The interface between the TypeScript side (src/backends/wasm/) and the AssemblyScript kernels
// (assembly/), in one place: task ids, op codes, flags and the named fields of every task's
// descriptor. scripts/gen-wasm-interface.mjs generates from it a typed descriptor writer
// (src/backends/wasm/generated/interface.ts) and named field readers and constants
// (assembly/generated/interface.ts); gen-wasm-kernels.mjs generates the elementwise kernels from
// the op tables. Nothing else spells out a slot number or an op code.
//
// The op tables' keys must be exactly the primitives of their family (src/ir/elementwise.ts):
// src/backends/wasm/elementwise.ts checks that at compile time, naming what is missing or extra.

/** Task ids of runTask (assembly/index.ts); 0 is never a task. */
export const TASKS = { GEMM: 1, UNFOLD: 2, FOLD: 3, UNARY: 4, ELTWISE: 5, POOL_INDEX: 6, OPTIM: 7, CELL: 8, DCONV: 9, WGRAD: 10, REDUCE: 11 };

/**
 * Unary float32 ops (the UNARY task), in op-code order. `vec`: an f32x4 expression of `x` (the
 * row goes four lanes at a time, a ragged tail through the same code on a zero-padded vector, so
 * every element is rounded alike); `scalar`: an f32 expression of `x`, for ops with no vector form.
 * They must agree with the js reference kernels (src/backends/js/elementwise.ts).
 */
export const UNARY_OPS = {
  neg: { vec: 'f32x4.neg(x)' },
  exp: { vec: 'expv(x)' },
  log: { vec: 'logv(x)' },
  sqrt: { vec: 'f32x4.sqrt(x)' },
  sin: { scalar: 'NativeMathf.sin(x)' },
  cos: { scalar: 'NativeMathf.cos(x)' },
  tanh: { vec: 'tanhv(x)' },
  sigmoid: { vec: 'sigmoidv(x)' },
  // pmax(x, 0) = x < 0 ? 0 : x, the reference's: NaN passes through and -0 stays -0 (torch.relu).
  // One instruction, as pmax(0, x) (which gave 0 for NaN) was; f32x4.max(x, 0) would propagate NaN
  // too but costs several on x86 and turns -0 into +0.
  relu: { vec: 'f32x4.pmax(x, f32x4.splat(0))' },
  abs: { vec: 'f32x4.abs(x)' },
  sign: { vec: 'f32x4.sub(v128.and(f32x4.gt(x, f32x4.splat(0)), f32x4.splat(1)), v128.and(f32x4.lt(x, f32x4.splat(0)), f32x4.splat(1)))' },
  floor: { vec: 'f32x4.floor(x)' },
  ceil: { vec: 'f32x4.ceil(x)' },
  // roundTiesToEven, as the reference and torch.round
  round: { vec: 'f32x4.nearest(x)' },
  trunc: { vec: 'f32x4.trunc(x)' },
  // in float64, then rounded: as the reference computes them (musl's float32 acosf(-1) is an ulp
  // short of π), and these are not hot enough for the difference in speed to matter
  log1p: { scalar: '<f32>NativeMath.log1p(<f64>x)' },
  expm1: { scalar: '<f32>NativeMath.expm1(<f64>x)' },
  atan: { scalar: '<f32>NativeMath.atan(<f64>x)' },
  log2: { scalar: '<f32>NativeMath.log2(<f64>x)' },
  log10: { scalar: '<f32>NativeMath.log10(<f64>x)' },
  asin: { scalar: '<f32>NativeMath.asin(<f64>x)' },
  acos: { scalar: '<f32>NativeMath.acos(<f64>x)' },
};

/**
 * Binary float32 ops (the ELTWISE task, kind BINARY): [f32x4 expression or null, scalar
 * expression] of `x` and `y`. wasm f32x4.max/min propagate NaN like Math.max/min.
 */
export const BINARY_OPS = {
  add: ['f32x4.add(x, y)', 'x + y'],
  sub: ['f32x4.sub(x, y)', 'x - y'],
  mul: ['f32x4.mul(x, y)', 'x * y'],
  div: ['f32x4.div(x, y)', 'x / y'],
  pow: [null, 'powf(x, y)'],
  maximum: ['f32x4.max(x, y)', 'maxf(x, y)'],
  minimum: ['f32x4.min(x, y)', 'minf(x, y)'],
  // x where y > 0 or y is NaN (not y <= 0), else +0: the reference's `y <= 0 ? 0 : x`
  reluGrad: ['v128.andnot(x, f32x4.le(y, f32x4.splat(0)))', 'y <= 0 ? <f32>0 : x'],
  atan2: [null, '<f32>NativeMath.atan2(<f64>x, <f64>y)'],
  // AssemblyScript's % on f32 is musl's fmodf: exact, as the reference's
  fmod: [null, 'x % y'],
};
/** Comparisons (the ELTWISE task, kind COMPARE): float32 in, bool out. Op codes follow BINARY_OPS'. */
export const COMPARE_OPS = {
  eq: ['f32x4.eq(x, y)', 'x == y'],
  ne: ['f32x4.ne(x, y)', 'x != y'],
  lt: ['f32x4.lt(x, y)', 'x < y'],
  le: ['f32x4.le(x, y)', 'x <= y'],
  gt: ['f32x4.gt(x, y)', 'x > y'],
  ge: ['f32x4.ge(x, y)', 'x >= y'],
};

/**
 * The N-d layout that follows a descriptor or is passed by address (copyND, gather4, scatterAddF32,
 * the ELTWISE task after its header): rank, shape[maxRank], then `strideRows` rows of maxRank strides
 * (elements), one per operand, after coalescing (src/backends/wasm/nd.ts).
 */
export const ND = { maxRank: 8, strideRows: 3 };

/** Small enumerations and bit flags shared by both sides. */
export const ENUMS = {
  ELTWISE_KIND: { BINARY: 0, COMPARE: 1, WHERE: 2 },
  GEMM_MODE: { PLAIN: 0, CONV: 1, SUM: 2, CONV_SUM: 3, FOLD: 4 },
  OPTIM_KIND: { SGD: 0, ADAM: 1 },
  OPTIM_FLAG: { FIRST: 1, MOMENTUM: 2, DECAY: 4, NESTEROV: 8, MAXIMIZE: 16 },
  // The OPTIM task's list: one sgd or adam record every ITEM_SLOTS slots; the threads take CHUNK
  // elements of one parameter at a time (a fixed size: elementwise, so no split changes a bit).
  OPTIM_LIST: { ITEM_SLOTS: 20, CHUNK: 8192 },
  // A GEMM cut into blocks repacks the other operand (B for blocks of rows, A for blocks of
  // columns) in every item: up to FINE_MAX floats of it, items are cut four per thread and the last
  // ones in halves and quarters (matmul.ts, gemmBlock and gemmTask); past it, one item per thread.
  GEMM_SPLIT: { FINE_MAX: 262144 },
  CELL_KIND: { LSTM_FORWARD: 0, LSTM_BACKWARD: 1, GRU_FORWARD: 2, GRU_BACKWARD: 3, PACK_B: 4, LSTM_STEP: 5, LSTM_STEP_BACKWARD: 6 },
};

/**
 * Task descriptors: 4-byte slots from the descriptor's start, in order; `i32` (a count or a code),
 * `ptr` (a byte address in wasm memory) or `f32` (a coefficient, rounded to float32 as stored).
 * A name starting with `_` reserves a slot. Descriptors of one task that differ by kind share
 * their header.
 */
const windowFields = [['N', 'i32'], ['C', 'i32'], ['H', 'i32'], ['W', 'i32'], ['kh', 'i32'], ['kw', 'i32'], ['sh', 'i32'], ['sw', 'i32'],
  ['padTop', 'i32'], ['padLeft', 'i32'], ['dh', 'i32'], ['dw', 'i32'], ['OH', 'i32'], ['OW', 'i32'], ['src', 'ptr'], ['dst', 'ptr']];
const optimHeader = [['kind', 'i32'], ['n', 'i32'], ['flags', 'i32'], ['out', 'ptr'], ['param', 'ptr'], ['grad', 'ptr']];
const cellHeader = [['kind', 'i32'], ['n', 'i32'], ['hidden', 'i32']];
const gemmHeader = [['batch', 'i32'], ['M', 'i32'], ['N', 'i32'], ['K', 'i32'], ['ars', 'i32'], ['acs', 'i32'], ['brs', 'i32'], ['bcs', 'i32'],
  ['A', 'ptr'], ['B', 'ptr'], ['C', 'ptr'], ['table', 'ptr'], ['ws', 'ptr'], ['wsPerThread', 'i32'],
  // the threads' shared work counter (atomic), zeroed by the writer
  ['counter', 'i32'], ['block', 'i32'], ['mode', 'i32']];
const gemmEpilogue = [['bias', 'ptr'], ['relu', 'i32'], ['colBias', 'i32']];
// slots 17-28 of modes CONV and CONV_SUM: the image [channels, H, W] and the windows read from it
const convGeometry = [['channels', 'i32'], ['H', 'i32'], ['W', 'i32'], ['kh', 'i32'], ['kw', 'i32'], ['sh', 'i32'], ['sw', 'i32'],
  ['padTop', 'i32'], ['padLeft', 'i32'], ['dh', 'i32'], ['dw', 'i32'], ['OW', 'i32']];
export const DESCRIPTORS = {
  // gather/scatterAdd: the N-d layout of the index (stride rows: A with its axis zeroed, B), then these
  indexing: { at: 1 + ND.maxRank * 3, fields: [['axisStride', 'i32'], ['n', 'i32']] },
  unary: { task: 'UNARY', fields: [['op', 'i32'], ['n', 'i32'], ['out', 'ptr'], ['src', 'ptr']] },
  // one pass of a reduction over the middle axis of [outer, R, inner] (assembly/reduce.ts): items are
  // blocks of oBlock outer indices by iBlock inner ones, claimed through the counter
  reduce: { task: 'REDUCE', fields: [['op', 'i32'], ['outer', 'i32'], ['R', 'i32'], ['inner', 'i32'], ['src', 'ptr'], ['dst', 'ptr'], ['oBlock', 'i32'], ['iBlock', 'i32'], ['counter', 'i32']] },
  // the N-d layout of elementwise.ts follows at slot 8 (rank, then shape and three stride rows of 8)
  eltwise: { task: 'ELTWISE', fields: [['kind', 'i32'], ['op', 'i32'], ['out', 'ptr'], ['x', 'ptr'], ['y', 'ptr'], ['z', 'ptr'], ['rows', 'i32'], ['odometers', 'ptr']] },
  window: { task: 'UNFOLD', fields: windowFields },
  poolIndex: { task: 'POOL_INDEX', fields: [['planes', 'i32'], ...windowFields.slice(2), ['max', 'i32'], ['values', 'i32'], ['grad', 'ptr'], ['counter', 'i32']] },
  // the OPTIM task: `count` parameters' records (sgd or adam, each its own kind and coefficients) at
  // `items`, and at `starts` count + 1 i32: each parameter's first chunk, then the total
  optimList: { task: 'OPTIM', fields: [['count', 'i32'], ['items', 'ptr'], ['starts', 'ptr'], ['counter', 'i32']] },
  sgd: { task: 'OPTIM', fields: [...optimHeader, ['momentumBuf', 'ptr'], ['_7', 'i32'], ['lr', 'f32'], ['weightDecay', 'f32'], ['momentum', 'f32'], ['gradScale', 'f32']] },
  adam: { task: 'OPTIM', fields: [...optimHeader, ['expAvg', 'ptr'], ['expAvgSq', 'ptr'], ['beta1', 'f32'], ['oneMinusBeta1', 'f32'], ['beta2', 'f32'], ['oneMinusBeta2', 'f32'],
    ['weightDecay', 'f32'], ['decay', 'f32'], ['sqrtBias2', 'f32'], ['eps', 'f32'], ['stepSize', 'f32']] },
  lstmForward: { task: 'CELL', fields: [...cellHeader, ['xg', 'ptr'], ['hg', 'ptr'], ['c', 'ptr'], ['h', 'ptr'], ['cNext', 'ptr'], ['workspace', 'ptr']] },
  lstmBackward: { task: 'CELL', fields: [...cellHeader, ['workspace', 'ptr'], ['c', 'ptr'], ['gradH', 'ptr'], ['gradC', 'ptr'], ['dGates', 'ptr'], ['dc', 'ptr']] },
  gruForward: { task: 'CELL', fields: [...cellHeader, ['xg', 'ptr'], ['hg', 'ptr'], ['h', 'ptr'], ['hNext', 'ptr'], ['workspace', 'ptr']] },
  gruBackward: { task: 'CELL', fields: [...cellHeader, ['workspace', 'ptr'], ['h', 'ptr'], ['gradH', 'ptr'], ['dXg', 'ptr'], ['dHg', 'ptr'], ['dh', 'ptr']] },
  // the direct convolution (assembly/dconv.ts): out [N, O, OH, OW] from x [N, C, H, W] and w [O, C·kh·kw]
  // (flip: w is [C, O·kh·kw], read flipped and transposed: an input gradient); Hp, Wq: the padded
  // image's rows and columns per column phase, V: the output's vectors of 4 positions (even); all and
  // the per-thread workspace's size from src/backends/wasm/dconv.ts; pool 1: out is [N, O, OH/2, OW/2],
  // each block of filters' planes max-pooled 2x2 (stride 2) from the thread's scratch (OW >= 8)
  dconv: { task: 'DCONV', fields: [['N', 'i32'], ['C', 'i32'], ['H', 'i32'], ['W', 'i32'], ['O', 'i32'], ['kh', 'i32'], ['kw', 'i32'], ['sh', 'i32'], ['sw', 'i32'],
    ['padTop', 'i32'], ['padLeft', 'i32'], ['dh', 'i32'], ['dw', 'i32'], ['OH', 'i32'], ['OW', 'i32'], ['Hp', 'i32'], ['Wq', 'i32'], ['V', 'i32'],
    ['x', 'ptr'], ['w', 'ptr'], ['out', 'ptr'], ['bias', 'ptr'], ['relu', 'i32'], ['flip', 'i32'], ['ws', 'ptr'], ['wsPerThread', 'i32'], ['counter', 'i32'], ['pool', 'i32']] },
  // the WGRAD task (assembly/wgrad.ts): a convolution's weight gradient computed directly, summed over
  // the batch in `chunks` fixed chunks into partials [chunks, O, C·kh·kw] at `parts` (out itself for
  // one chunk); `ws` + tid·wsPerThread is each thread's room for zero-padded copies of the images
  wgrad: { task: 'WGRAD', fields: [['N', 'i32'], ['C', 'i32'], ['H', 'i32'], ['W', 'i32'], ['O', 'i32'], ['kh', 'i32'], ['kw', 'i32'], ['sh', 'i32'], ['sw', 'i32'],
    ['padTop', 'i32'], ['padLeft', 'i32'], ['dh', 'i32'], ['dw', 'i32'], ['OH', 'i32'], ['OW', 'i32'], ['g', 'ptr'], ['x', 'ptr'], ['parts', 'ptr'], ['chunks', 'i32'],
    ['ws', 'ptr'], ['wsPerThread', 'i32'], ['counter', 'i32']] },
  // the LSTM sequence kernels (assembly/lstm-sequence.ts): a weight packed once into 8-column panels of
  // B(p, j) = src[p·brs + j·bcs] (p < K, j < N), then one task per time step: the recurrent product on
  // the packed weight and the cell, forward or backward (`gradH2`, `gradC`, `dh`, `workspace`: 0 = none)
  packB: { task: 'CELL', fields: [...cellHeader, ['src', 'ptr'], ['K', 'i32'], ['N', 'i32'], ['brs', 'i32'], ['bcs', 'i32'], ['dst', 'ptr']] },
  lstmStep: { task: 'CELL', fields: [...cellHeader, ['xg', 'ptr'], ['h', 'ptr'], ['c', 'ptr'], ['w', 'ptr'], ['hOut', 'ptr'], ['cNext', 'ptr'], ['workspace', 'ptr'],
    ['gates', 'ptr'], ['tiles', 'ptr']] },
  lstmStepBackward: { task: 'CELL', fields: [...cellHeader, ['workspace', 'ptr'], ['c', 'ptr'], ['gradH', 'ptr'], ['gradH2', 'ptr'], ['gradC', 'ptr'], ['w', 'ptr'],
    ['dGates', 'ptr'], ['dc', 'ptr'], ['dh', 'ptr'], ['tiles', 'ptr']] },
  // mode PLAIN: `packedA` (0: none) is room for all of A packed (assembly/matmul.ts's packAllA layout)
  // by the threads together before the blocks of columns read it, `packed` counts the packed blocks
  // (atomic, zeroed by the writer); slots 19-28 unused
  gemm: { task: 'GEMM', fields: [...gemmHeader, ['packedA', 'ptr'], ['packed', 'i32'], ...Array.from({ length: 10 }, (_, i) => [`_${19 + i}`, 'i32']), ...gemmEpilogue] },
  // mode CONV: the image's geometry (B is the image [C, H, W], read as its unfolded columns)
  gemmConv: { task: 'GEMM', fields: [...gemmHeader, ...convGeometry, ...gemmEpilogue] },
  // mode CONV_SUM: a convolution's weight gradient, Σ over the batch of g·unfold(x)ᵀ: B is the image
  // read as its transposed columns (rows: output positions, columns: C·kh·kw), summed as in mode SUM
  gemmConvSum: { task: 'GEMM', fields: [...gemmHeader, ...convGeometry, ...gemmEpilogue, ['parts', 'ptr'], ['chunks', 'i32']] },
  // mode FOLD: each product (one image's columns, into the thread's scratch at C + tid·M·N floats,
  // 64-byte aligned) folded at once into image b of `out` [batch, channels, H, W], its windows as in
  // the geometry (a convolution's input gradient without the batch's column matrix)
  gemmFold: { task: 'GEMM', fields: [...gemmHeader, ...convGeometry, ...gemmEpilogue, ['out', 'ptr'], ['OH', 'i32'], ['mask', 'ptr']] },
  // mode SUM: the products summed over the batch in `chunks` fixed chunks, into `parts` (C itself for one chunk)
  gemmSum: { task: 'GEMM', fields: [...gemmHeader, ['parts', 'ptr'], ['chunks', 'i32'], ...Array.from({ length: 10 }, (_, i) => [`_${19 + i}`, 'i32']), ...gemmEpilogue] },
};
