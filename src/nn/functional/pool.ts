// SPDX-License-Identifier: MIT
// Max/min pooling takes each window's extremum at the position poolIndex finds, so its gradient is
// a scatter-add there (all of it to one element per window, the first of ties, as PyTorch): gather
// at poolIndex's positions when a backward will follow, else the pool primitive in one pass.
// Average pooling is unfold and a mean over the window axis, every channel treated as its own
// image (reshape to [N·C, 1, H, W]) so one unfold serves all channels.
import { StrataError, fmtShape } from '../../core/errors.js';
import { willRecord } from '../../autograd/mode.js';
import { poolWindowCounts } from '../../ir/infer.js';
import { cat } from '../../tensor/composite.js';
import { ones } from '../../tensor/creation.js';
import { poolExtremum, poolIndex, unfold } from '../../tensor/functions.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type IntPair, type Padding1d, type Padding2d, outSize, pair, padding1dAs2d, resolvePadding2d } from './padding.js';

export type PoolReduce = 'max' | 'min' | 'mean';
export interface Pool2dOptions {
  /** Default: the kernel size (non-overlapping windows). */
  stride?: IntPair;
  padding?: Padding2d;
  dilation?: IntPair;
  /** Average pooling: count padded zeros in the divisor (PyTorch's default) or only real inputs (Keras). */
  countIncludePad?: boolean;
}
export interface Pool1dOptions {
  stride?: number;
  padding?: Padding1d;
  dilation?: number;
  countIncludePad?: boolean;
}

/** Reduces every `kernel` window of `x` [N, C, H, W] with max, min or mean. */
export function pool2d(op: string, x: Tensor, kernel: IntPair, reduce: PoolReduce, opts: Pool2dOptions = {}): Tensor {
  if (x.ndim !== 4) throw new StrataError(op, `input must be [N, C, H, W], got ${fmtShape(x.shape)}`);
  const [n, c, h, w] = x.shape;
  const k = pair(op, 'kernel size', kernel, 1);
  const s = pair(op, 'stride', opts.stride ?? k, 1);
  const d = pair(op, 'dilation', opts.dilation ?? 1, 1);
  const p = resolvePadding2d(op, opts.padding ?? 0, [h, w], k, s, d);
  const oh = outSize(h, p[0], p[1], k[0], s[0], d[0]);
  const ow = outSize(w, p[2], p[3], k[1], s[1], d[1]);
  if (oh < 1 || ow < 1) throw new StrataError(op, `a ${k.join('x')} window does not fit input ${fmtShape(x.shape)} with padding [${p.join(',')}]`);
  const attrs = { kernel: k, stride: s, padding: p, dilation: d };
  if (reduce !== 'mean') {
    poolWindowCounts(op, [h, w], attrs); // every window needs a real input to select
    const a = { ...attrs, mode: reduce };
    // With a backward to come, the positions are found once and kept for it (poolIndex + gather);
    // otherwise one pass gives the values (the pool primitive, whose rule would find them again).
    if (!willRecord([x])) return poolExtremum(x, a);
    const idx = poolIndex(x, a).reshape([n, c, oh * ow]);
    return x.reshape([n, c, h * w]).gather(2, idx).reshape([n, c, oh, ow]);
  }
  const cols = unfold(x.reshape([n * c, 1, h, w]), attrs); // [N·C, kh·kw, L]
  let y: Tensor;
  if (opts.countIncludePad ?? true) y = cols.mean(1);
  else {
    // Without padding in the count, a window of padding alone would average nothing (0/0).
    poolWindowCounts(op, [h, w], attrs);
    const counts = unfold(ones([1, 1, h, w], { dtype: x.dtype, backend: x.backend.name }), attrs).sum(1);
    y = cols.sum(1).div(counts);
  }
  return y.reshape([n, c, oh, ow]);
}

function pool1d(op: string, x: Tensor, kernel: number, reduce: PoolReduce, opts: Pool1dOptions): Tensor {
  if (x.ndim !== 3) throw new StrataError(op, `input must be [N, C, L], got ${fmtShape(x.shape)}`);
  const { stride = kernel, padding = 0, dilation = 1, countIncludePad } = opts;
  return pool2d(op, x.unsqueeze(2), [1, kernel], reduce, { stride: [1, stride], dilation: [1, dilation], padding: padding1dAs2d(padding), countIncludePad }).squeeze(2);
}

