// SPDX-License-Identifier: MIT
// Screenshots of every playground page, as the README shows them: builds the pages, serves them
// cross-origin isolated on loopback, opens each page under playground/pages in Debian's headless
// Chromium, lets it train or compute, and writes docs/images/playground-<page>.png.
//   node --import tsx --conditions=strata-source scripts/playground-screenshots.ts [page ...]
// A page is ready for its picture when it sets document.body.dataset.screenshot = 'ready' (pages
// that do not are shot after SETTLE_MS); a few pages first need a press of a button (PREPARE).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Page, chromium } from 'playwright-core';
// @ts-expect-error: plain ESM build script without type declarations
import { buildPlayground } from '../playground/build.mjs';
// @ts-expect-error: plain ESM server script without type declarations
import { servePlayground } from '../playground/serve.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const READY_TIMEOUT_MS = 120_000;
const SETTLE_MS = 5_000;

/** What a page needs done before its picture (strings: the TypeScript loader decorates functions). */
const PREPARE: Record<string, (page: Page) => Promise<void>> = {
  // train the spiral until the page shows ≥ 95% test accuracy, then pause (again, should a last
  // step before the pause have dipped below)
  classify: async (page) => {
    await page.waitForFunction('window.__classify?.threads > 0');
    for (let i = 0; i < 5; i++) {
      await page.click('#train');
      await page.waitForFunction('window.__classify.testAcc >= 0.95 || window.__classify.error', null, { timeout: READY_TIMEOUT_MS });
      await page.click('#train');
      await page.waitForFunction('!window.__classify.running');
      await page.waitForTimeout(300); // the pause's own report
      if ((await page.evaluate('window.__classify.testAcc')) as number >= 0.95) break;
    }
  },
  // with runs/mnist-cnn-bn (npm start), load it and draw a 7 on the pad
  digits: async (page) => {
    if (!existsSync(join(ROOT, 'runs/mnist-cnn-bn/model.safetensors'))) return;
    await page.goto(page.url() + '?run=mnist-cnn-bn');
    await page.waitForFunction('window.__digits?.model != null', null, { timeout: READY_TIMEOUT_MS });
    const box = (await page.locator('#pad').boundingBox())!;
    const stroke = [[70, 60], [210, 60], [150, 150], [110, 235]];
    await page.mouse.move(box.x + stroke[0][0], box.y + stroke[0][1]);
    await page.mouse.down();
    for (const [x, y] of stroke.slice(1)) await page.mouse.move(box.x + x, box.y + y, { steps: 8 });
    await page.mouse.up();
    await page.waitForFunction('window.__digits.predictions > 0', null, { timeout: READY_TIMEOUT_MS });
  },
  // with a VAE and a conditional GAN trained by `strata train` in runs/vae and runs/gan-conditional, load them
  generate: async (page) => {
    const vae = process.env.SCREENSHOT_VAE ?? 'vae';
    const gan = process.env.SCREENSHOT_GAN ?? 'gan-conditional';
    if (!existsSync(join(ROOT, 'runs', vae, 'model.safetensors')) || !existsSync(join(ROOT, 'runs', gan, 'model.safetensors'))) return;
    await page.goto(page.url() + `?vae=${vae}&gan=${gan}`);
    await page.waitForFunction('window.__generate?.vae != null && window.__generate?.gan != null', null, { timeout: READY_TIMEOUT_MS });
  },
};

export async function screenshotPlayground(only: string[] = []): Promise<{ page: string; path: string; errors: string[] }[]> {
  const pages = readdirSync(join(ROOT, 'playground/pages'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
    .filter((p) => only.length === 0 || only.includes(p));
  const dir = mkdtempSync(join(tmpdir(), 'strata-playground-'));
  await (buildPlayground as (out: string) => Promise<string[]>)(dir);
  const { server, url } = await (servePlayground as (o: { dir: string; port: number; runsDir: string }) => Promise<{ server: Server; url: string }>)({ dir, port: 0, runsDir: join(ROOT, 'runs') });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const outDir = join(ROOT, 'docs/images');
  mkdirSync(outDir, { recursive: true });
  const results = [];
  try {
    for (const name of pages) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const errors: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(url + (name === 'home' ? '' : `${name}/`));
      await page.waitForLoadState('load');
      await PREPARE[name]?.(page);
      const ready = await page.waitForFunction("document.body.dataset.screenshot === 'ready'", null, { timeout: SETTLE_MS }).then(() => true, () => false);
      if (!ready) await page.waitForTimeout(500);
      const path = join(outDir, `playground-${name}.png`);
      await page.screenshot({ path, fullPage: true });
      results.push({ page: name, path, errors });
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

if (process.argv[1]?.endsWith('playground-screenshots.ts')) {
  const results = await screenshotPlayground(process.argv.slice(2));
  for (const r of results) {
    console.log(`${r.page}: ${r.path}${r.errors.length ? `\n  console errors:\n  ${r.errors.join('\n  ')}` : ''}`);
    if (r.errors.length) process.exitCode = 1;
  }
}
