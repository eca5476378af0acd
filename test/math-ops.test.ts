// SPDX-License-Identifier: MIT
// The elementwise maths that PyTorch users reach for beyond the core set: rounding (half to even,
// and at decimal places), log1p/expm1, the inverse trigonometric functions and atan2, the exact
// remainders, logaddexp, xlogy, hypot and logit, the logical ops and any/all, on both backends, with PyTorch's dtypes, gradients and errors. Values and
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

    test('nansum and nanmean skip NaN (a row of NaNs alone: 0 and NaN); isclose, allclose and countNonzero', () => {
      const x = t([[NaN, 1, 2], [NaN, NaN, NaN], [Infinity, 3, NaN]]);
      assert.deepEqual(x.nansum(1).toArray(), [3, 0, Infinity]);
      const m = x.nanmean(1).toArray() as number[];
      assert.deepEqual([m[0], Number.isNaN(m[1]), m[2]], [1.5, true, Infinity]);
      assert.deepEqual(st.grad((v: st.Tensor) => v.nansum())(t([NaN, 2, -1])).toArray(), [0, 1, 1]);
      assert.throws(() => t([1, 2], 'int32').nanmean(), /^StrataError: nanmean: expects a floating-point tensor, got int32 \[2\]/);
      assert.deepEqual(t([1, 1.5, -Infinity]).isclose(t([1.0001, 1, -Infinity]), { rtol: 1e-3 }).toArray(), [true, false, true]);
      assert.equal(t([1, 2]).allclose(t([1, 2.5]), { atol: 0.6 }), true);
      assert.equal(t([1, NaN]).allclose(t([1, NaN])), false);
      assert.equal(t([1, NaN]).allclose(t([1, NaN]), { equalNan: true }), true);
      assert.throws(() => t([1]).isclose(t([1]), { rtol: -1 }), /^StrataError: isclose: rtol and atol must be >= 0, got -1 and 1e-8/);
      const c = t([[0, NaN], [-0, 2]]).countNonzero(0);
      assert.equal(c.dtype, 'int32');
      assert.deepEqual(c.toArray(), [0, 2]);
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

    test('fmod and remainder are exact, keep int32 and refuse an int32 zero divisor, naming the op', () => {
      // 2^100 over 3/8 (a quotient of about 2^102): exact, where a − trunc(a / b)·b in float32 is 0
      const big = t([2 ** 100, -(2 ** 100)]), d = t([0.375, 0.375]);
      assert.deepEqual(big.fmod(d).toArray(), [0.25, -0.25]);
      assert.deepEqual(big.remainder(d).toArray(), [0.25, 0.125]);
      assert.deepEqual(big.sub(big.div(d).trunc().mul(d)).toArray(), [0, 0]);
      const i = t([7, -7, 7, -7, 0], 'int32'), j = t([3, 3, -3, -3, 5], 'int32');
      assert.equal(i.fmod(j).dtype, 'int32');
      assert.deepEqual(i.fmod(j).toArray(), [1, -1, 1, -1, 0]);
      assert.deepEqual(st.remainder(i, j).toArray(), [1, 2, -2, -1, 0]);
      assert.equal(t([7], 'int32').fmod(2.5).dtype, 'float32');
      assert.deepEqual(t([7], 'int32').remainder(-2.5).toArray(), [-0.5]);
      for (const op of ['fmod', 'remainder'] as const) {
        assert.throws(() => i[op](t([1, 0, 1, 1, 1], 'int32')), new RegExp(`^StrataError: ${op}: integer division by zero: the divisor int32 \\[5\\] holds a 0`));
      }
      assert.deepEqual(t([1, -1]).fmod(0).toArray(), [NaN, NaN]);
      // the gradients through the divisor: −trunc(a / b) and −floor(a / b)
      const a = t([5.5, -5.5], 'float64'), b = t([2, 2], 'float64');
      assert.deepEqual(st.grad((q: st.Tensor) => a.fmod(q).sum())(b).toArray(), [-2, 2]);
      assert.deepEqual(st.grad((q: st.Tensor) => a.remainder(q).sum())(b).toArray(), [-2, 3]);
    });

    test('div with a rounding mode: PyTorch\'s exact floor division, int32 kept, zero divisors, no gradient', () => {
      // 1 / 0.1 rounds to 10 in float64, but the quotient is below 10: floor division gives 9, as Python's //
      assert.equal(t([1], 'float64').div(0.1, 'floor').item(), 9);
      assert.equal(t([1], 'float64').div(0.1).floor().item(), 10);
      assert.deepEqual(t([7, -7, 0.5, -0.5]).div(t([2, 2, -3, 3]), 'trunc').toArray(), [3, -3, -0, -0]);
      const i = t([7, -7, 7, -7], 'int32');
      assert.deepEqual(i.floorDivide(t([2, 2, -2, -2], 'int32')).toArray(), [3, -4, -4, 3]);
      assert.equal(st.div(i, 2, 'trunc').dtype, 'int32');
      assert.equal(i.div(2).dtype, 'float32');
      assert.deepEqual(t([1, -1, 0]).div(0, 'floor').toArray(), [Infinity, -Infinity, NaN]);
      assert.throws(() => i.div(t([1, 0, 1, 1], 'int32'), 'floor'), /^StrataError: div: integer division by zero: the divisor int32 \[4\] holds a 0/);
      assert.throws(() => t([1]).div(2, 'round' as st.RoundingMode), /^StrataError: div: roundingMode must be 'trunc' or 'floor', got 'round'/);
      // no gradient through the rounded quotient (PyTorch's is 0): only the added term's
      assert.deepEqual(st.grad((x: st.Tensor) => x.div(3, 'floor').add(x).sum())(t([5.5, -2], 'float64')).toArray(), [1, 1]);
    });

    test('logaddexp, logaddexp2 and hypot do not overflow; xlogy is 0 at x = 0; logit clamps to [eps, 1 − eps]', () => {
      assert.deepEqual(t([1000, -1000]).logaddexp(t([1000, -1000])).toArray(), [1000 + Math.fround(Math.LN2), -1000 + Math.fround(Math.LN2)].map(Math.fround));
      assert.deepEqual(t([200, 3]).logaddexp2(t([200, 3])).toArray(), [201, 4]);
      // the squares overflow (3e30² > 3.4e38) and underflow (3e-30² < 1.4e-45) in float32
      assert.deepEqual(t([3e30, 3e-30]).hypot(t([4e30, 4e-30])).toArray(), [5e30, 5e-30].map(Math.fround));
      assert.deepEqual(t([0, 0, 2]).xlogy(t([0, Infinity, 1])).toArray(), [0, 0, 0]);
      assert.deepEqual(st.xlogy(t([0, 1]), t([NaN, 1])).toArray(), [NaN, 0]);
      assert.deepEqual(t([0.1, 0.5, 0.95]).logit(0.25).toArray(), [Math.log(1 / 3), 0, Math.log(3)].map(Math.fround));
      assert.deepEqual(st.grad((x: st.Tensor) => x.logit(0.25).sum())(t([0.1, 0.5], 'float64')).toArray(), [0, 4]);
      assert.equal(t([1, 2], 'int32').hypot(t([0, 0], 'int32')).dtype, 'float32');
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

    test('log2 and log10 are exact at powers of their base, which log(x) / ln b is not in float32', () => {
      const k = Array.from({ length: 253 }, (_, i) => i - 126);
      assert.deepEqual(t(k.map((e) => 2 ** e)).log2().toArray(), k);
      const d = Array.from({ length: 20 }, (_, i) => i - 5); // 10^-5 .. 10^14, each rounded to float32
      assert.deepEqual(t(d.map((e) => 10 ** e), 'float64').log10().toArray(), d);
      assert.deepEqual(t([3, -2, 0], 'int32').exp2().toArray(), [8, 0.25, 1]);
    });

    test('mm, bmm, mv and dot check their ranks and sizes, naming the argument', () => {
      const a = t([[1, 2], [3, 4]]);
      assert.deepEqual(a.mm(t([[1], [1]])).toArray(), [[3], [7]]);
      assert.deepEqual(st.mv(a, t([1, -1])).toArray(), [-1, -1]);
      assert.equal(st.dot(t([1, 2, 3]), t([4, 5, 6])).item(), 32);
      assert.throws(() => a.mm(t([1, 2])), /^StrataError: mm: mat2 must be 2-D, got \[2\]/);
      assert.throws(() => a.mv(a), /^StrataError: mv: vec must be 1-D, got \[2,2\]/);
      assert.throws(() => t([1, 2]).dot(t([1, 2, 3])), /^StrataError: dot: lengths differ: input \[2\], other \[3\]/);
      assert.throws(() => st.zeros([2, 1, 3], { backend }).bmm(st.zeros([1, 3, 1], { backend })), /^StrataError: bmm: batch sizes differ/);
      assert.deepEqual(st.ones([2, 1, 3], { backend }).bmm(st.ones([2, 3, 2], { backend })).shape, [2, 1, 2]);
    });

    test('diagonal, trace and diag follow torch\'s layout and offsets', () => {
      const x = st.arange(24, undefined, undefined, { backend }).reshape(3, 2, 4);
      assert.deepEqual(x.diagonal(1, 2, 0).toArray(), [[8, 17], [12, 21]]); // torch.diagonal(x, 1, 2, 0)
      assert.deepEqual(x.diagonal(0, -1, -2).shape, [3, 2]);
      assert.deepEqual(t([[1, 2], [3, 4]]).diagonal(-5).toArray(), []);
      assert.equal(st.trace(t([[1, 2], [3, 4]])).item(), 5);
      assert.deepEqual(t([5, 6]).diag(1).toArray(), [[0, 5, 0], [0, 0, 6], [0, 0, 0]]);
      assert.deepEqual(st.diag(t([[1, 2], [3, 4]]), -1).toArray(), [3]);
      assert.throws(() => t([1, 2]).diagonal(), /^StrataError: diagonal: input must be at least 2-D, got \[2\]/);
      assert.throws(() => t([[1]]).diagonal(0, 1, -1), /^StrataError: diagonal: dim1 and dim2 are the same axis \(1\)/);
    });

    test('movedim, swapaxes and the *As conveniences', () => {
      const x = st.zeros([2, 3, 4, 5], { backend });
      assert.deepEqual(x.movedim([0, 1], [-1, -2]).shape, [4, 5, 3, 2]); // torch.movedim(x, (0, 1), (-1, -2))
      assert.deepEqual(st.movedim(x, 3, 0).shape, [5, 2, 3, 4]);
      assert.throws(() => x.movedim([0, 0], [1, 2]), /^StrataError: movedim: repeated axis/);
      assert.throws(() => x.movedim([0], [1, 2]), /^StrataError: movedim: source has 1 axes, destination 2/);
      assert.deepEqual(st.swapaxes(x, 0, 3).shape, [5, 3, 4, 2]);
      const y = t([1, 2, 3, 4]);
      assert.deepEqual(y.viewAs(st.zeros([2, 2], { backend })).shape, [2, 2]);
      assert.deepEqual(y.expandAs(st.zeros([3, 4], { backend })).shape, [3, 4]);
      assert.equal(y.typeAs(t([1], 'int32')).dtype, 'int32');
      assert.equal(y.contiguous(), y);
      assert.deepEqual(y.clampMin(2).toArray(), [2, 2, 3, 4]);
      assert.deepEqual(st.clampMax(y, 2).toArray(), [1, 2, 2, 2]);
    });
  });
}

test('Module.apply visits every sub-module, children first, then the module itself', () => {
  const { Sequential, Linear, ReLU } = st.nn;
  const inner = new Sequential(new Linear(2, 3), new ReLU());
  const net = new Sequential(inner, new Linear(3, 1));
  const seen: string[] = [];
  assert.equal(net.apply((m) => seen.push(m.typeName)), net);
  assert.deepEqual(seen, ['Linear', 'ReLU', 'Sequential', 'Linear', 'Sequential']);
  net.apply((m) => { if (m instanceof Linear) m.weight.set_(st.nn.init.zeros(m.weight.shape)); });
  assert.deepEqual(st.noGrad(() => net.forward(st.ones([1, 2]))).shape, [1, 1]);
  for (const m of net.modules()) if (m instanceof Linear) assert.deepEqual([...new Set(m.weight.dataSync())], [0]);
});
