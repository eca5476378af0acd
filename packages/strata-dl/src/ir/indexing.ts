// SPDX-License-Identifier: MIT
// Gather and its adjoint, scatter-add, along one axis with an int32 index.
import { bind } from './bind.js';
import { promote } from '../core/dtype.js';
import { StrataError, fmtShape } from '../core/errors.js';
import { shapesEqual } from '../core/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Meta, Records } from './record.js';

export interface IndexingAttrs {
  gather: { axis: number };
  scatterAdd: { axis: number };
}

function checkIndex(op: string, idx: Meta): void {
  if (idx.dtype !== 'int32') throw new StrataError(op, `index must be int32, got ${idx.dtype}`);
}

export const INDEXING_RECORDS: Records<IndexingAttrs> = {
  gather: {
    shape: ([x, idx], { axis }) => {
      checkIndex('gather', idx);
      const ok = idx.shape.length === x.shape.length && idx.shape.every((d, i) => i === axis || d <= x.shape[i]);
      if (!ok) throw new StrataError('gather', `index ${fmtShape(idx.shape)} does not fit input ${fmtShape(x.shape)} along dimension ${axis}`);
      return { shape: [...idx.shape], dtype: x.dtype };
    },
    cost: 'light', differentiable: true,
    vjp: (g, [x, idx], _o, { axis }) => [bind('scatterAdd', [x.zerosLike(), idx, g], { axis }), null],
    jvp: ([t], [, idx], _o, attrs) => (t ? bind('gather', [t, idx], attrs) : null),
  },
  scatterAdd: {
    shape: ([x, idx, src], { axis }) => {
      checkIndex('scatterAdd', idx);
      const ok = idx.shape.length === x.shape.length && src.shape.length === x.shape.length &&
        idx.shape.every((d, i) => d <= src.shape[i] && (i === axis || d <= x.shape[i]));
      if (!ok) throw new StrataError('scatterAdd', `index ${fmtShape(idx.shape)} and src ${fmtShape(src.shape)} do not fit input ${fmtShape(x.shape)} along dimension ${axis}`);
      return { shape: [...x.shape], dtype: promote(x.dtype, src.dtype) };
    },
    cost: 'light', differentiable: true,
    vjp: (g, [, idx, src], _o, { axis }, n) => {
      let gs: Tensor | null = null;
      if (n[2]) {
        gs = bind('gather', [g, idx], { axis });
        if (!shapesEqual(gs.shape, src.shape)) gs = bind('pad', [gs], { before: src.shape.map(() => 0), after: src.shape.map((d, i) => d - idx.shape[i]), value: 0 });
      }
      return [n[0] ? g : null, null, gs];
    },
    jvp: ([tx, , ts], [x, idx, src], _o, attrs) =>
      (tx || ts ? bind('scatterAdd', [(tx ?? x.zerosLike()), idx, ts ?? src.zerosLike()], attrs) : null),
  },
};
