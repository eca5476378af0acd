// SPDX-License-Identifier: MIT
// The generative report from synthetic runs of each kind (autoencoder, VAE, GAN): the page holds the
// sections its data call for, and in headless Chromium (Debian's, where installed) it renders with
// no console errors, every chart drawn, every picture decoded, and the AUROC it shows is the one a
// brute-force pair count gives.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Browser, chromium } from 'playwright-core';
import { type GenerativeReportData, type ImageSet, renderGenerativeReport } from '../../packages/strata-dl-cli/src/viz/index.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) || process.env.CI ? false : 'chromium is not installed (apt-get install chromium; CI installs it)';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => { a = (a * 1664525 + 1013904223) >>> 0; return a / 4294967296; };
}

const r = rng(1);
const H = 12;
const W = 10;
/** A blob whose place depends on k: images that differ visibly. */
const image = (k: number): Float32Array => Float32Array.from({ length: H * W }, (_, i) => Math.exp(-(((i % W) - (k % W)) ** 2 + (Math.floor(i / W) - (k % H)) ** 2) / 6) * (0.8 + 0.2 * r()));
const set = (n: number, k0 = 0): ImageSet => ({ height: H, width: W, images: Array.from({ length: n }, (_, k) => image(k + k0)) });
// A class name that would close the chart's script element if it were inlined unescaped.
const classNames = ['zero', 'one', 'two', '</script>three'];

function latent(n: number, codeDim: number): NonNullable<GenerativeReportData['latent']> {
  const labels = Int32Array.from({ length: n }, (_, i) => i % classNames.length);
  const codes = Float32Array.from({ length: n * codeDim }, (_, j) => labels[Math.floor(j / codeDim)] * (j % codeDim === 0 ? 1 : -0.5) + r());
  const pixels = new Float32Array(n * H * W);
  for (let i = 0; i < n; i++) pixels.set(image(labels[i] * 3), i * H * W);
  return { codes, codeDim, pixels: pixels.map((v) => v + 0.1 * r()), pixelDim: H * W, labels, classNames };
}

/** In- and out-of-distribution scores with ties (rounded to a grid), so the AUROC is not trivially 0 or 1. */
const anomaly = { inName: 'digits', outName: 'clothes', inScores: Float32Array.from({ length: 400 }, () => Math.round(r() * 40) / 1000), outScores: Float32Array.from({ length: 300 }, () => Math.round(8 + r() * 40) / 1000) };

const history = (keys: string[]): GenerativeReportData['history'] => Array.from({ length: 5 }, (_, e) => ({ epoch: e + 1, seconds: 3 * (e + 1), ...Object.fromEntries(keys.map((k, i) => [k, (i + 1) / (e + 1) + 0.1 * r()])) }));

const runs: Record<string, GenerativeReportData> = {
  autoencoder: {
    kind: 'autoencoder', title: 'Autoencoder <conv>', facts: [['test MSE', '0.0041']], history: history(['loss', 'testLoss']), summary: 'Sequential(...)',
    reconstructions: { inputs: set(16), outputs: set(16, 1) }, latent: latent(300, 32), anomaly,
  },
  vae: {
    kind: 'vae', title: 'VAE', facts: [['test negative ELBO', '105.3 nats']], history: history(['loss', 'testLoss', 'kl', 'testKl']),
    reconstructions: { inputs: set(8), outputs: set(8, 2) }, latent: latent(200, 2), samples: set(64), interpolation: set(10),
    scores: { count: 1000, confidentShare: 0.71, classHistogram: [180, 170, 190, 170], inceptionScore: 3.6, classifier: 'runs/mnist-cnn' },
  },
  gan: {
    kind: 'gan', title: 'DCGAN', facts: [['epochs', '5']], history: history(['dLoss', 'gLoss']), samples: set(36), interpolation: set(8),
    gridsPerEpoch: [1, 2, 3, 4, 5].map((epoch) => ({ epoch, images: set(16, epoch) })),
    scores: { count: 1000, confidentShare: 0.9, classHistogram: [220, 230, 230, 220], inceptionScore: 3.9, requestedAccuracy: 0.92, classifier: 'trained on the fly' },
  },
};

const expected: Record<string, { sections: string[]; charts: number; images: number }> = {
  autoencoder: { sections: ['facts', 'curves', 'model', 'reconstructions', 'latent', 'anomaly'], charts: 1 + 2 + 2, images: 1 },
  vae: { sections: ['facts', 'curves', 'reconstructions', 'latent', 'samples', 'interpolation', 'judge'], charts: 2 + 2 + 1, images: 3 },
  gan: { sections: ['facts', 'curves', 'samples', 'interpolation', 'epochs', 'judge'], charts: 1 + 1, images: 2 + 5 },
};

