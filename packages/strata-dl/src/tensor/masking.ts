// SPDX-License-Identifier: MIT
// Masks and non-finite values. nonzero and maskedSelect have data-dependent shapes, so
// they read the mask back (eager); maskedSelect's values are a gather, differentiable in the input.
import { isFloat } from '../core/dtype.js';
import { StrataError, fmtShape } from '../core/errors.js';
import { broadcastShapes, shapesEqual, stridesOf } from '../core/shape.js';
import type { Tensor } from './tensor.js';

const allOf = (x: Tensor, v: boolean): Tensor => x._make([+v], [], 'bool').expand(x.shape);

/** True where x is NaN. */
export const isnan = (x: Tensor): Tensor => (isFloat(x.dtype) ? x.ne(x) : allOf(x, false));
/** True where x is +∞ or −∞. */
export const isinf = (x: Tensor): Tensor => (isFloat(x.dtype) ? x.abs().eq(Infinity) : allOf(x, false));
/** True where x is neither NaN nor ±∞ (x − x is 0 exactly for finite x, NaN otherwise). */
export const isfinite = (x: Tensor): Tensor => (isFloat(x.dtype) ? x.sub(x).eq(0) : allOf(x, true));

/** The largest finite value of a float dtype (nanToNum's default for +∞). */
const finiteMax = (x: Tensor): number => (x.dtype === 'float32' ? 3.4028234663852886e38 : Number.MAX_VALUE);

/**
 * Replaces NaN with `nan` (0), +∞ with `posinf` and −∞ with `neginf` (the dtype's largest and
 * smallest finite values by default), as PyTorch's `nan_to_num`. The gradient passes where x is finite.
 */
export function nanToNum(x: Tensor, nan = 0, posinf?: number, neginf?: number): Tensor {
  if (!isFloat(x.dtype)) return x.clone();
  const c = (v: number): Tensor => x._make([v], [], x.dtype);
  const pos = posinf ?? finiteMax(x);
  const neg = neginf ?? -finiteMax(x);
  return c(nan).where(isnan(x), c(pos).where(x.eq(Infinity), c(neg).where(x.eq(-Infinity), x)));
}

/** Σ over `axis` (all when omitted) with NaN counted as 0, as torch.nansum; the gradient is 0 at the NaNs. */
export function nansum(x: Tensor, axis: number | number[] | undefined, keepdim: boolean): Tensor {
  if (!isFloat(x.dtype)) return x.sum(axis, keepdim);
  return x._make([0], [], x.dtype).where(isnan(x), x).sum(axis, keepdim);
}

/** The mean over `axis` of the elements that are not NaN (NaN where all are), as torch.nanmean. */
export function nanmean(x: Tensor, axis: number | number[] | undefined, keepdim: boolean): Tensor {
  if (!isFloat(x.dtype)) throw new StrataError('nanmean', `expects a floating-point tensor, got ${x.dtype} ${fmtShape(x.shape)}`);
  return nansum(x, axis, keepdim).div(isnan(x).logicalNot().to(x.dtype).sum(axis, keepdim));
}

/**
 * Where a and b (broadcast) are close, as torch.isclose: equal (infinities of one sign included),
 * or finitely apart by at most atol + rtol·|b|; NaNs are close to each other only with `equalNan`.
 */
export function isclose(a: Tensor, b: Tensor, rtol: number, atol: number, equalNan: boolean): Tensor {
  if (!(rtol >= 0) || !(atol >= 0)) throw new StrataError('isclose', `rtol and atol must be >= 0, got ${rtol} and ${atol}`);
  const err = a.sub(b).abs();
  const near = isfinite(err).logicalAnd(err.le(b.abs().mul(rtol).add(atol)));
  const close = a.eq(b).logicalOr(near);
  return equalNan ? close.logicalOr(isnan(a).logicalAnd(isnan(b))) : close;
}

function checkMask(op: string, x: Tensor, mask: Tensor): void {
  if (mask.dtype !== 'bool') throw new StrataError(op, `mask must be bool, got ${mask.dtype} ${fmtShape(mask.shape)}`);
  if (mask.backend !== x.backend) throw new StrataError(op, `mask lives on '${mask.backend.name}', input on '${x.backend.name}'`);
}

/**
 * x with `value` where `mask` (bool, broadcastable to x) is true. A tensor value must be 0-d; it
 * gets the gradient of the filled positions, x the rest.
 */
export function maskedFill(x: Tensor, mask: Tensor, value: number | Tensor): Tensor {
  checkMask('maskedFill', x, mask);
  if (!shapesEqual(broadcastShapes('maskedFill', mask.shape, x.shape), x.shape)) {
    throw new StrataError('maskedFill', `mask ${fmtShape(mask.shape)} does not broadcast to input ${fmtShape(x.shape)}`);
  }
  if (typeof value !== 'number' && value.ndim !== 0) throw new StrataError('maskedFill', `value must be a number or a 0-d tensor, got ${fmtShape(value.shape)}`);
  const v = typeof value === 'number' ? x._make([value], [], x.dtype) : value.to(x.dtype);
  return v.where(mask, x);
}

/** Flat positions of the true (non-zero) entries of x, read back. */
function truePositions(x: Tensor): number[] {
  const data = x.dataSync();
  const at: number[] = [];
  for (let i = 0; i < data.length; i++) if (data[i] !== 0) at.push(i);
  return at;
}

/**
 * Indices of the non-zero entries of x, int32 [count, ndim] in row-major order (PyTorch's
 * `nonzero`); with `asTuple`, one 1-D index tensor per dimension. Eager (reads x back), no gradient.
 */
export function nonzero(x: Tensor, opts?: { asTuple?: false }): Tensor;
export function nonzero(x: Tensor, opts: { asTuple: true }): Tensor[];
export function nonzero(x: Tensor, { asTuple = false }: { asTuple?: boolean } = {}): Tensor | Tensor[] {
  const at = truePositions(x);
  const st = stridesOf(x.shape);
  const rank = x.ndim;
  const coords = (d: number): number[] => at.map((p) => Math.floor(p / st[d]) % x.shape[d]);
  if (asTuple) return rank === 0 ? [x._make(at.map(() => 0), [at.length], 'int32')] : x.shape.map((_, d) => x._make(coords(d), [at.length], 'int32'));
  const flat = new Array<number>(at.length * rank);
  for (let d = 0; d < rank; d++) coords(d).forEach((c, k) => { flat[k * rank + d] = c; });
  return x._make(flat, [at.length, rank], 'int32');
}

/**
 * The entries of x where `mask` is true, as a 1-D tensor (x and mask broadcast together). The mask
 * is read back (the length depends on it); the values are a gather, so x gets their gradient.
 */
export function maskedSelect(x: Tensor, mask: Tensor): Tensor {
  checkMask('maskedSelect', x, mask);
  const shape = broadcastShapes('maskedSelect', x.shape, mask.shape);
  const m = shapesEqual(mask.shape, shape) ? mask : mask.expand(shape);
  const at = truePositions(m);
  const flat = (shapesEqual(x.shape, shape) ? x : x.expand(shape)).reshape([m.size]);
  return flat.gather(0, x._make(at, [at.length], 'int32'));
}
