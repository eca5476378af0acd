// SPDX-License-Identifier: MIT
import type { ConvAttrs } from './conv.js';
import { CONV_RECORDS } from './conv.js';
import { BINARY_RECORDS, COMPARE_RECORDS, SELECT_RECORDS, UNARY_RECORDS, type BinaryAttrs, type BinaryPrim, type CompareAttrs, type ComparePrim, type SelectAttrs, type UnaryAttrs, type UnaryPrim } from './elementwise.js';
import { INDEXING_RECORDS, type IndexingAttrs } from './indexing.js';
import { MATMUL_RECORDS, type MatmulAttrs } from './matmul.js';
import { MOVEMENT_RECORDS, type MovementAttrs } from './movement.js';
import { POOLING_RECORDS, type PoolingAttrs } from './pooling.js';
import type { PrimRecord } from './record.js';
import { REDUCE_RECORDS, type ReduceAttrs } from './reduce.js';
import { SCAN_RECORDS, type ScanAttrs } from './scan.js';
import { WINDOW_RECORDS, type WindowFamilyAttrs } from './window.js';

export type { WindowAttrs } from './geometry.js';
export type { BinaryPrim, ComparePrim, UnaryPrim } from './elementwise.js';

/**
 * The closed set of primitive operations and their attribute types. Each primitive has one record
 * (its family's file in src/ir/: attributes, shape rule, VJP and JVP, flags) and one kernel per
 * backend. Everything else in Strata is composed from these, so it is differentiable in both modes
 * and runs on every backend for free.
 *
 * Every table keyed by primitive (records, kernels, wasm op codes) is a mapped type over these
 * keys, so a primitive missing from one is a compile error that names it.
 */
export interface PrimAttrs extends UnaryAttrs, BinaryAttrs, CompareAttrs, SelectAttrs, ReduceAttrs, MovementAttrs,
  IndexingAttrs, MatmulAttrs, WindowFamilyAttrs, PoolingAttrs, ConvAttrs, ScanAttrs {}

/** The attributes of a primitive that has none. */
export type Empty = Record<string, never>;
/** Name of a primitive operation: the kernels a backend implements and the autodiff rules cover. */
export type Prim = keyof PrimAttrs;

/** Every primitive's record. */
export const RECORDS: { readonly [P in Prim]: PrimRecord<P> } = {
  ...UNARY_RECORDS, ...BINARY_RECORDS, ...COMPARE_RECORDS, ...SELECT_RECORDS, ...REDUCE_RECORDS, ...MOVEMENT_RECORDS,
  ...INDEXING_RECORDS, ...MATMUL_RECORDS, ...WINDOW_RECORDS, ...POOLING_RECORDS, ...CONV_RECORDS, ...SCAN_RECORDS,
};

const keys = <K extends string>(o: { readonly [P in K]: unknown }): K[] => Object.keys(o) as K[];
/** The elementwise families, in record order (the order is the wasm op codes' too: see the wasm schema). */
export const UNARY: readonly UnaryPrim[] = keys(UNARY_RECORDS);
export const BINARY: readonly BinaryPrim[] = keys(BINARY_RECORDS);
export const COMPARE: readonly ComparePrim[] = keys(COMPARE_RECORDS);

/** Primitives whose outputs carry no gradient (integer or boolean results, step functions). */
export const NON_DIFFERENTIABLE: ReadonlySet<Prim> = new Set<Prim>(keys(RECORDS).filter((p) => !RECORDS[p].differentiable));
