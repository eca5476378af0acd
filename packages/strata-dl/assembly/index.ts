// SPDX-License-Identifier: MIT
// Entry of the Strata wasm kernels. Raw pointers only (built with --runtime stub): the TypeScript
// side owns all memory, so several instances (one per thread) can share one WebAssembly.Memory.
//
// Parallel kernels are "tasks": the calling thread and the pool's workers all call
// runTask(task, tid, nt, desc) with the same descriptor, and each does its own share.
import { CONV_K_MAX, gemmTask, gemmWorkspaceBytes, INPLACE_B_MAX_M, MR, packedASize } from './matmul';
import { unfoldTask, foldTask } from './window';
import { poolIndexTask } from './pooling';
import { unaryRow } from './generated/unary';
import { eltwiseND } from './elementwise';
import {
  TASK_CELL, TASK_DCONV, TASK_ELTWISE, TASK_FOLD, TASK_GEMM, TASK_OPTIM, TASK_POOL_INDEX, TASK_REDUCE, TASK_UNARY, TASK_UNFOLD, TASK_WGRAD,
  eltwise_kind, eltwise_odometers, eltwise_op, eltwise_out, eltwise_rows, eltwise_x, eltwise_y, eltwise_z, ELTWISE_SLOTS,
  unary_n, unary_op, unary_out, unary_src,
} from './generated/interface';
import { optimTask } from './optim';
import { cellTask } from './cells';
import { dconvTask } from './dconv';
import { wgradTask } from './wgrad';
import { reduceTask } from './reduce';

export { sgemm, gemmWorkspaceBytes } from './matmul';
export { reduceF32, argF32 } from './reduce';
export { scanF32, argsortF32 } from './scan';
export { copyND, toBool, fillBytes, fill32, copyBytes } from './movement';
export { gather4, scatterAddF32, gatherRows4, scatterAddRowsF32 } from './indexing';
export { unaryRow } from './generated/unary';
export { eltwiseND } from './elementwise';
export { xentForward, xentBackward } from './xent';

// Task ids, op codes and descriptor fields: scripts/wasm-interface.mjs (generated/interface.ts).

/** First free byte after the module's static data: where the TypeScript allocator starts. */
export function heapBase(): usize { return __heap_base; }
/** 1 if this build uses relaxed-SIMD FMA. */
export function usesRelaxedSimd(): i32 { return ASC_FEATURE_RELAXED_SIMD ? 1 : 0; }
/** Rows of the GEMM micro-kernel (6 with FMA, 5 without). */
export function microRows(): i32 { return MR; }
/** Bytes of an M x K A packed whole for the GEMM (the region where the threads pack it together). */
export function packedABytes(M: i32, K: i32): f64 { return <f64>packedASize(M, K) * 4; }
/** Up to this many rows of C, the GEMM reads full 8-column panels of B in place (matmul.ts). */
export function inplaceBMaxM(): i32 { return INPLACE_B_MAX_M; }
/** The implicit-GEMM convolution's per-k table capacity: windows of at most this many values (matmul.ts). */
export function convKMax(): i32 { return CONV_K_MAX; }
/** What a convolution's weight gradient reads in place, if anything (wgrad-inplace.ts). */
export { wgradReads } from './wgrad-inplace';
export function noop(): void {}

/** The unary task (descriptor `unary`). Shares out 16-element aligned chunks. */
function unaryTask(tid: i32, nt: i32, d: usize): void {
  const op = unary_op(d), n = unary_n(d), out = unary_out(d), src = unary_src(d);
  const chunks = (n + 15) >> 4;
  const c0 = <i32>((<i64>chunks * tid) / nt) << 4;
  const c1 = min(n, <i32>((<i64>chunks * (tid + 1)) / nt) << 4);
  if (c1 > c0) unaryRow(op, c1 - c0, out + (<usize>c0 << 2), src + (<usize>c0 << 2));
}

/**
 * The elementwise task (descriptor `eltwise`; odometers: 32 bytes per thread), with the N-d layout
 * of elementwise.ts after it. Shares out whole rows.
 */
function eltwiseTask(tid: i32, nt: i32, d: usize): void {
  const rows = eltwise_rows(d);
  const r0 = <i32>((<i64>rows * tid) / nt), r1 = <i32>((<i64>rows * (tid + 1)) / nt);
  if (r1 <= r0) return;
  eltwiseND(eltwise_kind(d), eltwise_op(d), d + (<usize>ELTWISE_SLOTS << 2), eltwise_out(d), eltwise_x(d), eltwise_y(d), eltwise_z(d), r0, r1, eltwise_odometers(d) + (<usize>tid << 5));
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
    case TASK_DCONV: dconvTask(tid, nt, desc); break;
    case TASK_WGRAD: wgradTask(tid, nt, desc); break;
    case TASK_REDUCE: reduceTask(tid, nt, desc); break;
    default: unreachable(); // an unknown task id: trap, so the caller gets an error, not silence
  }
}
