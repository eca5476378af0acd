// SPDX-License-Identifier: MIT
// The layer ops of ONNX: convolutions, pooling, batch norm, Gemm, Pad, Resize (nearest, linear) and
// Upsample (opset 9).
// ONNX pads list every axis's start, then every axis's end: [h_begin, w_begin, h_end, w_end].
import { normAxis } from '../../core/shape.js';
import { batchNorm } from '../../nn/functional/normalization.js';
import { conv1d, conv2d, convTranspose2d } from '../../nn/functional/conv.js';
import { interpolate } from '../../nn/functional/interpolate.js';
import { linear } from '../../nn/functional/linear.js';
import { pad as padMode } from '../../nn/functional/pad.js';
import { avgPool1d, avgPool2d, maxPool1d, maxPool2d } from '../../nn/functional/pool.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { OpContext, OpImpl, Value } from './values.js';

/** Spatial padding from `pads`/`auto_pad` as [begin, end] per spatial axis. */
function padsOf(ctx: OpContext, spatial: number): [number, number][] {
  const autoPad = ctx.string('auto_pad', 'NOTSET');
  if (autoPad !== 'NOTSET' && autoPad !== 'VALID') ctx.fail(`auto_pad ${autoPad} is not supported (export with explicit pads)`);
  const pads = autoPad === 'VALID' ? [] : ctx.intList('pads', []);
  return Array.from({ length: spatial }, (_, i) => [pads[i] ?? 0, pads[i + spatial] ?? 0]);
}

/** Strata's 2-D padding: [top, bottom, left, right]. */
const pad2d = (p: [number, number][]): [number, number, number, number] => [p[0][0], p[0][1], p[1][0], p[1][1]];

function conv(ctx: OpContext): Value[] {
  const x = ctx.tensor(0), w = ctx.tensor(1), b = ctx.optionalTensor(2);
  const spatial = w.ndim - 2;
  const pads = padsOf(ctx, spatial);
  const stride = ctx.intList('strides', new Array<number>(spatial).fill(1));
  const dilation = ctx.intList('dilations', new Array<number>(spatial).fill(1));
  const groups = ctx.int('group', 1);
  if (spatial === 2) return [conv2d(x, w, b, { padding: pad2d(pads), stride: [stride[0], stride[1]], dilation: [dilation[0], dilation[1]], groups })];
  if (spatial === 1) return [conv1d(x, w, b, { padding: pads[0], stride: stride[0], dilation: dilation[0], groups })];
  return ctx.fail(`${spatial}-D convolution is not supported (1-D and 2-D are)`);
}

/** ConvTranspose in 2-D, or in 1-D as a 2-D one over a height of 1. */
function convTranspose(ctx: OpContext): Value[] {
  const x = ctx.tensor(0), w = ctx.tensor(1), b = ctx.optionalTensor(2);
  if (w.ndim !== 4 && w.ndim !== 3) return ctx.fail(`${w.ndim - 2}-D transposed convolution is not supported (1-D and 2-D are)`);
  if (ctx.has('output_shape')) return ctx.fail('output_shape is not supported (export with pads and output_padding)');
  const one = w.ndim === 3;
  const pads = padsOf(ctx, one ? 1 : 2);
  if (pads.some(([p, q]) => p !== q)) return ctx.fail(`asymmetric pads ${JSON.stringify(pads)} are not supported`);
  const lift = (v: number[], fill: number): number[] => (one ? [fill, ...v] : v);
  const stride = lift(ctx.intList('strides', one ? [1] : [1, 1]), 1);
  const dilation = lift(ctx.intList('dilations', one ? [1] : [1, 1]), 1);
  const outPad = lift(ctx.intList('output_padding', one ? [0] : [0, 0]), 0);
  const padding = lift(pads.map(([p]) => p), 0);
  const y = convTranspose2d(one ? x.unsqueeze(2) : x, one ? w.unsqueeze(2) : w, b, {
    padding: [padding[0], padding[1]], stride: [stride[0], stride[1]], dilation: [dilation[0], dilation[1]],
    outputPadding: [outPad[0], outPad[1]], groups: ctx.int('group', 1),
  });
  return [one ? y.squeeze(2) : y];
}

