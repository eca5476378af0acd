// SPDX-License-Identifier: MIT
// Each primitive as ONNX opset-13 nodes. Window primitives keep their meaning exactly: `unfold` is a
// grouped Conv with one-hot kernels and `fold` its ConvTranspose (each output is one input value,
// or a sum of them, so no rounding is added), `conv` is Conv on the weight reshaped to 4-D.
import { StrataError, fmtShape } from '../../core/errors.js';
import type { PrimAttrs, WindowAttrs } from '../../ir/prims.js';
import { type DType, promote } from '../../core/dtype.js';
import { type Attr, INT64 } from './proto.js';
import type { GraphBuilder } from './graph.js';
import type { Step } from './trace.js';
import { COMPOSED, lowerComposed } from './composed.js';

const UNARY: Partial<Record<string, string>> = {
  neg: 'Neg', exp: 'Exp', log: 'Log', sqrt: 'Sqrt', sin: 'Sin', cos: 'Cos', tanh: 'Tanh', sigmoid: 'Sigmoid', relu: 'Relu', abs: 'Abs', sign: 'Sign',
  // ONNX's Round is half to even too; log1p, expm1, trunc, log2, log10 and atan2 are composed.ts's
  floor: 'Floor', ceil: 'Ceil', round: 'Round', atan: 'Atan', asin: 'Asin', acos: 'Acos',
};
const BINARY: Partial<Record<string, string>> = {
  add: 'Add', sub: 'Sub', mul: 'Mul', div: 'Div', pow: 'Pow', maximum: 'Max', minimum: 'Min',
  eq: 'Equal', lt: 'Less', le: 'LessOrEqual', gt: 'Greater', ge: 'GreaterOrEqual', where: 'Where', gather: 'GatherElements',
};
const ONNX_TYPE: Record<DType, number> = { float32: 1, int32: 6, bool: 9, float64: 11 };
/** The most negative int64: a Slice end before the first element, for steps of −1. */
const BEFORE_START = -(2n ** 63n) + 1n;

/** The primitives `lower` maps (the others are reported as unsupported). */
export const LOWERED: ReadonlySet<string> = new Set([
  ...Object.keys(UNARY), ...Object.keys(BINARY), ...COMPOSED, 'fmod', 'ne', 'cast', 'sum', 'max', 'min', 'argmax', 'argmin', 'reshape', 'permute', 'expand',
  'slice', 'pad', 'flip', 'concat', 'matmul', 'unfold', 'fold', 'pool', 'conv', 'cumsum', 'argsort', 'cumprod', 'scatterAdd',
]);

/** ONNX pads [top, left, bottom, right] from Strata's [top, bottom, left, right]. */
const pads = (w: WindowAttrs): number[] => [w.padding[0], w.padding[2], w.padding[1], w.padding[3]];
const windowAttrs = (w: WindowAttrs): Attr[] => [
  { name: 'kernel_shape', ints: w.kernel }, { name: 'strides', ints: w.stride }, { name: 'pads', ints: pads(w) }, { name: 'dilations', ints: w.dilation },
];

/** One-hot kernels [C·kh·kw, 1, kh, kw]: output channel c·kh·kw + r of group c copies window offset r. */
function oneHot(g: GraphBuilder, channels: number, [kh, kw]: readonly [number, number]): string {
  const kk = kh * kw;
  const data = new Float32Array(channels * kk * kk);
  for (let o = 0; o < channels * kk; o++) data[o * kk + (o % kk)] = 1;
  return g.initializer('one_hot', [channels * kk, 1, kh, kw], data);
}

/** The elementwise primitives whose two operands (after where's condition) ONNX wants of one type. */
const MIXED_OK: ReadonlySet<string> = new Set([...Object.keys(BINARY).filter((p) => p !== 'where' && p !== 'gather'), 'fmod', 'ne']);
/**
 * The input names of `a`, with a Cast to the promoted type before an elementwise operand whose
 * dtype differs from the other's: Strata promotes (a bool mask compared with a float 0, as in
 * logicalNot), ONNX's Add, Equal, Where and the rest refuse mixed types.
 */
