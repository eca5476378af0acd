// SPDX-License-Identifier: MIT
// NaN, ±Infinity and -0 through every primitive (and the composites whose rules for them are their
// own), against PyTorch. The inputs, PyTorch's values and its gradients (for the upstream gradient
// 1, 2, 3, ...) are in ops.nonfinite.expected.json, written by scripts/nonfinite-expected.py from
// torch 1.13; this table says, for each of that file's cases by name, which Strata code runs it
// and which primitives it exercises (every primitive needs at least one case). Some of PyTorch's
// answers worth knowing, all taken from that file:
//   relu(NaN) = NaN, relu(-0) = -0; its gradient at NaN passes (threshold_backward: y <= 0 is false)
//   sign(NaN) = 0 (pytorch/pytorch#41245: NumPy says NaN, PyTorch keeps 0), and so abs' gradient
//     at NaN is 0
//   maximum/minimum propagate NaN, and the gradient of a NaN comparison goes whole to both sides
//   max/min reductions propagate NaN; argmax/argmin give the first NaN; max/min pooling takes the
//     last NaN of the window (its loop: `val > max || isnan(val)`), and the gradient goes there
//   pow(1, NaN) = pow(-1, ±inf) = pow(NaN, 0) = 1 (C's pow, not Math.pow)
//   float→int32 of NaN, ±inf or out of range is -2147483648 (x86-64; C++ leaves it undefined)
//   softmax/logSoftmax: a row holding NaN or +inf, or only -inf, is all NaN; -inf alone gives 0
//   clamp(NaN) = NaN with gradient 0; at a bound the gradient is whole
import * as st from 'strata-dl';

type Prim = st.Prim;

export interface NonFiniteCase {
  /** The primitives this case exercises. */
  prims: Prim[];
  f: (...xs: st.Tensor[]) => st.Tensor;
}

const win = (kernel: number, stride: number, pad: number): st.WindowAttrs => ({
  kernel: [kernel, kernel], stride: [stride, stride], padding: [pad, pad, pad, pad], dilation: [1, 1],
});
const unary = (p: Prim, f: (x: st.Tensor) => st.Tensor): NonFiniteCase => ({ prims: [p], f });
const binary = (p: Prim): NonFiniteCase => ({ prims: [p], f: (a, b) => st.prims.bind(p, [a, b], {}) });

