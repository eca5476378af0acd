// SPDX-License-Identifier: MIT
// The convolution explorer in headless Chromium: it loads clean, its output for a set configuration
// (custom 3×3 kernel, padding 'same', stride 2, dilation 2, then pooling) equals strata-dl's
// F.conv2d and pooling computed here in Node on the same image, its output-size formula gives the
// output's size, drawing on the pad changes the image, and it runs the wasm pool's workers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as st from 'strata-dl';
import { SIZE, makeImage } from '../../playground/pages/conv/images.js';
import { type Playground, skipWithoutChromium, startPlayground } from './playground-harness.js';

const F = st.nn.functional;
interface Exposed {
  version: number; state: Record<string, unknown>;
  input: number[]; conv: number[]; convShape: [number, number]; pooled: number[] | null; pooledShape: [number, number] | null;
  formula: { h: number; w: number; text: string } | null; poolFormula: { h: number; w: number } | null;
  error: string | null; backend: string; threads: number; poolReady: boolean;
}
const EXPOSED = 'window.__conv';
const WEIGHTS = [0.5, -1, 0.25, 2, -0.75, 1.5, -0.125, 0.3, -2];

function close(got: readonly number[], want: readonly number[], what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= 1e-5, `${what}[${i}]: ${got[i]} vs ${want[i]}`);
}

