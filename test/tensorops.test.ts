// SPDX-License-Identifier: MIT
// Issue 21 beyond the op table: the (values, indices) design of max/min(dim), PyTorch's values at
// the edges (ties, NaN, zeros, empty and 0-d inputs, dtype defaults), gradients PyTorch 1.13 gives
// (noted where used), and the errors bad arguments raise.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as st from 'strata-dl';
import { assertClose } from './helpers.js';

const t64 = (v: st.Nested, requiresGrad = false): st.Tensor => st.tensor(v, { dtype: 'float64', requiresGrad });
const throwsStrata = (f: () => unknown, op: string, what: RegExp): void => {
  assert.throws(f, (e: unknown) => e instanceof st.StrataError && e.message.includes(op) && what.test(e.message));
};

describe('max/min with a dim return values and indices', () => {
  test('an object with both fields that also destructures as [values, indices]', () => {
    const x = st.tensor([[1, 5, 2], [7, 0, 7]]);
    const r = x.max(1);
    assert.ok(r instanceof st.ValuesIndices);
    const [v, i] = r;
    assert.equal(v, r.values);
    assert.equal(i, r.indices);
    assert.deepEqual(r.values.toArray(), [5, 7]);
    assert.deepEqual(r.indices.toArray(), [1, 0]); // ties: the first
    assert.equal(r.indices.dtype, 'int32');
    assert.deepEqual(x.min(0, true).values.shape, [1, 3]);
    assert.deepEqual(st.min(x, 0, true).indices.toArray(), [[0, 1, 0]]);
    // no dim: the full reduction, a tensor
    assert.equal(x.max().item(), 7);
    assert.equal(st.max(x).item(), 7);
  });
  test('the gradient goes to the one selected position (amax shares it among ties)', () => {
    const x = t64([1, 3, 3, 2], true);
    x.max(0).values.backward();
    assert.deepEqual(x.grad!.toArray(), [0, 1, 0, 0]); // PyTorch: [0, 1, 0, 0]
    const y = t64([1, 3, 3, 2], true);
    y.amax(0).backward();
    assert.deepEqual(y.grad!.toArray(), [0, 0.5, 0.5, 0]);
  });
  test('NaN wins; a 0-d tensor is its own max at index 0', () => {
    assert.deepEqual(st.tensor([1, NaN, 3]).max(0).indices.item(), 1);
    const s = st.tensor(3).max(0);
    assert.equal(s.values.item(), 3);
    assert.equal(s.indices.item(), 0);
    assert.deepEqual(s.values.shape, []);
  });
  test('errors name the op', () => {
    throwsStrata(() => st.zeros([2, 0]).max(1), 'max', /empty/);
    throwsStrata(() => st.zeros([2, 3]).min(2), 'min', /out of range/);
  });
});

describe('sort, argsort, topk', () => {
  test('PyTorch 1.13 order: NaN last (first descending), -0 == 0, stable', () => {
    const x = st.tensor([NaN, 1, -Infinity, 2, NaN, -0, 0]);
    assert.deepEqual(x.sort().indices.toArray(), [2, 5, 6, 1, 3, 0, 4]);
    assert.deepEqual(st.tensor([1, NaN, 2, 1, NaN]).sort(0, true).indices.toArray(), [1, 4, 2, 0, 3]);
  });
  test('wasm and js agree on a large array with ties and NaN', () => {
    const vals = Array.from({ length: 3000 }, (_, i) => (i % 97 === 0 ? NaN : ((i * 7919) % 113) - 50));
    for (const descending of [false, true]) {
      const a = st.tensor(vals, { backend: 'js', shape: [3, 1000] }).argsort(1, descending).toArray();
      for (const b of st.listBackends()) assert.deepEqual(st.tensor(vals, { backend: b, shape: [3, 1000] }).argsort(1, descending).toArray(), a, `${b} ${descending}`);
    }
  });
  test('topk: k = 0 and k = n; errors for k out of range', () => {
    const x = st.tensor([[4, 1, 3]]);
    assert.deepEqual(x.topk(0).values.shape, [1, 0]);
    assert.deepEqual(x.topk(3, 1, false).values.toArray(), [[1, 3, 4]]);
    throwsStrata(() => x.topk(4), 'topk', /k = 4 is out of range/);
    throwsStrata(() => x.topk(-1), 'topk', /out of range/);
  });
  test('0-d input sorts to itself', () => {
    const r = st.tensor(2.5).sort();
    assert.equal(r.values.item(), 2.5);
    assert.equal(r.indices.item(), 0);
    assert.equal(st.tensor(2.5).argsort().item(), 0);
  });
});

