// SPDX-License-Identifier: MIT
// The layer modules of issues 21 and 23: PyTorch's state-dict names and shapes, training versus
// evaluation behaviour, agreement with their functional forms, and StrataErrors for bad input.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as st from 'strata-dl';
import { assertClose } from '../helpers.js';

const { nn } = st;
const F = nn.functional;

/** `{ key: [shape, dtype] }` of a module's state dict. */
const layout = (m: st.nn.Module): Record<string, [number[], string]> =>
  Object.fromEntries(Object.entries(m.stateDict()).map(([k, t]) => [k, [[...t.shape], t.dtype]]));

describe('state-dict names and shapes are PyTorch\'s', () => {
  test('PReLU: weight [numParameters], filled with init', () => {
    assert.deepEqual(layout(new nn.PReLU()), { weight: [[1], 'float32'] });
    const p = new nn.PReLU(4, 0.1, { dtype: 'float64' });
    assert.deepEqual(layout(p), { weight: [[4], 'float64'] });
    assertClose(p.weight, [0.1, 0.1, 0.1, 0.1]);
    assert.equal(p.numParameters(), 4);
  });
  test('GroupNorm: weight and bias [C] (ones, zeros), none without affine', () => {
    const g = new nn.GroupNorm(2, 6);
    assert.deepEqual(layout(g), { weight: [[6], 'float32'], bias: [[6], 'float32'] });
    assertClose(g.weight!, [1, 1, 1, 1, 1, 1]);
    assertClose(g.bias!, [0, 0, 0, 0, 0, 0]);
    assert.deepEqual(layout(new nn.GroupNorm(3, 6, { affine: false })), {});
  });
  test('InstanceNorm: nothing by default; affine and trackRunningStats add PyTorch\'s keys', () => {
    assert.deepEqual(layout(new nn.InstanceNorm2d(3)), {});
    assert.deepEqual(layout(new nn.InstanceNorm1d(3, { affine: true })), { weight: [[3], 'float32'], bias: [[3], 'float32'] });
    assert.deepEqual(layout(new nn.InstanceNorm2d(3, { affine: true, trackRunningStats: true })), {
      weight: [[3], 'float32'], bias: [[3], 'float32'], running_mean: [[3], 'float32'], running_var: [[3], 'float32'], num_batches_tracked: [[], 'int32'],
    });
  });
  test('parameter-free layers have empty state dicts', () => {
    for (const m of [new nn.ReLU6(), new nn.Hardtanh(), new nn.Hardsigmoid(), new nn.Hardswish(), new nn.SELU(), new nn.CELU(), new nn.LogSigmoid(),
      new nn.Softsign(), new nn.Softplus(2, 10), new nn.SiLU(), new nn.Mish(), new nn.Unflatten(1, [2, 2]), new nn.Upsample({ scaleFactor: 2 }),
      new nn.PixelShuffle(2), new nn.PixelUnshuffle(2)]) {
      assert.deepEqual(layout(m), {}, m.typeName);
    }
  });
  test('a PyTorch-named state dict loads into GroupNorm and InstanceNorm2d', () => {
    const g = new nn.GroupNorm(1, 2);
    g.loadStateDict({ weight: st.tensor([2, 3]), bias: st.tensor([0.5, -0.5]) });
    assertClose(g.weight!, [2, 3]);
    const n = new nn.InstanceNorm2d(2, { trackRunningStats: true });
    n.loadStateDict({ running_mean: st.tensor([1, 2]), running_var: st.tensor([4, 9]), num_batches_tracked: st.tensor(7, { dtype: 'int32' }) });
    assertClose(n.runningVar!, [4, 9]);
  });
});

