// SPDX-License-Identifier: MIT
// Fashion-MNIST from the `fashion-mnist` package: its class-0 file holds two empty entries among its
// 7,000 images; the loader skips them, says so once, and still returns 60,000 / 10,000 images.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadFashionMnist } from 'strata-dl-cli';

test('loadFashionMnist: 60,000 training and 10,000 test images, the two empty entries skipped and reported once', () => {
  const warnings: string[] = [];
  const warn = (m: string): void => { warnings.push(m); };
  const trainSet = loadFashionMnist({ split: 'train', warn });
  assert.deepEqual(trainSet.images.shape, [60000, 1, 28, 28]);
  assert.deepEqual(trainSet.labels.shape, [60000]);
  const counts = new Array<number>(10).fill(0);
  for (const l of trainSet.labels.dataSync()) counts[Number(l)]++;
  assert.deepEqual(counts, new Array(10).fill(6000));
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /skipped 2 entries .*class 0 entry 1000 \(0 pixels\), class 0 entry 7001 \(0 pixels\)/);
  const testSet = loadFashionMnist({ split: 'test', warn });
  assert.deepEqual(testSet.images.shape, [10000, 1, 28, 28]);
  assert.equal(warnings.length, 1, 'said once per folder, not again for the test split');
  // the two splits share no image: the train split's last class-0 image differs from the test split's first
  const last = trainSet.images.slice(0, 59990, 59991).dataSync();
  const first = testSet.images.slice(0, 0, 1).dataSync();
  assert.notDeepEqual([...last], [...first]);
  // interleaved by class, so that `limit` (the CLI's --limit) takes every class
  const small = loadFashionMnist({ split: 'train', limit: 1000, warn });
  const smallCounts = new Array<number>(10).fill(0);
  for (const l of small.labels.dataSync()) smallCounts[Number(l)]++;
  assert.deepEqual(smallCounts, new Array(10).fill(100));
  assert.deepEqual([...small.labels.dataSync()].slice(0, 12), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
});

test('loadFashionMnist: a class with too few images names the file and the counts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-fmnist-'));
  writeFileSync(join(dir, '0.json'), JSON.stringify({ data: [[1, 2, 3], []] }));
  assert.throws(() => loadFashionMnist({ dir, warn: () => {} }), /loadFashionMnist: .*0\.json: 0 images of 784 pixels \(and 2 other entries\), expected 7000/);
  writeFileSync(join(dir, '0.json'), '{ "data": [');
  assert.throws(() => loadFashionMnist({ dir }), /loadFashionMnist: .*0\.json: not valid JSON/);
});