describe('cumulative ops and prod', () => {
  test('cumprod gradient with a zero: PyTorch 1.13 gives [1, 32, 0, 0]', () => {
    const x = t64([2, 0, 3, 4], true);
    x.cumprod(0).sum().backward();
    assert.deepEqual(x.grad!.toArray(), [1, 32, 0, 0]);
  });
  test('cumprod Hessian at a zero matches PyTorch 1.13, by reverse-over-reverse and forward-over-reverse', () => {
    const f = (x: st.Tensor): st.Tensor => x.cumprod(0).sum();
    const want = [[0, 5.5, 0, 0], [5.5, 0, 3, 6], [0, 3, 0, 0], [0, 6, 0, 0]];
    const x0 = [2, 0, 3, 0.5];
    const eye = (k: number): st.Tensor => t64([0, 1, 2, 3].map((i) => +(i === k)));
    for (let k = 0; k < 4; k++) {
      assertClose(st.hvp(f, t64(x0), eye(k)), want[k], 1e-12, 0, `hvp column ${k}`);
      // reverse over reverse: the gradient of the k-th gradient entry
      const row = st.grad((x: st.Tensor) => st.grad(f)(x).mul(eye(k)).sum())(t64(x0));
      assertClose(row, want[k], 1e-12, 0, `grad of grad ${k}`);
      // forward over forward: the second directional derivative along e_k, e_j
      for (let j = 0; j < 4; j++) {
        const d2 = st.jvp((x: st.Tensor) => st.jvp(f, [x], [eye(j)])[1], [t64(x0)], [eye(k)])[1];
        assert.ok(Math.abs(d2.item() - want[k][j]) < 1e-12, `jvp of jvp (${k}, ${j}): ${d2.item()} vs ${want[k][j]}`);
      }
    }
  });
  test('cumsum of bool and int32 counts in int32; float32 sums accumulate in float64 on every backend', () => {
    assert.equal(st.tensor([true, false, true]).cumsum(0).dtype, 'int32');
    assert.deepEqual(st.tensor([true, false, true]).cumsum(0).toArray(), [1, 1, 2]);
    const n = 100000;
    for (const b of st.listBackends()) {
      const last = st.full([n], 0.1, { backend: b }).cumsum(0).index(-1).item();
      assert.ok(Math.abs(last - n * Math.fround(0.1)) < 1e-3, `${b}: ${last}`);
    }
  });
  test('prod of empty is 1; prod of 0-d is itself', () => {
    assert.equal(st.ones([0]).prod().item(), 1);
    assert.deepEqual(st.ones([2, 0]).prod(1).toArray(), [1, 1]);
    assert.equal(st.tensor(3).prod().item(), 3);
    assert.equal(st.tensor(3).cumsum(0).item(), 3);
  });
  test('diff errors', () => {
    throwsStrata(() => st.tensor([1, 2]).diff(1, 0, st.zeros([2, 2])), 'diff', /prepend \[2, ?2\] must match/);
    throwsStrata(() => st.tensor(1).diff(), 'diff', /0-d/);
  });
});

describe('norms', () => {
  test('gradients at zero elements and zero vectors are 0, as PyTorch 1.13', () => {
    const x = t64([0, 1, -2], true);
    x.norm(0.5).backward();
    assertClose(x.grad!, [0, 1 + Math.SQRT2, -(1 + Math.SQRT2) / Math.SQRT2], 1e-12, 1e-12); // PyTorch: [0, 2.4142, -1.7071]
    for (const p of [2, 3, Infinity, 1.5]) {
      const z = t64([0, 0, 0], true);
      z.norm(p).backward();
      assert.deepEqual(z.grad!.toArray(), [0, 0, 0], `p = ${p}`);
    }
  });
  test('negative orders: a zero element makes the norm 0', () => {
    assert.equal(st.vectorNorm(st.tensor([0, 2]), -1).item(), 0);
    assertClose(st.vectorNorm(st.tensor([1, 2]), -1), 1 / 1.5, 1e-6);
  });
  test("'nuc' is refused; int inputs are taken as float32", () => {
    throwsStrata(() => st.tensor([[1, 2]]).norm('nuc' as 'fro'), 'norm', /nuc/);
    assert.equal(st.tensor([3, 4], { dtype: 'int32' }).norm().item(), 5);
  });
});