function mannWhitney(inS: ArrayLike<number>, outS: ArrayLike<number>): number {
  let u = 0;
  for (let a = 0; a < outS.length; a++) for (let b = 0; b < inS.length; b++) u += outS[a] > inS[b] ? 1 : outS[a] === inS[b] ? 0.5 : 0;
  return u / (inS.length * outS.length);
}

describe('the generative report', () => {
  for (const [kind, data] of Object.entries(runs)) {
    test(`${kind}: one self-contained page with the sections its data call for`, () => {
      const html = renderGenerativeReport(data);
      const ids = [...html.matchAll(/<section id="(\w+)">/g)].map((m) => m[1]);
      assert.deepEqual(ids, expected[kind].sections);
      assert.equal((html.match(/<canvas /g) ?? []).length, expected[kind].charts);
      assert.ok(!/(src|href)="https?:/.test(html), 'no external resources');
      assert.ok(!html.includes('<conv>'), 'the title is escaped');
    });
  }

  test('the facts say what kind of model it is, unless the run names the model itself', () => {
    const rows = (html: string): string[] => [...html.matchAll(/<tr><th>model<\/th><td>([^<]*)<\/td>/g)].map((m) => m[1]);
    assert.deepEqual(rows(renderGenerativeReport(runs.gan)), ['generative adversarial network']);
    assert.deepEqual(rows(renderGenerativeReport({ ...runs.gan, facts: [['model', 'DCGAN (conv)']] })), ['DCGAN (conv)']);
  });

  test('bad data names the report and the offending field', () => {
    const broken = { ...runs.vae, samples: { height: H, width: W, images: [new Float32Array(3)] } };
    assert.throws(() => renderGenerativeReport(broken), /renderGenerativeReport: samples\.images\[0\] has 3 values, expected height × width = 12 × 10 = 120/);
    const l = latent(10, 2);
    assert.throws(() => renderGenerativeReport({ ...runs.vae, latent: { ...l, labels: l.labels.map(() => 7) } }), /renderGenerativeReport: latent\.labels\[0\] is 7, not a class index below 4/);
  });

  describe('in headless Chromium', { skip }, () => {
    let browser: Browser;
    let dir = '';
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'strata-genreport-'));
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    });
    after(async () => {
      await browser?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    for (const [kind, data] of Object.entries(runs)) {
      test(`${kind}: no console errors, every chart drawn, every picture decoded`, async () => {
        const file = join(dir, `${kind}.html`);
        writeFileSync(file, renderGenerativeReport(data));
        const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
        const errors: string[] = [];
        page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
        page.on('pageerror', (e) => errors.push(String(e)));
        page.on('requestfailed', (q) => errors.push(`request failed: ${q.url()}`));
        await page.goto(`file://${file}`);
        await page.waitForLoadState('load');
        // A string, not a function: the TypeScript loader decorates functions with helpers the page lacks.
        const seen = (await page.evaluate(`(() => {
          const drawn = (c) => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; return d.some((v, i) => i % 4 === 3 && v > 0); };
          const canvases = [...document.querySelectorAll('canvas')];
          const imgs = [...document.querySelectorAll('img')];
          const auroc = document.getElementById('auroc');
          return {
            charts: canvases.length, chartObjects: Object.keys(Chart.instances).length, drawn: canvases.filter(drawn).length,
            images: imgs.length, decoded: imgs.filter((i) => i.complete && i.naturalWidth > 0).length,
            auroc: auroc ? auroc.textContent : null,
          };
        })()`)) as { charts: number; chartObjects: number; drawn: number; images: number; decoded: number; auroc: string | null };
        assert.deepEqual(errors, []);
        assert.equal(seen.charts, expected[kind].charts);
        assert.equal(seen.chartObjects, seen.charts, 'a Chart per canvas');
        assert.equal(seen.drawn, seen.charts, 'every canvas has pixels');
        assert.equal(seen.images, expected[kind].images);
        assert.equal(seen.decoded, seen.images, 'every picture decoded');
        if (data.anomaly) {
          const want = mannWhitney(data.anomaly.inScores, data.anomaly.outScores);
          assert.ok(want > 0.3 && want < 0.9, `a non-trivial synthetic case (${want})`);
          assert.equal(seen.auroc, want.toFixed(4));
        } else {
          assert.equal(seen.auroc, null);
        }
        if (data.gridsPerEpoch) {
          // The slider shows one epoch's grid at a time: the last at first, the one picked after.
          const shown = (): Promise<unknown> => page.evaluate(`[...document.querySelectorAll('#epochs figure')].filter((f) => !f.hidden).map((f) => f.dataset.epoch)`);
          assert.deepEqual(await shown(), ['5']);
          await page.evaluate(`(() => { const s = document.getElementById('epochSlider'); s.value = '1'; s.dispatchEvent(new Event('input')); })()`);
          assert.deepEqual(await shown(), ['2']);
          assert.equal(await page.evaluate(`document.getElementById('epochShown').textContent`), '2');
        }
        await page.close();
      });
    }
  });
});