export const NONFINITE: Record<string, NonFiniteCase> = {
  neg: unary('neg', (x) => x.neg()),
  exp: unary('exp', (x) => x.exp()),
  log: unary('log', (x) => x.log()),
  sqrt: unary('sqrt', (x) => x.sqrt()),
  sin: unary('sin', (x) => x.sin()),
  cos: unary('cos', (x) => x.cos()),
  tanh: unary('tanh', (x) => x.tanh()),
  sigmoid: unary('sigmoid', (x) => x.sigmoid()),
  relu: unary('relu', (x) => x.relu()),
  abs: unary('abs', (x) => x.abs()),
  sign: unary('sign', (x) => x.sign()),
  add: binary('add'),
  sub: binary('sub'),
  mul: binary('mul'),
  div: binary('div'),
  maximum: binary('maximum'),
  minimum: binary('minimum'),
  'add broadcast': binary('add'),
  pow: binary('pow'),
  reluGrad: binary('reluGrad'),
  eq: binary('eq'),
  ne: binary('ne'),
  lt: binary('lt'),
  le: binary('le'),
  gt: binary('gt'),
  ge: binary('ge'),
  where: { prims: ['where'], f: (c, a, b) => a.where(c, b) },
  'cast float→int32': { prims: ['cast'], f: (x) => x.to('int32') },
  'cast float→bool': { prims: ['cast'], f: (x) => x.to('bool') },
  'cast float→float32→float': { prims: ['cast'], f: (x) => x.to(x.dtype === 'float32' ? 'float64' : 'float32').to(x.dtype) },
  'sum axis 1': { prims: ['sum'], f: (x) => x.sum(1) },
  'sum all': { prims: ['sum'], f: (x) => x.sum() },
  'mean axis 1': { prims: ['sum', 'div'], f: (x) => x.mean(1) },
  'max axis 1': { prims: ['max'], f: (x) => x.amax(1) },
  'min axis 1': { prims: ['min'], f: (x) => x.amin(1) },
  'max all, two NaNs': { prims: ['max'], f: (x) => x.max() },
  'argmax axis 1': { prims: ['argmax'], f: (x) => x.argmax(1) },
  'argmin axis 1': { prims: ['argmin'], f: (x) => x.argmin(1) },
  // .mul(1): reshape alone shares the input's storage
  reshape: { prims: ['reshape'], f: (x) => x.reshape(3, 2).mul(1) },
  permute: { prims: ['permute'], f: (x) => x.permute(1, 0) },
  expand: { prims: ['expand'], f: (x) => x.expand(2, 3) },
  slice: { prims: ['slice'], f: (x) => x.slice(1, 1) },
  'pad with NaN': { prims: ['pad'], f: (x) => x.pad([1, 0], NaN) },
  'pad with -inf': { prims: ['pad'], f: (x) => x.pad([0, 1], -Infinity) },
  flip: { prims: ['flip'], f: (x) => x.flip(1) },
  'cumsum axis 1': { prims: ['cumsum'], f: (x) => x.cumsum(1) },
  'cumprod axis 1': { prims: ['cumprod'], f: (x) => x.cumprod(1) },
  'argsort axis 1': { prims: ['argsort'], f: (x) => x.argsort(1) },
  concat: { prims: ['concat'], f: (a, b) => st.cat([a, b], 1) },
  gather: { prims: ['gather'], f: (x, i) => x.gather(1, i) },
  scatterAdd: { prims: ['scatterAdd'], f: (x, i, s) => x.scatterAdd(0, i, s) },
  matmul: { prims: ['matmul'], f: (a, b) => a.matmul(b) },
  'matmul 0·inf': { prims: ['matmul'], f: (a, b) => a.matmul(b) },
  'unfold 2x2, padded': { prims: ['unfold'], f: (x) => st.prims.bind('unfold', [x], win(2, 1, 1)) },
  'fold (inf + -inf overlap)': { prims: ['fold'], f: (c) => st.prims.bind('fold', [c], { ...win(2, 1, 0), outputSize: [3, 3] }) },
  'poolIndex max (the last NaN wins)': { prims: ['poolIndex'], f: (x) => st.prims.bind('poolIndex', [x], { ...win(2, 1, 0), mode: 'max' }) },
  'poolIndex min (the last NaN wins)': { prims: ['poolIndex'], f: (x) => st.prims.bind('poolIndex', [x], { ...win(2, 1, 0), mode: 'min' }) },
  'pool max': { prims: ['pool'], f: (x) => st.prims.bind('pool', [x], { ...win(2, 1, 0), mode: 'max' }) },
  'pool min': { prims: ['pool'], f: (x) => st.prims.bind('pool', [x], { ...win(2, 1, 0), mode: 'min' }) },
  'maxPool2d padded': { prims: ['pool', 'poolIndex', 'gather'], f: (x) => st.nn.functional.maxPool2d(x, 2, { stride: 2, padding: 1 }) },
  conv: { prims: ['conv'], f: (x, w) => st.prims.bind('conv', [x, w.reshape(2, 4)], win(2, 1, 0)) },
  'conv + bias + ReLU': { prims: ['conv'], f: (x, w, b) => st.prims.bind('conv', [x, w.reshape(2, 4), b], { ...win(2, 1, 0), relu: true }) },
  'conv with inf': { prims: ['conv'], f: (x, w) => st.prims.bind('conv', [x, w.reshape(2, 4)], win(2, 1, 0)) },
  softmax: { prims: ['max', 'exp', 'sum', 'log'], f: (x) => x.softmax(1) },
  logSoftmax: { prims: ['max', 'exp', 'sum', 'log'], f: (x) => x.logSoftmax(1) },
  logsumexp: { prims: ['max', 'exp', 'sum', 'log'], f: (x) => x.logsumexp(1) },
  clamp: { prims: ['maximum', 'minimum', 'where'], f: (x) => x.clamp(-1, 0.5) },
  'clamp min only': { prims: ['maximum', 'where'], f: (x) => x.clamp(0) },
  leakyRelu: { prims: ['gt', 'where'], f: (x) => st.nn.functional.leakyRelu(x, 0.1) },
  elu: { prims: ['le', 'where', 'exp'], f: (x) => st.nn.functional.elu(x) },
  softplus: { prims: ['maximum', 'abs', 'exp', 'log'], f: (x) => st.nn.functional.softplus(x) },
  // gelu(-inf) = -inf·0 = NaN in PyTorch too
  gelu: { prims: ['abs', 'exp', 'sign', 'mul'], f: (x) => st.nn.functional.gelu(x) },
  'gelu tanh': { prims: ['tanh', 'mul'], f: (x) => st.nn.functional.gelu(x, 'tanh') },
  floor: unary('floor', (x) => x.floor()),
  ceil: unary('ceil', (x) => x.ceil()),
  round: unary('round', (x) => x.round()),
  trunc: unary('trunc', (x) => x.trunc()),
  frac: { prims: ['trunc', 'sub'], f: (x) => x.frac() },
  log1p: unary('log1p', (x) => x.log1p()),
  expm1: unary('expm1', (x) => x.expm1()),
  atan: unary('atan', (x) => x.atan()),
  asin: unary('asin', (x) => x.asin()),
  acos: unary('acos', (x) => x.acos()),
  atan2: binary('atan2'),
  tan: { prims: ['sin', 'cos', 'div'], f: (x) => x.tan() },
  sinh: { prims: ['expm1', 'exp', 'where'], f: (x) => x.sinh() },
  cosh: { prims: ['exp', 'mul'], f: (x) => x.cosh() },
  asinh: { prims: ['log1p', 'sqrt', 'log', 'where'], f: (x) => x.asinh() },
  // without −∞ (scripts/nonfinite-expected.py): acosh(−∞) is NaN as in PyTorch, whose gradient
  // formula gives 0 there, where the composed one gives NaN. Below −1, where the value is NaN, the
  // gradients agree, though in float32 the composed one loses digits as |x| grows (1% at −800)
  acosh: { prims: ['log1p', 'sqrt', 'log', 'where'], f: (x) => x.acosh() },
  atanh: { prims: ['log1p'], f: (x) => x.atanh() },
  rsqrt: { prims: ['sqrt', 'div'], f: (x) => x.rsqrt() },
  log2: unary('log2', (x) => x.log2()),
  log10: unary('log10', (x) => x.log10()),
  exp2: { prims: ['pow'], f: (x) => x.exp2() },
  diag: { prims: ['pad', 'expand', 'where'], f: (x) => x.diag() },
  logicalXor: { prims: ['ne'], f: (a, b) => a.logicalXor(b) },
  'any axis 1': { prims: ['ne', 'sum', 'gt'], f: (x) => x.any(1) },
  'all axis 1': { prims: ['eq', 'sum'], f: (x) => x.all(1) },
  'nansum axis 1': { prims: ['ne', 'where', 'sum'], f: (x) => x.nansum(1) },
  nansum: { prims: ['ne', 'where', 'sum'], f: (x) => x.nansum() },
  // no row of NaNs alone (scripts/nonfinite-expected.py): its mean is NaN in both, and PyTorch's
  // gradient there is NaN (its nansum multiplies the gradient by the mask), Strata's 0 (a where)
  'nanmean axis 1': { prims: ['ne', 'where', 'sum', 'div'], f: (x) => x.nanmean(1) },
  isclose: { prims: ['sub', 'abs', 'le', 'eq'], f: (a, b) => a.isclose(b) },
  'isclose equal_nan rtol 1e-2': { prims: ['sub', 'abs', 'le', 'eq'], f: (a, b) => a.isclose(b, { rtol: 1e-2, atol: 0, equalNan: true }) },
  'countNonzero axis 0': { prims: ['ne', 'sum'], f: (x) => x.countNonzero(0) },
  fmod: binary('fmod'),
  remainder: { prims: ['fmod', 'where'], f: (a, b) => a.remainder(b) },
  logaddexp: { prims: ['maximum', 'log1p', 'exp', 'where'], f: (a, b) => a.logaddexp(b) },
  logaddexp2: { prims: ['maximum', 'log1p', 'pow', 'where'], f: (a, b) => a.logaddexp2(b) },
  xlogy: { prims: ['log', 'where'], f: (a, b) => a.xlogy(b) },
  hypot: { prims: ['sqrt', 'div', 'where'], f: (a, b) => a.hypot(b) },
  'div floor': { prims: ['fmod', 'div', 'floor', 'where'], f: (a, b) => a.div(b, 'floor') },
  'div trunc': { prims: ['div', 'trunc'], f: (a, b) => a.div(b, 'trunc') },
  cummax: { prims: ['ge', 'where', 'gather'], f: (x) => x.cummax(0).values },
  'cummax indices': { prims: ['ge', 'where', 'concat'], f: (x) => x.cummax(0).indices },
  cummin: { prims: ['le', 'where', 'gather'], f: (x) => x.cummin(0).values },
  'cummin indices': { prims: ['le', 'where', 'concat'], f: (x) => x.cummin(0).indices },
  searchsorted: { prims: ['ge', 'gather', 'where'], f: (s, v) => s.searchsorted(v) },
  'searchsorted right': { prims: ['gt', 'gather', 'where'], f: (s, v) => s.searchsorted(v, true) },
  bucketize: { prims: ['ge', 'gather', 'where'], f: (x, b) => x.bucketize(b) },
  kron: { prims: ['mul', 'reshape'], f: (a, b) => a.kron(b) },
  cross: { prims: ['mul', 'sub', 'slice', 'concat'], f: (a, b) => a.cross(b) },
  cdist: { prims: ['sub', 'sqrt', 'sum'], f: (a, b) => st.cdist(a, b) },
  'cdist p 1': { prims: ['sub', 'abs', 'sum'], f: (a, b) => st.cdist(a, b, 1) },
  logit: { prims: ['log', 'log1p'], f: (x) => x.logit() },
  'logit eps 0.25': { prims: ['maximum', 'minimum', 'log', 'log1p'], f: (x) => x.logit(0.25) },
};
