// SPDX-License-Identifier: MIT
import type { DType, TypedArray } from '../core/dtype.js';

const EDGE = 3;
const MAX_FULL = 1000;

/**
 * PyTorch-like printing: `tensor([[1.0000, 2.0000], ...], dtype=float32)`, with the middle of large
 * dimensions elided and one number format chosen for the whole tensor.
 */
export function formatTensor(data: TypedArray, shape: readonly number[], dtype: DType, gradFn?: string, requiresGrad = false): string {
  const summarize = data.length > MAX_FULL;
  const fmt = numberFormat(data, dtype);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const width = Math.max(1, ...sample(data, summarize).map((v) => fmt(v).length));
  const pad = (s: string): string => s.padStart(width);
  const indent = 'tensor('.length;
  const rec = (dim: number, off: number): string => {
    if (dim === shape.length) return pad(fmt(data[off]));
    const n = shape[dim];
    const idx = summarize && n > 2 * EDGE ? [...range(0, EDGE), -1, ...range(n - EDGE, n)] : range(0, n);
    const parts = idx.map((i) => (i === -1 ? '...' : rec(dim + 1, off + i * strides[dim])));
    const sep = dim === shape.length - 1 ? ', ' : ',' + '\n'.repeat(shape.length - dim - 1) + ' '.repeat(indent + dim + 1);
    return `[${parts.join(sep)}]`;
  };
  const body = shape.length === 0 ? fmt(data[0]) : rec(0, 0);
  const extras = [dtype !== 'float32' ? `dtype=${dtype}` : '', gradFn ? `gradFn=${gradFn}` : requiresGrad ? 'requiresGrad=true' : ''].filter(Boolean);
  return `tensor(${body}${extras.length ? ', ' + extras.join(', ') : ''})`;
}

function range(a: number, b: number): number[] {
  return Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);
}

function sample(data: TypedArray, summarize: boolean): number[] {
  return summarize ? [...data.subarray(0, 500), ...data.subarray(data.length - 500)] : [...data];
}

function numberFormat(data: TypedArray, dtype: DType): (v: number) => string {
  if (dtype === 'bool') return (v) => (v ? 'true' : 'false');
  if (dtype === 'int32') return (v) => String(v);
  let maxAbs = 0;
  let minAbs = Infinity;
  let allInt = true;
  for (const v of data) {
    if (!Number.isFinite(v)) continue;
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
    if (a > 0 && a < minAbs) minAbs = a;
    if (!Number.isInteger(v)) allInt = false;
  }
  const special = (v: number): string | null => (Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : null);
  if (maxAbs >= 1e8 || (minAbs < 1e-4 && minAbs !== Infinity)) return (v) => special(v) ?? v.toExponential(4);
  if (allInt) return (v) => special(v) ?? `${v}.`;
  return (v) => special(v) ?? v.toFixed(4);
}
