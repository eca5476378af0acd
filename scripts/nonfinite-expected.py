# SPDX-License-Identifier: MIT
# PyTorch's answers for the non-finite op table (test/ops.nonfinite.table.ts): for each case, the
# inputs, torch's forward value and the gradients of every float input for the upstream gradient
# 1, 2, 3, ... (in float64). Writes test/ops.nonfinite.expected.json, which the tests read; the
# table itself only says which Strata function each case runs. Rerun after changing a case:
#   /usr/bin/python3 scripts/nonfinite-expected.py   (Debian's python3-torch; 1.13 made the file)
# Non-finite numbers are written as the strings "nan", "inf", "-inf", and negative zero as "-0".
import json
import math
import os

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
nan, inf = math.nan, math.inf
CASES = {}


def case(name, inputs, fn, grad=True):
    """inputs: list of (values, shape, kind) with kind 'float' | 'int32' | 'bool'."""
    CASES[name] = (inputs, fn, grad)


def F_(values, shape=None):
    return (values, shape or [len(values)], 'float')


def I_(values, shape=None):
    return (values, shape or [len(values)], 'int32')


def B_(values, shape=None):
    return (values, shape or [len(values)], 'bool')


U = F_([nan, inf, -inf, -0.0, 0.0, -1.5, 2.0])
for op in ['neg', 'exp', 'log', 'sqrt', 'sin', 'cos', 'tanh', 'sigmoid', 'relu', 'abs']:
    case(op, [U], getattr(torch, op))
case('sign', [U], torch.sign, grad=False)  # sign(NaN) = 0 in PyTorch (pytorch/pytorch#41245)

A = F_([nan, 1.0, nan, inf, inf, -inf, 0.0, 1.0, -1.0, 1.0, 0.0, 2.0])
B = F_([1.0, nan, nan, inf, -inf, -inf, inf, 0.0, 0.0, -0.0, 0.0, -inf])
for op in ['add', 'sub', 'mul', 'div', 'maximum', 'minimum']:
    case(op, [A, B], getattr(torch, op))
case('add broadcast', [F_([nan, inf, 1.0], [3, 1]), F_([-inf, 2.0])], torch.add)
case('pow', [F_([0.0, 0.0, 0.0, nan, 1.0, -1.0, 2.0, -2.0, 0.0, inf, 1.0, -1.0, -inf, 0.5, nan]),
             F_([0.0, -1.0, 2.0, 0.0, nan, 0.5, inf, 2.0, -0.5, 0.0, inf, -inf, -1.0, -inf, 1.0])], torch.pow)
case('reluGrad', [F_([1.0, 2.0, 3.0, nan, inf, 6.0, 7.0]), F_([nan, -0.0, 0.0, -1.0, -inf, inf, 1.0])],
     lambda g, y: torch.ops.aten.threshold_backward(g, y, 0))
CA = F_([nan, nan, 1.0, inf, -inf, inf, 0.0, -inf])
CB = F_([nan, 1.0, nan, inf, -inf, -inf, -0.0, 1.0])
for op in ['eq', 'ne', 'lt', 'le', 'gt', 'ge']:
    case(op, [CA, CB], getattr(torch, op), grad=False)
case('where', [B_([1, 0, 1, 0]), F_([nan, nan, inf, 1.0]), F_([inf, -inf, nan, nan])], torch.where)
case('cast float→int32', [F_([nan, inf, -inf, 3e9, -3e9, 2.7, -2.7, -0.0, 2147483520.0])], lambda x: x.to(torch.int32), grad=False)
case('cast float→bool', [F_([nan, inf, -inf, -0.0, 0.0, 1e-30])], lambda x: x.to(torch.bool), grad=False)
case('cast float→float32→float', [F_([nan, inf, -inf, -0.0, 1e39, -1e39])], lambda x: x.to(torch.float32).to(torch.float64))
R = F_([inf, 1.0, 2.0, 0.0, inf, -inf, 0.0, 1.0, nan, 1.0, 2.0, 3.0, -inf, -inf, 1.0, 0.0], [4, 4])
case('sum axis 1', [R], lambda x: x.sum(1))
case('sum all', [F_([inf, 1.0, -0.0])], lambda x: x.sum())
case('mean axis 1', [R], lambda x: x.mean(1))
M = F_([1.0, nan, 3.0, nan, 1.0, inf, inf, -inf, -inf, -inf, -inf, -inf, nan, nan, nan, nan, 2.0, -inf, 5.0, inf], [5, 4])


