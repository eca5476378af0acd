// SPDX-License-Identifier: MIT
// Ops of ONNX (default domain, opsets 9–18) that lay data out anew: Tile (torch's repeat), Range
// (arange, on the host when its bounds are shape arithmetic), DepthToSpace (pixel_shuffle, mode CRD;
// other exporters' DCR), SpaceToDepth, Trilu (triu, tril) and OneHot (one_hot).
import { tensor } from '../../tensor/creation.js';
import { pixelShuffle } from '../../nn/functional/pixel-shuffle.js';
import { normAxis } from '../../core/shape.js';
import { where } from '../../tensor/composite.js';
import { Tensor } from '../../tensor/tensor.js';
import { positions } from './ops-logic.js';
import { HostInts, type OpContext, type OpImpl, type Value, positionsAlong } from './values.js';

/** Tile: x repeated `repeats[i]` times along each axis i (one count per axis). */
function tile(ctx: OpContext): Value[] {
  const x = ctx.input(0);
  const reps = ctx.ints(1);
  const rank = x instanceof HostInts ? x.dims.length : ctx.tensor(0).ndim;
  if (reps.length !== rank || reps.some((r) => !Number.isInteger(r) || r < 0)) {
    return ctx.fail(`repeats [${reps.join(', ')}] must be one count >= 0 per axis of the rank-${rank} input`);
  }
  if (x instanceof HostInts && rank === 1) return [new HostInts([x.values.length * reps[0]], Array.from({ length: reps[0] }, () => x.values).flat())];
  return [ctx.tensor(0).tile(reps)];
}

/**
 * Range: start, start + delta, ... up to (not including) limit, max(ceil((limit − start) / delta), 0)
 * values; host integers when all three are (shape arithmetic), else a tensor of start's dtype.
 */
function range(ctx: OpContext): Value[] {
  const [start, limit, delta] = [0, 1, 2].map((i) => {
    const v = ctx.numbers(i);
    if (v.length !== 1) ctx.fail(`input ${i} must be a scalar, got ${v.length} values`);
    return v[0];
  });
  if (delta === 0) return ctx.fail('delta must not be 0');
  const n = Math.max(Math.ceil((limit - start) / delta), 0);
  const values = Array.from({ length: n }, (_, i) => start + i * delta);
  const inputs = [ctx.input(0), ctx.input(1), ctx.input(2)];
  if (inputs.every((v) => v instanceof HostInts)) return [new HostInts([n], values)];
  const like = inputs.find((v): v is Tensor => v instanceof Tensor);
  const dtype = ctx.input(0) instanceof Tensor ? ctx.tensor(0).dtype : 'int32';
  return [tensor(values, { shape: [n], dtype, backend: like?.backend.name ?? ctx.backend })];
}

/** The four sizes of a rank-4 input, each of the spatial ones (and the channels for DepthToSpace) divisible as needed. */
function dims4(ctx: OpContext, x: Tensor, b: number, toSpace: boolean): [number, number, number, number] {
  if (!Number.isInteger(b) || b < 1) return ctx.fail(`blocksize must be a positive integer, got ${b}`);
  if (x.ndim !== 4) return ctx.fail(`input must be [N, C, H, W], got rank ${x.ndim}`);
  const [n, c, h, w] = x.shape;
  if (toSpace ? c % (b * b) !== 0 : h % b !== 0 || w % b !== 0) {
    return ctx.fail(`input [${x.shape.join(', ')}] does not divide into blocks of ${b}: ${toSpace ? `C must be a multiple of ${b * b}` : `H and W must be multiples of ${b}`}`);
  }
  return [n, c, h, w];
}

/**
 * DepthToSpace: [N, C·b², H, W] → [N, C, H·b, W·b]. Mode CRD (PyTorch's pixel_shuffle) takes output
 * (c, h·b + i, w·b + j) from channel c·b² + i·b + j; DCR (the default) from channel (i·b + j)·C + c.
 */
function depthToSpace(ctx: OpContext): Value[] {
  const x = ctx.tensor(0);
  const b = ctx.int('blocksize', 0);
  const [n, c, h, w] = dims4(ctx, x, b, true);
  const mode = ctx.string('mode', 'DCR');
  if (mode === 'CRD') return [pixelShuffle(x, b)];
  if (mode !== 'DCR') return ctx.fail(`mode '${mode}' is not DCR or CRD`);
  return [x.reshape([n, b, b, c / (b * b), h, w]).permute([0, 3, 4, 1, 5, 2]).reshape([n, c / (b * b), h * b, w * b])];
}

/** SpaceToDepth: [N, C, H·b, W·b] → [N, b²·C, H, W], output channel (i·b + j)·C + c from (c, h·b + i, w·b + j). */
function spaceToDepth(ctx: OpContext): Value[] {
  const x = ctx.tensor(0);
  const b = ctx.int('blocksize', 0);
  const [n, c, h, w] = dims4(ctx, x, b, false);
  return [x.reshape([n, c, h / b, b, w / b, b]).permute([0, 3, 5, 1, 2, 4]).reshape([n, c * b * b, h / b, w / b])];
}

/** Trilu: the upper (upper 1, the default) or lower triangle of the last two axes, from diagonal k (an optional input). */
function trilu(ctx: OpContext): Value[] {
  const x = ctx.tensor(0);
  if (x.ndim < 2) return ctx.fail(`input must have at least 2 axes, got rank ${x.ndim}`);
  const k = ctx.input(1) === undefined ? 0 : ctx.ints(1)[0];
  return [ctx.int('upper', 1) === 1 ? x.triu(k) : x.tril(k)];
}

/**
 * OneHot: `values[1]` where an index (counted from the end when negative) equals the position along
 * a new axis of `depth`, else `values[0]`; indices outside [-depth, depth) give a row of values[0].
 */
function oneHot(ctx: OpContext): Value[] {
  const depth = ctx.numbers(1);
  if (depth.length !== 1 || !Number.isInteger(depth[0]) || depth[0] < 1) return ctx.fail(`depth must be one integer >= 1, got [${depth.join(', ')}]`);
  const values = ctx.tensor(2);
  if (values.size !== 2) return ctx.fail(`values must be [off, on], got ${values.size} values`);
  const n = depth[0];
  const idx = positions(ctx, 0, n);
  const axis = normAxis('importOnnx OneHot', ctx.int('axis', -1), idx.ndim + 1);
  const hot = idx.unsqueeze(axis).eq(positionsAlong(n, axis, idx.ndim + 1, idx.backend.name));
  return [where(hot, values.slice(0, 1, 2).reshape([]), values.slice(0, 0, 1).reshape([]))];
}

export const LAYOUT_OPS: Record<string, OpImpl> = {
  Tile: tile,
  Range: range,
  DepthToSpace: depthToSpace,
  SpaceToDepth: spaceToDepth,
  Trilu: trilu,
  OneHot: oneHot,
};