describe('non-finite values and masks', () => {
  test("nanToNum's defaults are the dtype's finite extremes", () => {
    const inf = [NaN, Infinity, -Infinity];
    assert.deepEqual(st.tensor(inf).nanToNum().toArray(), [0, 3.4028234663852886e38, -3.4028234663852886e38]);
    assert.deepEqual(t64(inf).nanToNum().toArray(), [0, Number.MAX_VALUE, -Number.MAX_VALUE]);
    assert.deepEqual(st.tensor([1, 2], { dtype: 'int32' }).nanToNum().toArray(), [1, 2]);
    assert.deepEqual(st.tensor([1, 2], { dtype: 'int32' }).isfinite().toArray(), [true, true]);
  });
  test('nanToNum passes the gradient where x is finite (PyTorch: [1, 0, 1])', () => {
    const x = t64([1, NaN, 2], true);
    x.nanToNum().sum().backward();
    assert.deepEqual(x.grad!.toArray(), [1, 0, 1]);
  });
  test('nonzero: [count, ndim], or one index tensor per dim', () => {
    const x = st.tensor([[0, 1], [2, 0], [0, 3]]);
    assert.deepEqual(x.nonzero().toArray(), [[0, 1], [1, 0], [2, 1]]);
    const [rows, cols] = st.nonzero(x, { asTuple: true });
    assert.deepEqual(rows.toArray(), [0, 1, 2]);
    assert.deepEqual(cols.toArray(), [1, 0, 1]);
    assert.deepEqual(st.zeros([2, 2]).nonzero().shape, [0, 2]);
  });
  test('maskedSelect: gradient scattered back to the selected entries', () => {
    const x = t64([[1, 2], [3, 4]], true);
    x.maskedSelect(st.tensor([[true, false], [false, true]])).mul(t64([10, 20])).sum().backward();
    assert.deepEqual(x.grad!.toArray(), [[10, 0], [0, 20]]);
  });
  test('maskedFill errors', () => {
    throwsStrata(() => st.ones([2]).maskedFill(st.ones([2]), 0), 'maskedFill', /mask must be bool/);
    throwsStrata(() => st.ones([2]).maskedFill(st.tensor([[true, false], [true, true]]), 0), 'maskedFill', /does not broadcast/);
    throwsStrata(() => st.ones([2]).maskedFill(st.tensor([true, false]), st.ones([2])), 'maskedFill', /0-d/);
  });
});

describe('shapes', () => {
  test('repeat and tile follow PyTorch shapes', () => {
    assert.deepEqual(st.arange(2).repeat(2, 1, 3).shape, [2, 1, 6]);
    assert.deepEqual(st.arange(4).reshape(2, 2).tile([3]).shape, [2, 6]);
    assert.deepEqual(st.ones([2, 3]).repeat(0, 1).shape, [0, 3]);
    throwsStrata(() => st.ones([2, 3]).repeat(2), 'repeat', /at least 2/);
  });
  test('roll without dims rolls the flattened tensor (PyTorch: [[4, 5, 0], [1, 2, 3]])', () => {
    assert.deepEqual(st.arange(6).reshape(2, 3).roll(2).toArray(), [[4, 5, 0], [1, 2, 3]]);
    throwsStrata(() => st.ones([2, 3]).roll([1, 2], 0), 'roll', /2 shifts for 1 dims/);
  });
  test('tril/triu need 2 dims; outer needs vectors', () => {
    throwsStrata(() => st.ones([3]).tril(), 'tril', /at least 2 dimensions/);
    throwsStrata(() => st.ones([2, 2]).outer(st.ones([2])), 'outer', /1-D/);
  });
});

describe('einsum', () => {
  test('implicit output: labels used once, in alphabetical order (uppercase first, as PyTorch)', () => {
    assert.deepEqual(st.einsum('bA,Ac', st.ones([2, 3]), st.ones([3, 4])).shape, [2, 4]);
    assert.deepEqual(st.einsum('ji', st.ones([2, 3])).shape, [3, 2]);
    assert.deepEqual(st.einsum('...ij->...ji', st.ones([5, 2, 3])).shape, [5, 3, 2]);
    assert.deepEqual(st.einsum('i...->...', st.ones([2, 3, 4])).shape, [3, 4]);
    assert.deepEqual(st.einsum('ij,jk->ik', [st.ones([2, 3]), st.ones([3, 4])]).shape, [2, 4]);
  });
  test('a batched product equals matmul', () => {
    const a = st.randn([3, 2, 4], { generator: new st.Generator(1) });
    const b = st.randn([3, 4, 5], { generator: new st.Generator(2) });
    assertClose(st.einsum('bij,bjk->bik', a, b), a.matmul(b), 1e-5, 1e-5);
  });
  test('errors name the equation', () => {
    throwsStrata(() => st.einsum('ij,jk->ik', st.ones([2, 3]), st.ones([4, 2])), 'einsum', /label 'j' .* sizes 3 and 4/);
    throwsStrata(() => st.einsum('ij,jk', st.ones([2, 3])), 'einsum', /2 operand subscripts, got 1/);
    throwsStrata(() => st.einsum('i2', st.ones([2, 3])), 'einsum', /invalid subscript '2'/);
    throwsStrata(() => st.einsum('ij->k', st.ones([2, 3])), 'einsum', /'k'.*appears in no operand/);
    throwsStrata(() => st.einsum('ijk', st.ones([2, 3])), 'einsum', /do not fit operand 0/);
    throwsStrata(() => st.einsum('ij->ii', st.ones([2, 2])), 'einsum', /more than once/);
  });
});

