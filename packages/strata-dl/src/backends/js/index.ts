// SPDX-License-Identifier: MIT
import type { DType, TypedArray } from '../../core/dtype.js';
import { makeArray } from '../../core/dtype.js';
import type { Backend, Buf, Kernels } from '../../backend/backend.js';
import { perPrim } from '../../backend/per-prim.js';
import { BINARY, COMPARE, UNARY } from '../../ir/prims.js';
import { JsBuf, arr } from './buf.js';
import { keep, reuse } from './recycle.js';
import { binaryKernel, castKernel, unaryKernel, whereKernel } from './elementwise.js';
import { matmulKernel } from './matmul.js';
import { concatKernel, expandKernel, flipKernel, padKernel, permuteKernel, sliceKernel } from './movement.js';
import { gatherKernel, scatterAddKernel } from './indexing.js';
import { foldKernel, unfoldKernel } from './window.js';
import { poolIndexKernel, poolKernel } from './pooling.js';
import { convKernel } from './conv.js';
import { argsortKernel, cumprodKernel, cumsumKernel } from './scan.js';
import { argmaxKernel, argminKernel, maxKernel, minKernel, sumKernel } from './reduce.js';

const kernels: Kernels = {
  ...perPrim(UNARY, unaryKernel), ...perPrim(BINARY, binaryKernel), ...perPrim(COMPARE, binaryKernel),
  where: whereKernel, cast: castKernel,
  sum: sumKernel, max: maxKernel, min: minKernel, argmax: argmaxKernel, argmin: argminKernel,
  permute: permuteKernel, expand: expandKernel, slice: sliceKernel, pad: padKernel, flip: flipKernel,
  concat: concatKernel, gather: gatherKernel, scatterAdd: scatterAddKernel,
  matmul: matmulKernel,
  unfold: unfoldKernel, fold: foldKernel, poolIndex: poolIndexKernel, pool: poolKernel, conv: convKernel,
  cumsum: cumsumKernel, cumprod: cumprodKernel, argsort: argsortKernel,
};

/** Creates the reference backend: plain typed-array loops for every primitive and every dtype. */
export function createJsBackend(): Backend {
  return {
    name: 'js',
    needsFree: false,
    alloc: (dtype: DType, size: number): Buf => new JsBuf(dtype, size, reuse(dtype, size)),
    // Garbage-collected: nothing to release. A disposed tensor's small array is kept for reuse.
    free: (buf: Buf) => { if (buf instanceof JsBuf) keep(buf.dtype, buf.data); },
    write: (buf: Buf, data: ArrayLike<number>) => {
      const a = arr(buf);
      if (buf.dtype === 'bool') for (let i = 0; i < a.length; i++) a[i] = data[i] ? 1 : 0;
      else a.set(data);
    },
    read: (buf: Buf): TypedArray => {
      const out = makeArray(buf.dtype, buf.size);
      out.set(arr(buf));
      return out;
    },
    kernels,
  };
}