function pool(ctx: OpContext, kind: 'max' | 'avg'): Value[] {
  const x = ctx.tensor(0);
  if (kind === 'max' && ctx.node.outputs.length > 1 && ctx.node.outputs[1]) return ctx.fail('the Indices output is not supported');
  const kernel = ctx.intList('kernel_shape', []);
  const spatial = kernel.length;
  const pads = padsOf(ctx, spatial);
  // ONNX's default stride is 1, PyTorch's (and Strata's) the kernel size: always pass it.
  const stride = ctx.intList('strides', new Array<number>(spatial).fill(1));
  const dilation = ctx.intList('dilations', new Array<number>(spatial).fill(1));
  const countIncludePad = ctx.int('count_include_pad', 0) === 1;
  // ceil_mode: PyTorch's rule (a last window must start inside the input or its left padding)
  const ceilMode = ctx.int('ceil_mode', 0) === 1;
  if (spatial === 2) {
    const opts = { padding: pad2d(pads), stride: [stride[0], stride[1]] as [number, number], dilation: [dilation[0], dilation[1]] as [number, number], countIncludePad, ceilMode };
    return [kind === 'max' ? maxPool2d(x, [kernel[0], kernel[1]], opts) : avgPool2d(x, [kernel[0], kernel[1]], opts)];
  }
  if (spatial === 1) {
    const opts = { padding: pads[0], stride: stride[0], dilation: dilation[0], countIncludePad, ceilMode };
    return [kind === 'max' ? maxPool1d(x, kernel[0], opts) : avgPool1d(x, kernel[0], opts)];
  }
  return ctx.fail(`${spatial}-D pooling is not supported (1-D and 2-D are)`);
}

function gemm(ctx: OpContext): Value[] {
  let a = ctx.tensor(0), b = ctx.tensor(1);
  const c = ctx.optionalTensor(2);
  const alpha = ctx.float('alpha', 1), beta = ctx.float('beta', 1);
  const transA = ctx.int('transA', 0) === 1, transB = ctx.int('transB', 0) === 1;
  if (transA) a = a.t();
  // The common case (a Linear layer: B transposed, alpha = beta = 1) is one matmul with the bias.
  if (transB && alpha === 1 && beta === 1) return [linear(a, b, c)];
  if (transB) b = b.t();
  let y = a.matmul(b);
  if (alpha !== 1) y = y.mul(alpha);
  if (c) y = y.add(beta === 1 ? c : c.mul(beta));
  return [y];
}

function batchNormalization(ctx: OpContext): Value[] {
  if (ctx.node.outputs.filter((o) => o).length > 1) return ctx.fail('running-statistics outputs (training_mode export) are not supported');
  const [x, scale, bias, mean, variance] = [0, 1, 2, 3, 4].map((i) => ctx.tensor(i));
  // ONNX's momentum weighs the old statistic (0.9); PyTorch's weighs the new one (0.1).
  return [batchNorm(x, mean, variance, scale, bias, { training: ctx.training, momentum: 1 - ctx.float('momentum', 0.9), eps: ctx.float('epsilon', 1e-5) })];
}

function pad(ctx: OpContext): Value[] {
  const x = ctx.tensor(0);
  // ONNX's modes as F.pad's: edge is replicate, and wrap (opset 19) is circular
  const mode = ({ constant: 'constant', reflect: 'reflect', edge: 'replicate', wrap: 'circular' } as const)[ctx.string('mode', 'constant')];
  if (!mode) return ctx.fail(`mode ${ctx.string('mode', '')} is not supported (constant, reflect, edge or wrap)`);
  const r = x.ndim;
  const given = ctx.opset >= 11 ? ctx.ints(1) : ctx.intList('pads', []);
  // from opset 18 the pads may cover only the axes of a fourth input (begins, then ends)
  const axes = ctx.input(3) === undefined ? null : ctx.ints(3).map((a) => normAxis('importOnnx Pad', a, r));
  if (axes && given.length !== 2 * axes.length) return ctx.fail(`pads [${given.join(', ')}] must hold a begin and an end for each of the axes [${axes.join(', ')}]`);
  const pads = axes ? Array.from({ length: 2 * r }, (_, i) => { const k = axes.indexOf(i % r); return k < 0 ? 0 : given[k + (i < r ? 0 : axes.length)]; }) : given;
  const value = ctx.opset < 11 ? ctx.float('value', 0) : ctx.input(2) === undefined ? 0 : ctx.numbers(2)[0];
  if (pads.some((p) => p < 0)) return ctx.fail(`negative pads ${pads.join(',')} are not supported`);
  // Strata's pad lists (before, after) from the last axis backwards.
  const pairs: number[] = [];
  for (let d = r - 1; d >= 0; d--) pairs.push(pads[d] ?? 0, pads[d + r] ?? 0);
  if (pads.every((p) => p === 0)) return [x];
  return [mode === 'constant' ? x.pad(pairs, value) : padMode(x, trimmed(pairs), mode)];
}

