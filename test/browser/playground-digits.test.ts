// SPDX-License-Identifier: MIT
// The Digits page in Chromium: it trains the MNIST CNN in a Web Worker with a live progress bar, and
// it loads a run folder's model.safetensors (here one trained in Node in before(), served at /runs/),
// then reads digits drawn with mouse moves: the prediction is right and the probabilities are the
// same model's, evaluated in Node on the same 28×28 input.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import * as st from 'strata-dl';
import { loadMnist } from 'strata-dl-cli';
import { type Playground, skipWithoutChromium, startPlayground } from './playground-harness.js';

interface DigitsState {
  model: string | null;
  input: number[] | null;
  probs: number[] | null;
  predicted: number | null;
  predictions: number;
  trained: { testAccuracy: number; samplesPerSecond: number; seconds: number; stopped: boolean } | null;
  error: string | null;
}
const digits = (page: Page): Promise<DigitsState> => page.evaluate(() => (window as unknown as { __digits: DigitsState }).__digits);

/** Strokes on the 280×280 pad, in its own pixel coordinates, drawn with mouse moves. */
async function draw(page: Page, strokes: [number, number][][]): Promise<DigitsState> {
  const box = (await page.locator('#pad').boundingBox())!;
  const before = (await digits(page)).predictions;
  for (const stroke of strokes) {
    await page.mouse.move(box.x + stroke[0][0], box.y + stroke[0][1]);
    await page.mouse.down();
    for (const [x, y] of stroke.slice(1)) await page.mouse.move(box.x + x, box.y + y, { steps: 4 });
    await page.mouse.up();
  }
  await page.waitForFunction((n) => (window as unknown as { __digits: DigitsState }).__digits.predictions > n, before);
  // one more frame, so the last segment's prediction is in
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return digits(page);
}

const ONE: [number, number][][] = [[[150, 40], [146, 90], [142, 140], [138, 190], [134, 240]]];
const ZERO: [number, number][][] = [Array.from({ length: 25 }, (_, i): [number, number] => {
  const t = (2 * Math.PI * i) / 24;
  return [140 + 65 * Math.sin(t), 140 - 95 * Math.cos(t)];
})];

