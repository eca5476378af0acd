// SPDX-License-Identifier: MIT
import type { Kernel, View } from '../../backend/backend.js';
import { broadcastStrides, sizeOf, stridesOf } from '../../core/shape.js';
import type { Ctx } from './context.js';
import { elemSize } from './buf.js';
import { MAX_RANK, coalesce } from './nd.js';
import { writeNd } from './generated/interface.js';

/**
 * dst[d-offsets] = src[s-offsets] over `shape`, every dtype (element size 1, 4 or 8 bytes).
 * Offsets in elements; false if the coalesced rank does not fit a descriptor.
 */
function copy(ctx: Ctx, shape: readonly number[], dst: View, dOff: number, dStrides: readonly number[], src: View, sOff: number, sStrides: readonly number[]): boolean {
  if (sizeOf(shape) === 0) return true;
  const c = coalesce(shape, [dStrides, sStrides]);
  if (c.shape.length > MAX_RANK) return false;
  const rt = ctx.rt;
  const es = elemSize(dst.dtype);
  writeNd(rt.i32, rt.desc, c.shape, c.strides);
  rt.x.copyND(es, rt.desc, ctx.ptr(dst) + dOff * es, ctx.ptr(src) + sOff * es, rt.ctr);
  return true;
}

export function permuteKernel(ctx: Ctx): Kernel<'permute'> {
  const fb = ctx.fallback('permute');
  return (out, ins, attrs) => {
    const [x] = ins;
    const s = stridesOf(x.shape);
    if (!copy(ctx, out.shape, out, 0, stridesOf(out.shape), x, 0, attrs.perm.map((p) => s[p]))) fb(out, ins, attrs);
  };
}

export function expandKernel(ctx: Ctx): Kernel<'expand'> {
  const fb = ctx.fallback('expand');
  return (out, ins, attrs) => {
    const [x] = ins;
    // one value everywhere (zerosLike and friends build on this): a fill, not an N-d copy
    if (sizeOf(x.shape) === 1 && x.dtype !== 'float64') return ctx.fill(out, ctx.array(x)[0]);
    if (!copy(ctx, out.shape, out, 0, stridesOf(out.shape), x, 0, broadcastStrides(x.shape, out.shape))) fb(out, ins, attrs);
  };
}

export function sliceKernel(ctx: Ctx): Kernel<'slice'> {
  const fb = ctx.fallback('slice');
  return (out, ins, attrs) => {
    const [x] = ins;
    const s = stridesOf(x.shape);
    const off = attrs.starts.reduce((acc, st, i) => acc + st * s[i], 0);
    if (!copy(ctx, out.shape, out, 0, stridesOf(out.shape), x, off, s)) fb(out, ins, attrs);
  };
}

export function flipKernel(ctx: Ctx): Kernel<'flip'> {
  const fb = ctx.fallback('flip');
  return (out, ins, attrs) => {
    const [x] = ins;
    const s = stridesOf(x.shape);
    let off = 0;
    const strides = s.map((v, i) => {
      if (!attrs.axes.includes(i) || x.shape[i] === 0) return v;
      off += (x.shape[i] - 1) * v;
      return -v;
    });
    if (!copy(ctx, out.shape, out, 0, stridesOf(out.shape), x, off, strides)) fb(out, ins, attrs);
  };
}

export function padKernel(ctx: Ctx): Kernel<'pad'> {
  const fb = ctx.fallback('pad');
  return (out, ins, attrs) => {
    const [x] = ins;
    ctx.fill(out, attrs.value); // converts the value as the reference's typed-array fill does
    const os = stridesOf(out.shape);
    const base = attrs.before.reduce((acc, b, i) => acc + b * os[i], 0);
    if (!copy(ctx, x.shape, out, base, os, x, 0, stridesOf(x.shape))) fb(out, ins, attrs);
  };
}

export function concatKernel(ctx: Ctx): Kernel<'concat'> {
  const fb = ctx.fallback('concat');
  return (out, ins, attrs) => {
    if (ins.some((v) => v.dtype !== out.dtype)) return fb(out, ins, attrs);
    const { axis } = attrs;
    const outer = sizeOf(out.shape.slice(0, axis));
    const rowOut = sizeOf(out.shape.slice(axis));
    let col = 0;
    for (const v of ins) {
      const row = sizeOf(v.shape.slice(axis));
      copy(ctx, [outer, row], out, col, [rowOut, 1], v, 0, [row, 1]);
      col += row;
    }
  };
}
