// SPDX-License-Identifier: MIT
// Property-based tests: broadcasting and movement ops against naive nested-array references.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import * as st from 'strata-dl';
import { bshape, mapN } from './ops.table.js';
import type { Spec } from './helpers.js';

const dim = fc.integer({ min: 1, max: 4 });
const shapeArb = fc.array(dim, { minLength: 0, maxLength: 4 });
const valuesFor = (shape: number[]): fc.Arbitrary<number[]> => {
  const n = shape.reduce((a, b) => a * b, 1);
  return fc.array(fc.integer({ min: -50, max: 50 }), { minLength: n, maxLength: n });
};
const specArb = shapeArb.chain((shape) => valuesFor(shape).map((values): Spec => ({ values, shape, kind: 'float' })));
const mk = (s: Spec, backend = 'js'): st.Tensor => st.tensor(s.values, { shape: s.shape, backend });
const runs = { numRuns: 60 };

/** Two shapes that broadcast: the second is derived from a suffix of the first with some dims set to 1. */
const broadcastPair = shapeArb.chain((a) =>
  fc.tuple(fc.integer({ min: 0, max: a.length }), fc.array(fc.boolean(), { minLength: a.length, maxLength: a.length })).map(([k, ones]) => {
    const b = a.slice(a.length - k).map((d, i) => (ones[a.length - k + i] ? 1 : d));
    return [a, b] as const;
  }),
).chain(([a, b]) => fc.tuple(valuesFor(a), valuesFor(b)).map(([va, vb]): [Spec, Spec] => [{ values: va, shape: a, kind: 'float' }, { values: vb, shape: b, kind: 'float' }]));

for (const backend of st.listBackends()) {
  test(`[${backend}] broadcasting binary ops match the naive reference, in both operand orders`, () => {
    fc.assert(fc.property(broadcastPair, fc.boolean(), ([a, b], swap) => {
      const [x, y] = swap ? [b, a] : [a, b];
      const got = mk(x, backend).mul(mk(y, backend)).sub(mk(y, backend));
      const ref = mapN([x, y], (p, q) => p * q - q);
      assert.deepEqual([...got.shape], ref.shape);
      assert.deepEqual([...got.dataSync()], ref.values);
    }), runs);
  });

  test(`[${backend}] broadcast gradients sum back to each operand's shape`, () => {
    fc.assert(fc.property(broadcastPair, ([a, b]) => {
      const [ga, gb] = st.grad((x: st.Tensor, y: st.Tensor) => x.mul(y).sum(), { argnums: [0, 1] })(mk(a, backend), mk(b, backend));
      assert.deepEqual([...ga.shape], a.shape);
      assert.deepEqual([...gb.shape], b.shape);
      // d/dx Σ x·y over the broadcast shape = y summed over the dims x was broadcast along.
      const out = bshape(a.shape, b.shape);
      const total = (s: Spec): number => s.values.reduce((p, q) => p + q, 0) * (out.reduce((p, q) => p * q, 1) / Math.max(1, s.values.length));
      assert.equal(ga.sum().item(), total(b));
      assert.equal(gb.sum().item(), total(a));
    }), runs);
  });

  test(`[${backend}] permute then inverse permute is the identity; values move as the naive reference says`, () => {
    fc.assert(fc.property(specArb.chain((s) => fc.tuple(fc.constant(s), fc.shuffledSubarray([...s.shape.keys()], { minLength: s.shape.length, maxLength: s.shape.length }))), ([s, perm]) => {
      const x = mk(s, backend);
      const p = x.permute(perm);
      assert.deepEqual([...p.shape], perm.map((i) => s.shape[i]));
      const inv = perm.map((_, i) => perm.indexOf(i));
      assert.deepEqual([...p.permute(inv).dataSync()], s.values);
      const nested = x.toArray();
      const pick = (n: st.Nested, idx: number[]): st.Nested => idx.reduce<st.Nested>((acc, i) => (acc as st.Nested[])[i], n);
      const flat = [...p.dataSync()];
      const shape = [...p.shape];
      flat.forEach((v, k) => {
        const idx: number[] = [];
        let r = k;
        for (let d = shape.length - 1; d >= 0; d--) { idx.unshift(r % shape[d]); r = Math.floor(r / shape[d]); }
        const src = new Array<number>(perm.length);
        perm.forEach((pd, j) => { src[pd] = idx[j]; });
        assert.equal(v, pick(nested, src));
      });
    }), runs);
  });

  test(`[${backend}] slice, pad and flip agree with array operations on the last axis`, () => {
    fc.assert(fc.property(specArb.filter((s) => s.shape.length > 0), fc.nat(4), fc.nat(4), fc.nat(3), fc.nat(3), (s, i, j, pl, pr) => {
      const n = s.shape[s.shape.length - 1];
      const [start, end] = [Math.min(i, n), Math.min(Math.max(i, j), n)];
      const rows = s.values.length / n;
      const rowsOf = (vals: number[], w: number): number[][] => Array.from({ length: rows }, (_, r) => vals.slice(r * w, r * w + w));
      const x = mk(s, backend);
      assert.deepEqual([...x.slice(-1, start, end).dataSync()], rowsOf(s.values, n).flatMap((r) => r.slice(start, end)));
      assert.deepEqual([...x.pad([pl, pr], 7).dataSync()], rowsOf(s.values, n).flatMap((r) => [...new Array(pl).fill(7), ...r, ...new Array(pr).fill(7)]));
      assert.deepEqual([...x.flip(-1).dataSync()], rowsOf(s.values, n).flatMap((r) => [...r].reverse()));
    }), runs);
  });

  test(`[${backend}] cat then split round-trips, and reshape preserves row-major order`, () => {
    fc.assert(fc.property(specArb.filter((s) => s.shape.length > 0), fc.integer({ min: 1, max: 3 }), (s, k) => {
      const x = mk(s, backend);
      const parts = Array.from({ length: k }, () => x);
      const c = st.cat(parts, 0);
      assert.equal(c.shape[0], s.shape[0] * k);
      assert.deepEqual([...c.dataSync()], parts.flatMap(() => s.values));
      c.split(s.shape[0], 0).forEach((p) => assert.deepEqual([...p.dataSync()], s.values));
      assert.deepEqual([...x.reshape(-1).dataSync()], s.values);
    }), runs);
  });

  test(`[${backend}] expand matches nested repetition; sum over the expanded axis multiplies`, () => {
    fc.assert(fc.property(specArb, dim, (s, m) => {
      const x = mk(s, backend);
      const e = x.expand([m, ...s.shape]);
      assert.deepEqual([...e.dataSync()], Array.from({ length: m }, () => s.values).flat());
      assert.deepEqual([...e.sum(0).dataSync()], s.values.map((v) => v * m));
    }), runs);
  });

  test(`[${backend}] gather picks what indexing says`, () => {
    fc.assert(fc.property(fc.tuple(dim, dim, dim).chain(([r, c, k]) => fc.tuple(valuesFor([r, c]), fc.array(fc.nat(c - 1), { minLength: r * k, maxLength: r * k })).map(([v, idx]) => ({ r, c, k, v, idx }))), ({ r, c, k, v, idx }) => {
      const x = st.tensor(v, { shape: [r, c], backend });
      const i = st.tensor(idx, { shape: [r, k], dtype: 'int32', backend });
      const got = [...x.gather(1, i).dataSync()];
      assert.deepEqual(got, idx.map((col, p) => v[Math.floor(p / k) * c + col]));
    }), runs);
  });
}
