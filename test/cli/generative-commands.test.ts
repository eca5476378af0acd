// SPDX-License-Identifier: MIT
// The generative commands end to end on tiny runs: train autoencoder|vae|gan writes a run folder with
// weights, config, metrics and report; an interrupted run resumed from its checkpoint ends with the
// same weights as an uninterrupted one (VAE, conditional GAN: both networks); sample's grid order for
// a conditional model; encode; score; and bad input.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as st from 'strata-dl';
import { loadMnist } from 'strata-dl-cli';
import { encodeCommand, generativeSampleCommand, scoreCommand, trainGenerativeCommand } from '../../packages/strata-dl-cli/src/cli/generative/index.js';
import type { GenerativeTrainOptions } from '../../packages/strata-dl-cli/src/cli/generative/train.js';
import { reportData } from '../../packages/strata-dl-cli/src/cli/generative/report-data.js';
import { loadGenerativeRun } from '../../packages/strata-dl-cli/src/cli/generative/run-folder.js';
import { trainCommand } from '../../packages/strata-dl-cli/src/cli/train.js';
import { decodePng, encodePng, tileGrid } from '../../packages/strata-dl-cli/src/viz/index.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const CLI = ['--import', 'tsx', '--conditions=strata-source', join(ROOT, 'packages/strata-dl-cli/src/cli/main.ts')];
const cli = (...args: string[]): { code: number | null; out: string; err: string } => {
  const r = spawnSync(process.execPath, [...CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('strata train autoencoder|vae|gan and the commands on their runs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-gen-'));
  const classifier = join(dir, 'classifier');
  const tiny = (o: Partial<GenerativeTrainOptions>): GenerativeTrainOptions => ({
    seed: 3, limit: 192, testLimit: 100, scoreCount: 50, classifier, report: true, quiet: true, ...o,
  });
  let logged: string[] = [];
  const originalLog = console.log;
  before(async () => {
    await trainCommand('mnist', { model: 'mlp', epochs: 1, limit: 2000, optimizer: 'adam', seed: 0, report: false, quiet: true, out: classifier });
    console.log = (...a: unknown[]): void => { logged.push(a.join(' ')); };
  });
  after(() => {
    console.log = originalLog;
    rmSync(dir, { recursive: true, force: true });
  });

  test('autoencoder (denoising): run folder, per-epoch losses, test MSE and AUROC; encode prints the code and error', async () => {
    const out = join(dir, 'ae');
    const m = await trainGenerativeCommand('autoencoder', 'mnist', tiny({ epochs: 2, noise: 0.3, latent: 8, out }));
    for (const f of ['model.safetensors', 'config.json', 'metrics.json', 'report.html', 'checkpoint.safetensors']) assert.ok(existsSync(join(out, f)), f);
    const saved = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    assert.deepEqual(saved, JSON.parse(JSON.stringify(m)));
    assert.equal(m.epochs.length, 2);
    assert.ok(m.epochs[1].loss < m.epochs[0].loss, JSON.stringify(m.epochs));
    assert.ok(m.testMse !== undefined && m.testMse > 0 && m.testMse < 0.2, `${m.testMse}`);
    assert.ok(m.anomalyAuroc !== undefined && m.anomalyAuroc >= 0 && m.anomalyAuroc <= 1);
    assert.equal(m.scores, undefined);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    assert.equal(config.options.noise, 0.3);
    assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /test reconstruction MSE/);

    const { images } = loadMnist({ split: 'test', limit: 1 });
    const png = join(dir, 'digit.png');
    writeFileSync(png, encodePng(tileGrid(images, { pad: 0, normalize: 'none' })));
    logged = [];
    const recon = join(dir, 'recon.png');
    const r = await encodeCommand(out, png, { out: recon });
    assert.equal(r.code.length, 8);
    assert.match(logged[0], /^code \(8-d\): \[(-?\d+\.\d{4}, ){7}-?\d+\.\d{4}\]$/);
    assert.match(logged[1], /^reconstruction MSE: \d+\.\d{6}$/);
    // the printed error is the image's error under the model, as the test-set figures measure it
    assert.ok(r.mse > 0 && r.mse < 0.3, `${r.mse}`);
    const img = decodePng(readFileSync(recon));
    assert.deepEqual([img.width, img.height], [58, 58]); // 28 × scale 2 + 2 × pad 1
  });

  test('vae: negative ELBO per epoch and on the test set, scores of its samples; interrupted and resumed = uninterrupted', async () => {
    const a = join(dir, 'vae-a'), b = join(dir, 'vae-b');
    const ma = await trainGenerativeCommand('vae', 'mnist', tiny({ epochs: 2, batchSize: 64, out: a }));
    assert.ok(ma.testNegativeElbo !== undefined && ma.testNegativeElbo > 50 && ma.testNegativeElbo < 600, `${ma.testNegativeElbo}`);
    assert.ok(ma.epochs.every((e) => e.testLoss > 0 && e.loss > 0));
    assert.equal(ma.scores?.count, 50);
    // 3 batches per epoch: stop inside the second epoch, then resume
    const mb1 = await trainGenerativeCommand('vae', 'mnist', tiny({ epochs: 2, batchSize: 64, out: b, interruptAfter: 4 }));
    assert.equal(mb1.interrupted, true);
    assert.ok(!existsSync(join(b, 'model.safetensors')));
    const mb = await trainGenerativeCommand('vae', 'mnist', tiny({ epochs: 2, batchSize: 64, out: b, resume: true }));
    assert.deepEqual(readFileSync(join(b, 'model.safetensors')), readFileSync(join(a, 'model.safetensors')));
    assert.deepEqual(mb.epochs.map((e) => [e.loss, e.testLoss]), ma.epochs.map((e) => [e.loss, e.testLoss]));
    assert.equal(mb.testNegativeElbo, ma.testNegativeElbo);
    assert.deepEqual(mb.scores, ma.scores);
    // other settings than the checkpoint's are refused
    await assert.rejects(trainGenerativeCommand('vae', 'mnist', tiny({ epochs: 3, batchSize: 32, out: b, resume: true })), /train: --resume: the checkpoint in .* was written with other settings/);
  });

  test('conditional gan: resume gives both networks bit for bit; per-epoch grids; sample k is digit k mod 10; score', async () => {
    const a = join(dir, 'gan-a'), b = join(dir, 'gan-b');
    const opts = { epochs: 2, conditional: true, latent: 16 };
    const ma = await trainGenerativeCommand('gan', 'mnist', tiny({ ...opts, out: a }));
    await trainGenerativeCommand('gan', 'mnist', tiny({ ...opts, out: b, interruptAfter: 2 }));
    const mb = await trainGenerativeCommand('gan', 'mnist', tiny({ ...opts, out: b, resume: true }));
    for (const f of ['model.safetensors', 'discriminator.safetensors']) assert.deepEqual(readFileSync(join(b, f)), readFileSync(join(a, f)), f);
    assert.deepEqual(mb.epochs.map((e) => [e.dLoss, e.gLoss]), ma.epochs.map((e) => [e.dLoss, e.gLoss]));
    assert.ok(ma.epochs.every((e) => Number.isFinite(e.dLoss) && Number.isFinite(e.gLoss)));
    assert.equal(ma.scores?.count, 50);
    assert.ok(ma.scores?.requestedAccuracy !== undefined);
    assert.deepEqual(mb.scores, ma.scores);
    const { nodeFileSystem } = await import('strata-dl/node');
    const ckpt = await st.io.loadCheckpoint(join(b, 'checkpoint.safetensors'), nodeFileSystem);
    assert.deepEqual(['grids.1', 'grids.2'].map((k) => ckpt.tensors[k]?.shape), [[40, 1, 28, 28], [40, 1, 28, 28]]);

    // The grid: 10 columns; the tile in row r, column c is sample 10r + c, drawn as digit c, with the
    // same noise as sample 10r + c of a run that asks for digit c alone.
    const grid = join(dir, 'grid.png');
    const all = await generativeSampleCommand(a, { count: 20, seed: 5, out: grid });
    const png = decodePng(readFileSync(grid));
    assert.deepEqual([png.width, png.height], [10 * 57 + 1, 2 * 57 + 1]);
    const allData = all.dataSync();
    for (let d = 0; d < 10; d++) {
      const one = (await generativeSampleCommand(a, { count: 20, seed: 5, digit: d, out: join(dir, `d${d}.png`) })).dataSync();
      for (const k of [d, d + 10]) {
        assert.deepEqual(allData.subarray(k * 784, (k + 1) * 784), one.subarray(k * 784, (k + 1) * 784), `sample ${k}`);
        // and the PNG holds sample k at row ⌊k/10⌋, column k mod 10 (the tile's centre pixel, scale 2)
        const [r, c] = [Math.floor(k / 10), k % 10];
        const px = png.data[((r * 57 + 1 + 28) * png.width + c * 57 + 1 + 28) * 4];
        assert.equal(px, Math.round(Math.min(Math.max(allData[k * 784 + 14 * 28 + 14], 0), 1) * 255), `pixel of sample ${k}`);
      }
    }
    logged = [];
    const s = await scoreCommand(a, { count: 50, classifier });
    assert.deepEqual(s, ma.scores); // the default seed is the one training scored with
    assert.match(logged.join('\n'), /classified with p ≥ 0\.9: \d+\.\d%\nclassified as the requested digit: \d+\.\d%\nInception Score: \d+\.\d\d/);
  });

  test('the report data is complete for each kind (images, codes with pixels and labels, anomaly scores, grids, scores)', async () => {
    const test10 = loadMnist({ split: 'test', limit: 100 });
    const { nodeFileSystem } = await import('strata-dl/node');
    const kinds = { ae: ['reconstructions', 'latent', 'anomaly'], 'vae-a': ['reconstructions', 'latent', 'samples', 'interpolation', 'anomaly', 'scores'], 'gan-a': ['samples', 'interpolation', 'gridsPerEpoch', 'scores'] };
    for (const [run, fields] of Object.entries(kinds)) {
      const { config, loaded, metrics } = await loadGenerativeRun(join(dir, run), 'test');
      assert.ok(metrics);
      const ckpt = await st.io.loadCheckpoint(join(dir, run, 'checkpoint.safetensors'), nodeFileSystem);
      const grids = Object.entries(ckpt.tensors).filter(([k]) => k.startsWith('grids.')).map(([k, images]) => ({ epoch: Number(k.slice(6)), images }));
      const anomaly = metrics.anomalyAuroc === undefined ? undefined : { inScores: new Float32Array([0.1, 0.2]), outScores: new Float32Array([0.3]), outName: 'fashion-mnist' };
      const d = reportData({ config, metrics, loaded, test: test10, anomaly, grids, seed: 0, params: 1, scoredSamples: undefined });
      const present = ['reconstructions', 'latent', 'samples', 'interpolation', 'gridsPerEpoch', 'anomaly', 'scores'].filter((k) => d[k as keyof typeof d] !== undefined);
      assert.deepEqual(present, fields, run);
      assert.equal(d.kind, config.kind);
      assert.equal(d.history.length, metrics.epochs.length);
      if (d.reconstructions) assert.deepEqual([d.reconstructions.inputs.images.length, d.reconstructions.outputs.images.length, d.reconstructions.outputs.images[0].length], [16, 16, 784]);
      if (d.latent) {
        assert.equal(d.latent.codes.length, 100 * d.latent.codeDim);
        assert.equal(d.latent.pixels.length, 100 * 784);
        assert.deepEqual(Array.from(d.latent.labels.slice(0, 5)), Array.from(test10.labels.slice(0, 0, 5).dataSync()));
      }
      if (d.samples) assert.equal(d.samples.images.length, 64);
      if (d.interpolation) assert.equal(d.interpolation.images.length, 10);
      if (d.gridsPerEpoch) assert.deepEqual(d.gridsPerEpoch.map((g) => [g.epoch, g.images.images.length]), [[1, 40], [2, 40]]);
      for (const set of [d.samples, d.interpolation, d.reconstructions?.outputs]) {
        for (const img of set?.images ?? []) assert.ok(img.every((v) => v >= 0 && v <= 1));
      }
    }
  });

  test('bad input: unknown kind, --digit out of range, missing run folder, wrong kind of run — one line, exit 1', async () => {
    let r = cli('train', 'diffusion', 'mnist');
    assert.equal(r.code, 1);
    assert.match(r.err, /error: train: unknown model kind 'diffusion'; choose one of autoencoder, vae, gan/);
    r = cli('sample', join(dir, 'gan-a'), '--digit', '10', '--out', join(dir, 'x.png'));
    assert.equal(r.code, 1);
    assert.match(r.err, /error: sample: --digit must be an integer from 0 to 9, got 10/);
    assert.ok(!existsSync(join(dir, 'x.png')));
    r = cli('sample', join(dir, 'nowhere'));
    assert.equal(r.code, 1);
    assert.match(r.err, /error: sample: no run folder at .*nowhere/);
    await assert.rejects(generativeSampleCommand(join(dir, 'vae-a'), { digit: 3, out: join(dir, 'x.png') }), /sample: --digit needs a class-conditional model/);
    await assert.rejects(scoreCommand(join(dir, 'nowhere'), { count: 10 }), /score: no run folder at .*nowhere/);
    await assert.rejects(encodeCommand(join(dir, 'nowhere'), 'x.png', {}), /encode: no run folder at .*nowhere/);
    await assert.rejects(encodeCommand(join(dir, 'gan-a'), 'x.png', {}), /encode: .*gan-a is a GAN, which has no encoder/);
    await assert.rejects(generativeSampleCommand(join(dir, 'ae'), { out: join(dir, 'x.png') }), /sample: .*ae is an autoencoder, which has no prior/);
    await assert.rejects(scoreCommand(classifier, { count: 10 }), /score: .*classifier is not a generative run/);
    await assert.rejects(encodeCommand(join(dir, 'ae'), join(dir, 'missing.png'), {}), /encode: no image at .*missing.png/);
    await assert.rejects(trainGenerativeCommand('vae', 'cifar10', tiny({})), /train: vae: unknown dataset 'cifar10'; choose mnist or fashion-mnist/);
    await assert.rejects(trainGenerativeCommand('vae', 'mnist', tiny({ conditional: true })), /train: --conditional applies to gan, not vae/);
    await assert.rejects(trainGenerativeCommand('gan', 'mnist', tiny({ out: join(dir, 'nothing'), resume: true })), /train: --resume: no checkpoint at .*nothing/);
  });

  // The reports that the commands above wrote, opened in Debian's headless Chromium (skipped only where it
  // is not installed outside CI): no console errors, every chart drawn, every picture decoded.
  const chromium = existsSync('/usr/bin/chromium') || process.env.CI ? false : 'chromium is not installed (CI installs it and runs this)';
  test('the reports of the autoencoder, VAE and conditional GAN runs render in headless Chromium', { skip: chromium }, async () => {
    const { chromium: browserType } = await import('playwright-core');
    const browser = await browserType.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
    try {
      for (const run of ['ae', 'vae-a', 'gan-a']) {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
        page.on('pageerror', (e) => errors.push(String(e)));
        await page.goto(`file://${join(dir, run, 'report.html')}`);
        await page.waitForLoadState('load');
        const state = await page.evaluate(`(() => {
          const canvases = [...document.querySelectorAll('canvas')];
          const drawn = canvases.filter((c) => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; for (let i = 3; i < d.length; i += 4) if (d[i]) return true; return false; }).length;
          const imgs = [...document.querySelectorAll('img')];
          return { canvases: canvases.length, drawn, images: imgs.length, decoded: imgs.filter((i) => i.complete && i.naturalWidth > 0).length, sections: [...document.querySelectorAll('section')].map((x) => x.id) };
        })()`) as { canvases: number; drawn: number; images: number; decoded: number; sections: string[] };
        assert.deepEqual(errors, [], run);
        assert.ok(state.canvases > 0 && state.drawn === state.canvases, `${run}: ${JSON.stringify(state)}`);
        assert.ok(state.images > 0 && state.decoded === state.images, `${run}: ${JSON.stringify(state)}`);
        await page.close();
      }
    } finally {
      await browser.close();
    }
  });
});