def per_row(f):
    # torch.max(x) (all elements) splits the gradient evenly among the NaNs when the result is NaN
    # (evenly_distribute_backward); torch.amax(x, 1) would make the whole row's gradient NaN and
    # torch.max(x, 1).values would send it to the first NaN. Strata's max follows torch.max(x)
    # row by row.
    return lambda x: torch.stack([f(r) for r in x.unbind(0)])


case('max axis 1', [M], per_row(torch.max))
case('min axis 1', [M], per_row(torch.min))
case('max all, two NaNs', [F_([1.0, nan, 3.0, nan])], torch.max)
case('argmax axis 1', [M], lambda x: x.argmax(1), grad=False)
case('argmin axis 1', [M], lambda x: x.argmin(1), grad=False)
X = F_([nan, 1.0, inf, -inf, 2.0, -0.0], [2, 3])
case('reshape', [X], lambda x: x.reshape(3, 2))
case('permute', [X], lambda x: x.permute(1, 0))
case('expand', [F_([nan, inf], [2, 1])], lambda x: x.expand(2, 3))
case('slice', [X], lambda x: x[:, 1:])
case('pad with NaN', [X], lambda x: F.pad(x, (1, 0), value=nan))
case('pad with -inf', [X], lambda x: F.pad(x, (0, 1), value=-inf))
case('flip', [X], lambda x: x.flip(1))
case('cumsum axis 1', [F_([1.0, nan, 2.0, inf, 1.0, -inf, -inf, 2.0, inf, -0.0, 1.0, 2.0], [3, 4])], lambda x: x.cumsum(1))
case('cumprod axis 1', [F_([2.0, nan, 3.0, inf, 0.0, 2.0, -inf, 0.5, 1.0, -0.0, 2.0, 3.0], [3, 4])], lambda x: x.cumprod(1))
case('argsort axis 1', [F_([nan, 1.0, inf, -inf, 2.0, nan, -0.0, 0.0], [2, 4])], lambda x: torch.sort(x, dim=1, stable=True).indices, grad=False)
case('concat', [X, F_([inf, nan], [2, 1])], lambda a, b: torch.cat([a, b], 1))
case('gather', [X, I_([2, 0, 1, 1], [2, 2])], lambda x, i: x.gather(1, i))
case('scatterAdd', [F_([0.0, 1.0, nan, 0.0], [2, 2]), I_([0, 0, 1, 1], [2, 2]), F_([inf, -inf, 1.0, inf], [2, 2])],
     lambda x, i, s: x.scatter_add(0, i, s))
case('matmul', [F_([inf, 1.0, 0.0, 2.0, nan, 1.0], [2, 3]), F_([0.0, 1.0, 1.0, -inf, 2.0, 0.0], [3, 2])], torch.matmul)
case('matmul 0·inf', [F_([0.0, 0.0, 1.0, 0.0], [2, 2]), F_([inf, 1.0, 1.0, 1.0], [2, 2])], torch.matmul)
IMG = F_([1.0, nan, 5.0, 2.0, nan, 3.0, nan, 0.0, 4.0, 9.0, 9.0, 1.0, 0.0, -inf, 0.0, inf], [1, 1, 4, 4])
case('unfold 2x2, padded', [IMG], lambda x: F.unfold(x, 2, padding=1))
case('fold (inf + -inf overlap)', [F_([inf, 1.0, 0.0, 2.0, -inf, 1.0, nan, 0.0, 1.0, 0.0, 0.0, 1.0, 2.0, 0.0, 1.0, 1.0], [1, 4, 4])],
     lambda c: F.fold(c, (3, 3), 2))


def pool_index(mode):
    def f(x):
        _, idx = F.max_pool2d(x if mode == 'max' else -x, 2, 1, return_indices=True)
        return idx
    return f


def pool(mode):
    return lambda x: F.max_pool2d(x, 2, 1) if mode == 'max' else -F.max_pool2d(-x, 2, 1)


for mode in ['max', 'min']:
    case(f'poolIndex {mode} (the last NaN wins)', [IMG], pool_index(mode), grad=False)
    case(f'pool {mode}', [IMG], pool(mode))
