// SPDX-License-Identifier: MIT
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as st from 'strata-dl';
import { assertClose } from './helpers.js';
import { storageOf } from '../packages/strata-dl/src/tensor/identity.js';

describe('creation', () => {
  test('tensor infers shape and dtype from nested arrays', () => {
    const x = st.tensor([[1, 2, 3], [4, 5, 6]]);
    assert.deepEqual(x.shape, [2, 3]);
    assert.equal(x.dtype, 'float32');
    assert.deepEqual(x.strides, [3, 1]);
    assert.equal(st.tensor([true, false]).dtype, 'bool');
    assert.equal(st.tensor(new Int32Array([1, 2])).dtype, 'int32');
    assert.equal(st.tensor(3).ndim, 0);
    assert.throws(() => st.tensor([[1, 2], [3]]), /tensor: ragged nested array/);
  });
  test('zeros, ones, full, eye, arange, linspace', () => {
    assert.deepEqual(st.zeros([2, 2]).toArray(), [[0, 0], [0, 0]]);
    assert.deepEqual(st.ones(3, { dtype: 'int32' }).toArray(), [1, 1, 1]);
    assert.deepEqual(st.full([2], 7.5).toArray(), [7.5, 7.5]);
    assert.deepEqual(st.eye(2, 3).toArray(), [[1, 0, 0], [0, 1, 0]]);
    assert.deepEqual(st.arange(4).toArray(), [0, 1, 2, 3]);
    assert.equal(st.arange(4).dtype, 'int32');
    assert.deepEqual(st.arange(1, 2, 0.25).toArray(), [1, 1.25, 1.5, 1.75]);
    assert.deepEqual(st.linspace(0, 1, 5).toArray(), [0, 0.25, 0.5, 0.75, 1]);
  });
  test('random ops are reproducible from a seed and have the right ranges', () => {
    st.manualSeed(7);
    const a = st.randn([1000]);
    st.manualSeed(7);
    const b = st.randn([1000]);
    assert.deepEqual([...a.dataSync()], [...b.dataSync()]);
    const g = new st.Generator(3);
    const u = st.rand([5000], { generator: g });
    assert.ok(u.min().item() >= 0 && u.max().item() < 1);
    assert.ok(Math.abs(u.mean().item() - 0.5) < 0.02);
    const n = st.randn([20000], { generator: g });
    assert.ok(Math.abs(n.mean().item()) < 0.03 && Math.abs(n.std().item() - 1) < 0.03);
    const r = st.randint(-2, 3, [2000], { generator: g });
    assert.equal(r.dtype, 'int32');
    assert.deepEqual([...new Set(r.dataSync())].sort((p, q) => p - q), [-2, -1, 0, 1, 2]);
    const state = g.getState();
    const c1 = st.rand([4], { generator: g }).dataSync();
    g.setState(state);
    assert.deepEqual(st.rand([4], { generator: g }).dataSync(), c1);
  });
});

describe('dtypes', () => {
  test('promotion: int with float gives float; numbers adopt a float tensor dtype', () => {
    const i = st.tensor([1, 2], { dtype: 'int32' });
    assert.equal(i.add(st.tensor([0.5, 0.5])).dtype, 'float32');
    assert.equal(i.add(1).dtype, 'int32');
    assert.equal(i.mul(0.5).dtype, 'float32');
    assert.equal(st.tensor([1], { dtype: 'float64' }).add(1).dtype, 'float64');
    assert.deepEqual(i.div(st.tensor([2, 4], { dtype: 'int32' })).toArray(), [0.5, 0.5]);
    assert.equal(st.tensor([true, true, false]).sum().item(), 2);
  });
});

describe('readback', () => {
  test('data, dataSync, item, toArray', async () => {
    const x = st.tensor([[1, 2], [3, 4]]);
    assert.ok(x.dataSync() instanceof Float32Array);
    assert.deepEqual([...(await x.data())], [1, 2, 3, 4]);
    assert.equal(x.sum().item(), 10);
    assert.throws(() => x.item(), /item: only one-element tensors can be converted to a number, got \[2,2\]/);
    assert.deepEqual(st.tensor([1, 0]).gt(0).toArray(), [true, false]);
  });
  test('toString is readable and elides large tensors', () => {
    assert.equal(st.tensor([[1, 2], [3, 4]]).toString(), 'tensor([[1., 2.],\n        [3., 4.]])');
    assert.equal(st.tensor([0.5, -1.25]).toString(), 'tensor([ 0.5000, -1.2500])');
    assert.equal(st.arange(3).toString(), 'tensor([0, 1, 2], dtype=int32)');
    const x = st.tensor([1], { requiresGrad: true });
    assert.equal(x.toString(), 'tensor([1.], requiresGrad=true)');
    assert.equal(x.mul(2).toString(), 'tensor([2.], gradFn=mul)');
    const big = st.arange(0, 5000).reshape(50, 100).toString();
    assert.ok(big.includes('...') && big.split('\n').length < 10);
  });
});

