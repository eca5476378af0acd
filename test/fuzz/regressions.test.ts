// SPDX-License-Identifier: MIT
// Cases the differential fuzzer (fuzz.test.ts) found, kept as plain tests on every backend.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';
import { poison } from './harness.js';

const F = st.nn.functional;
const throwsStrata = (op: string, f: () => unknown): void => {
  assert.throws(f, (e: unknown) => e instanceof st.StrataError && e.op === op, `expected a StrataError from ${op}`);
};

for (const backend of st.listBackends()) {
  const T = (values: number[], shape: number[]): st.Tensor => st.tensor(values, { shape, backend });

  test(`[${backend}] argmax/argmin of a 0-d tensor along axis 0 is 0 (wasm left the output unwritten)`, () => {
    if (backend === 'wasm') poison(); // the default backend is wasm: reused blocks now hold NaN bits
    for (const op of ['argmax', 'argmin'] as const) {
      assert.equal(T([-0.07], [])[op](0).item(), 0);
      assert.deepEqual([...T([-0.07], [])[op](0, true).shape], []);
    }
  });

  test(`[${backend}] mean, var and std of a 0-d tensor along axis 0 are its value, 0 and 0 (mean was NaN)`, () => {
    const x = T([1.1], []);
    assert.ok(Math.abs(x.mean(0).item() - 1.1) < 1e-6);
    assert.ok(Math.abs(x.mean([0], true).item() - 1.1) < 1e-6);
    assert.equal(x.var(0, { correction: 0 }).item(), 0);
    assert.equal(x.std(0, { correction: 0 }).item(), 0);
  });

  test(`[${backend}] creation with a negative size raises a StrataError naming the function (was a RangeError)`, () => {
    const opts = { backend };
    throwsStrata('eye', () => st.eye(-1, 1, opts));
    throwsStrata('eye', () => st.eye(1, -1, opts));
    throwsStrata('rand', () => st.rand([-1], opts));
    throwsStrata('randn', () => st.randn([2, -1], opts));
    throwsStrata('randint', () => st.randint(0, 1, [-1], opts));
    throwsStrata('linspace', () => st.linspace(0, 1, -1, opts));
    throwsStrata('linspace', () => st.linspace(0, 1, 1.5, opts));
    assert.deepEqual([...st.linspace(0, 1, 0, opts).shape], [0]);
  });

  test(`[${backend}] tensor() rejects a shape whose size does not match the values (js accepted [] as shape [])`, () => {
    throwsStrata('tensor', () => st.tensor([], { shape: [], backend }));
    throwsStrata('tensor', () => st.tensor([1, 2, 3], { shape: [2], backend }));
    assert.deepEqual([...st.tensor([1, 2, 3, 4], { shape: [2, 2], backend }).shape], [2, 2]);
  });

  test(`[${backend}] average pooling without padding in the count rejects a window of padding alone (was 0/0 = NaN)`, () => {
    const x = T([0.5], [1, 1, 1]);
    throwsStrata('avgPool1d', () => F.avgPool1d(x, 1, { padding: 1, countIncludePad: false }));
    throwsStrata('avgPool2d', () => F.avgPool2d(T([0.5], [1, 1, 1, 1]), 1, { padding: 1, countIncludePad: false }));
    // Counting the padding, such a window averages zeros, as before.
    assert.deepEqual([...F.avgPool1d(x, 1, { padding: 1 }).dataSync()], [0, 0.5, 0]);
    // Windows that reach real input still average only it.
    assert.deepEqual([...F.avgPool1d(T([1, 3], [1, 1, 2]), 2, { padding: 1, stride: 1, countIncludePad: false }).dataSync()], [1, 2, 3]);
  });

  test(`[${backend}] convolution and pooling reject a stride, dilation or kernel of 0 with their own name (dilation 0 ran, stride 0 blamed unfold)`, () => {
    const x = T(Array.from({ length: 16 }, (_, i) => i), [1, 1, 4, 4]);
    const w = T(Array.from({ length: 9 }, () => 1), [1, 1, 3, 3]);
    throwsStrata('conv2d', () => F.conv2d(x, w, null, { dilation: 0 }));
    throwsStrata('conv2d', () => F.conv2d(x, w, null, { stride: [1, 0] }));
    throwsStrata('conv2d', () => F.conv1d(T([1, 2, 3], [1, 1, 3]), T([1], [1, 1, 1]), null, { dilation: 0 }));
    throwsStrata('maxPool2d', () => F.maxPool2d(x, 2, { dilation: 0 }));
    throwsStrata('avgPool2d', () => F.avgPool2d(x, 2, { stride: 0 }));
    throwsStrata('avgPool2d', () => F.avgPool2d(x, 0));
    throwsStrata('convTranspose2d', () => F.convTranspose2d(x, w, null, { stride: 0 }));
    throwsStrata('Conv2d', () => new st.nn.Conv2d(1, 1, [3, 0], { backend }));
  });

  test(`[${backend}] chunk rejects chunks <= 0 with its own name, and splits an empty dimension into empty pieces (chunk(0) returned the whole tensor; an empty dim threw from split)`, () => {
    const x = T([1, 2, 3], [3]);
    throwsStrata('chunk', () => x.chunk(0));
    throwsStrata('chunk', () => x.chunk(-2));
    throwsStrata('chunk', () => x.chunk(1.5));
    assert.deepEqual(x.chunk(2).map((p) => [...p.dataSync()]), [[1, 2], [3]]);
    const empty = st.zeros([0, 2], { backend }).chunk(3, 0);
    assert.deepEqual(empty.map((p) => [...p.shape]), [[0, 2], [0, 2], [0, 2]]);
  });

  test(`[${backend}] a 0-d tensor takes axis -1 as well as 0, as in PyTorch (softmax() of a scalar threw)`, () => {
    const x = T([2.5], []);
    assert.equal(x.softmax().item(), 1);
    assert.equal(x.logSoftmax(-1).item(), 0);
    assert.equal(x.sum(-1).item(), 2.5);
    assert.equal(x.mean(-1).item(), 2.5);
    assert.equal(x.argmax(-1).item(), 0);
    assert.deepEqual([...x.unsqueeze(-1).shape], [1]);
    throwsStrata('sum', () => x.sum(-2));
    throwsStrata('sum', () => x.sum(1));
  });

  // ---- found by the fuzz targets of the second wave of ops (more-ops.ts) ----

  test(`[${backend}] interpolate of an empty spatial axis raises a StrataError naming interpolate (gather raised on index -1)`, () => {
    throwsStrata('interpolate', () => F.interpolate(st.zeros([1, 2, 0, 4], { backend }), { size: 3 }));
    throwsStrata('interpolate', () => F.interpolate(st.zeros([1, 3, 0], { backend }), { size: 2, mode: 'linear' }));
    assert.deepEqual([...F.interpolate(st.zeros([0, 2, 2, 2], { backend }), { size: 3 }).shape], [0, 2, 3, 3]);
  });

  test(`[${backend}] groupNorm of an empty batch is empty, as in PyTorch (reshape could not infer -1 for 0 elements)`, () => {
    assert.deepEqual([...F.groupNorm(st.zeros([0, 4, 3], { backend }), 2).shape], [0, 4, 3]);
    assert.deepEqual([...new st.nn.GroupNorm(1, 2, { backend }).forward(st.zeros([0, 2], { backend })).shape], [0, 2]);
    const y = F.groupNorm(T([1, 2, 3, 4], [1, 2, 2]), 2).toArray() as number[][][];
    assert.ok(Math.abs(y[0][0][0] + 1) < 1e-3 && Math.abs(y[0][1][1] - 1) < 1e-3);
  });

  test(`[${backend}] topk(0) of a 0-d tensor gives the scalar and index 0, as PyTorch (reshape raised)`, () => {
    const r = T([5], []).topk(0);
    assert.deepEqual([[...r.values.shape], r.values.item(), r.indices.item()], [[], 5, 0]);
  });

  test(`[${backend}] einsum of int32 operands contracts exactly and stays int32 (matmul raised: float-only)`, () => {
    const a = st.tensor([[1, 2], [3, 4]], { dtype: 'int32', backend });
    const b = st.tensor([[5, 6], [7, 8]], { dtype: 'int32', backend });
    const y = st.einsum('ij,jk->ik', a, b);
    assert.equal(y.dtype, 'int32');
    assert.deepEqual(y.toArray(), [[19, 22], [43, 50]]);
    assert.equal(st.einsum('ii', a).item(), 5);
  });
}
