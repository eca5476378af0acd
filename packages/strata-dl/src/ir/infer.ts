// SPDX-License-Identifier: MIT
import { type DType, isFloat, promote } from '../core/dtype.js';
import { StrataError, fmtShape } from '../core/errors.js';
import { type Shape, broadcastShapes, sizeOf } from '../core/shape.js';
import { BINARY, COMPARE, UNARY, type Prim, type PrimAttrs, type WindowAttrs } from './prims.js';

export interface Meta { readonly shape: Shape; readonly dtype: DType }
export interface OutMeta { shape: number[]; dtype: DType }

const unarySet: ReadonlySet<string> = new Set(UNARY);
const binarySet: ReadonlySet<string> = new Set(BINARY);
const compareSet: ReadonlySet<string> = new Set(COMPARE);
const INT_OK: ReadonlySet<string> = new Set(['neg', 'abs', 'sign', 'relu']);

/** Output shape and dtype of a primitive; validates its inputs and throws errors that name the op. */
export function infer<P extends Prim>(prim: P, ins: readonly Meta[], attrs: PrimAttrs[P]): OutMeta {
  if (unarySet.has(prim)) {
    const x = ins[0];
    if (!isFloat(x.dtype) && !(INT_OK.has(prim) && x.dtype === 'int32')) {
      throw new StrataError(prim, `expects a floating-point tensor, got ${x.dtype} ${fmtShape(x.shape)}`);
    }
    return { shape: [...x.shape], dtype: x.dtype };
  }
  if (binarySet.has(prim)) {
    const shape = broadcastShapes(prim, ins[0].shape, ins[1].shape);
    const dtype = promote(ins[0].dtype, ins[1].dtype);
    if (dtype === 'bool') throw new StrataError(prim, 'arithmetic on two bool tensors; cast one to int32 or float32 first');
    return { shape, dtype };
  }
  if (compareSet.has(prim)) return { shape: broadcastShapes(prim, ins[0].shape, ins[1].shape), dtype: 'bool' };
  const a = attrs as PrimAttrs[Prim];
  switch (prim) {
    case 'where': {
      if (ins[0].dtype !== 'bool') throw new StrataError('where', `condition must be bool, got ${ins[0].dtype}`);
      return { shape: broadcastShapes('where', ins[0].shape, ins[1].shape, ins[2].shape), dtype: promote(ins[1].dtype, ins[2].dtype) };
    }
    case 'cast': return { shape: [...ins[0].shape], dtype: (a as PrimAttrs['cast']).dtype };
    case 'sum': case 'max': case 'min': {
      const { axes } = a as PrimAttrs['sum'];
      const x = ins[0];
      if (prim !== 'sum' && axes.some((ax) => x.shape[ax] === 0)) {
        throw new StrataError(prim, `cannot reduce an empty dimension of ${fmtShape(x.shape)}`);
      }
      const dtype = prim === 'sum' && x.dtype === 'bool' ? 'int32' : x.dtype;
      return { shape: x.shape.map((d, i) => (axes.includes(i) ? 1 : d)), dtype };
    }
    case 'argmax': case 'argmin': {
      const { axis } = a as PrimAttrs['argmax'];
      if (ins[0].shape[axis] === 0) throw new StrataError(prim, `cannot reduce an empty dimension of ${fmtShape(ins[0].shape)}`);
      return { shape: ins[0].shape.map((d, i) => (i === axis ? 1 : d)), dtype: 'int32' };
    }
    case 'reshape': {
      const { shape } = a as PrimAttrs['reshape'];
      if (sizeOf(shape) !== sizeOf(ins[0].shape)) {
        throw new StrataError('reshape', `cannot reshape ${fmtShape(ins[0].shape)} (${sizeOf(ins[0].shape)} elements) to ${fmtShape(shape)}`);
      }
      return { shape: [...shape], dtype: ins[0].dtype };
    }
    case 'permute': {
      const { perm } = a as PrimAttrs['permute'];
      const r = ins[0].shape.length;
      const ok = perm.length === r && [...perm].sort((p, q) => p - q).every((p, i) => p === i);
      if (!ok) throw new StrataError('permute', `[${perm.join(',')}] is not a permutation of the ${r} axes of ${fmtShape(ins[0].shape)}`);
      return { shape: perm.map((p) => ins[0].shape[p]), dtype: ins[0].dtype };
    }
    case 'expand': {
      const { shape } = a as PrimAttrs['expand'];
      const x = ins[0].shape;
      const off = shape.length - x.length;
      const ok = off >= 0 && x.every((d, i) => d === shape[off + i] || d === 1);
      if (!ok) throw new StrataError('expand', `cannot expand ${fmtShape(x)} to ${fmtShape(shape)}`);
      return { shape: [...shape], dtype: ins[0].dtype };
    }
    case 'slice': {
      const { starts, ends } = a as PrimAttrs['slice'];
      const x = ins[0].shape;
      x.forEach((d, i) => {
        if (!(starts[i] >= 0 && starts[i] <= ends[i] && ends[i] <= d)) {
          throw new StrataError('slice', `range [${starts[i]}, ${ends[i]}) is out of bounds for dimension ${i} of ${fmtShape(x)}`);
        }
      });
      return { shape: x.map((_, i) => ends[i] - starts[i]), dtype: ins[0].dtype };
    }
    case 'pad': {
      const { before, after } = a as PrimAttrs['pad'];
      if ([...before, ...after].some((p) => p < 0 || !Number.isInteger(p))) throw new StrataError('pad', 'padding amounts must be non-negative integers');
      return { shape: ins[0].shape.map((d, i) => d + before[i] + after[i]), dtype: ins[0].dtype };
    }
    case 'flip': return { shape: [...ins[0].shape], dtype: ins[0].dtype };
    case 'concat': {
      const { axis } = a as PrimAttrs['concat'];
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
    }
    case 'gather': {
      const { axis } = a as PrimAttrs['gather'];
      const [x, idx] = ins;
      checkIndex('gather', idx);
      const ok = idx.shape.length === x.shape.length && idx.shape.every((d, i) => i === axis || d <= x.shape[i]);
      if (!ok) throw new StrataError('gather', `index ${fmtShape(idx.shape)} does not fit input ${fmtShape(x.shape)} along dimension ${axis}`);
      return { shape: [...idx.shape], dtype: x.dtype };
    }
    case 'scatterAdd': {
      const { axis } = a as PrimAttrs['scatterAdd'];
      const [x, idx, src] = ins;
      checkIndex('scatterAdd', idx);
      const ok = idx.shape.length === x.shape.length && src.shape.length === x.shape.length &&
        idx.shape.every((d, i) => d <= src.shape[i] && (i === axis || d <= x.shape[i]));
      if (!ok) throw new StrataError('scatterAdd', `index ${fmtShape(idx.shape)} and src ${fmtShape(src.shape)} do not fit input ${fmtShape(x.shape)} along dimension ${axis}`);
      return { shape: [...x.shape], dtype: promote(x.dtype, src.dtype) };
    }
    case 'matmul': return inferMatmul(ins[0], ins[1], a as PrimAttrs['matmul']);
    case 'unfold': {
      const x = ins[0];
      if (x.shape.length !== 4) throw new StrataError('unfold', `input must be [N, C, H, W], got ${fmtShape(x.shape)}`);
      const w = a as WindowAttrs;
      const [oh, ow] = windowCounts('unfold', [x.shape[2], x.shape[3]], w);
      return { shape: [x.shape[0], x.shape[1] * w.kernel[0] * w.kernel[1], oh * ow], dtype: x.dtype };
    }
    case 'conv': {
      const [x, wt] = ins;
      const w = a as WindowAttrs;
      const k = x.shape.length === 4 ? x.shape[1] * w.kernel[0] * w.kernel[1] : -1;
      if (x.shape.length !== 4 || wt.shape.length !== 2 || wt.shape[1] !== k) {
        throw new StrataError('conv', `input ${fmtShape(x.shape)} must be [N, C, H, W] and weight ${fmtShape(wt.shape)} [O, C·${w.kernel[0]}·${w.kernel[1]}]`);
      }
      if (!isFloat(x.dtype) || x.dtype !== wt.dtype) throw new StrataError('conv', `input and weight must share a floating dtype, got ${x.dtype} and ${wt.dtype}`);
      const bias = ins[2];
      if (bias && (bias.shape.length !== 1 || bias.shape[0] !== wt.shape[0] || bias.dtype !== x.dtype)) {
        throw new StrataError('conv', `bias ${fmtShape(bias.shape)} (${bias.dtype}) must be [${wt.shape[0]}] (${x.dtype}), one per filter of weight ${fmtShape(wt.shape)}`);
      }
      const [oh, ow] = windowCounts('conv', [x.shape[2], x.shape[3]], w);
      return { shape: [x.shape[0], wt.shape[0], oh * ow], dtype: x.dtype };
    }
    case 'fold': {
      const x = ins[0];
      const w = a as PrimAttrs['fold'];
      const kk = w.kernel[0] * w.kernel[1];
      const [oh, ow] = windowCounts('fold', w.outputSize, w);
      if (x.shape.length !== 3 || x.shape[1] % kk !== 0 || x.shape[2] !== oh * ow) {
        throw new StrataError('fold', `input ${fmtShape(x.shape)} does not hold ${kk}-element windows at ${oh * ow} positions of a ${w.outputSize.join('x')} output`);
      }
      return { shape: [x.shape[0], x.shape[1] / kk, ...w.outputSize], dtype: x.dtype };
    }
    case 'poolIndex':
    case 'pool': {
      const x = ins[0];
      const w = a as PrimAttrs['poolIndex'];
      if (x.shape.length !== 4 || x.dtype === 'bool') throw new StrataError(prim, `input must be a numeric [N, C, H, W], got ${x.dtype} ${fmtShape(x.shape)}`);
      if (w.mode !== 'max' && w.mode !== 'min') throw new StrataError(prim, `mode must be 'max' or 'min', got '${String(w.mode)}'`);
      const [oh, ow] = poolWindowCounts(prim, [x.shape[2], x.shape[3]], w);
      return { shape: [x.shape[0], x.shape[1], oh, ow], dtype: prim === 'pool' ? x.dtype : 'int32' };
    }
    case 'cumsum': case 'cumprod': case 'argsort': return inferScan(prim, ins[0], (a as PrimAttrs['cumsum']).axis);
    default: throw new StrataError(prim, 'unknown primitive');
  }
}

