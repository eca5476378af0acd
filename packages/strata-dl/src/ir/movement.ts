// SPDX-License-Identifier: MIT
// Movement: reshape (a view), permute, expand, slice, pad, flip, concat.
import { bind } from './bind.js';
import { promote } from '../core/dtype.js';
import { StrataError, fmtShape } from '../core/errors.js';
import { sizeOf } from '../core/shape.js';
import { sumTo } from './sum-to.js';
import type { Prim, PrimAttrs } from './prims.js';
import type { JvpRule, Records } from './record.js';

export interface MovementAttrs {
  reshape: { shape: number[] };
  permute: { perm: number[] };
  expand: { shape: number[] };
  slice: { starts: number[]; ends: number[] };
  pad: { before: number[]; after: number[]; value: number };
  flip: { axes: number[] };
  concat: { axis: number };
}

/** The tangent rule of a linear primitive that is its own tangent map. */
export const same = <P extends Prim>(prim: P): JvpRule<P> => ([t], _ins, _out, attrs) => (t ? bind(prim, [t], attrs) : null);

export const MOVEMENT_RECORDS: Records<MovementAttrs> = {
  reshape: {
    shape: ([x], { shape }) => {
      if (sizeOf(shape) !== sizeOf(x.shape)) {
        throw new StrataError('reshape', `cannot reshape ${fmtShape(x.shape)} (${sizeOf(x.shape)} elements) to ${fmtShape(shape)}`);
      }
      return { shape: [...shape], dtype: x.dtype };
    },
    cost: 'light', differentiable: true,
    vjp: (g, [x]) => [bind('reshape', [g], { shape: [...x.shape] })],
    jvp: same('reshape'),
  },
  permute: {
    shape: ([x], { perm }) => {
      const r = x.shape.length;
      const ok = perm.length === r && [...perm].sort((p, q) => p - q).every((p, i) => p === i);
      if (!ok) throw new StrataError('permute', `[${perm.join(',')}] is not a permutation of the ${r} axes of ${fmtShape(x.shape)}`);
      return { shape: perm.map((p) => x.shape[p]), dtype: x.dtype };
    },
    cost: 'light', differentiable: true,
    vjp: (g, _i, _o, { perm }) => {
      const inv = new Array<number>(perm.length);
      perm.forEach((p, i) => { inv[p] = i; });
      return [bind('permute', [g], { perm: inv })];
    },
    jvp: same('permute'),
  },
  expand: {
    shape: ([x], { shape }) => {
      const off = shape.length - x.shape.length;
      const ok = off >= 0 && x.shape.every((d, i) => d === shape[off + i] || d === 1);
      if (!ok) throw new StrataError('expand', `cannot expand ${fmtShape(x.shape)} to ${fmtShape(shape)}`);
      return { shape: [...shape], dtype: x.dtype };
    },
    cost: 'light', differentiable: true,
    vjp: (g, [x]) => [sumTo(g, x.shape)],
    jvp: same('expand'),
  },
  slice: {
    shape: ([x], { starts, ends }) => {
      x.shape.forEach((d, i) => {
        if (!(starts[i] >= 0 && starts[i] <= ends[i] && ends[i] <= d)) {
          throw new StrataError('slice', `range [${starts[i]}, ${ends[i]}) is out of bounds for dimension ${i} of ${fmtShape(x.shape)}`);
        }
      });
      return { shape: x.shape.map((_, i) => ends[i] - starts[i]), dtype: x.dtype };
    },
    cost: 'light', differentiable: true,
    vjp: (g, [x], _o, { starts, ends }) => [bind('pad', [g], { before: [...starts], after: ends.map((e, i) => x.shape[i] - e), value: 0 })],
    jvp: same('slice'),
  },
  pad: {
    shape: ([x], { before, after }) => {
      if ([...before, ...after].some((p) => p < 0 || !Number.isInteger(p))) throw new StrataError('pad', 'padding amounts must be non-negative integers');
      return { shape: x.shape.map((d, i) => d + before[i] + after[i]), dtype: x.dtype };
    },
    cost: 'light', differentiable: true,
    vjp: (g, [x], _o, { before }) => [bind('slice', [g], { starts: [...before], ends: before.map((b, i) => b + x.shape[i]) })],
    jvp: ([t], _i, _o, attrs) => (t ? bind('pad', [t], { ...attrs, value: 0 }) : null),
  },
  flip: {
    shape: ([x]) => ({ shape: [...x.shape], dtype: x.dtype }),
    cost: 'light', differentiable: true,
    vjp: (g, _i, _o, { axes }) => [bind('flip', [g], { axes })],
    jvp: same('flip'),
  },
  concat: {
    shape: (ins, { axis }) => {
      const first = ins[0].shape;
      let total = 0;
      let dtype = ins[0].dtype;
      for (const t of ins) {
        const ok = t.shape.length === first.length && t.shape.every((d, i) => i === axis || d === first[i]);
        if (!ok) throw new StrataError('cat', `tensors ${ins.map((m) => fmtShape(m.shape)).join(', ')} differ outside dimension ${axis}`);
        total += t.shape[axis];
        dtype = promote(dtype, t.dtype);
      }
      return { shape: first.map((d, i) => (i === axis ? total : d)), dtype };
    },
    cost: 'light', differentiable: true,
    vjp: (g, ins, _o, { axis }, n) => {
      let start = 0;
      return ins.map((x, i) => {
        const s = start;
        start += x.shape[axis];
        if (!n[i]) return null;
        const starts = g.shape.map((_, d) => (d === axis ? s : 0));
        const ends = g.shape.map((dim, d) => (d === axis ? s + x.shape[axis] : dim));
        return bind('slice', [g], { starts, ends }).to(x.dtype);
      });
    },
    jvp: (ts, ins, _o, attrs: PrimAttrs['concat']) => {
      const all = ts.map((t, i) => t ?? ins[i].zerosLike());
      return bind('concat', all, attrs);
    },
  },
};

