// SPDX-License-Identifier: MIT
// The CLI end to end on a small run: train → files, evaluate = metrics.json, predict, bad input,
// Ctrl-C checkpoint, and the report in headless Chromium (where Debian's chromium is installed).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as st from 'strata-dl';
import { loadMnist } from 'strata-dl-cli';
import { encodePng, tileGrid } from '../../packages/strata-dl-cli/src/viz/index.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const CLI = ['--import', 'tsx', '--conditions=strata-source', join(ROOT, 'packages/strata-dl-cli/src/cli/main.ts')];
const run = (...args: string[]): { code: number | null; out: string; err: string } => {
  const r = spawnSync(process.execPath, [...CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('strata CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-cli-'));
  const runDir = join(dir, 'run');
  before(() => {
    const r = run('train', 'mnist', '--model', 'mlp', '--epochs', '2', '--limit', '2400', '--out', runDir);
    assert.equal(r.code, 0, r.err);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('train writes weights, config, metrics and report', () => {
    for (const f of ['model.safetensors', 'config.json', 'metrics.json', 'report.html']) assert.ok(existsSync(join(runDir, f)), f);
    const m = JSON.parse(readFileSync(join(runDir, 'metrics.json'), 'utf8'));
    assert.equal(m.epochs.length, 2);
    assert.ok(m.testAccuracy > 0.8, `test accuracy ${m.testAccuracy}`);
    for (const e of m.epochs) assert.ok(e.samplesPerSecond > 0 && e.seconds > 0 && e.valAccuracy > 0);
  });

  test('evaluate reproduces the recorded test accuracy exactly', () => {
    const r = run('evaluate', runDir);
    assert.equal(r.code, 0, r.err);
    const m = JSON.parse(readFileSync(join(runDir, 'metrics.json'), 'utf8'));
    assert.ok(r.out.includes(`accuracy ${(100 * m.testAccuracy).toFixed(2)}%`), r.out);
    assert.ok(r.out.includes('(identical)'), r.out);
  });

  test('predict classifies a PNG; a wrong-sized image is refused', () => {
    const { images, labels } = loadMnist({ split: 'test', limit: 1 });
    const png = join(dir, 'digit.png');
    writeFileSync(png, encodePng(tileGrid(images, { pad: 0, normalize: 'none' })));
    const r = run('predict', runDir, png);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out.split('\n')[0], new RegExp(`^${labels.item()}\\s+\\d+\\.\\d+%$`));
    const big = join(dir, 'big.png');
    writeFileSync(big, encodePng(tileGrid(st.zeros([1, 30, 30]), { pad: 0 })));
    const bad = run('predict', runDir, big);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /error: predict: .*big.png is 30×30, but the model expects 28×28 images \(mnist\)/);
  });

  test('bad input: unknown dataset or model, missing data, truncated weights — a clear message, exit 1, nothing overwritten', () => {
    const before = readFileSync(join(runDir, 'model.safetensors'));
    const mtime = statSync(join(runDir, 'metrics.json')).mtimeMs;
    let r = run('train', 'imagenet', '--out', runDir);
    assert.equal(r.code, 1);
    assert.match(r.err, /error: train: unknown dataset 'imagenet'; choose one of mnist, fashion-mnist, cifar10/);
    r = run('train', 'mnist', '--model', 'resnet', '--out', runDir);
    assert.equal(r.code, 1);
    assert.match(r.err, /error: createModel: unknown model 'resnet'/);
    r = run('train', 'mnist', '--data-dir', join(dir, 'nowhere'), '--out', runDir);
    assert.equal(r.code, 1);
    assert.match(r.err, /error: datasets: MNIST images: expected the file .*nowhere\/train-images-idx3-ubyte, which does not exist/);
    assert.deepEqual(readFileSync(join(runDir, 'model.safetensors')), before);
    assert.equal(statSync(join(runDir, 'metrics.json')).mtimeMs, mtime);
    const broken = join(dir, 'broken');
    spawnSync('cp', ['-r', runDir, broken]);
    writeFileSync(join(broken, 'model.safetensors'), before.subarray(0, before.length - 1000));
    r = run('evaluate', broken);
    assert.equal(r.code, 1);
    assert.match(r.err, /error: run: .*model.safetensors could not be read: decodeSafetensors: /);
    r = run('evaluate', join(dir, 'missing'));
    assert.equal(r.code, 1);
    assert.match(r.err, /error: run: no run folder at/);
  });

  test('Ctrl-C stops after the current batch and saves a checkpoint', async () => {
    const out = join(dir, 'interrupted');
    const child = spawn(process.execPath, [...CLI, 'train', 'mnist', '--model', 'mlp', '--epochs', '50', '--limit', '12000', '--out', out, '--no-report'], { cwd: ROOT });
    let err = '';
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        if (/epoch 1\/50 .* [1-9]\d*\/\d+ /.test(err) && !child.killed) child.kill('SIGINT');
      });
      child.on('exit', (c) => resolve(c));
    });
    assert.equal(code, 0, err);
    assert.ok(existsSync(join(out, 'checkpoint.safetensors')));
    const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    assert.equal(m.interrupted, true);
    assert.ok(m.epochs.length < 50);
  });

  const chromium = existsSync('/usr/bin/chromium');
  // Skipped only where Debian's chromium is not installed (apt-get install chromium); scripts/screenshot-report.ts does the same by hand.
  test('the report renders every section in headless Chromium with no console errors', { skip: chromium || process.env.CI ? false : 'chromium is not installed (CI installs it and runs this)' }, async () => {
    const { screenshotReport } = await import('../../scripts/screenshot-report.js');
    const r = await screenshotReport(runDir, join(dir, 'report.png'));
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.sections, { curves: true, filters: true, features: true, confusion: true, mistakes: true, samples: true });
    assert.ok(statSync(r.path).size > 10_000);
  });
});
