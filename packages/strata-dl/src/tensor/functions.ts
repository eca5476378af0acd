// SPDX-License-Identifier: MIT
// Every Tensor method as a root-level function (`st.add(a, b)` ≡ `a.add(b)`); numbers are accepted
// wherever a tensor is, and become float32 tensors.
import type { DType } from '../core/dtype.js';
import type { WindowAttrs } from '../ir/prims.js';
import type { IndexSpec } from './composite.js';
import { tensor } from './creation.js';
import { Tensor, type TensorLike } from './tensor.js';
import type { RoundingMode } from './arith-ops.js';

const T = (x: TensorLike, like?: TensorLike): Tensor => (x instanceof Tensor ? x : like instanceof Tensor ? like._lift(x) : tensor(x));
/** One axis or several; negative axes count from the end. */
export type Axis = number | number[];

/**
 * Elementwise `a + b`, broadcasting (`torch.add`).
 *
 * @example
 * add(tensor([1, 2]), 1).toArray(); // [2, 3]
 */
export const add = (a: TensorLike, b: TensorLike): Tensor => T(a, b).add(b);
/** Elementwise `a - b`, broadcasting (`torch.sub`). */
export const sub = (a: TensorLike, b: TensorLike): Tensor => T(a, b).sub(b);
/** Elementwise `a * b`, broadcasting (`torch.mul`). */
export const mul = (a: TensorLike, b: TensorLike): Tensor => T(a, b).mul(b);
/**
 * Elementwise true division `a / b`, broadcasting; integer operands give float32 (`torch.div`). With
 * `roundingMode` 'trunc' or 'floor', the quotient rounded to an integer (int32 for two int32s).
 */