describe('playground: the Digits page', { skip: skipWithoutChromium }, () => {
  let pg: Playground;
  let runs: string;
  let model: st.nn.Sequential;
  let bnModel: st.nn.Sequential;

  before(async () => {
    // A small deterministic run, as `strata train mnist` writes it: the CNN, 2,000 images, one epoch.
    st.manualSeed(0);
    const train = loadMnist({ split: 'train', limit: 2000 });
    const x = train.images.sub(0.1307).div(0.3081);
    model = st.models.cnn();
    const optimizer = new st.optim.Adam(model.parameters(), { lr: 1e-3 });
    await st.fit(model, { x, y: train.labels }, { optimizer, loss: st.nn.functional.crossEntropy, epochs: 1, batchSize: 32, generator: new st.Generator(0) });
    model.eval();
    runs = mkdtempSync(join(tmpdir(), 'strata-digits-runs-'));
    mkdirSync(join(runs, 'test-cnn'));
    writeFileSync(join(runs, 'test-cnn', 'model.safetensors'), st.io.encodeSafetensors(model.stateDict(), { format: 'strata', model: 'cnn' }));
    writeFileSync(join(runs, 'test-cnn', 'config.json'), JSON.stringify({ format: 'strata-run/1', model: 'cnn', dataset: 'mnist', inputShape: [1, 28, 28], mean: [0.1307], std: [0.3081] }));
    // npm start's model: cnn-bn, whose BatchNorm statistics travel in the weights file
    st.manualSeed(0);
    bnModel = st.models.createModel('cnn-bn');
    await st.fit(bnModel, { x, y: train.labels }, { optimizer: new st.optim.Adam(bnModel.parameters(), { lr: 3e-3 }), loss: st.nn.functional.crossEntropy, epochs: 1, batchSize: 32, generator: new st.Generator(0) });
    bnModel.eval();
    mkdirSync(join(runs, 'mnist-cnn-bn'));
    writeFileSync(join(runs, 'mnist-cnn-bn', 'model.safetensors'), st.io.encodeSafetensors(bnModel.stateDict(), { format: 'strata', model: 'cnn-bn' }));
    writeFileSync(join(runs, 'mnist-cnn-bn', 'config.json'), JSON.stringify({ format: 'strata-run/1', model: 'cnn-bn', dataset: 'mnist', inputShape: [1, 28, 28], mean: [0.1307], std: [0.3081] }));
    pg = await startPlayground({ runsDir: runs });
  });
  after(async () => {
    await pg?.close();
    if (runs) rmSync(runs, { recursive: true, force: true });
  });

  test('trains the CNN in a Web Worker with a live progress bar (samples/s, ETA), then predicts drawn digits', async () => {
    const { page, errors } = await pg.open('digits/?samples=384&batch=32');
    await page.click('#train');
    // the page keeps drawing progress while the worker trains: seen part-way, not only at the end
    await page.waitForFunction(() => {
      const p = document.getElementById('progress') as HTMLProgressElement;
      return p.value > 0 && p.value < 1;
    }, null, { timeout: 120_000 });
    assert.match(await page.textContent('#progress-text') ?? '', /samples\/s, ETA \d+ s/);
    assert.ok(page.workers().length >= 1, 'the training runs in a Web Worker');
    await page.waitForFunction(() => (window as unknown as { __digits: DigitsState }).__digits.trained !== null, null, { timeout: 300_000 });
    const s = await digits(page);
    assert.equal(s.error, null);
    assert.equal(s.model, 'cnn');
    assert.ok(s.trained!.testAccuracy > 0.1 && s.trained!.testAccuracy <= 1, `test accuracy ${s.trained!.testAccuracy}`);
    assert.equal(await page.evaluate(() => (document.getElementById('progress') as HTMLProgressElement).value), 1);
    assert.match(await page.textContent('#progress-text') ?? '', /done in .* samples\/s\); test accuracy/);
    const drawn = await draw(page, ONE);
    assert.equal(drawn.probs!.length, 10);
    assert.ok(Math.abs(drawn.probs!.reduce((a, b) => a + b, 0) - 1) < 1e-5);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('loads a run folder and reads drawn digits as the same model does in Node (to 1e-4), with every layer\'s feature maps', async (t) => {
    const { page, errors } = await pg.open('digits/?run=test-cnn');
    await page.waitForFunction(() => (window as unknown as { __digits: DigitsState }).__digits.model !== null, null, { timeout: 60_000 });
    assert.match(await page.textContent('#model-status') ?? '', /cnn from \/runs\/test-cnn\/model\.safetensors/);
    for (const [strokes, want] of [[ONE, 1], [ZERO, 0]] as const) {
      await page.click('#clear');
      const s = await draw(page, strokes as [number, number][][]);
      assert.equal(s.input!.length, 784);
      const sum = s.probs!.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - 1) < 1e-5, `probabilities sum to ${sum}`);
      const node = st.noGrad(() => (model.forward(st.tensor(Float32Array.from(s.input!), { shape: [1, 1, 28, 28] }).sub(0.1307).div(0.3081)) as st.Tensor).softmax(1).toArray() as number[][])[0];
      for (let k = 0; k < 10; k++) assert.ok(Math.abs(s.probs![k] - node[k]) <= 1e-4, `class ${k}: page ${s.probs![k]}, Node ${node[k]}`);
      t.diagnostic(`drew a ${want}: p = ${s.probs!.map((p) => p.toFixed(3)).join(' ')}`);
      assert.equal(s.predicted, want, `drew a ${want}, the page says ${s.predicted} (${s.probs!.map((p) => p.toFixed(3)).join(' ')})`);
      // the shown bars are the probabilities
      const shown = (await page.$$eval('#probs .prob', (els) => els.map((e) => Number.parseFloat(e.textContent ?? ''))));
      assert.deepEqual(shown, s.probs!.map((p) => Number((100 * p).toFixed(1))));
    }
    // conv 32@26², ReLU, conv 64@24², ReLU, pool 64@12², dense 128, ReLU, dense 10 (Flatten is not drawn)
    const captions = await page.$$eval('#maps figcaption', (els) => els.map((e) => e.textContent));
    assert.deepEqual(captions, ['0: Conv2d [32×26×26]', '1: ReLU [32×26×26]', '2: Conv2d [64×24×24]', '3: ReLU [64×24×24]', '4: MaxPool2d [64×12×12]', '6: Linear [128]', '7: ReLU [128]', '8: Linear [10]']);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("loads npm start's run (cnn-bn, the page's default run name) with its BatchNorm statistics: the same probabilities as in Node", async () => {
    const { page, errors } = await pg.open('digits/');
    assert.equal(await page.inputValue('#run'), 'mnist-cnn-bn');
    await page.click('#load-run');
    await page.waitForFunction(() => (window as unknown as { __digits: DigitsState }).__digits.model !== null, null, { timeout: 60_000 });
    assert.match(await page.textContent('#model-status') ?? '', /cnn-bn from \/runs\/mnist-cnn-bn\/model\.safetensors \(225,130 parameters/);
    const s = await draw(page, ONE);
    const node = st.noGrad(() => (bnModel.forward(st.tensor(Float32Array.from(s.input!), { shape: [1, 1, 28, 28] }).sub(0.1307).div(0.3081)) as st.Tensor).softmax(1).toArray() as number[][])[0];
    for (let k = 0; k < 10; k++) assert.ok(Math.abs(s.probs![k] - node[k]) <= 1e-4, `class ${k}: page ${s.probs![k]}, Node ${node[k]}`);
    const captions = await page.$$eval('#maps figcaption', (els) => els.map((e) => e.textContent));
    assert.deepEqual(captions.slice(0, 4), ['0: Conv2d [32×26×26]', '1: MaxPool2d [32×13×13]', '2: BatchNorm2d [32×13×13]', '3: ReLU [32×13×13]']);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a missing run is an error on the page, not a crash', async () => {
    const { page, errors } = await pg.open('digits/');
    await page.fill('#run', 'no-such-run');
    await page.click('#load-run');
    await page.waitForFunction(() => (window as unknown as { __digits: DigitsState }).__digits.error !== null);
    assert.match(await page.textContent('#model-status') ?? '', /no \/runs\/no-such-run\/model\.safetensors \(HTTP 404\)/);
    // the browser reports the failed requests themselves; nothing else
    assert.ok(errors.every((e) => /404/.test(e)), errors.join('\n'));
    await page.close();
  });
});