describe('modules agree with their functional forms', () => {
  const x = st.randn([2, 4, 3, 5], { generator: new st.Generator(3), dtype: 'float64', backend: 'js' });
  const cases: [st.nn.Module, (t: st.Tensor) => st.Tensor][] = [
    [new nn.ReLU6(), F.relu6], [new nn.Hardtanh(-0.5, 0.5), (t) => F.hardtanh(t, -0.5, 0.5)], [new nn.Hardsigmoid(), F.hardsigmoid],
    [new nn.Hardswish(), F.hardswish], [new nn.SELU(), F.selu], [new nn.CELU(0.7), (t) => F.celu(t, 0.7)], [new nn.LogSigmoid(), F.logSigmoid],
    [new nn.Softsign(), F.softsign], [new nn.Softplus(2, 1), (t) => F.softplus(t, 2, 1)], [new nn.SiLU(), F.silu], [new nn.Mish(), F.mish],
    [new nn.Upsample({ size: [4, 7], mode: 'bilinear', alignCorners: true }), (t) => F.interpolate(t, { size: [4, 7], mode: 'bilinear', alignCorners: true })],
    [new nn.PixelShuffle(2), (t) => F.pixelShuffle(t, 2)],
  ];
  for (const [m, f] of cases) test(m.typeName, () => assertClose(m.forward(x), f(x), 0, 0, m.typeName));
  test('PReLU learns its slope: the weight gets the gradient Σ min(x, 0)·g per channel', () => {
    const p = new nn.PReLU(4, 0.25, { dtype: 'float64', backend: 'js' });
    p.forward(x).sum().backward();
    const expected = st.where(x.gt(0), 0, x).sum([0, 2, 3]);
    assertClose(p.weight.grad!, expected, 1e-12);
  });
  test('Unflatten splits one dimension (with -1), the inverse of Flatten', () => {
    const u = new nn.Unflatten(-1, [3, -1]);
    assert.deepEqual(u.forward(st.zeros([2, 4, 15])).shape, [2, 4, 3, 5]);
    const y = new nn.Unflatten(1, [4, -1, 5]).forward(new nn.Flatten().forward(x));
    assert.deepEqual(y.shape, [2, 4, 3, 5]);
    assertClose(y, x, 0, 0);
  });
});

describe('instance norm modules: training and evaluation', () => {
  test('without trackRunningStats both modes normalize each instance', () => {
    const m = new nn.InstanceNorm1d(2, { dtype: 'float64', backend: 'js' });
    const x = st.randn([3, 2, 6], { generator: new st.Generator(5), dtype: 'float64', backend: 'js' });
    const a = m.forward(x);
    m.eval();
    assertClose(m.forward(x), a, 0, 0);
    assertClose(a.mean(2), st.zeros([3, 2], { dtype: 'float64', backend: 'js' }), 1e-12);
  });
  test('with trackRunningStats: training updates the statistics and the counter; evaluation uses them', () => {
    const m = new nn.InstanceNorm2d(2, { trackRunningStats: true, momentum: 0.5, dtype: 'float64', backend: 'js' });
    const x = st.randn([2, 2, 3, 3], { generator: new st.Generator(6), dtype: 'float64', backend: 'js' });
    m.forward(x);
    m.forward(x);
    assert.equal(m.numBatchesTracked!.item(), 2);
    const instMean = x.mean([2, 3]).mean(0);
    // Two updates with momentum 0.5 from 0: 0.75 of the batch's mean of instance means.
    assertClose(m.runningMean!, instMean.mul(0.75), 1e-12);
    m.eval();
    const y = m.forward(x);
    const rm = m.runningMean!.reshape([1, 2, 1, 1]);
    const rv = m.runningVar!.reshape([1, 2, 1, 1]);
    assertClose(y, x.sub(rm).div(rv.add(1e-5).sqrt()), 1e-12);
    assert.equal(m.numBatchesTracked!.item(), 2);
  });
  test('unbatched input [C, H, W] is one sample', () => {
    const m = new nn.InstanceNorm2d(2);
    const x = st.randn([2, 4, 4], { generator: new st.Generator(8) });
    assertClose(m.forward(x), m.forward(x.unsqueeze(0)).squeeze(0), 0, 0);
  });
});

describe('randLike and randnLike', () => {
  for (const backend of st.listBackends()) {
    test(`take the shape, dtype and backend of their argument (${backend})`, () => {
      const x = st.zeros([3, 4], { dtype: 'float64', backend: backend === 'js' ? 'js' : backend });
      const dtype = backend === 'js' ? 'float64' : x.dtype;
      for (const f of [st.randLike, st.randnLike]) {
        const r = f(x);
        assert.deepEqual([r.shape, r.dtype, r.backend.name], [[3, 4], dtype, backend]);
      }
      const u = st.randLike(x).dataSync();
      assert.ok(u.every((v) => v >= 0 && v < 1));
    });
  }
  test('draw what rand/randn draw from the same generator, and accept a dtype', () => {
    const x = st.zeros([5]);
    assertClose(st.randnLike(x, { generator: new st.Generator(9) }), st.randn([5], { generator: new st.Generator(9) }), 0, 0);
    assertClose(st.randLike(x, { generator: new st.Generator(9) }), st.rand([5], { generator: new st.Generator(9) }), 0, 0);
    assert.equal(st.randnLike(st.zeros([2], { dtype: 'int32' }), { dtype: 'float32' }).dtype, 'float32');
  });
});

