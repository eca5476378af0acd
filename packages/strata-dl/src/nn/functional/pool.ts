// SPDX-License-Identifier: MIT
// Max/min pooling takes each window's extremum at the position poolIndex finds, so its gradient is
// a scatter-add there (all of it to one element per window, the first of ties, as PyTorch): the pool
// primitive, one pass whether or not a backward follows (its rule finds the positions then).
// Average pooling is unfold and a mean over the window axis, every channel treated as its own
// image (reshape to [N·C, 1, H, W]) so one unfold serves all channels.
import { StrataError, fmtShape } from '../../core/errors.js';
import { poolWindowCounts } from '../../ir/infer.js';
import { cat } from '../../tensor/composite.js';
import { ones } from '../../tensor/creation.js';
import { poolExtremum, unfold } from '../../tensor/functions.js';
import { setPoolGrad } from '../../ir/pooling.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type IntPair, type Padding1d, type Padding2d, outSize, pair, padding1dAs2d, resolvePadding2d } from './padding.js';
import { poolGrad } from './pool-grad.js';

// The pool rule's input gradient: the fused op (one pass on wasm). Installed here, where pooling
// is made, as conv.ts installs the weight gradient's (bundlers drop side-effect-only imports).
setPoolGrad(poolGrad);

/** How a pooling window is reduced. */
export type PoolReduce = 'max' | 'min' | 'mean';
/** Options of the 2-D pooling functions (PyTorch's `F.max_pool2d` / `F.avg_pool2d` keyword arguments). */
export interface Pool2dOptions {
  /** Default: the kernel size (non-overlapping windows). */
  stride?: IntPair;
  padding?: Padding2d;
  dilation?: IntPair;
  /** Average pooling: count padded zeros in the divisor (PyTorch's default) or only real inputs (Keras). */
  countIncludePad?: boolean;
  /**
   * Round the output size up instead of down (PyTorch's ceil_mode), so a last, partial window
   * covers the remainder; a window must still start inside the input or the left/top padding.
   * The part of a window beyond the padding is never selected and never counted by averages.
   */
  ceilMode?: boolean;
  /** Average pooling: divide every window's sum by this instead of its count. */
  divisorOverride?: number;
}
/** Options of the 1-D pooling functions; as `Pool2dOptions`, for one axis. */
export interface Pool1dOptions {
  stride?: number;
  padding?: Padding1d;
  dilation?: number;
  countIncludePad?: boolean;
  ceilMode?: boolean;
}

/** Reduces every `kernel` window of `x` [N, C, H, W] with max, min or mean. */
export function pool2d(op: string, x: Tensor, kernel: IntPair, reduce: PoolReduce, opts: Pool2dOptions = {}): Tensor {
  if (x.ndim !== 4) throw new StrataError(op, `input must be [N, C, H, W], got ${fmtShape(x.shape)}`);
  const [n, c, h, w] = x.shape;
  const k = pair(op, 'kernel size', kernel, 1);
  const s = pair(op, 'stride', opts.stride ?? k, 1);
  const d = pair(op, 'dilation', opts.dilation ?? 1, 1);
  const p = resolvePadding2d(op, opts.padding ?? 0, [h, w], k, s, d);
  const ceil = opts.ceilMode ?? false;
  const oh = ceil ? ceilOutSize(h, p[0], p[1], k[0], s[0], d[0]) : outSize(h, p[0], p[1], k[0], s[0], d[0]);
  const ow = ceil ? ceilOutSize(w, p[2], p[3], k[1], s[1], d[1]) : outSize(w, p[2], p[3], k[1], s[1], d[1]);
  if (oh < 1 || ow < 1) throw new StrataError(op, `a ${k.join('x')} window does not fit input ${fmtShape(x.shape)} with padding [${p.join(',')}]`);
  // Ceil mode's last window may reach past the bottom/right padding: pad that overhang too (pooling
  // never selects padding), and keep the declared padding apart for the averages' divisor.
  const overhang = (n: number, o: number, i: number): number => Math.max(0, (o - 1) * s[i] + d[i] * (k[i] - 1) + 1 - (n + p[2 * i] + p[2 * i + 1]));
  const [eh, ew] = [overhang(h, oh, 0), overhang(w, ow, 1)];
  const padded: [number, number, number, number] = [p[0], p[1] + eh, p[2], p[3] + ew];
  const attrs = { kernel: k, stride: s, padding: padded, dilation: d };
  if (reduce !== 'mean') {
    poolWindowCounts(op, [h, w], attrs); // every window needs a real input to select
    // The same graph with and without a backward to come: the values in one pass now, the positions
    // in the backward (a poolIndex + gather forward costs as much as the pool primitive does).
    return poolExtremum(x, { ...attrs, mode: reduce });
  }
  const cols = unfold(x.reshape([n * c, 1, h, w]), attrs); // [N·C, kh·kw, L]
  const { divisorOverride } = opts;
  let y: Tensor;
  if (divisorOverride !== undefined) {
    if (!Number.isFinite(divisorOverride) || divisorOverride === 0) throw new StrataError(op, `divisorOverride must be a non-zero number, got ${divisorOverride}`);
    y = cols.sum(1).div(divisorOverride);
  } else if ((opts.countIncludePad ?? true) && eh === 0 && ew === 0) y = cols.mean(1);
  else {
    // The divisor counts the taps on real inputs, plus those on declared padding when countIncludePad
    // (never those on ceil mode's overhang): unfold a ones image of that extent. Without padding in
    // the count, a window of padding alone would average nothing (0/0): refuse it.
    const incl = opts.countIncludePad ?? true;
    if (!incl) poolWindowCounts(op, [h, w], attrs);
    const [ch, cw] = incl ? [h + p[0] + p[1], w + p[2] + p[3]] : [h, w];
    const region = ones([1, 1, ch, cw], { dtype: x.dtype, backend: x.backend.name });
    const counts = unfold(region, { ...attrs, padding: incl ? [0, eh, 0, ew] : padded }).sum(1);
    y = cols.sum(1).div(counts);
  }
  return y.reshape([n, c, oh, ow]);
}