export const div = (a: TensorLike, b: TensorLike, roundingMode?: RoundingMode): Tensor => T(a, b).div(b, roundingMode);
/** a / b rounded down (`torch.floor_divide`). @example floorDivide(tensor([-7]), 2).toArray(); // [-4] */
export const floorDivide = (a: TensorLike, b: TensorLike): Tensor => T(a, b).floorDivide(b);
/** Elementwise `a ** b`, broadcasting (`torch.pow`). */
export const pow = (a: TensorLike, b: TensorLike): Tensor => T(a, b).pow(b);
/** Elementwise maximum, broadcasting (`torch.maximum`). */
export const maximum = (a: TensorLike, b: TensorLike): Tensor => T(a, b).maximum(b);
/** Elementwise minimum, broadcasting (`torch.minimum`). */
export const minimum = (a: TensorLike, b: TensorLike): Tensor => T(a, b).minimum(b);
/** Elementwise `a == b` as a bool tensor (`torch.eq`). */
export const eq = (a: TensorLike, b: TensorLike): Tensor => T(a, b).eq(b);
/** Elementwise `a != b` as a bool tensor (`torch.ne`). */
export const ne = (a: TensorLike, b: TensorLike): Tensor => T(a, b).ne(b);
/** Elementwise `a < b` as a bool tensor (`torch.lt`). */
export const lt = (a: TensorLike, b: TensorLike): Tensor => T(a, b).lt(b);
/** Elementwise `a <= b` as a bool tensor (`torch.le`). */
export const le = (a: TensorLike, b: TensorLike): Tensor => T(a, b).le(b);
/** Elementwise `a > b` as a bool tensor (`torch.gt`). */
export const gt = (a: TensorLike, b: TensorLike): Tensor => T(a, b).gt(b);
/** Elementwise `a >= b` as a bool tensor (`torch.ge`). */
export const ge = (a: TensorLike, b: TensorLike): Tensor => T(a, b).ge(b);
/** Elementwise `-x` (`torch.neg`). */
export const neg = (x: TensorLike): Tensor => T(x).neg();
/** Elementwise |x| (`torch.abs`). */
export const abs = (x: TensorLike): Tensor => T(x).abs();
/** Elementwise sign: -1, 0 or 1 (`torch.sign`). */
export const sign = (x: TensorLike): Tensor => T(x).sign();
/** Elementwise largest integer <= x (`torch.floor`). */
export const floor = (x: TensorLike): Tensor => T(x).floor();
/** Elementwise smallest integer >= x (`torch.ceil`). */
export const ceil = (x: TensorLike): Tensor => T(x).ceil();
/** Rounds half to even, at `decimals` decimal places (`torch.round`). */
export const round = (x: TensorLike, decimals = 0): Tensor => T(x).round(decimals);
/** Elementwise integer part, toward zero (`torch.trunc`). */
export const trunc = (x: TensorLike): Tensor => T(x).trunc();
/** Elementwise x − trunc(x) (`torch.frac`). */
export const frac = (x: TensorLike): Tensor => T(x).frac();
/** Elementwise eˣ − 1, accurate near 0 (`torch.expm1`). */
export const expm1 = (x: TensorLike): Tensor => T(x).expm1();
/** Elementwise log(1 + x), accurate near 0 (`torch.log1p`). */
export const log1p = (x: TensorLike): Tensor => T(x).log1p();
/** Elementwise tangent (`torch.tan`). */
export const tan = (x: TensorLike): Tensor => T(x).tan();
/** Elementwise arctangent (`torch.atan`). */
export const atan = (x: TensorLike): Tensor => T(x).atan();
/** Elementwise arcsine (`torch.asin`). */
export const asin = (x: TensorLike): Tensor => T(x).asin();
/** Elementwise arccosine (`torch.acos`). */
export const acos = (x: TensorLike): Tensor => T(x).acos();
/** The angle of the point (x, y), broadcasting (`torch.atan2(y, x)`). */
export const atan2 = (y: TensorLike, x: TensorLike): Tensor => T(y, x).atan2(x);
/** The remainder with a's sign, exact (`torch.fmod`). @example fmod(tensor([-5, 5]), 3).toArray(); // [-2, 2] */
export const fmod = (a: TensorLike, b: TensorLike): Tensor => T(a, b).fmod(b);
/** The remainder with b's sign, exact (`torch.remainder`, Python's %). @example remainder(tensor([-5, 5]), 3).toArray(); // [1, 2] */
export const remainder = (a: TensorLike, b: TensorLike): Tensor => T(a, b).remainder(b);
/** log(eᵃ + eᵇ) without overflow (`torch.logaddexp`). @example logaddexp(tensor([0]), tensor([0])).toArray(); // [0.6931471824645996] */
export const logaddexp = (a: TensorLike, b: TensorLike): Tensor => T(a, b).logaddexp(b);
/** log₂(2ᵃ + 2ᵇ) without overflow (`torch.logaddexp2`). @example logaddexp2(tensor([1]), tensor([1])).toArray(); // [2] */
export const logaddexp2 = (a: TensorLike, b: TensorLike): Tensor => T(a, b).logaddexp2(b);
/** x·log(y), 0 where x is 0 (`torch.xlogy`). @example xlogy(tensor([0, 1]), tensor([0, 1])).toArray(); // [0, 0] */
export const xlogy = (x: TensorLike, y: TensorLike): Tensor => T(x, y).xlogy(y);
/** √(a² + b²) without overflow (`torch.hypot`). @example hypot(tensor([3]), tensor([4])).toArray(); // [5] */
export const hypot = (a: TensorLike, b: TensorLike): Tensor => T(a, b).hypot(b);
/** log(x / (1 − x)), clamped to [eps, 1 − eps] first when given (`torch.logit`). @example logit(tensor([0.5])).toArray(); // [0] */
export const logit = (x: TensorLike, eps?: number): Tensor => T(x).logit(eps);
/** Elementwise hyperbolic sine (`torch.sinh`). */
export const sinh = (x: TensorLike): Tensor => T(x).sinh();
/** Elementwise hyperbolic cosine (`torch.cosh`). */
export const cosh = (x: TensorLike): Tensor => T(x).cosh();
/** Elementwise inverse hyperbolic sine (`torch.asinh`). */
export const asinh = (x: TensorLike): Tensor => T(x).asinh();
/** Elementwise inverse hyperbolic cosine (`torch.acosh`). */
export const acosh = (x: TensorLike): Tensor => T(x).acosh();
/** Elementwise inverse hyperbolic tangent (`torch.atanh`). */
export const atanh = (x: TensorLike): Tensor => T(x).atanh();
/** Elementwise 1 / √x (`torch.rsqrt`). */
export const rsqrt = (x: TensorLike): Tensor => T(x).rsqrt();
/** True where x is 0 (`torch.logical_not`). */
export const logicalNot = (x: TensorLike): Tensor => T(x).logicalNot();
/** True where both are non-zero, broadcasting (`torch.logical_and`). */
export const logicalAnd = (a: TensorLike, b: TensorLike): Tensor => T(a, b).logicalAnd(b);
/** True where either is non-zero, broadcasting (`torch.logical_or`). */
export const logicalOr = (a: TensorLike, b: TensorLike): Tensor => T(a, b).logicalOr(b);
/** True where exactly one is non-zero, broadcasting (`torch.logical_xor`). */
export const logicalXor = (a: TensorLike, b: TensorLike): Tensor => T(a, b).logicalXor(b);
/** Whether any element (along `axis`) is non-zero (`torch.any`). */
export const any = (x: TensorLike, axis?: number | number[], keepdim = false): Tensor => T(x).any(axis, keepdim);
/** Whether every element (along `axis`) is non-zero (`torch.all`). */
export const all = (x: TensorLike, axis?: number | number[], keepdim = false): Tensor => T(x).all(axis, keepdim);
/** Elementwise 2ˣ (`torch.exp2`). */
export const exp2 = (x: TensorLike): Tensor => T(x).exp2();
/** Elementwise base-2 logarithm (`torch.log2`). */
export const log2 = (x: TensorLike): Tensor => T(x).log2();
/** Elementwise base-10 logarithm (`torch.log10`). */
export const log10 = (x: TensorLike): Tensor => T(x).log10();
/** Limits values from below (`torch.clamp_min`). */
export const clampMin = (x: TensorLike, min: number): Tensor => T(x).clampMin(min);
/** Limits values from above (`torch.clamp_max`). */
export const clampMax = (x: TensorLike, max: number): Tensor => T(x).clampMax(max);
/** Matrix product of two matrices (`torch.mm`). */
export const mm = (a: Tensor, b: Tensor): Tensor => a.mm(b);
/** Batched matrix product, batch sizes equal (`torch.bmm`). */
export const bmm = (a: Tensor, b: Tensor): Tensor => a.bmm(b);
/** Matrix-vector product (`torch.mv`). */
export const mv = (a: Tensor, v: Tensor): Tensor => a.mv(v);
/** Dot product of two vectors (`torch.dot`). */
export const dot = (a: Tensor, b: Tensor): Tensor => a.dot(b);
/** Moves axes to new positions (`torch.movedim`). */
export const movedim = (x: Tensor, source: number | readonly number[], destination: number | readonly number[]): Tensor => x.movedim(source, destination);
/** Swaps two axes (`torch.swapaxes`). */
export const swapaxes = (x: Tensor, axis0: number, axis1: number): Tensor => x.swapaxes(axis0, axis1);
/** Swaps two axes (`torch.swapdims`). */
export const swapdims = (x: Tensor, dim0: number, dim1: number): Tensor => x.swapdims(dim0, dim1);
/** The diagonal of the planes of two axes (`torch.diagonal`). */
export const diagonal = (x: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor => x.diagonal(offset, dim1, dim2);
/** Sum of a matrix's main diagonal (`torch.trace`). */
export const trace = (x: Tensor): Tensor => x.trace();
/** A vector's diagonal matrix, or a matrix's diagonal (`torch.diag`). */
export const diag = (x: Tensor, offset = 0): Tensor => x.diag(offset);
/** Elementwise eˣ (`torch.exp`). */
export const exp = (x: TensorLike): Tensor => T(x).exp();
/** Elementwise natural logarithm (`torch.log`). */
export const log = (x: TensorLike): Tensor => T(x).log();
/** Elementwise square root (`torch.sqrt`). */
export const sqrt = (x: TensorLike): Tensor => T(x).sqrt();
/** Elementwise sine (`torch.sin`). */
export const sin = (x: TensorLike): Tensor => T(x).sin();
/** Elementwise cosine (`torch.cos`). */
export const cos = (x: TensorLike): Tensor => T(x).cos();
/** Elementwise hyperbolic tangent (`torch.tanh`). */
export const tanh = (x: TensorLike): Tensor => T(x).tanh();
/** Elementwise logistic sigmoid 1 / (1 + e⁻ˣ) (`torch.sigmoid`). */
export const sigmoid = (x: TensorLike): Tensor => T(x).sigmoid();
/** Elementwise max(x, 0) (`torch.relu`). */
export const relu = (x: TensorLike): Tensor => T(x).relu();
/** Heaviside step: 1 where x > 0, else 0; its gradient is 0 (see `Tensor.step`). */
export const step = (x: TensorLike): Tensor => T(x).step();
/** Elementwise x² (`torch.square`). */
export const square = (x: TensorLike): Tensor => T(x).square();
/** Limits every element to [`min`, `max`]; a null or omitted bound is open (`torch.clamp`). */
export const clamp = (x: TensorLike, min?: number | null, max?: number | null): Tensor => T(x).clamp(min, max);
/** `x` converted to `dtype` (`x.to(dtype)`). */
export const cast = (x: Tensor, dtype: DType): Tensor => x.to(dtype);

/**
 * Sum over `axis` (one, several, or all when omitted) (`torch.sum`).
 *
 * @example
 * sum(tensor([[1, 2], [3, 4]]), 0).toArray(); // [4, 6]
 */
export const sum = (x: Tensor, axis?: Axis, keepdim = false): Tensor => x.sum(axis, keepdim);
/** Mean over `axis` (one, several, or all when omitted); integer input gives float32 (`torch.mean`). */
export const mean = (x: Tensor, axis?: Axis, keepdim = false): Tensor => x.mean(axis, keepdim);
export { max, min, amax, amin } from './tensorops-functions.js';
/** Index of the maximum along `axis`, or into the flattened tensor when omitted (`torch.argmax`). */
export const argmax = (x: Tensor, axis?: number, keepdim = false): Tensor => x.argmax(axis, keepdim);
/** Index of the minimum along `axis`, or into the flattened tensor when omitted (`torch.argmin`). */
export const argmin = (x: Tensor, axis?: number, keepdim = false): Tensor => x.argmin(axis, keepdim);
/** Variance over `axis`; `correction` 1 (default) is the unbiased estimator (`torch.var`). */
export const variance = (x: Tensor, axis?: Axis, opts?: { correction?: number; keepdim?: boolean }): Tensor => x.var(axis, opts);
/** Standard deviation over `axis`; `correction` as in `variance` (`torch.std`). */
export const std = (x: Tensor, axis?: Axis, opts?: { correction?: number; keepdim?: boolean }): Tensor => x.std(axis, opts);
/** log(sum(exp(x))) over `axis`, computed stably (`torch.logsumexp`). */
export const logsumexp = (x: Tensor, axis?: Axis, keepdim = false): Tensor => x.logsumexp(axis, keepdim);
/** Softmax along `axis` (default the last) (`torch.softmax`). */
export const softmax = (x: Tensor, axis = -1): Tensor => x.softmax(axis);
/** log(softmax(x)) along `axis` (default the last), computed stably (`torch.log_softmax`). */
export const logSoftmax = (x: Tensor, axis = -1): Tensor => x.logSoftmax(axis);
/** Matrix product with NumPy semantics: 1-D operands are promoted, leading dims broadcast (`torch.matmul`). */
export const matmul = (a: Tensor, b: Tensor): Tensor => a.matmul(b);

/** `x` with a new shape (one dim may be -1), sharing storage (`torch.reshape`). */
export const reshape = (x: Tensor, shape: readonly number[]): Tensor => x.reshape(shape);
/** Same as `reshape` (`Tensor.view`). */
export const view = (x: Tensor, shape: readonly number[]): Tensor => x.view(shape);
/** Merges dims `startDim`..`endDim` (inclusive) into one (`torch.flatten`). */
export const flatten = (x: Tensor, startDim = 0, endDim = -1): Tensor => x.flatten(startDim, endDim);
/** Reorders the dims: output dim i is input dim `dims[i]` (`torch.permute`). */
export const permute = (x: Tensor, dims: readonly number[]): Tensor => x.permute(dims);
/** Swaps dims `dim0` and `dim1` (`torch.transpose`). */
export const transpose = (x: Tensor, dim0: number, dim1: number): Tensor => x.transpose(dim0, dim1);
/** Removes dims of size 1 (all of them, or the given ones) (`torch.squeeze`). */
export const squeeze = (x: Tensor, dim?: Axis): Tensor => x.squeeze(dim);
/** Inserts a dim of size 1 at `dim` (`torch.unsqueeze`). */
export const unsqueeze = (x: Tensor, dim: number): Tensor => x.unsqueeze(dim);
/** Broadcasts `x` to `shape`; -1 keeps a dim (`Tensor.expand`). */
export const expand = (x: Tensor, shape: readonly number[]): Tensor => x.expand(shape);
/** Broadcasts `x` to `shape` (`torch.broadcast_to`). */
export const broadcastTo = (x: Tensor, shape: readonly number[]): Tensor => x.broadcastTo(shape);
/** Elements `start` (inclusive) to `end` (exclusive) along `dim`; negative indices count from the end. */
export const slice = (x: Tensor, dim: number, start = 0, end?: number): Tensor => x.slice(dim, start, end);
/** `length` elements along `dim` from `start` (`torch.narrow`). */
export const narrow = (x: Tensor, dim: number, start: number, length: number): Tensor => x.narrow(dim, start, length);
/** NumPy-style indexing, one spec per leading dim (see `Tensor.index`). */
export const index = (x: Tensor, ...specs: IndexSpec[]): Tensor => x.index(...specs);
/** Entries of `x` along `dim` at the positions in `idx` (`torch.index_select`). */
export const indexSelect = (x: Tensor, dim: number, idx: Tensor | readonly number[]): Tensor => x.indexSelect(dim, idx);
/** Entries of `x` along `dim` at the positions `idx` names, elementwise (`torch.gather`). */
export const gather = (x: Tensor, dim: number, idx: Tensor): Tensor => x.gather(dim, idx);
/** A copy of `x` with `src` added at the positions `idx` gives along `dim` (`torch.scatter_add`). */
export const scatterAdd = (x: Tensor, dim: number, idx: Tensor, src: Tensor): Tensor => x.scatterAdd(dim, idx, src);
/** Pieces of `size` (or of the listed sizes) along `dim` (`torch.split`). */
export const split = (x: Tensor, size: number | readonly number[], dim = 0): Tensor[] => x.split(size, dim);
/** The slices of `x` along `dim`, that dimension removed. @example unbind(randn([3, 4]), 1).length // 4 */
export const unbind = (x: Tensor, dim = 0): Tensor[] => x.unbind(dim);
/** `chunks` pieces of equal size along `dim`, the last possibly smaller (`torch.chunk`). */
export const chunk = (x: Tensor, chunks: number, dim = 0): Tensor[] => x.chunk(chunks, dim);
/** Pads with a constant, PyTorch order: `[left, right]` for the last dim, then the one before (`F.pad`). */
export const pad = (x: Tensor, pads: readonly number[], value = 0): Tensor => x.pad(pads, value);
/** Reverses the order of elements along `dims` (`torch.flip`). */
export const flip = (x: Tensor, dims: Axis): Tensor => x.flip(dims);
/** A tensor sharing `x`'s data but cut from the graph (`Tensor.detach`). */
export const detach = (x: Tensor): Tensor => x.detach();

/** Sliding windows (im2col): [N, C, H, W] → [N, C·kh·kw, OH·OW], like PyTorch's `F.unfold`. */
export const unfold = (x: Tensor, attrs: WindowAttrs): Tensor => x._p('unfold', [], attrs);
/** The adjoint of `unfold` (col2im): sums window columns back into [N, C, H, W]. */
export const fold = (x: Tensor, attrs: WindowAttrs & { outputSize: [number, number] }): Tensor => x._p('fold', [], attrs);
/**
 * Where each window's max (or min) is: int32 [N, C, OH, OW] of flat indices ih·W + iw within each
 * (n, c) plane, like the indices of PyTorch's `F.max_pool2d(..., return_indices=True)`.
 */
export const poolIndex = (x: Tensor, attrs: WindowAttrs & { mode: 'max' | 'min' }): Tensor => x._p('poolIndex', [], attrs);
/**
 * Each window's max (or min) value, [N, C, OH, OW]: the input at `poolIndex`'s positions, so ties
 * and NaN follow its rules and the gradient goes to that one element.
 *
 * @example poolExtremum(tensor([[[[1, 5], [3, 2]]]]), { kernel: [2, 2], stride: [2, 2], padding: [0, 0, 0, 0], dilation: [1, 1], mode: 'max' }).item(); // 5
 */
export const poolExtremum = (x: Tensor, attrs: WindowAttrs & { mode: 'max' | 'min' }): Tensor => x._p('pool', [], attrs);
/**
 * `weight`·unfold(x): [N, C, H, W] and [O, C·kh·kw] → [N, O, OH·OW], a convolution before its
 * reshape and bias. The `conv` primitive: backends may skip the column matrix (implicit GEMM).
 *
 * @example unfoldMatmul(randn([2, 3, 8, 8]), randn([4, 27]), { kernel: [3, 3], stride: [1, 1], padding: [0, 0, 0, 0], dilation: [1, 1] }).shape; // [2, 4, 36]
 */
export const unfoldMatmul = (x: Tensor, weight: Tensor, attrs: WindowAttrs): Tensor => x._p('conv', [weight], attrs);