/** Scans and argsort keep the shape; cumsum of bool/int32 counts in int32, argsort gives int32 positions. */
function inferScan(prim: 'cumsum' | 'cumprod' | 'argsort', x: Meta, axis: number): OutMeta {
  if (!(Number.isInteger(axis) && axis >= 0 && axis < Math.max(x.shape.length, 1))) {
    throw new StrataError(prim, `axis ${axis} is out of range for ${fmtShape(x.shape)}`);
  }
  if (prim === 'argsort') {
    if (x.dtype === 'bool') throw new StrataError('argsort', `expects a numeric tensor, got bool ${fmtShape(x.shape)}`);
    return { shape: [...x.shape], dtype: 'int32' };
  }
  return { shape: [...x.shape], dtype: x.dtype === 'bool' ? 'int32' : x.dtype };
}

function checkIndex(op: string, idx: Meta): void {
  if (idx.dtype !== 'int32') throw new StrataError(op, `index must be int32, got ${idx.dtype}`);
}

function inferMatmul(a: Meta, b: Meta, { transA, transB, sumBatch }: PrimAttrs['matmul']): OutMeta {
  if (a.shape.length < 2 || b.shape.length < 2) {
    throw new StrataError('matmul', `operands must have rank >= 2 here, got a ${fmtShape(a.shape)} and b ${fmtShape(b.shape)}`);
  }
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = transA ? a.shape[ra - 1] : a.shape[ra - 2];
  const ka = transA ? a.shape[ra - 2] : a.shape[ra - 1];
  const kb = transB ? b.shape[rb - 1] : b.shape[rb - 2];
  const n = transB ? b.shape[rb - 2] : b.shape[rb - 1];
  if (ka !== kb) {
    throw new StrataError('matmul', `a ${fmtShape(a.shape)} and b ${fmtShape(b.shape)}: inner dimensions ${ka} != ${kb}`);
  }
  const batch = broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
  const dtype = promote(a.dtype, b.dtype);
  if (!isFloat(dtype)) throw new StrataError('matmul', `expects floating-point operands, got ${a.dtype} and ${b.dtype}`);
  return { shape: sumBatch ? [m, n] : [...batch, m, n], dtype };
}

