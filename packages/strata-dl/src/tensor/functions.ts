// SPDX-License-Identifier: MIT
// Every Tensor method as a root-level function (`st.add(a, b)` ≡ `a.add(b)`); numbers are accepted
// wherever a tensor is, and become float32 tensors.
import type { DType } from '../core/dtype.js';
import type { WindowAttrs } from '../ir/prims.js';
import type { IndexSpec } from './composite.js';
import { tensor } from './creation.js';
import { Tensor, type TensorLike } from './tensor.js';

const T = (x: TensorLike, like?: TensorLike): Tensor => (x instanceof Tensor ? x : like instanceof Tensor ? like._lift(x) : tensor(x));
type Axis = number | number[];

export const add = (a: TensorLike, b: TensorLike): Tensor => T(a, b).add(b);
export const sub = (a: TensorLike, b: TensorLike): Tensor => T(a, b).sub(b);
export const mul = (a: TensorLike, b: TensorLike): Tensor => T(a, b).mul(b);
export const div = (a: TensorLike, b: TensorLike): Tensor => T(a, b).div(b);
export const pow = (a: TensorLike, b: TensorLike): Tensor => T(a, b).pow(b);
export const maximum = (a: TensorLike, b: TensorLike): Tensor => T(a, b).maximum(b);
export const minimum = (a: TensorLike, b: TensorLike): Tensor => T(a, b).minimum(b);
export const eq = (a: TensorLike, b: TensorLike): Tensor => T(a, b).eq(b);
export const ne = (a: TensorLike, b: TensorLike): Tensor => T(a, b).ne(b);
export const lt = (a: TensorLike, b: TensorLike): Tensor => T(a, b).lt(b);
export const le = (a: TensorLike, b: TensorLike): Tensor => T(a, b).le(b);
export const gt = (a: TensorLike, b: TensorLike): Tensor => T(a, b).gt(b);
export const ge = (a: TensorLike, b: TensorLike): Tensor => T(a, b).ge(b);
export const neg = (x: TensorLike): Tensor => T(x).neg();
export const abs = (x: TensorLike): Tensor => T(x).abs();
export const sign = (x: TensorLike): Tensor => T(x).sign();
export const exp = (x: TensorLike): Tensor => T(x).exp();
export const log = (x: TensorLike): Tensor => T(x).log();
export const sqrt = (x: TensorLike): Tensor => T(x).sqrt();
export const sin = (x: TensorLike): Tensor => T(x).sin();
export const cos = (x: TensorLike): Tensor => T(x).cos();
export const tanh = (x: TensorLike): Tensor => T(x).tanh();
export const sigmoid = (x: TensorLike): Tensor => T(x).sigmoid();
export const relu = (x: TensorLike): Tensor => T(x).relu();
export const step = (x: TensorLike): Tensor => T(x).step();
export const square = (x: TensorLike): Tensor => T(x).square();
export const clamp = (x: TensorLike, min?: number | null, max?: number | null): Tensor => T(x).clamp(min, max);
export const cast = (x: Tensor, dtype: DType): Tensor => x.to(dtype);

export const sum = (x: Tensor, axis?: Axis, keepdim = false): Tensor => x.sum(axis, keepdim);
export const mean = (x: Tensor, axis?: Axis, keepdim = false): Tensor => x.mean(axis, keepdim);
export { max, min, amax, amin } from './tensorops-functions.js';
export const argmax = (x: Tensor, axis?: number, keepdim = false): Tensor => x.argmax(axis, keepdim);
export const argmin = (x: Tensor, axis?: number, keepdim = false): Tensor => x.argmin(axis, keepdim);
export const variance = (x: Tensor, axis?: Axis, opts?: { correction?: number; keepdim?: boolean }): Tensor => x.var(axis, opts);
export const std = (x: Tensor, axis?: Axis, opts?: { correction?: number; keepdim?: boolean }): Tensor => x.std(axis, opts);
export const logsumexp = (x: Tensor, axis?: Axis, keepdim = false): Tensor => x.logsumexp(axis, keepdim);
export const softmax = (x: Tensor, axis = -1): Tensor => x.softmax(axis);
export const logSoftmax = (x: Tensor, axis = -1): Tensor => x.logSoftmax(axis);
export const matmul = (a: Tensor, b: Tensor): Tensor => a.matmul(b);

export const reshape = (x: Tensor, shape: readonly number[]): Tensor => x.reshape(shape);
export const view = (x: Tensor, shape: readonly number[]): Tensor => x.view(shape);
export const flatten = (x: Tensor, startDim = 0, endDim = -1): Tensor => x.flatten(startDim, endDim);
export const permute = (x: Tensor, dims: readonly number[]): Tensor => x.permute(dims);
export const transpose = (x: Tensor, dim0: number, dim1: number): Tensor => x.transpose(dim0, dim1);
export const squeeze = (x: Tensor, dim?: Axis): Tensor => x.squeeze(dim);
export const unsqueeze = (x: Tensor, dim: number): Tensor => x.unsqueeze(dim);
export const expand = (x: Tensor, shape: readonly number[]): Tensor => x.expand(shape);
export const broadcastTo = (x: Tensor, shape: readonly number[]): Tensor => x.broadcastTo(shape);
export const slice = (x: Tensor, dim: number, start = 0, end?: number): Tensor => x.slice(dim, start, end);
export const narrow = (x: Tensor, dim: number, start: number, length: number): Tensor => x.narrow(dim, start, length);
export const index = (x: Tensor, ...specs: IndexSpec[]): Tensor => x.index(...specs);
export const indexSelect = (x: Tensor, dim: number, idx: Tensor | readonly number[]): Tensor => x.indexSelect(dim, idx);
export const gather = (x: Tensor, dim: number, idx: Tensor): Tensor => x.gather(dim, idx);
export const scatterAdd = (x: Tensor, dim: number, idx: Tensor, src: Tensor): Tensor => x.scatterAdd(dim, idx, src);
export const split = (x: Tensor, size: number | readonly number[], dim = 0): Tensor[] => x.split(size, dim);
/** The slices of `x` along `dim`, that dimension removed. @example unbind(randn([3, 4]), 1).length // 4 */
export const unbind = (x: Tensor, dim = 0): Tensor[] => x.unbind(dim);
export const chunk = (x: Tensor, chunks: number, dim = 0): Tensor[] => x.chunk(chunks, dim);
export const pad = (x: Tensor, pads: readonly number[], value = 0): Tensor => x.pad(pads, value);
export const flip = (x: Tensor, dims: Axis): Tensor => x.flip(dims);
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