describe('ops', () => {
  test('matmul handles vectors like NumPy', () => {
    const m = st.tensor([[1, 2], [3, 4]]);
    const v = st.tensor([1, 1]);
    assertClose(m.matmul(v), [3, 7]);
    assertClose(v.matmul(m), [4, 6]);
    assert.equal(v.matmul(v).item(), 2);
  });
  test('index with numbers, ranges, null and integer lists', () => {
    const x = st.arange(24).reshape(2, 3, 4);
    assert.deepEqual(x.index(1, -1).toArray(), [20, 21, 22, 23]);
    assert.deepEqual(x.index(0, [0, 2], '1:3').toArray(), [[1, 2], [9, 10]]);
    assert.deepEqual(x.index(0, [0, 2], [1, 3]).toArray(), [[1, 3], [9, 11]]);
    assert.deepEqual(x.index(1, 2, '::2').toArray(), [20, 22]);
    assert.deepEqual(x.index(0, 0, '::-1').toArray(), [3, 2, 1, 0]);
    assert.deepEqual(x.index(0, 0, '-2:').toArray(), [2, 3]);
    assert.throws(() => x.index(0, 0, '1:x'), /index: '1:x' is not a slice/);
    assert.deepEqual(x.index(null, [2, 0], 0).toArray(), [[8, 0], [20, 12]]);
    assert.deepEqual(x.indexSelect(2, [-1]).reshape(-1).toArray(), [3, 7, 11, 15, 19, 23]);
    assert.deepEqual(x.chunk(2, 2).map((c) => c.shape), [[2, 3, 2], [2, 3, 2]]);
  });
  test('reductions with keepdim and several axes', () => {
    const x = st.arange(6).float().reshape(2, 3);
    assert.deepEqual(x.sum([0, 1], true).shape, [1, 1]);
    assert.deepEqual(x.mean(0).toArray(), [1.5, 2.5, 3.5]);
    assert.deepEqual(x.argmax(1, true).toArray(), [[2], [2]]);
    assert.deepEqual(x.amax(-1).toArray(), [2, 5]);
    assertClose(x.logsumexp(1), [Math.log(1 + Math.E + Math.E ** 2), 3 + Math.log(1 + Math.E + Math.E ** 2)], 1e-5, 1e-6);
  });
  test('where, comparisons and clamp', () => {
    const x = st.tensor([-2, 0.5, 3]);
    assert.deepEqual(st.where(x.gt(0), x, 0).toArray(), [0, 0.5, 3]);
    assert.deepEqual(x.clamp(-1, 1).toArray(), [-1, 0.5, 1]);
    assert.deepEqual(x.step().toArray(), [0, 1, 1]);
  });
  test('free functions mirror the methods', () => {
    const a = st.tensor([1, 2]);
    assert.deepEqual(st.add(a, 1).toArray(), [2, 3]);
    assert.deepEqual(st.sub(10, a).toArray(), [9, 8]);
    assert.deepEqual(st.softmax(st.tensor([0, 0])).toArray(), [0.5, 0.5]);
  });
  test('set_ replaces the data in place: same identity, cast to its dtype, the old memory left to its other sharers', () => {
    const w = st.zeros([2]);
    const view = w.detach();
    const before = storageOf(w);
    assert.equal(w.set_(st.tensor([1.5, 2], { dtype: 'float64' })), w);
    assert.deepEqual(w.toArray(), [1.5, 2]);
    assert.equal(w.dtype, 'float32');
    assert.notEqual(storageOf(w), before);
    assert.deepEqual(view.toArray(), [0, 0]);
    assert.throws(() => w.set_(st.ones([3])), /set_: value \[3\] does not match \[2\]/);
  });
  test('reshape shares storage; clone does not', () => {
    const x = st.arange(4).float();
    const r = x.reshape(2, 2);
    assert.equal(storageOf(r), storageOf(x));
    assert.notEqual(storageOf(x.clone()), storageOf(x));
  });
});

describe('errors name the op, the argument and the shapes', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['matmul', () => st.zeros([2, 3]).matmul(st.zeros([4, 5])), /^matmul: a \[2,3\] and b \[4,5\]: inner dimensions 3 != 4$/],
    ['broadcast', () => st.zeros([2, 3]).add(st.zeros([4])), /^add: shapes \[2,3\] and \[4\] cannot be broadcast together/],
    ['reshape', () => st.zeros([2, 3]).reshape(4, 2), /^reshape: cannot reshape \[2,3\] \(6 elements\) to \[4,2\]$/],
    ['axis', () => st.zeros([2, 3]).sum(2), /^sum: axis 2 is out of range for a tensor of rank 2$/],
    ['gather bounds', () => st.zeros([2, 3]).gather(1, st.tensor([[5]], { dtype: 'int32' })), /^gather: index 5 is out of bounds for dimension 1 of size 3/],
    ['cat', () => st.cat([st.zeros([2, 3]), st.zeros([3, 3])], 1), /^cat: tensors \[2,3\], \[3,3\] differ outside dimension 1$/],
    ['log of int', () => st.arange(3).log(), /^log: expects a floating-point tensor, got int32 \[3\]$/],
    ['unfold', () => st.unfold(st.zeros([1, 1, 2, 2]), { kernel: [3, 3], stride: [1, 1], padding: [0, 0, 0, 0], dilation: [1, 1] }), /^unfold: a 3x3 window .* does not fit a 2x2 input$/],
    ['backend', () => st.setBackend('cuda'), /^setBackend: unknown backend 'cuda'/],
    ['disposed', () => { const t = st.zeros([2]); t.dispose(); return t.add(1); }, /^add: input \[2\] was disposed$/],
  ];
  for (const [name, fn, re] of cases) test(name, () => assert.throws(fn, (e: Error) => e instanceof st.StrataError && re.test(e.message)));
});
