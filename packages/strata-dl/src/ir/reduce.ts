// SPDX-License-Identifier: MIT
// Reductions: the output keeps the reduced axes with size 1 (keepdim is a reshape on top).
import { bind } from './bind.js';
import { StrataError, fmtShape } from '../core/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Meta, OutMeta, PrimRecord, Records } from './record.js';

export interface ReduceAttrs {
  sum: { axes: number[] }; max: { axes: number[] }; min: { axes: number[] };
  argmax: { axis: number }; argmin: { axis: number };
}

const reduceShape = (prim: 'sum' | 'max' | 'min') => ([x]: readonly Meta[], { axes }: { axes: number[] }): OutMeta => {
  if (prim !== 'sum' && axes.some((ax) => x.shape[ax] === 0)) {
    throw new StrataError(prim, `cannot reduce an empty dimension of ${fmtShape(x.shape)}`);
  }
  const dtype = prim === 'sum' && x.dtype === 'bool' ? 'int32' : x.dtype;
  return { shape: x.shape.map((d, i) => (axes.includes(i) ? 1 : d)), dtype };
};
const argShape = (prim: 'argmax' | 'argmin') => ([x]: readonly Meta[], { axis }: { axis: number }): OutMeta => {
  if (x.shape[axis] === 0) throw new StrataError(prim, `cannot reduce an empty dimension of ${fmtShape(x.shape)}`);
  return { shape: x.shape.map((d, i) => (i === axis ? 1 : d)), dtype: 'int32' };
};

/** The axes `out` was reduced over from `x`. */
const reducedAxes = (x: Tensor, out: Tensor): number[] => out.shape.flatMap((d, i) => (d === 1 && x.shape[i] !== 1 ? [i] : []));
/**
 * Where max/min took its value, each position's share: the ties split it evenly, and where the
 * result is NaN the NaN inputs split it (PyTorch's evenly_distribute_backward, torch.max(x)'s rule;
 * x == out alone would match nothing there and give 0/0).
 */
const extremumMask = (x: Tensor, out: Tensor): Tensor => {
  const mask = x.eq(out).to(x.dtype).add(x.ne(x).to(x.dtype).mul(out.ne(out)));
  return mask.div(bind('sum', [mask], { axes: reducedAxes(x, out) }));
};
const extremum = <P extends 'max' | 'min'>(prim: P): PrimRecord<P> => ({
  shape: reduceShape(prim), cost: 'light' as const, differentiable: true as const,
  vjp: (g, [x], out) => [bind('expand', [g], { shape: [...x.shape] }).mul(extremumMask(x, out))],
  jvp: ([t], [x], out) => (t ? bind('sum', [t.mul(extremumMask(x, out))], { axes: reducedAxes(x, out) }).reshape(out.shape) : null),
});

export const REDUCE_RECORDS: Records<ReduceAttrs> = {
  sum: {
    shape: reduceShape('sum'), cost: 'light', differentiable: true,
    vjp: (g, [x]) => [bind('expand', [g], { shape: [...x.shape] })],
    jvp: ([t], _i, _o, attrs) => (t ? bind('sum', [t], attrs) : null),
  },
  max: extremum('max'),
  min: extremum('min'),
  argmax: { shape: argShape('argmax'), cost: 'light', differentiable: false },
  argmin: { shape: argShape('argmin'), cost: 'light', differentiable: false },
};