function pool1d(op: string, x: Tensor, kernel: number, reduce: PoolReduce, opts: Pool1dOptions): Tensor {
  if (x.ndim !== 3) throw new StrataError(op, `input must be [N, C, L], got ${fmtShape(x.shape)}`);
  const { stride = kernel, padding = 0, dilation = 1, countIncludePad, ceilMode } = opts;
  return pool2d(op, x.unsqueeze(2), [1, kernel], reduce, { stride: [1, stride], dilation: [1, dilation], padding: padding1dAs2d(padding), countIncludePad, ceilMode }).squeeze(2);
}

/**
 * Output length in ceil mode: ⌈(n + padding − dilation·(k − 1) − 1) / stride⌉ + 1, less one when
 * the last window would start beyond the input and the before-padding (PyTorch's pooling_output_shape).
 */
function ceilOutSize(n: number, padBefore: number, padAfter: number, k: number, s: number, d: number): number {
  let out = Math.ceil((n + padBefore + padAfter - d * (k - 1) - 1) / s) + 1;
  if ((out - 1) * s >= n + padBefore) out--;
  return out;
}

/**
 * Max pooling over [N, C, H, W] (2×2 windows at stride 2 for kernel 2). With `ceilMode` a last,
 * partial window covers the remainder.
 *
 * @example
 * const x = arange(25).float().reshape([1, 1, 5, 5]);
 * maxPool2d(x, 2).toArray();                    // [[[[6, 8], [16, 18]]]]
 * maxPool2d(x, 2, { ceilMode: true }).toArray(); // [[[[6, 8, 9], [16, 18, 19], [21, 23, 24]]]]
 */
export const maxPool2d = (x: Tensor, kernel: IntPair, opts: Pool2dOptions = {}): Tensor => pool2d('maxPool2d', x, kernel, 'max', opts);
/** Min pooling over [N, C, H, W] (options as `maxPool2d`). */
export const minPool2d = (x: Tensor, kernel: IntPair, opts: Pool2dOptions = {}): Tensor => pool2d('minPool2d', x, kernel, 'min', opts);
/**
 * Average pooling over [N, C, H, W]. The divisor is the window's count of input and declared padding
 * (`countIncludePad`, default true), of input only (false), or `divisorOverride`.
 *
 * @example
 * const x = arange(16).float().reshape([1, 1, 4, 4]);
 * avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }).toArray(); // [[[[1.1111111, 2.6666667, 1.6666666], [5.6666665, 10, 5.5], [4.1666665, 7, 3.75]]]]
 */
export const avgPool2d = (x: Tensor, kernel: IntPair, opts: Pool2dOptions = {}): Tensor => pool2d('avgPool2d', x, kernel, 'mean', opts);
/**
 * Max pooling over [N, C, L] (`F.max_pool1d`).
 *
 * @example
 * maxPool1d(tensor([[[1, 3, 2, 5]]]), 2).toArray(); // [[[3, 5]]]
 */