/** F.pad's pairs without the leading axes' zero pairs (its modes other than constant pad trailing axes only). */
function trimmed(pairs: number[]): number[] {
  let n = pairs.length;
  while (n > 2 && pairs[n - 1] === 0 && pairs[n - 2] === 0) n -= 2;
  return pairs.slice(0, n);
}

/** Source index of output position `o` along an axis of `n` → `m` elements, per ONNX's Resize. */
function nearestSource(ctx: OpContext, o: number, n: number, m: number, scale: number, mode: string, rounding: string): number {
  let x: number;
  switch (mode) {
    case 'asymmetric': x = o / scale; break;
    case 'half_pixel': x = (o + 0.5) / scale - 0.5; break;
    case 'pytorch_half_pixel': x = m > 1 ? (o + 0.5) / scale - 0.5 : 0; break;
    case 'align_corners': x = m > 1 ? (o * (n - 1)) / (m - 1) : 0; break;
    default: return ctx.fail(`coordinate_transformation_mode ${mode} is not supported`);
  }
  let i: number;
  switch (rounding) {
    case 'floor': i = Math.floor(x); break;
    case 'ceil': i = Math.ceil(x); break;
    case 'round_prefer_floor': i = x - Math.floor(x) === 0.5 ? Math.floor(x) : Math.round(x); break;
    case 'round_prefer_ceil': i = Math.round(x); break;
    default: return ctx.fail(`nearest_mode ${rounding} is not supported`);
  }
  return Math.min(Math.max(i, 0), n - 1);
}

/**
 * Upsample (opset 9) and Resize-10: X and scales only, the source coordinate dst / scale rounded
 * down (PyTorch's nearest). Their linear mode is not PyTorch's bilinear (it maps corners
 * asymmetrically) and is refused.
 */
function legacyResize(ctx: OpContext): Value[] {
  const x = ctx.tensor(0);
  const mode = ctx.string('mode', 'nearest');
  if (mode !== 'nearest') return ctx.fail(`mode ${mode} is not supported before opset 11 (only nearest)`);
  const scales = ctx.numbers(1);
  if (scales.length !== x.ndim) return ctx.fail(`needs a scale for each of the ${x.ndim} axes, got ${scales.length}`);
  return [nearestResize(ctx, x, x.shape.map((d, a) => Math.floor(d * scales[a])), scales, 'asymmetric', 'floor')];
}

/** Nearest-neighbour resizing: a gather along each resized axis, so gradients flow back by autograd. */
function nearestResize(ctx: OpContext, x: Tensor, sizes: number[], scales: number[], mode: string, rounding: string): Tensor {
  const shape = [...x.shape];
  for (let a = 0; a < shape.length; a++) {
    if (sizes[a] === shape[a] && scales[a] === 1) continue;
    x = x.indexSelect(a, Array.from({ length: sizes[a] }, (_, o) => nearestSource(ctx, o, shape[a], sizes[a], scales[a], mode, rounding)));
  }
  return x;
}

