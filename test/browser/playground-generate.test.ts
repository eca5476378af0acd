// SPDX-License-Identifier: MIT
// The Generate page in Chromium: VAE and GAN generators loaded from run folders (written here in
// before(), served at /runs/) draw samples, and the latent walk's image is the same model's decode of
// the same code in Node; models trained in the page's workers draw samples; the name generator
// writes names, the same ones Node samples from the same model and seed.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import * as st from 'strata-dl';
import { type Playground, skipWithoutChromium, startPlayground } from './playground-harness.js';

interface ImageState { source: string; latent: number; classes: number; seed: number; draws: number; walkT: number; walkZ: number[]; walkImage: number[]; label: number }
interface GenerateState { vae: ImageState | null; gan: ImageState | null; names: string[] | null; namesSource: string | null; trained: Record<string, string | null>; error: string | null }
const read = (page: Page): Promise<GenerateState> => page.evaluate(() => (window as unknown as { __generate: GenerateState }).__generate);
const waitFor = (page: Page, fn: string, timeout = 60_000): Promise<unknown> =>
  page.waitForFunction(`(() => { const s = window.__generate; if (s.error) throw new Error(s.error); return ${fn}; })()`, null, { timeout });

/** How many pixels of a canvas are not black: something was drawn. */
const litPixels = (page: Page, id: string): Promise<number> => page.$eval(`#${id}`, (c) => {
  const cv = c as HTMLCanvasElement;
  const d = cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i] > 0) n++;
  return n;
});

function closeTo(got: number[], want: number[], tol: number, what: string): void {
  assert.equal(got.length, want.length, what);
  for (let i = 0; i < got.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= tol, `${what}[${i}]: page ${got[i]}, Node ${want[i]}`);
}