export const maxPool1d = (x: Tensor, kernel: number, opts: Pool1dOptions = {}): Tensor => pool1d('maxPool1d', x, kernel, 'max', opts);
/** Min pooling over [N, C, L]. */
export const minPool1d = (x: Tensor, kernel: number, opts: Pool1dOptions = {}): Tensor => pool1d('minPool1d', x, kernel, 'min', opts);
/** Average pooling over [N, C, L] (`F.avg_pool1d`). */
export const avgPool1d = (x: Tensor, kernel: number, opts: Pool1dOptions = {}): Tensor => pool1d('avgPool1d', x, kernel, 'mean', opts);

/** PyTorch's adaptive bins along one axis: bin i covers [⌊i·n/out⌋, ⌈(i+1)·n/out⌉). */
function adaptiveAxis(x: Tensor, axis: number, out: number, reduce: PoolReduce): Tensor {
  const n = x.shape[axis];
  if (n % out === 0) {
    // Equal bins: one reshape and one reduction.
    const shape = [...x.shape.slice(0, axis), out, n / out, ...x.shape.slice(axis + 1)];
    const r = x.reshape(shape);
    return reduce === 'max' ? r.amax(axis + 1) : reduce === 'min' ? r.amin(axis + 1) : r.mean(axis + 1);
  }
  const bins: Tensor[] = [];
  for (let i = 0; i < out; i++) {
    const piece = x.slice(axis, Math.floor((i * n) / out), Math.ceil(((i + 1) * n) / out));
    bins.push(reduce === 'max' ? piece.amax(axis, true) : reduce === 'min' ? piece.amin(axis, true) : piece.mean(axis, true));
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
/** Pools [N, C, L] to [N, C, `outputSize`] with PyTorch's adaptive bins, whatever L. */
export function adaptivePool1d(x: Tensor, outputSize: number, reduce: PoolReduce): Tensor {
  if (x.ndim !== 3) throw new StrataError('adaptivePool1d', `input must be [N, C, L], got ${fmtShape(x.shape)}`);
  if (outputSize < 1 || outputSize > x.shape[2]) throw new StrataError('adaptivePool1d', `output size ${outputSize} must be between 1 and the input length ${x.shape[2]}`);
  return adaptiveAxis(x, 2, outputSize, reduce);
}
/**
 * Average pooling of [N, C, H, W] to a fixed [N, C, oh, ow] (`F.adaptive_avg_pool2d`).
 *
 * @example
 * adaptiveAvgPool2d(zeros([1, 3, 7, 5]), 1).shape; // [1, 3, 1, 1]
 */
export const adaptiveAvgPool2d = (x: Tensor, outputSize: IntPair): Tensor => adaptivePool2d(x, outputSize, 'mean');
/** Max pooling of [N, C, H, W] to a fixed [N, C, oh, ow] (`F.adaptive_max_pool2d`, values only). */
export const adaptiveMaxPool2d = (x: Tensor, outputSize: IntPair): Tensor => adaptivePool2d(x, outputSize, 'max');
/** Average pooling of [N, C, L] to a fixed [N, C, out] (`F.adaptive_avg_pool1d`). */
export const adaptiveAvgPool1d = (x: Tensor, outputSize: number): Tensor => adaptivePool1d(x, outputSize, 'mean');
/** Max pooling of [N, C, L] to a fixed [N, C, out] (`F.adaptive_max_pool1d`, values only). */
export const adaptiveMaxPool1d = (x: Tensor, outputSize: number): Tensor => adaptivePool1d(x, outputSize, 'max');

/** Global pooling over every spatial axis: [N, C, ...] → [N, C] (Keras' GlobalAveragePooling). */
export function globalAvgPool(x: Tensor): Tensor {
  if (x.ndim < 3) throw new StrataError('globalAvgPool', `input must be [N, C, ...spatial], got ${fmtShape(x.shape)}`);
  return x.mean(Array.from({ length: x.ndim - 2 }, (_, i) => i + 2));
}
/** Global max pooling over every spatial axis: [N, C, ...] → [N, C] (Keras' GlobalMaxPooling). */
export function globalMaxPool(x: Tensor): Tensor {
  if (x.ndim < 3) throw new StrataError('globalMaxPool', `input must be [N, C, ...spatial], got ${fmtShape(x.shape)}`);
  return x.amax(Array.from({ length: x.ndim - 2 }, (_, i) => i + 2));
}