/** @example maxPool2d(x, 2) // 2×2 windows, stride 2 */
export const maxPool2d = (x: Tensor, kernel: IntPair, opts: Pool2dOptions = {}): Tensor => pool2d('maxPool2d', x, kernel, 'max', opts);
export const minPool2d = (x: Tensor, kernel: IntPair, opts: Pool2dOptions = {}): Tensor => pool2d('minPool2d', x, kernel, 'min', opts);
export const avgPool2d = (x: Tensor, kernel: IntPair, opts: Pool2dOptions = {}): Tensor => pool2d('avgPool2d', x, kernel, 'mean', opts);
export const maxPool1d = (x: Tensor, kernel: number, opts: Pool1dOptions = {}): Tensor => pool1d('maxPool1d', x, kernel, 'max', opts);
export const minPool1d = (x: Tensor, kernel: number, opts: Pool1dOptions = {}): Tensor => pool1d('minPool1d', x, kernel, 'min', opts);
export const avgPool1d = (x: Tensor, kernel: number, opts: Pool1dOptions = {}): Tensor => pool1d('avgPool1d', x, kernel, 'mean', opts);

/** PyTorch's adaptive bins along one axis: bin i covers [⌊i·n/out⌋, ⌈(i+1)·n/out⌉). */
function adaptiveAxis(x: Tensor, axis: number, out: number, reduce: PoolReduce): Tensor {
  const n = x.shape[axis];
  if (n % out === 0) {
    // Equal bins: one reshape and one reduction.
    const shape = [...x.shape.slice(0, axis), out, n / out, ...x.shape.slice(axis + 1)];
    const r = x.reshape(shape);
    return reduce === 'max' ? r.max(axis + 1) : reduce === 'min' ? r.min(axis + 1) : r.mean(axis + 1);
  }
  const bins: Tensor[] = [];
  for (let i = 0; i < out; i++) {
    const piece = x.slice(axis, Math.floor((i * n) / out), Math.ceil(((i + 1) * n) / out));
    bins.push(reduce === 'max' ? piece.max(axis, true) : reduce === 'min' ? piece.min(axis, true) : piece.mean(axis, true));
  }
  return cat(bins, axis);
}

/**
 * Pools [N, C, H, W] to a fixed [N, C, oh, ow] whatever the input size. Bins are rectangles, so
 * pooling rows then columns gives the same result as pooling each rectangle.
 */
export function adaptivePool2d(x: Tensor, outputSize: IntPair, reduce: PoolReduce): Tensor {
  const op = `adaptive${reduce === 'mean' ? 'Avg' : reduce === 'max' ? 'Max' : 'Min'}Pool2d`;
  if (x.ndim !== 4) throw new StrataError(op, `input must be [N, C, H, W], got ${fmtShape(x.shape)}`);
  const [oh, ow] = pair(op, 'output size', outputSize);
  if (oh < 1 || ow < 1 || oh > x.shape[2] || ow > x.shape[3]) throw new StrataError(op, `output size ${oh}x${ow} must be between 1 and the input size ${x.shape[2]}x${x.shape[3]}`);
  return adaptiveAxis(adaptiveAxis(x, 2, oh, reduce), 3, ow, reduce);
}
export function adaptivePool1d(x: Tensor, outputSize: number, reduce: PoolReduce): Tensor {
  if (x.ndim !== 3) throw new StrataError('adaptivePool1d', `input must be [N, C, L], got ${fmtShape(x.shape)}`);
  if (outputSize < 1 || outputSize > x.shape[2]) throw new StrataError('adaptivePool1d', `output size ${outputSize} must be between 1 and the input length ${x.shape[2]}`);
  return adaptiveAxis(x, 2, outputSize, reduce);
}
export const adaptiveAvgPool2d = (x: Tensor, outputSize: IntPair): Tensor => adaptivePool2d(x, outputSize, 'mean');
export const adaptiveMaxPool2d = (x: Tensor, outputSize: IntPair): Tensor => adaptivePool2d(x, outputSize, 'max');
export const adaptiveAvgPool1d = (x: Tensor, outputSize: number): Tensor => adaptivePool1d(x, outputSize, 'mean');
export const adaptiveMaxPool1d = (x: Tensor, outputSize: number): Tensor => adaptivePool1d(x, outputSize, 'max');

/** Global pooling over every spatial axis: [N, C, ...] → [N, C] (Keras' GlobalAveragePooling). */
export function globalAvgPool(x: Tensor): Tensor {
  if (x.ndim < 3) throw new StrataError('globalAvgPool', `input must be [N, C, ...spatial], got ${fmtShape(x.shape)}`);
  return x.mean(Array.from({ length: x.ndim - 2 }, (_, i) => i + 2));
}
export function globalMaxPool(x: Tensor): Tensor {
  if (x.ndim < 3) throw new StrataError('globalMaxPool', `input must be [N, C, ...spatial], got ${fmtShape(x.shape)}`);
  return x.max(Array.from({ length: x.ndim - 2 }, (_, i) => i + 2));
}