/** Number of window positions along H and W; throws when the window does not fit. */
export function windowCounts(op: string, [h, w]: readonly number[], a: WindowAttrs): [number, number] {
  const [kh, kw] = a.kernel;
  const [sh, sw] = a.stride;
  const [dh, dw] = a.dilation;
  const [pt, pb, pl, pr] = a.padding;
  const oh = Math.floor((h + pt + pb - dh * (kh - 1) - 1) / sh) + 1;
  const ow = Math.floor((w + pl + pr - dw * (kw - 1) - 1) / sw) + 1;
  if (!(oh > 0 && ow > 0) || [kh, kw, sh, sw, dh, dw].some((v) => !(Number.isInteger(v) && v > 0))) {
    throw new StrataError(op, `a ${kh}x${kw} window (stride ${sh}x${sw}, dilation ${dh}x${dw}, padding [${a.padding.join(',')}]) does not fit a ${h}x${w} input`);
  }
  return [oh, ow];
}

/**
 * Window counts of max/min pooling, which also needs a real input in every window (an all-padding
 * window has no element to select). Windows are products of a row set and a column set, so checking
 * each axis is enough. This checks the property itself rather than PyTorch's proxy for it
 * (`padding <= dilated kernel / 2`), which lets through a dilated window that straddles a small
 * input and rejects 'full' padding, whose windows all hold a real input.
 */
export function poolWindowCounts(op: string, [h, w]: readonly number[], a: WindowAttrs): [number, number] {
  const [oh, ow] = windowCounts(op, [h, w], a);
  const axes: [string, number, number, number, number, number][] = [
    ['rows', h, oh, a.kernel[0], a.stride[0], a.dilation[0]], ['columns', w, ow, a.kernel[1], a.stride[1], a.dilation[1]],
  ];
  const before = [a.padding[0], a.padding[2]];
  axes.forEach(([what, n, count, k, s, d], i) => {
    for (let o = 0; o < count; o++) {
      const start = o * s - before[i];
      let real = false;
      for (let t = 0; t < k && !real; t++) real = start + t * d >= 0 && start + t * d < n;
      if (!real) {
        throw new StrataError(op, `window ${o} along the ${what} holds only padding (input ${h}x${w}, kernel ${a.kernel.join('x')}, stride ${a.stride.join('x')}, dilation ${a.dilation.join('x')}, padding [${a.padding.join(',')}]); padding should be at most half the dilated kernel`);
      }
    }
  });
  return [oh, ow];
}