case('maxPool2d padded', [IMG], lambda x: F.max_pool2d(x, 2, 2, padding=1))
W = F_([1.0, -1.0, 0.5, 2.0, -1.0, 0.0, 1.0, 1.0], [2, 1, 2, 2])
CIMG = F_([1.0, nan, 0.0, -2.0, 1.0, 0.5, -1.0, 2.0, 3.0], [1, 1, 3, 3])
case('conv', [CIMG, W], lambda x, w: F.conv2d(x, w).reshape(1, 2, 4))
case('conv + bias + ReLU', [CIMG, W, F_([-100.0, 0.5])], lambda x, w, b: torch.relu(F.conv2d(x, w, b)).reshape(1, 2, 4))
case('conv with inf', [F_([1.0, inf, 0.0, -2.0, 1.0, 0.5, -1.0, 2.0, 3.0], [1, 1, 3, 3]), W], lambda x, w: F.conv2d(x, w).reshape(1, 2, 4))
# composites
S = F_([1.0, nan, 3.0, 1.0, inf, 2.0, 1.0, -inf, 2.0, -inf, -inf, -inf, inf, inf, 0.0, 1000.0, 0.0, -1000.0], [6, 3])
case('softmax', [S], lambda x: torch.softmax(x, 1))
case('logSoftmax', [S], lambda x: torch.log_softmax(x, 1))
case('logsumexp', [S], lambda x: torch.logsumexp(x, 1))
case('clamp', [F_([nan, inf, -inf, -1.0, 0.5, 0.0, 3.0])], lambda x: torch.clamp(x, -1, 0.5))
case('clamp min only', [F_([nan, -inf, 0.0, 2.0])], lambda x: torch.clamp(x, min=0))
case('leakyRelu', [U], lambda x: F.leaky_relu(x, 0.1))
case('elu', [U], F.elu)
case('softplus', [U], F.softplus)
case('gelu', [U], F.gelu)
case('gelu tanh', [U], lambda x: F.gelu(x, approximate='tanh'))

# rounding (steps: zero gradient), log1p/expm1 and the inverse trigonometric functions
UR = F_([nan, inf, -inf, -0.0, 0.0, -0.5, 0.5, 1.5, 2.5, -2.5, -0.4, 1.7])
for op in ['floor', 'ceil', 'round', 'trunc']:
    case(op, [UR], getattr(torch, op))
case('frac', [UR], torch.frac)
case('log1p', [F_([nan, inf, -inf, -0.0, 0.0, -1.0, -1.5, 2.0, 1e-10])], torch.log1p)
case('expm1', [F_([nan, inf, -inf, -0.0, 0.0, -1.5, 2.0, 1e-10])], torch.expm1)
case('atan', [U], torch.atan)
UA = F_([nan, inf, -inf, -0.0, 0.0, -1.0, 1.0, 1.5, -0.5])
case('asin', [UA], torch.asin)
case('acos', [UA], torch.acos)
case('atan2', [F_([0.0, -0.0, 0.0, -0.0, 1.0, -1.0, inf, -inf, inf, -inf, nan, 1.0, 0.0, 1.0, -0.0]),
               F_([0.0, 0.0, -0.0, -0.0, 0.0, -0.0, inf, inf, -inf, -inf, 1.0, nan, -1.0, -inf, -1.0])], torch.atan2)
case('tan', [U], torch.tan)
# (large values that float32 holds too: sinh(50) and cosh(-80) are finite in float32)
UH = F_([nan, inf, -inf, -0.0, 0.0, -1.5, 2.0, 1.0, -1.0, 0.5, 50.0, -80.0])
for op in ['sinh', 'cosh', 'asinh', 'atanh']:
    case(op, [UH], getattr(torch, op))
