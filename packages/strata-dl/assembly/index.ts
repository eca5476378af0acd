// SPDX-License-Identifier: MIT
// Entry of the Strata wasm kernels. Raw pointers only (built with --runtime stub): the TypeScript
// side owns all memory, so several instances (one per thread) can share one WebAssembly.Memory.
//
// Parallel kernels are "tasks": the calling thread and the pool's workers all call
// runTask(task, tid, nt, desc) with the same descriptor, and each does its own share.
import { CONV_K_MAX, gemmTask, gemmWorkspaceBytes, INPLACE_B_MAX_M, MR } from './matmul';
import { unfoldTask, foldTask } from './window';
import { poolIndexTask } from './pooling';
import { unaryRow } from './elementwise-unary';
import { eltwiseND } from './elementwise';
import { optimTask } from './optim';
import { cellTask } from './cells';

export { sgemm, gemmWorkspaceBytes } from './matmul';
export { reduceF32, argF32 } from './reduce';
export { scanF32, argsortF32 } from './scan';
export { copyND, toBool, fillBytes, fill32, copyBytes } from './movement';
export { gather4, scatterAddF32, gatherRows4, scatterAddRowsF32 } from './indexing';
export { unaryRow } from './elementwise-unary';
export { eltwiseND } from './elementwise';

export const TASK_GEMM: i32 = 1;
export const TASK_UNFOLD: i32 = 2;
export const TASK_FOLD: i32 = 3;
export const TASK_UNARY: i32 = 4;
export const TASK_ELTWISE: i32 = 5;
export const TASK_POOL_INDEX: i32 = 6;
export const TASK_OPTIM: i32 = 7;
export const TASK_CELL: i32 = 8;

/** First free byte after the module's static data: where the TypeScript allocator starts. */
export function heapBase(): usize { return __heap_base; }
/** 1 if this build uses relaxed-SIMD FMA. */
export function usesRelaxedSimd(): i32 { return ASC_FEATURE_RELAXED_SIMD ? 1 : 0; }
/** Rows of the GEMM micro-kernel (6 with FMA, 5 without). */
export function microRows(): i32 { return MR; }
/** Up to this many rows of C, the GEMM reads full 8-column panels of B in place (matmul.ts). */
export function inplaceBMaxM(): i32 { return INPLACE_B_MAX_M; }
/** The implicit-GEMM convolution's per-k table capacity: windows of at most this many values (matmul.ts). */
export function convKMax(): i32 { return CONV_K_MAX; }
export function noop(): void {}

/** Unary task descriptor: 0 op, 1 n, 2 out, 3 src. Shares out 16-element aligned chunks. */
function unaryTask(tid: i32, nt: i32, d: usize): void {
  const op = load<i32>(d), n = load<i32>(d, 4), out = load<usize>(d, 8), src = load<usize>(d, 12);
  const chunks = (n + 15) >> 4;
  const c0 = <i32>((<i64>chunks * tid) / nt) << 4;
  const c1 = min(n, <i32>((<i64>chunks * (tid + 1)) / nt) << 4);
  if (c1 > c0) unaryRow(op, c1 - c0, out + (<usize>c0 << 2), src + (<usize>c0 << 2));
}

/**
 * Elementwise task descriptor: 0 kind, 1 op, 2 out, 3 x, 4 y, 5 z, 6 rows, 7 odometer base (32
 * bytes per thread), then the N-d descriptor of elementwise.ts at slot 8. Shares out whole rows.
 */
function eltwiseTask(tid: i32, nt: i32, d: usize): void {
  const rows = load<i32>(d, 24);
  const r0 = <i32>((<i64>rows * tid) / nt), r1 = <i32>((<i64>rows * (tid + 1)) / nt);
  if (r1 <= r0) return;
  eltwiseND(load<i32>(d), load<i32>(d, 4), d + 32, load<usize>(d, 8), load<usize>(d, 12), load<usize>(d, 16), load<usize>(d, 20), r0, r1, load<usize>(d, 28) + (<usize>tid << 5));
}

export function runTask(task: i32, tid: i32, nt: i32, desc: usize): void {
  switch (task) {
    case TASK_GEMM: gemmTask(tid, nt, desc); break;
    case TASK_UNFOLD: unfoldTask(tid, nt, desc); break;
    case TASK_FOLD: foldTask(tid, nt, desc); break;
    case TASK_UNARY: unaryTask(tid, nt, desc); break;
    case TASK_ELTWISE: eltwiseTask(tid, nt, desc); break;
    case TASK_POOL_INDEX: poolIndexTask(tid, nt, desc); break;
    case TASK_OPTIM: optimTask(tid, nt, desc); break;
    case TASK_CELL: cellTask(tid, nt, desc); break;
    default: unreachable(); // an unknown task id: trap, so the caller gets an error, not silence
  }
}