describe('cummax, cummin, searchsorted, bucketize, kron, cross and cdist', () => {
  for (const backend of ['js', 'wasm']) {
    const t = (v: st.Nested, dtype: st.DType = 'float32'): st.Tensor => st.tensor(v, { dtype, backend });
    test(`running extrema keep their dtype, work on 0-d and empty tensors, and refuse bool (${backend})`, () => {
      const i = t([[2, 7, 1], [0, 0, 9]], 'int32').cummax(1);
      assert.equal(i.values.dtype, 'int32');
      assert.deepEqual(i.values.toArray(), [[2, 7, 7], [0, 0, 9]]);
      assert.deepEqual(i.indices.toArray(), [[0, 1, 1], [0, 1, 2]]); // a later equal value takes over
      assert.deepEqual(st.cummin(t(4), 0).indices.toArray(), 0);
      assert.deepEqual(t([[], []]).cummax(1).values.shape, [2, 0]);
      throwsStrata(() => t([true], 'bool').cummax(0), 'cummax', /expects a numeric tensor, got bool \[1\]/);
      throwsStrata(() => t([1, 2]).cummin(1), 'cummin', /axis 1 is out of range for a tensor of rank 1/);
    });
    test(`searchsorted by rows or against one row, bucketize, and their errors (${backend})`, () => {
      const rows = t([[1, 3, 5], [2, 2, 8]]);
      assert.deepEqual(rows.searchsorted(t([[3, 6], [2, 9]])).toArray(), [[1, 3], [0, 3]]);
      assert.deepEqual(rows.searchsorted(t([[3, 6], [2, 9]]), true).toArray(), [[2, 3], [2, 3]]);
      // one row serves values of any shape, int32 values included
      assert.deepEqual(t([0, 10, 20]).searchsorted(t([[15, -1], [20, 25]], 'int32')).toArray(), [[2, 0], [2, 3]]);
      assert.equal(t([0, 10]).searchsorted(10).item(), 1);
      assert.deepEqual(t([]).searchsorted(t([1, 2])).toArray(), [0, 0]);
      assert.equal(st.bucketize(t([0.5, 2]), t([1, 2]), true).dtype, 'int32');
      throwsStrata(() => rows.searchsorted(t([1, 2, 3])), 'searchsorted', /values \[3\] must have the leading dimensions of sorted \[2,3\]/);
      throwsStrata(() => t(1).searchsorted(t([1])), 'searchsorted', /at least 1 dimension, got \[\]/);
      throwsStrata(() => t([1]).bucketize(rows), 'bucketize', /boundaries must be 1-D, got \[2,3\]/);
      // no gradient: positions
      assert.equal(st.grad((v: st.Tensor) => t([1, 2]).searchsorted(v).to('float32').add(v).sum())(t([1.5])).item(), 1);
    });
    test(`kron of different ranks, cross along a dimension, cdist's shapes and errors (${backend})`, () => {
      assert.deepEqual(t([1, 2]).kron(t([[1], [10]])).toArray(), [[1, 2], [10, 20]]);
      // columns e1 × e2 = e3 and e2 × e3 = e1
      assert.deepEqual(t([[1, 0], [0, 1], [0, 0]]).cross(t([[0, 0], [1, 0], [0, 1]]), 0).toArray(), [[0, 1], [0, 0], [1, 0]]);
      assert.deepEqual(st.cross(t([1, 0, 0]), t([[0, 1, 0], [0, 0, 1]])).toArray(), [[0, 0, 1], [0, -1, 0]]);
      throwsStrata(() => t([1, 2]).cross(t([3, 4])), 'cross', /dim -1 must have size 3 in both inputs, got \[2\] and \[2\]/);
      const d = st.cdist(t([[[0, 0], [3, 4]]]), t([[[0, 0]], [[1, 1]]]));
      assert.deepEqual(d.shape, [2, 2, 1]); // the batch dims broadcast
      assert.deepEqual(d.toArray(), [[[0], [5]], [[Math.fround(Math.SQRT2)], [Math.fround(Math.hypot(2, 3))]]]);
      assert.deepEqual(st.cdist(t([[0, 0]]), t([[3, 4]]), 1).toArray(), [[7]]);
      throwsStrata(() => st.cdist(t([[0, 0]]), t([[1, 2, 3]])), 'cdist', /same M, got \[1,2\] and \[1,3\]/);
      throwsStrata(() => st.cdist(t([[0]]), t([[1]]), -1), 'cdist', /p must be a number >= 0, got -1/);
    });
  }
});