# acosh without -inf: there PyTorch's gradient formula, 1/sqrt(x^2 - 1), gives 0 where the value is
# NaN, and Strata's composed acosh gives NaN (test/ops.nonfinite.table.ts)
case('acosh', [F_([nan, inf, -0.0, 0.0, -1.5, 2.0, 1.0, -1.0, 0.5, 50.0, -3.0])], torch.acosh)
case('rsqrt', [U], torch.rsqrt)
case('log2', [F_([nan, inf, -inf, -0.0, 0.0, -1.5, 8.0, 0.5])], torch.log2)
case('log10', [F_([nan, inf, -inf, -0.0, 0.0, -1.5, 1000.0, 0.01])], torch.log10)
case('exp2', [U], torch.exp2)
case('diag', [F_([nan, inf, -inf])], torch.diag)
case('logicalXor', [F_([nan, 0.0, -0.0, inf, 1.0]), F_([0.0, nan, 1.0, 0.0, -0.0])], torch.logical_xor, grad=False)
case('any axis 1', [F_([0.0, nan, 0.0, -0.0, 0.0, 0.0], [3, 2])], lambda x: torch.any(x, 1), grad=False)
case('all axis 1', [F_([inf, nan, 0.0, 1.0, -0.0, 0.0], [3, 2])], lambda x: torch.all(x, 1), grad=False)
# the NaN-skipping reductions, isclose and count_nonzero
case('nansum axis 1', [F_([nan, 1.0, inf, nan, -0.0, 2.0, -inf, 3.0, nan], [3, 3])], lambda x: torch.nansum(x, 1))
case('nansum', [F_([nan, -0.0, 2.5, nan])], torch.nansum)
# (no row of NaNs alone: its mean is NaN in both, but PyTorch's gradient there is NaN, Strata's 0)
case('nanmean axis 1', [F_([nan, 1.0, 2.0, nan, -0.0, nan, inf, -inf, 4.0], [3, 3])], lambda x: torch.nanmean(x, 1))
CLOSE_A = F_([1.0, 1.0, inf, inf, -inf, nan, nan, 5.0, 0.0, -0.0, 1e-9, inf])
CLOSE_B = F_([1.000001, 1.001, inf, -inf, -inf, nan, 1.0, inf, -0.0, 1e-9, 0.0, 5.0])
case('isclose', [CLOSE_A, CLOSE_B], torch.isclose, grad=False)
case('isclose equal_nan rtol 1e-2', [CLOSE_A, CLOSE_B], lambda a, b: torch.isclose(a, b, rtol=1e-2, atol=0.0, equal_nan=True), grad=False)
case('countNonzero axis 0', [F_([0.0, nan, -0.0, inf, 1.0, 0.0], [3, 2])], lambda x: torch.count_nonzero(x, 0), grad=False)
# the exact remainders (values exact in float32 too: 2^100 over 3/8 has a quotient of 2^102.4)
REM_A = F_([5.5, -5.5, 5.5, -5.5, 0.0, -0.0, 0.0, inf, -inf, nan, 3.0, 3.0, -3.0, 2.0 ** 100, -7.0, 1.0])
REM_B = F_([2.0, 2.0, -2.0, -2.0, 3.0, 3.0, -3.0, 2.0, 2.0, 2.0, 0.0, inf, inf, 0.375, -inf, nan])
case('fmod', [REM_A, REM_B], torch.fmod)
case('remainder', [REM_A, REM_B], torch.remainder)
# log-domain sums, x·log y, hypot and logit
LSE_A = F_([nan, 1.0, inf, inf, -inf, -inf, inf, 0.0, -0.0, 1000.0, -1000.0, 2.0])
LSE_B = F_([1.0, nan, inf, -inf, -inf, 1.0, 2.0, 0.0, 0.0, 1000.0, -1000.0, -3.0])
case('logaddexp', [LSE_A, LSE_B], torch.logaddexp)
case('logaddexp2', [LSE_A, LSE_B], torch.logaddexp2)
# (PyTorch's gradient through x is xlogy(g, y), 0 where x = 0 and y <= 0: log 3 at x = -0, y = 3)
case('xlogy', [F_([0.0, 0.0, 0.0, 1.0, 1.0, 2.0, nan, inf, -inf, 0.0, 1.0, -1.0, -0.0, 0.0, 0.0]),
               F_([inf, -1.0, nan, 0.0, inf, -1.0, 1.0, 0.0, 2.0, 1.0, nan, 0.5, 3.0, 0.0, -0.0])], torch.xlogy)
case('hypot', [F_([0.0, 3.0, -3.0, inf, nan, -inf, nan, 2.0 ** 100, 2.0 ** -100, -0.0, 1.0]),
               F_([0.0, -4.0, 4.0, nan, inf, 1.0, 1.0, 2.0 ** 100, 2.0 ** -100, 5.0, -0.0])], torch.hypot)
