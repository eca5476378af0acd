// SPDX-License-Identifier: MIT
// Max/min pooling: where each window's extremum is (poolIndex), and its value (pool).
import { bind } from './bind.js';
import { StrataError, fmtShape } from '../core/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { type WindowAttrs, poolWindowCounts } from './geometry.js';
import type { Meta, OutMeta, Records } from './record.js';

export interface PoolingAttrs {
  // max/min pooling's selection: where each window's extremum is (its gradient is a gather's)
  poolIndex: WindowAttrs & { mode: 'max' | 'min' };
  // max/min pooling's values: the input at poolIndex's positions (its gradient scatters there)
  pool: WindowAttrs & { mode: 'max' | 'min' };
}

const poolShape = (prim: 'poolIndex' | 'pool') => ([x]: readonly Meta[], w: PoolingAttrs['pool']): OutMeta => {
  if (x.shape.length !== 4 || x.dtype === 'bool') throw new StrataError(prim, `input must be a numeric [N, C, H, W], got ${x.dtype} ${fmtShape(x.shape)}`);
  if (w.mode !== 'max' && w.mode !== 'min') throw new StrataError(prim, `mode must be 'max' or 'min', got '${String(w.mode)}'`);
  const [oh, ow] = poolWindowCounts(prim, [x.shape[2], x.shape[3]], w);
  return { shape: [x.shape[0], x.shape[1], oh, ow], dtype: prim === 'pool' ? x.dtype : 'int32' };
};

/** [N, C, H, W] as [N, C, H·W]: pooling's positions index these planes. */
const planes = (t: Tensor): Tensor => bind('reshape', [t], { shape: [t.shape[0], t.shape[1], t.shape[2] * t.shape[3]] });
/** Where pooling `x` took each value: poolIndex's positions as [N, C, OH·OW]. */
const poolPositions = (x: Tensor, attrs: PoolingAttrs['pool']): Tensor => planes(bind('poolIndex', [x], attrs));

/**
 * Pool's input gradient: all of a window's gradient to its extremum, a scatter onto zeros at
 * poolIndex's positions (gather's VJP; PyTorch's max_pool2d backward alike: the first of ties and
 * the last NaN take it). This is its composed definition; nn/functional/pool.ts installs the fused
 * op (nn/functional/pool-grad.ts) that runs it in one kernel where a backend has one and nothing
 * differentiates it again.
 */
export const composedPoolGrad = (g: Tensor, x: Tensor, attrs: PoolingAttrs['pool']): Tensor => {
  const idx = poolPositions(x, attrs);
  const gs = bind('reshape', [g], { shape: [...idx.shape] });
  return bind('reshape', [bind('scatterAdd', [planes(x.zerosLike()), idx, gs], { axis: 2 })], { shape: [...x.shape] });
};
let poolGrad = composedPoolGrad;
/** Installs the pool rule's input gradient (dependency inversion, as bind.ts: the fused op lives above). */
export function setPoolGrad(f: typeof composedPoolGrad): void { poolGrad = f; }

export const POOLING_RECORDS: Records<PoolingAttrs> = {
  poolIndex: { shape: poolShape('poolIndex'), cost: 'light', differentiable: false },
  pool: {
    shape: poolShape('pool'), cost: 'light', differentiable: true,
    vjp: (g, [x], _o, attrs) => [poolGrad(g, x, attrs)],
    jvp: ([t], [x], out, attrs) => (t ? bind('reshape', [bind('gather', [planes(t), poolPositions(x, attrs)], { axis: 2 })], { shape: [...out.shape] }) : null),
  },
};