describe('playground: the Generate page', { skip: skipWithoutChromium }, () => {
  let pg: Playground;
  let runs: string;
  let vae: st.models.Vae;
  let gan: st.models.DcganGenerator;
  let charlm: st.text.CharLM;
  let vocab: st.text.CharVocab;

  before(async () => {
    // Seeded models of unusual sizes (the page reads the sizes from the tensors), written as the run
    // folders of `strata train vae|gan|names` hold them.
    runs = mkdtempSync(join(tmpdir(), 'strata-generate-runs-'));
    const save = (name: string, m: st.nn.Module): void => {
      mkdirSync(join(runs, name));
      writeFileSync(join(runs, name, 'model.safetensors'), st.io.encodeSafetensors(m.stateDict()));
    };
    st.manualSeed(3);
    vae = new st.models.Vae(8, 64);
    vae.eval();
    save('vae', vae);
    gan = new st.models.DcganGenerator({ latent: 16, classes: 10 });
    gan.eval();
    save('gan', gan);
    vocab = st.text.CharVocab.fromTexts(['anna', 'bob', 'carla', 'dmitri', 'eve', 'fenella', 'gus']);
    charlm = new st.text.CharLM({ vocabSize: vocab.size, hiddenSize: 24 }, { generator: new st.Generator(5) });
    charlm.eval();
    save('names', charlm);
    writeFileSync(join(runs, 'names', 'config.json'), JSON.stringify({ format: 'strata-charlm/1', config: charlm.config, vocab: vocab.toJSON() }));
    pg = await startPlayground({ runsDir: runs });
  });
  after(async () => {
    await pg?.close();
    if (runs) rmSync(runs, { recursive: true, force: true });
  });

  test('a VAE and a class-conditional GAN from run folders: samples, a latent walk that changes the image, the same images as in Node', async () => {
    const { page, errors } = await pg.open('generate/?vae=vae&gan=gan');
    await waitFor(page, 's.vae !== null && s.gan !== null');
    const s = await read(page);
    assert.equal(s.vae!.latent, 8);
    assert.equal(s.gan!.latent, 16);
    assert.equal(s.gan!.classes, 10);
    const decodeVae = (z: number[]): number[] => st.noGrad(() => vae.decode(st.tensor(Float32Array.from(z), { shape: [1, z.length] })).sigmoid().flatten().toArray() as number[]);
    const decodeGan = (z: number[], label: number): number[] => st.noGrad(() =>
      gan.forward(st.tensor(Float32Array.from(z), { shape: [1, z.length] }), st.tensor([label], { dtype: 'int32' })).add(1).div(2).flatten().toArray() as number[]);
    for (const task of ['vae', 'gan'] as const) {
      assert.ok(await litPixels(page, `${task}-sample-grid`) > 1000, `${task}: the samples grid is drawn`);
      assert.ok(await litPixels(page, `${task}-grid`) > 1000, `${task}: the latent grid is drawn`);
      const before = (await read(page))[task]!;
      assert.equal(before.walkT, 0.5);
      closeTo(before.walkImage, task === 'vae' ? decodeVae(before.walkZ) : decodeGan(before.walkZ, before.label), 1e-4, `${task} walk image`);
      // move the slider to its end with the keyboard: the code and the image change
      await page.focus(`#${task}-walk`);
      await page.keyboard.press('End');
      await waitFor(page, `s.${task}.walkT === 1`);
      const after = (await read(page))[task]!;
      const moved = after.walkImage.reduce((m, v, i) => Math.max(m, Math.abs(v - before.walkImage[i])), 0);
      assert.ok(moved > 1e-3, `${task}: the walk changed the image by ${moved}`);
      closeTo(after.walkImage, task === 'vae' ? decodeVae(after.walkZ) : decodeGan(after.walkZ, after.label), 1e-4, `${task} walk end`);
      await page.click(`#${task}-resample`);
      assert.equal((await read(page))[task]!.draws, before.draws + 1);
    }
    // a conditional GAN's class: another class, another image for the same code
    const g0 = (await read(page)).gan!;
    await page.fill('#gan-label', '7');
    await waitFor(page, 's.gan.label === 7');
    const g7 = (await read(page)).gan!;
    assert.deepEqual(g7.walkZ, g0.walkZ);
    closeTo(g7.walkImage, decodeGan(g7.walkZ, 7), 1e-4, 'gan class 7');
    assert.ok(g7.walkImage.some((v, i) => Math.abs(v - g0.walkImage[i]) > 1e-3));
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the name generator from a run folder writes the names Node samples from the same model and seed', async () => {
    const { page, errors } = await pg.open('generate/?names=names');
    await waitFor(page, 's.names !== null');
    const names = (await read(page)).names!;
    const want = st.text.sample(charlm, vocab, { count: 24, temperature: 0.8, generator: new st.Generator(1) }).map(st.text.displayName);
    assert.deepEqual(names, want);
    assert.deepEqual(await page.$$eval('#names-list li', (els) => els.map((e) => e.textContent)), want);
    await page.click('#names-more');
    assert.notDeepEqual((await read(page)).names, want);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('trains the VAE, the GAN and the name LSTM in Web Workers and draws their samples', async () => {
    const { page, errors } = await pg.open('generate/?vae-samples=512&vae-epochs=1&gan-samples=128&gan-epochs=1&names-epochs=1&names-hidden=16');
    await page.click('#vae-train');
    await page.click('#gan-train');
    await page.click('#names-train');
    await waitFor(page, 's.trained.vae !== null && s.trained.gan !== null && s.trained.names !== null', 300_000);
    assert.ok(page.workers().length >= 3, 'one worker per model');
    const s = await read(page);
    for (const task of ['vae', 'gan'] as const) {
      assert.equal(s[task]!.source, 'training in this page');
      assert.equal(s[task]!.walkImage.length, 784);
      assert.ok(s[task]!.walkImage.every((v) => v >= 0 && v <= 1));
      assert.ok(await litPixels(page, `${task}-sample-grid`) > 1000);
      assert.equal(await page.evaluate((t) => (document.getElementById(`${t}-progress`) as HTMLProgressElement).value, task), 1);
    }
    assert.match(s.trained.vae!, /trained on 512 images/);
    assert.equal(s.names!.length, 24);
    for (const n of s.names!) assert.match(n, /^[A-Z][a-z' -]*$/, `a name: ${n}`);
    assert.match(await page.textContent('#names-progress-text') ?? '', /done: \d+ names, 1 epoch\(s\)/);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