# rounded division (PyTorch's floor division: exact, and a / b itself where b is 0)
DIV_A = F_([7.0, -7.0, 7.0, -7.0, 0.0, -0.0, 1.0, -1.0, inf, nan, 5.0, -5.0, 0.5, -0.5, 2.0 ** 100, 1.0])
DIV_B = F_([2.0, 2.0, -2.0, -2.0, 3.0, 3.0, 0.0, 0.0, 2.0, 1.0, inf, inf, -3.0, 3.0, 0.375, nan])
case('div floor', [DIV_A, DIV_B], lambda a, b: torch.div(a, b, rounding_mode='floor'), grad=False)
case('div trunc', [DIV_A, DIV_B], lambda a, b: torch.div(a, b, rounding_mode='trunc'), grad=False)
# running extrema (a NaN takes over and stays until the next; ties go to the later), binary search
# (a NaN value after everything; NaN in the sorted row where PyTorch's search puts it), products
CUM = F_([1.0, 3.0, 3.0, -inf, nan, 2.0, nan, inf, -0.0, 0.0])
case('cummax', [CUM], lambda x: torch.cummax(x, 0).values)
case('cummax indices', [CUM], lambda x: torch.cummax(x, 0).indices, grad=False)
case('cummin', [CUM], lambda x: torch.cummin(x, 0).values)
case('cummin indices', [CUM], lambda x: torch.cummin(x, 0).indices, grad=False)
SORTED = F_([-inf, 1.0, 2.0, 2.0, 3.0, inf, nan])
PROBES = F_([nan, 2.0, 0.0, 5.0, inf, -inf, -0.0, 3.0])
case('searchsorted', [SORTED, PROBES], torch.searchsorted, grad=False)
case('searchsorted right', [SORTED, PROBES], lambda s, v: torch.searchsorted(s, v, right=True), grad=False)
case('bucketize', [PROBES, F_([-1.0, 0.0, 2.0, inf])], torch.bucketize, grad=False)
case('kron', [F_([1.0, nan, -inf, 0.0], [2, 2]), F_([inf, -0.0, 2.0], [1, 3])], torch.kron)
case('cross', [F_([1.0, nan, 0.0, inf, 1.0, 2.0], [2, 3]), F_([0.0, 1.0, -0.0, 1.0, 0.0, 0.0], [2, 3])], lambda a, b: torch.linalg.cross(a, b))
case('cdist', [F_([0.0, 0.0, 1.0, 1.0, 3.0, -4.0], [3, 2]), F_([0.0, 0.0, 1.0, 2.0], [2, 2])], torch.cdist)
case('cdist p 1', [F_([0.0, 0.0, 1.0, 1.0, inf, -4.0], [3, 2]), F_([0.0, 0.0, 1.0, 2.0], [2, 2])], lambda a, b: torch.cdist(a, b, p=1))
case('logit', [F_([nan, 0.0, -0.0, 1.0, 0.5, 0.25, 0.875, -0.5, 2.0, inf, -inf])], torch.logit)
# (no NaN with eps: PyTorch's gradient there is 0 in its vectorized loop and NaN in its scalar one)
case('logit eps 0.25', [F_([0.0, 1.0, 0.25, 0.75, 0.5, -1.0, 2.0, inf, -inf])], lambda x: torch.logit(x, 0.25))


def enc(v):
    if math.isnan(v):
        return 'nan'
    if math.isinf(v):
        return 'inf' if v > 0 else '-inf'
    if v == 0 and math.copysign(1, v) < 0:
        return '-0'
    return v


def flat(t):
    return [enc(float(v)) for v in t.detach().reshape(-1).tolist()]


out = {'torch': torch.__version__, 'cases': {}}
for name, (inputs, fn, grad) in CASES.items():
    ts = []
    for values, shape, kind in inputs:
        dt = {'float': torch.float64, 'int32': torch.int64, 'bool': torch.bool}[kind]
        t = torch.tensor(values, dtype=dt).reshape(shape)
        if kind == 'float' and grad:
            t.requires_grad_(True)
        ts.append(t)
    y = fn(*ts)
    entry = {
        'inputs': [{'values': [enc(float(v)) for v in values], 'shape': shape, 'kind': kind} for values, shape, kind in inputs],
        'shape': list(y.shape),
        'values': flat(y.to(torch.float64)),
    }
    if grad:
        up = torch.arange(1, y.numel() + 1, dtype=torch.float64).reshape(y.shape)
        y.backward(up)
        entry['grads'] = [flat(t.grad) if t.grad is not None else None for t in ts if t.dtype == torch.float64]
    out['cases'][name] = entry

path = os.path.join(os.path.dirname(__file__), '..', 'test', 'ops.nonfinite.expected.json')
with open(path, 'w') as f:
    json.dump(out, f, indent=None, separators=(',', ':'))
    f.write('\n')
print(f'wrote {len(CASES)} cases to {os.path.normpath(path)}')