describe('playground: convolution explorer', { skip: skipWithoutChromium }, () => {
  let pg: Playground;
  before(async () => { pg = await startPlayground(); });
  after(async () => { await pg?.close(); });

  for (const pool of ['max', 'min', 'avg'] as const) {
    test(`custom 3×3, padding same, stride 2, dilation 2, ${pool} pooling: the numbers of F.conv2d and ${pool} pooling in Node`, async () => {
      const hash = `image=digit&kernel=custom&weights=${WEIGHTS.join(',')}&padding=same&stride=2&dilation=2&pool=${pool}&poolSize=2`;
      const { page, errors } = await pg.open(`conv/#${hash}`);
      await page.waitForFunction(`${EXPOSED}.version > 0`);
      const got = (await page.evaluate(EXPOSED)) as Exposed;
      assert.equal(got.error, null);
      // the page's image is the built-in one, and its result is Node's
      const img = makeImage('digit');
      assert.deepEqual(got.input, Array.from(img));
      const x = st.tensor(img, { shape: [1, 1, SIZE, SIZE] });
      const w = st.tensor(Float32Array.from(WEIGHTS), { shape: [1, 1, 3, 3] });
      const y = F.conv2d(x, w, null, { padding: 'same', stride: 2, dilation: 2 });
      assert.deepEqual(got.convShape, [y.shape[2], y.shape[3]]);
      close(got.conv, y.flatten().toArray() as number[], 'conv');
      const p = (pool === 'max' ? F.maxPool2d : pool === 'min' ? F.minPool2d : F.avgPool2d)(y, 2);
      assert.deepEqual(got.pooledShape, [p.shape[2], p.shape[3]]);
      close(got.pooled ?? [], p.flatten().toArray() as number[], pool);
      // the formula, with its numbers: 'same' pads a dilated 3×3 (span 5) by ⌈32/2⌉·2 + 5 − 32 − 2 = 3 → 1 and 2
      assert.deepEqual([got.formula?.h, got.formula?.w], [16, 16]);
      assert.deepEqual([got.formula?.h, got.formula?.w], got.convShape);
      assert.match(got.formula?.text ?? '', /⌊\(32 \+ 1 \+ 2 − 2·\(3 − 1\) − 1\) \/ 2⌋ \+ 1 = 16/);
      assert.match((await page.textContent('#formula')) ?? '', /= 16/);
      assert.deepEqual([got.poolFormula?.h, got.poolFormula?.w], got.pooledShape);
      // the configuration came from the link and stays in it
      assert.equal(got.state.padding, 'same');
      assert.deepEqual(got.state.weights, WEIGHTS);
      assert.equal(await page.inputValue('#padding'), 'same');
      assert.equal(await page.inputValue('#kernel'), 'custom');
      assert.equal(new URL(page.url()).hash, `#${hash}`);
      assert.deepEqual(errors, []);
      await page.close();
    });
  }

  test('controls update the numbers and the URL; a full padding, valid padding and 5×5 kernel give the formula\'s sizes', async () => {
    const { page, errors } = await pg.open('conv/');
    await page.waitForFunction(`${EXPOSED}.version > 0`);
    for (const [padding, kernel, dilation, want] of [['full', 'gaussian blur 5×5', '1', 36], ['valid', 'sharpen', '3', 26], ['same', 'box blur', '2', 32]] as const) {
      const v = ((await page.evaluate(EXPOSED)) as Exposed).version;
      await page.selectOption('#padding', padding);
      await page.selectOption('#kernel', kernel);
      await page.fill('#dilation', dilation);
      await page.dispatchEvent('#dilation', 'change');
      await page.waitForFunction(`${EXPOSED}.version >= ${v + 3}`);
      const got = (await page.evaluate(EXPOSED)) as Exposed;
      assert.deepEqual(got.convShape, [want, want], `${padding}, ${kernel}, dilation ${dilation}`);
      assert.deepEqual([got.formula?.h, got.formula?.w], got.convShape);
      assert.match(page.url(), new RegExp(`padding=${padding}.*dilation=${dilation}`));
    }
    // editing a weight of the (box blur) grid makes a custom kernel, in the URL too
    const v = ((await page.evaluate(EXPOSED)) as Exposed).version;
    await page.fill('#grid input >> nth=0', '2');
    await page.dispatchEvent('#grid input >> nth=0', 'change');
    await page.waitForFunction(`${EXPOSED}.version > ${v}`);
    const custom = (await page.evaluate(EXPOSED)) as Exposed;
    assert.equal(custom.state.kernel, 'custom');
    assert.deepEqual(custom.state.weights, [2, ...Array<number>(8).fill(1 / 9)]);
    assert.match(page.url(), /kernel=custom&weights=2,0\.111/);
    assert.equal(await page.inputValue('#kernel'), 'custom');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('drawing on the pad with the mouse becomes the input', async () => {
    const { page, errors } = await pg.open('conv/');
    await page.waitForFunction(`${EXPOSED}.version > 0`);
    const box = (await page.locator('#pad').boundingBox())!;
    await page.mouse.move(box.x + 30, box.y + 30);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + 30 + 10 * i, box.y + 30 + 8 * i);
    await page.mouse.up();
    await page.waitForFunction(`${EXPOSED}.state.image === 'drawn'`);
    const got = (await page.evaluate(EXPOSED)) as Exposed;
    const lit = got.input.filter((v) => v > 0.5).length;
    assert.ok(lit > 10 && lit < 400, `${lit} bright pixels`);
    assert.deepEqual(got.input.slice(0, 3), [0, 0, 0]); // the top-left corner was not drawn on
    assert.equal(got.conv.length, got.convShape[0] * got.convShape[1]);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('cross-origin isolated, on the wasm backend with getNumThreads() − 1 Web Workers', async () => {
    const { page, errors } = await pg.open('conv/');
    await page.waitForFunction(`${EXPOSED}.poolReady`);
    const got = (await page.evaluate(EXPOSED)) as Exposed;
    assert.equal(await page.evaluate('globalThis.crossOriginIsolated'), true);
    assert.equal(got.backend, 'wasm');
    assert.equal(await page.evaluate('navigator.hardwareConcurrency'), got.threads);
    assert.equal(page.workers().length, got.threads - 1);
    assert.deepEqual(errors, []);
    await page.close();
  });
});

describe('playground: convolution explorer served without COOP/COEP', { skip: skipWithoutChromium }, () => {
  let pg: Playground;
  before(async () => { pg = await startPlayground({ isolated: false }); });
  after(async () => { await pg?.close(); });

  test('not isolated, it still computes F.conv2d\'s numbers, with no pool workers and no console errors', async () => {
    const hash = `image=checkerboard&kernel=custom&weights=${WEIGHTS.join(',')}&padding=full&stride=1&dilation=1&pool=avg&poolSize=3`;
    const { page, errors } = await pg.open(`conv/#${hash}`);
    await page.waitForFunction(`${EXPOSED}.version > 0 && ${EXPOSED}.poolReady`);
    const got = (await page.evaluate(EXPOSED)) as Exposed;
    assert.equal(await page.evaluate('globalThis.crossOriginIsolated'), false);
    const x = st.tensor(makeImage('checkerboard'), { shape: [1, 1, SIZE, SIZE] });
    const y = F.conv2d(x, st.tensor(Float32Array.from(WEIGHTS), { shape: [1, 1, 3, 3] }), null, { padding: 'full' });
    assert.deepEqual(got.convShape, [34, 34]);
    close(got.conv, y.flatten().toArray() as number[], 'conv');
    close(got.pooled ?? [], F.avgPool2d(y, 3).flatten().toArray() as number[], 'avg');
    assert.equal(page.workers().length, 0);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