function resize(ctx: OpContext): Value[] {
  if (ctx.opset < 11) return legacyResize(ctx);
  const x = ctx.tensor(0);
  const mode = ctx.string('mode', 'nearest');
  if (mode !== 'nearest' && mode !== 'linear') return ctx.fail(`mode ${mode} is not supported (only nearest and linear)`);
  const policy = ctx.string('keep_aspect_ratio_policy', 'stretch');
  if (policy !== 'stretch') return ctx.fail(`keep_aspect_ratio_policy ${policy} is not supported (only stretch)`);
  // (antialias, from opset 18, applies to the linear and cubic modes only)
  const shape = [...x.shape];
  // from opset 18 the scales or sizes may be given for the `axes` only; the others keep their size
  const axes = ctx.has('axes') ? ctx.intList('axes', []).map((a) => normAxis('importOnnx Resize', a, shape.length)) : null;
  const full = (v: number[], keep: (a: number) => number): number[] => (axes && v.length ? shape.map((_, a) => (axes.includes(a) ? v[axes.indexOf(a)] : keep(a))) : v);
  const scalesIn = full(ctx.input(2) === undefined ? [] : ctx.numbers(2), () => 1);
  const sizesIn = full(ctx.input(3) === undefined ? [] : ctx.ints(3), (a) => shape[a]);
  const sizes = sizesIn.length ? sizesIn : shape.map((d, i) => Math.floor(d * scalesIn[i]));
  const scales = scalesIn.length ? scalesIn : sizes.map((s, i) => s / shape[i]);
  if (sizes.length !== shape.length) return ctx.fail(`needs scales or sizes for all ${shape.length} axes`);
  if (mode === 'linear') return [linearResize(ctx, x, sizes, scalesIn.length ? scalesIn : null)];
  return [nearestResize(ctx, x, sizes, scales, ctx.string('coordinate_transformation_mode', 'half_pixel'), ctx.string('nearest_mode', 'round_prefer_floor'))];
}

/**
 * Resize in mode linear: PyTorch's linear (3-D) and bilinear (4-D) interpolation of the spatial
 * axes, as torch.onnx.export writes F.interpolate: coordinate_transformation_mode
 * pytorch_half_pixel (half_pixel where no output axis has size 1, where the two differ) for
 * align_corners=False, align_corners for True; the scales when given (as scale_factor), else the sizes.
 */
function linearResize(ctx: OpContext, x: Tensor, sizes: number[], scales: number[] | null): Tensor {
  if (x.ndim !== 3 && x.ndim !== 4) return ctx.fail(`mode linear needs an input [N, C, L] or [N, C, H, W], got rank ${x.ndim}`);
  if (sizes[0] !== x.shape[0] || sizes[1] !== x.shape[1]) return ctx.fail(`mode linear resizes the spatial axes only, got sizes [${sizes.join(', ')}] for input [${x.shape.join(', ')}]`);
  if (ctx.int('antialias', 0) !== 0) return ctx.fail('antialias=1 is not supported');
  const cm = ctx.string('coordinate_transformation_mode', 'half_pixel');
  const spatialSizes = sizes.slice(2);
  const halfPixel = cm === 'pytorch_half_pixel' || (cm === 'half_pixel' && spatialSizes.every((s) => s > 1));
  if (!halfPixel && cm !== 'align_corners') return ctx.fail(`coordinate_transformation_mode ${cm} is not supported in mode linear (pytorch_half_pixel, half_pixel or align_corners)`);
  const how = { mode: x.ndim === 3 ? 'linear' : 'bilinear', alignCorners: cm === 'align_corners' } as const;
  return interpolate(x, scales ? { ...how, scaleFactor: scales.slice(2) } : { ...how, size: spatialSizes });
}

export const NN_OPS: Record<string, OpImpl> = {
  Conv: conv,
  ConvTranspose: convTranspose,
  Gemm: gemm,
  MaxPool: (ctx) => pool(ctx, 'max'),
  AveragePool: (ctx) => pool(ctx, 'avg'),
  GlobalAveragePool: (ctx) => {
    const x = ctx.tensor(0);
    return [x.mean(Array.from({ length: x.ndim - 2 }, (_, i) => i + 2), true)];
  },
  GlobalMaxPool: (ctx) => {
    const x = ctx.tensor(0);
    return [x.amax(Array.from({ length: x.ndim - 2 }, (_, i) => i + 2), true)];
  },
  BatchNormalization: batchNormalization,
  Pad: pad,
  Resize: resize,
  Upsample: legacyResize,
};