describe('bad input raises a StrataError that names the function and the value', () => {
  const x = st.zeros([2, 6, 4, 4]);
  const cases: [string, () => unknown, RegExp][] = [
    ['groupNorm groups', () => F.groupNorm(x, 4), /^groupNorm: numGroups 4 must divide the 6 channels of input \[2,6,4,4\]/],
    ['GroupNorm groups', () => new nn.GroupNorm(4, 6), /^GroupNorm: numChannels \(6\) must be divisible by numGroups \(4\)/],
    ['GroupNorm channels', () => new nn.GroupNorm(2, 4).forward(x), /^GroupNorm: expects input \[N, 4, \.\.\.\], got \[2,6,4,4\]/],
    ['instanceNorm spatial size 1', () => F.instanceNorm(st.zeros([2, 3, 1])), /^instanceNorm: expected more than 1 spatial element per channel when using input statistics, got input \[2,3,1\]/],
    ['instanceNorm rank', () => F.instanceNorm(st.zeros([2, 3])), /^instanceNorm: input must be \[N, C, \.\.\.spatial\], got \[2,3\]/],
    ['InstanceNorm2d channels', () => new nn.InstanceNorm2d(3, { affine: true }).forward(x), /^InstanceNorm2d: expects 3 channels, got input \[2,6,4,4\]/],
    ['prelu weight', () => F.prelu(x, st.ones([4])), /^prelu: weight \[4\] must hold 1 slope or one per channel \(6 for input \[2,6,4,4\]\)/],
    ['PReLU count', () => new nn.PReLU(0), /^PReLU: numParameters must be a positive integer, got 0/],
    ['celu alpha', () => F.celu(x, 0), /^celu: alpha must be a non-zero finite number, got 0/],
    ['hardtanh bounds', () => F.hardtanh(x, 2, 1), /^hardtanh: minVal \(2\) must not exceed maxVal \(1\)/],
    ['softplus beta', () => F.softplus(x, 0), /^softplus: beta must be a non-zero finite number, got 0/],
    ['pad reflect size', () => F.pad(x, [4, 0], 'reflect'), /^pad: mode 'reflect': pads \(4, 0\) of dimension 3 must be smaller than its size 4/],
    ['pad mode', () => F.pad(x, [1, 1], 'mirror' as st.nn.functional.PadMode), /^pad: mode must be 'constant', 'reflect', 'replicate' or 'circular', got 'mirror'/],
    ['pad pairs', () => F.pad(x, [1, 1, 1]), /^pad: pads must be integer \(before, after\) pairs/],
    ['interpolate both sizes', () => F.interpolate(x, { size: 8, scaleFactor: 2 }), /^interpolate: give exactly one of size and scaleFactor/],
    ['interpolate alignCorners', () => F.interpolate(x, { scaleFactor: 2, alignCorners: true }), /^interpolate: alignCorners can only be set with the linear modes, not 'nearest'/],
    ['interpolate rank', () => F.interpolate(x, { scaleFactor: 2, mode: 'linear' }), /^interpolate: mode 'linear' expects input \[N, C, L\], got \[2,6,4,4\]/],
    ['pixelShuffle channels', () => F.pixelShuffle(x, 3), /^pixelShuffle: input must be \[\*, C·9, H, W\], got \[2,6,4,4\]/],
    ['pixelUnshuffle size', () => F.pixelUnshuffle(x, 3), /^pixelUnshuffle: input must be \[\*, C, H, W\] with H and W divisible by 3, got \[2,6,4,4\]/],
    ['avgPool2d divisorOverride', () => F.avgPool2d(x, 2, { divisorOverride: 0 }), /^avgPool2d: divisorOverride must be a non-zero number, got 0/],
    ['Unflatten sizes', () => new nn.Unflatten(1, [4, 2]).forward(x), /^Unflatten: sizes \[4,2\] do not unflatten dimension 1 of size 6 \(input \[2,6,4,4\]\)/],
    ['randLike int', () => st.randLike(st.zeros([2], { dtype: 'int32' })), /^randLike: draws floating-point values, got dtype int32/],
    // exportOnnx with ceilMode or divisorOverride is no longer refused: the traced export writes it (test/io/onnx-export.test.ts runs it in ONNX Runtime)
  ];
  for (const [name, f, re] of cases) {
    test(name, () => assert.throws(f, (e: unknown) => e instanceof st.StrataError && re.test(e.message)));
  }
});
