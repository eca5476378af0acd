// SPDX-License-Identifier: MIT
// `strata train mnist` without --model (npm start): the cnn-bn model with its recipe (3 epochs of
// 64, a one-cycle schedule peaking at lr 3e-3), recorded in config.json; the run completes its last
// one-cycle step, and `strata evaluate` (BatchNorm in eval mode, running statistics from the
// weights file) reproduces the recorded test accuracy. A small run: 768 images.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

const ROOT = new URL('../..', import.meta.url).pathname;
const CLI = ['--import', 'tsx', '--conditions=strata-source', join(ROOT, 'packages/strata-dl-cli/src/cli/main.ts')];
const run = (...args: string[]): { code: number | null; out: string; err: string } => {
  const r = spawnSync(process.execPath, [...CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('strata train mnist: the default model and recipe', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-train-default-'));
  const runDir = join(dir, 'run');
  let trained: { code: number | null; out: string; err: string };
  before(() => { trained = run('train', 'mnist', '--limit', '768', '--out', runDir, '--no-report'); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('trains cnn-bn for 3 epochs of 64 with one-cycle to lr 3e-3, and records the recipe', () => {
    assert.equal(trained.code, 0, trained.err);
    assert.match(trained.out, /^cnn-bn: 225,130 parameters/m);
    const c = JSON.parse(readFileSync(join(runDir, 'config.json'), 'utf8'));
    assert.equal(c.model, 'cnn-bn');
    assert.deepEqual({ epochs: c.options.epochs, batchSize: c.options.batchSize, lr: c.options.lr, schedule: c.options.schedule, optimizer: c.options.optimizer },
      { epochs: 3, batchSize: 64, lr: 3e-3, schedule: 'onecycle', optimizer: 'adam' });
    const m = JSON.parse(readFileSync(join(runDir, 'metrics.json'), 'utf8'));
    assert.equal(m.epochs.length, 3);
    assert.equal(m.interrupted, false);
    // 704 training images (1/12 held out) three times over: far above chance, though no MNIST score
    assert.ok(m.testAccuracy > 0.7, `test accuracy ${m.testAccuracy}`);
  });

  test('evaluate reproduces the recorded test accuracy exactly (BatchNorm in eval mode from the saved statistics)', () => {
    assert.equal(trained.code, 0, trained.err);
    const r = run('evaluate', runDir);
    assert.equal(r.code, 0, r.err);
    const m = JSON.parse(readFileSync(join(runDir, 'metrics.json'), 'utf8'));
    assert.ok(r.out.includes(`accuracy ${(100 * m.testAccuracy).toFixed(2)}%`), r.out);
    assert.ok(r.out.includes('(identical)'), r.out);
  });

  test('an unknown schedule is refused before any data is loaded', () => {
    const r = run('train', 'mnist', '--schedule', 'linear', '--out', join(dir, 'never'));
    assert.equal(r.code, 1);
    assert.match(r.err, /error: train: unknown schedule 'linear'; choose cosine, onecycle or constant/);
    assert.doesNotMatch(r.out, /loading/);
  });
});
