// SPDX-License-Identifier: MIT
// The elementwise maths that PyTorch users reach for beyond the core set: rounding (half to even,
// and at decimal places), log1p/expm1, the inverse trigonometric functions and atan2, the logical
// ops and any/all, on both backends, with PyTorch's dtypes, gradients and errors. Values and
// non-finite behaviour against PyTorch are in the op tables (ops.table.ts, ops.nonfinite.table.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as st from 'strata-dl';

for (const backend of ['js', 'wasm']) {
  const t = (v: st.Nested, dtype: st.DType = 'float32'): st.Tensor => st.tensor(v, { dtype, backend });

  describe(`elementwise maths on ${backend}`, () => {
    test('rounding keeps int32 as it is and refuses bool, naming the op', () => {
      for (const op of ['floor', 'ceil', 'round', 'trunc'] as const) {
        const y = t([3, -4], 'int32')[op]();
        assert.equal(y.dtype, 'int32', op);
        assert.deepEqual(y.toArray(), [3, -4], op);
        assert.throws(() => t([true], 'bool')[op](), new RegExp(`^StrataError: ${op}: expects a floating-point tensor, got bool \\[1\\]`));
      }
    });

    test('round(decimals) rounds half to even at that place, in float64 too', () => {
      assert.deepEqual(t([0.125, 0.375, -0.125, 2.5], 'float64').round(2).toArray(), [0.12, 0.38, -0.12, 2.5]);
      assert.deepEqual(t([150, 250, -350, 449], 'float64').round(-2).toArray(), [200, 200, -400, 400]);
      // integers are promoted, as PyTorch rounds integer tensors to decimals in float
      assert.deepEqual(t([155, 165], 'int32').round(-1).toArray(), [160, 160]);
      assert.deepEqual(st.round(t([2.5, 3.5])).toArray(), [2, 4]);
    });

    test('rounding has no gradient (zero, as PyTorch\'s), frac a gradient of one', () => {
      const x = t([-1.5, 0.3, 2.7]);
      for (const op of ['floor', 'ceil', 'round', 'trunc'] as const) {
        assert.deepEqual(st.grad((v: st.Tensor) => v[op]().mul(v).sum())(x).toArray(), x[op]().toArray(), `${op}: d(op(x)·x)/dx = op(x)`);
      }
      assert.deepEqual(st.grad((v: st.Tensor) => v.frac().sum())(x).toArray(), [1, 1, 1]);
    });

    test('log1p and expm1 keep the digits that log(1 + x) and exp(x) − 1 lose', () => {
      const tiny = t([1e-10, -1e-12], 'float64');
      assert.deepEqual(tiny.log1p().toArray(), [Math.log1p(1e-10), Math.log1p(-1e-12)]);
      assert.deepEqual(tiny.expm1().toArray(), [Math.expm1(1e-10), Math.expm1(-1e-12)]);
      // the composed form, for contrast, is wrong from the eighth digit in float64
      assert.ok(Math.abs(tiny.add(1).log().dataSync()[0] / 1e-10 - 1) > 1e-8);
      assert.equal(t([1e-10]).log1p().item(), Math.fround(1e-10));
      assert.equal(t([1e-10]).expm1().item(), Math.fround(1e-10));
    });

    test('atan2 broadcasts, promotes integers to float32, and its gradients are PyTorch\'s formula', () => {
      const y = t([[1], [-1]]), x = t([1, -1, 0]);
      const r = y.atan2(x);
      assert.deepEqual(r.shape, [2, 3]);
      const want = [1, -1].map((p) => [1, -1, 0].map((q) => Math.fround(Math.atan2(p, q))));
      assert.deepEqual(r.toArray(), want);
      const i = t([1, -1], 'int32').atan2(t([1, 1], 'int32'));
      assert.equal(i.dtype, 'float32');
      assert.deepEqual(st.atan2(t([0, -0]), t([-1, -1])).toArray(), [Math.fround(Math.PI), -Math.fround(Math.PI)]);
      const a = t([0.5, -2], 'float64'), b = t([1.5, -0.25], 'float64');
      const [ga, gb] = st.grad((p: st.Tensor, q: st.Tensor) => p.atan2(q).sum(), { argnums: [0, 1] })(a, b) as st.Tensor[];
      const av = [0.5, -2], bv = [1.5, -0.25];
      assert.deepEqual(ga.toArray(), av.map((p, k) => bv[k] / (p * p + bv[k] * bv[k])));
      assert.deepEqual(gb.toArray(), av.map((p, k) => -p / (p * p + bv[k] * bv[k])));
    });

    test('tan, asin, acos and rsqrt: integer input becomes float32; asin and acos are NaN outside [−1, 1]', () => {
      assert.equal(t([1, 2], 'int32').tan().dtype, 'float32');
      assert.equal(t([4], 'int32').rsqrt().item(), 0.5);
      assert.deepEqual(Array.from(t([1.5, -1.5, 1]).asin().dataSync(), Number.isNaN), [true, true, false]);
      assert.deepEqual(t([1.5, -1, 1]).acos().toArray(), [NaN, Math.fround(Math.PI), 0]);
      assert.throws(() => t([true], 'bool').atan(), /^StrataError: atan: expects a floating-point tensor, got bool \[1\]/);
    });

    test('logical ops: any dtype in, bool out, NaN counts as true, broadcasting', () => {
      const a = t([1, 0, NaN, -0]), b = t([true, true, false, true], 'bool');
      assert.deepEqual(a.logicalAnd(b).toArray(), [true, false, false, false]);
      assert.deepEqual(a.logicalOr(b).toArray(), [true, true, true, true]);
      assert.deepEqual(a.logicalXor(b).toArray(), [false, true, true, true]);
      assert.deepEqual(a.logicalNot().toArray(), [false, true, false, true]);
      assert.deepEqual(st.logicalAnd(t([[1], [0]], 'int32'), t([2, 0, 3], 'int32')).toArray(), [[true, false, true], [false, false, false]]);
      assert.equal(st.logicalNot(t([0], 'int32')).dtype, 'bool');
    });

    test('any and all: along an axis, kept, over everything, and over nothing', () => {
      const m = t([[0, 0, 1], [2, 3, 4], [0, 0, 0]]);
      assert.deepEqual(m.any(1).toArray(), [true, true, false]);
      assert.deepEqual(m.all(1).toArray(), [false, true, false]);
      assert.deepEqual(m.any(0, true).toArray(), [[true, true, true]]);
      assert.deepEqual(st.all(m).toArray(), false);
      assert.deepEqual(st.any(m).toArray(), true);
      assert.deepEqual(t([NaN]).all().toArray(), true);
      const none = st.zeros([2, 0], { backend });
      assert.deepEqual(none.any(1).toArray(), [false, false]);
      assert.deepEqual(none.all(1).toArray(), [true, true]);
      assert.deepEqual(t([true, false], 'bool').any().toArray(), true);
      assert.throws(() => m.any(2), /any|sum/);
    });
  });
}