function sameType(g: GraphBuilder, a: Step, x: readonly string[]): readonly string[] {
  const first = a.prim === 'where' ? 1 : 0;
  if (!(MIXED_OK.has(a.prim) || a.prim === 'where') || a.ins.length < first + 2) return x;
  const p = a.ins[first].dtype, q = a.ins[first + 1].dtype;
  if (p === q) return x;
  const to = promote(p, q);
  return x.map((name, i) => (i >= first && a.ins[i].dtype !== to ? g.node('Cast', [name], [{ name: 'to', i: ONNX_TYPE[to] }]) : name));
}

/** Window counts along one axis (floor), as Strata's `windowCounts`. */
const windows = (n: number, k: number, s: number, d: number, p: number): number => Math.floor((n + p - d * (k - 1) - 1) / s) + 1;

/**
 * Emits the nodes of `a` (the step at the first batch size; `b` is the same step at the second) on
 * the input names `x` and returns the output's name.
 */
export function lower(g: GraphBuilder, a: Step, b: Step, names: readonly string[]): string {
  const op = a.prim;
  const x = sameType(g, a, names);
  const unary = UNARY[op];
  if (unary) return g.node(unary, x);
  // C's fmod is ONNX's Mod with fmod 1, exact in ONNX Runtime as here
  if (op === 'fmod') return g.node('Mod', x, [{ name: 'fmod', i: 1 }]);
  // a where of bools (logicalAnd, logicalOr) as one of int32s: ONNX Runtime has no bool Where
  if (op === 'where' && a.out.dtype === 'bool') {
    const ints = x.map((name, i) => (i === 0 ? name : g.node('Cast', [name], [{ name: 'to', i: ONNX_TYPE.int32 }])));
    return g.node('Cast', [g.node('Where', ints)], [{ name: 'to', i: ONNX_TYPE.bool }]);
  }
  const binary = BINARY[op];
  if (binary) return g.node(binary, x, op === 'gather' ? [{ name: 'axis', i: (a.attrs as PrimAttrs['gather']).axis }] : []);
  if (COMPOSED.has(op)) return lowerComposed(g, op, x);
  const outDims = (): string => g.dims(op, a.out.shape, b.out.shape);
  switch (op) {
    case 'ne': return g.node('Not', [g.node('Equal', x)]);
    case 'cast': return g.node('Cast', x, [{ name: 'to', i: ONNX_TYPE[(a.attrs as PrimAttrs['cast']).dtype] }]);
    case 'sum': {
      const { axes } = a.attrs as PrimAttrs['sum'];
      return axes.length ? g.node('ReduceSum', [x[0], g.int64(axes)], [{ name: 'keepdims', i: 1 }]) : g.node('Identity', x);
    }
    case 'max': case 'min': {
      const { axes } = a.attrs as PrimAttrs['max'];
      if (!axes.length) return g.node('Identity', x);
      return g.node(op === 'max' ? 'ReduceMax' : 'ReduceMin', x, [{ name: 'axes', ints: axes }, { name: 'keepdims', i: 1 }]);
    }
    case 'argmax': case 'argmin': {
      const { axis } = a.attrs as PrimAttrs['argmax'];
      const i64 = g.node(op === 'argmax' ? 'ArgMax' : 'ArgMin', x, [{ name: 'axis', i: axis }, { name: 'keepdims', i: 1 }]);
      return g.node('Cast', [i64], [{ name: 'to', i: ONNX_TYPE.int32 }]);
    }
    case 'reshape': return g.node('Reshape', [x[0], outDims()]);
    case 'expand': return g.node('Expand', [x[0], outDims()]);
    case 'permute': return g.node('Transpose', x, [{ name: 'perm', ints: (a.attrs as PrimAttrs['permute']).perm }]);
    case 'slice': {
      const sa = a.attrs as PrimAttrs['slice'], sb = b.attrs as PrimAttrs['slice'];
      return g.node('Slice', [x[0], g.dims(op, sa.starts, sb.starts), g.dims(op, sa.ends, sb.ends), g.int64(sa.starts.map((_, i) => i))]);
    }
    case 'pad': {
      const pa = a.attrs as PrimAttrs['pad'], pb = b.attrs as PrimAttrs['pad'];
      // Pad's value has the input's type: a float32 scalar shared with the other constants, or an
      // int32 or bool one of its own
      const dtype = a.ins[0].dtype;
      const value = dtype === 'float32' ? g.float32(pa.value)
        : g.initializer('pad_value', [], dtype === 'bool' ? Uint8Array.of(pa.value ? 1 : 0) : Int32Array.of(pa.value));
      return g.node('Pad', [x[0], g.dims(op, [...pa.before, ...pa.after], [...pb.before, ...pb.after]), value]);
    }
    case 'flip': {
      const { axes } = a.attrs as PrimAttrs['flip'];
      return g.node('Slice', [x[0], g.int64(axes.map(() => -1)), g.int64(axes.map(() => BEFORE_START)), g.int64(axes), g.int64(axes.map(() => -1))]);
    }
    case 'concat': return g.node('Concat', x, [{ name: 'axis', i: (a.attrs as PrimAttrs['concat']).axis }]);
    case 'matmul': {
      const { transA, transB } = a.attrs as PrimAttrs['matmul'];
      const t = (name: string, rank: number): string => {
        const perm = Array.from({ length: rank }, (_, i) => i);
        [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
        return g.node('Transpose', [name], [{ name: 'perm', ints: perm }]);
      };
      const { relu } = a.attrs as PrimAttrs['matmul'];
      let y = g.node('MatMul', [transA ? t(x[0], a.ins[0].ndim) : x[0], transB ? t(x[1], a.ins[1].ndim) : x[1]]);
      if (x.length > 2) y = g.node('Add', [y, x[2]]); // the bias epilogue (Linear's)
      return relu ? g.node('Relu', [y]) : y;
    }
    case 'conv': {
      const w = a.attrs as PrimAttrs['conv'];
      const [, c] = a.ins[0].shape;
      const weight = g.node('Reshape', [x[1], g.int64([a.ins[1].shape[0], c, ...w.kernel])]);
      let y = g.node('Conv', [x[0], weight, ...x.slice(2)], [...windowAttrs(w), { name: 'group', i: 1 }]);
      if (w.relu) y = g.node('Relu', [y]);
      return g.node('Reshape', [y, outDims()]);
    }
    case 'unfold': {
      const w = a.attrs as WindowAttrs;
      const c = a.ins[0].shape[1];
      const y = g.node('Conv', [x[0], oneHot(g, c, w.kernel)], [...windowAttrs(w), { name: 'group', i: c }]);
      return g.node('Reshape', [y, outDims()]);
    }
    case 'fold': {
      const fa = a.attrs as PrimAttrs['fold'], fb = b.attrs as PrimAttrs['fold'];
      const kk = fa.kernel[0] * fa.kernel[1];
      const c = a.ins[0].shape[1] / kk;
      const [oh, ow] = [0, 1].map((i) => windows(fa.outputSize[i], fa.kernel[i], fa.stride[i], fa.dilation[i], fa.padding[2 * i] + fa.padding[2 * i + 1]));
      const [ohB, owB] = [0, 1].map((i) => windows(fb.outputSize[i], fb.kernel[i], fb.stride[i], fb.dilation[i], fb.padding[2 * i] + fb.padding[2 * i + 1]));
      const x4 = g.node('Reshape', [x[0], g.dims(op, [...a.ins[0].shape.slice(0, 2), oh, ow], [...b.ins[0].shape.slice(0, 2), ohB, owB])]);
      // ConvTranspose's output is s·(n−1) + d·(k−1) + 1 + output_padding − pads; fold's is outputSize.
      const extra = [oh, ow].map((n, i) => fa.outputSize[i] + fa.padding[2 * i] + fa.padding[2 * i + 1] - (fa.stride[i] * (n - 1) + fa.dilation[i] * (fa.kernel[i] - 1) + 1));
      return g.node('ConvTranspose', [x4, oneHot(g, c, fa.kernel)], [...windowAttrs(fa), { name: 'group', i: c }, { name: 'output_padding', ints: extra }]);
    }
    case 'pool': {
      const w = a.attrs as PrimAttrs['pool'];
      const [h, wd] = a.ins[0].shape.slice(2);
      const floor = [windows(h, w.kernel[0], w.stride[0], w.dilation[0], w.padding[0] + w.padding[1]), windows(wd, w.kernel[1], w.stride[1], w.dilation[1], w.padding[2] + w.padding[3])];
      const ceil = floor[0] !== a.out.shape[2] || floor[1] !== a.out.shape[3];
      const attrs: Attr[] = [...windowAttrs(w), { name: 'ceil_mode', i: ceil ? 1 : 0 }];
      if (w.mode === 'max') return g.node('MaxPool', x, attrs);
      return g.node('Neg', [g.node('MaxPool', [g.node('Neg', x)], attrs)]);
    }
    case 'cumsum': {
      const { axis, reverse } = a.attrs as PrimAttrs['cumsum'];
      return g.node('CumSum', [x[0], g.int64([axis], true)], [{ name: 'reverse', i: reverse ? 1 : 0 }]);
    }
    case 'scatterAdd': {
      // ScatterElements adds (rather than overwrites) from opset 16 on, in the order of the updates,
      // as the primitive's kernels do; the graph is then written for opset 16
      g.needOpset(16);
      return g.node('ScatterElements', x, [{ name: 'axis', i: (a.attrs as PrimAttrs['scatterAdd']).axis }, { name: 'reduction', s: 'add' }]);
    }
    case 'cumprod': {
      const { axis } = a.attrs as PrimAttrs['cumprod'];
      const n = a.ins[0].shape[axis] ?? 1;
      if (n !== (b.ins[0].shape[axis] ?? 1)) {
        throw new StrataError('exportOnnx', `cumprod along axis ${axis} of ${fmtShape(a.ins[0].shape)}, whose length follows the batch size, has no ONNX form here (it is written out element by element)`);
      }
      return lowerCumprod(g, x[0], a.out.dtype, a.ins[0].shape.length === 0 ? -1 : axis, n);
    }
    case 'argsort': {
      const { axis, descending } = a.attrs as PrimAttrs['argsort'];
      return lowerArgsort(g, x[0], a.ins[0].dtype, axis, descending, g.dims(op, [a.ins[0].shape[axis]], [b.ins[0].shape[axis]]));
    }
    default:
      throw new Error(`unreachable: ${op} is not in LOWERED`);
  }
}

/**
 * argsort as TopK over the whole axis (`k` its length), whose ties go to the lower index first: a
 * stable sort, as the primitive's. int32 values are sorted as float64 (exact). NaN sorts above +∞
 * (first when descending), which TopK leaves undefined: NaN sorts as +∞ first, then the positions
 * are sorted again, stably, by whether their value is NaN, so that NaN follows every +∞ (or
 * precedes it) and the NaNs keep their order.
 */
function lowerArgsort(g: GraphBuilder, x: string, dtype: DType, axis: number, descending: boolean, k: string): string {
  const topk = (v: string): string => g.nodeOutputs('TopK', [v, k], 2, [{ name: 'axis', i: axis }, { name: 'largest', i: descending ? 1 : 0 }, { name: 'sorted', i: 1 }])[1];
  const gather = (v: string, at: string): string => g.node('GatherElements', [v, at], [{ name: 'axis', i: axis }]);
  let order: string;
  if (dtype === 'int32') order = topk(g.node('Cast', [x], [{ name: 'to', i: ONNX_TYPE.float64 }]));
  else {
    const nan = g.node('IsNaN', [x]);
    const first = topk(g.node('Where', [nan, g.float32(Infinity), x])); // x is float32: export refuses float64
    const byNan = topk(g.node('Cast', [gather(nan, first)], [{ name: 'to', i: ONNX_TYPE.float32 }]));
    order = gather(first, byNan);
  }
  return g.node('Cast', [order], [{ name: 'to', i: ONNX_TYPE.int32 }]);
}

/**
 * cumprod, which ONNX has no operator for, written out along its axis (`n` long, -1 for a 0-d
 * tensor): the elements split apart, each running product one Mul, and the products concatenated.
 * Float products are taken in float64 and rounded to the output's type at the end, as the
 * primitive's kernels accumulate them (so float32 results are the same bits); integer ones in int64,
 * whose low 32 bits are the kernels' wrapped int32 while the product is exact in their float64
 * (below 2^53).
 */
function lowerCumprod(g: GraphBuilder, x: string, dtype: DType, axis: number, n: number): string {
  const wide = g.node('Cast', [x], [{ name: 'to', i: dtype === 'int32' ? INT64 : ONNX_TYPE.float64 }]);
  let out = wide;
  if (axis >= 0 && n > 1) {
    const parts = g.nodeOutputs('Split', [wide, g.int64(new Array<number>(n).fill(1))], n, [{ name: 'axis', i: axis }]);
    const running = [parts[0]];
    for (let i = 1; i < n; i++) running.push(g.node('Mul', [running[i - 1], parts[i]]));
    out = g.node('Concat', running, [{ name: 'axis', i: axis }]);
  }
  return g.node('Cast', [out], [{ name: 'to', i: ONNX_TYPE[dtype] }]);
}
