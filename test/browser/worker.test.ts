// SPDX-License-Identifier: MIT
// examples/browser-worker in headless Chromium: the page trains a network in a dedicated Web Worker
// through st.worker, shows the progress it reports, and its own thread keeps running meanwhile.
// Cross-origin isolated, the worker runs the wasm backend with its own pool of Web Workers; not
// isolated, the wasm backend on one thread. Both must give the same bits.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { CHROMIUM, skipWithoutChromium } from './playground-harness.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const EXAMPLE = `${ROOT}examples/browser-worker/`;

interface Result { accuracy: number; loss: number; backend: string; threads: number; sharedMemory: boolean; weights: Record<string, number> }

describe('training in a dedicated Web Worker (examples/browser-worker)', { skip: skipWithoutChromium }, () => {
  let server: Server;
  let browser: Browser;
  let base = '';
  before(async () => {
    const bundle = await build({
      entryPoints: [`${EXAMPLE}main.ts`, `${EXAMPLE}train.worker.ts`], outdir: '/dist', bundle: true, format: 'esm',
      platform: 'browser', conditions: ['strata-source'], write: false, logLevel: 'silent',
    });
    const files = new Map(bundle.outputFiles.map((f) => [f.path.slice(f.path.lastIndexOf('/') + 1), f.contents]));
    const html = readFileSync(`${EXAMPLE}index.html`);
    server = createServer((req, res) => {
      if (req.url?.startsWith('/isolated/')) {
        res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
        res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
      }
      const name = req.url?.split('/').pop() ?? '';
      const js = files.get(name);
      if (js) {
        res.setHeader('Content-Type', 'text/javascript');
        res.end(js);
      } else if (name === '' || name === 'index.html') {
        res.setHeader('Content-Type', 'text/html');
        res.end(html);
      } else {
        res.statusCode = name === 'favicon.ico' ? 204 : 404;
        res.end();
      }
    }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });

  async function train(path: string): Promise<{ result: Result; statuses: string[]; ticksDuring: number; isolated: boolean; workers: number }> {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      await page.goto(base + path);
      // record every status line the page shows, as the worker reports epochs
      await page.evaluate(() => {
        const seen: string[] = [];
        Object.assign(window, { __statuses: seen });
        new MutationObserver(() => seen.push(document.getElementById('status')!.textContent!))
          .observe(document.getElementById('status')!, { childList: true, characterData: true, subtree: true });
      });
      const ticksBefore = Number(await page.textContent('#ticks'));
      await page.click('#train');
      await page.waitForFunction(() => /^(done|failed)/.test(document.getElementById('status')!.textContent!), null, { timeout: 120_000 });
      const ticksAfter = Number(await page.textContent('#ticks'));
      const statuses = await page.evaluate(() => (window as unknown as { __statuses: string[] }).__statuses);
      const result = await page.evaluate(() => (globalThis as unknown as { lastResult: Result }).lastResult);
      const isolated = await page.evaluate(() => globalThis.crossOriginIsolated);
      const workers = page.workers().length;
      assert.deepEqual(errors, []);
      return { result, statuses, ticksDuring: ticksAfter - ticksBefore, isolated, workers };
    } finally {
      await page.close();
    }
  }

  let isolatedResult: Result | null = null;
  test('cross-origin isolated: the worker trains on wasm with its own thread pool, the page keeps running', async () => {
    const { result, statuses, ticksDuring, isolated, workers } = await train('/isolated/');
    assert.equal(isolated, true);
    assert.match(statuses.at(-1)!, /^done: accuracy/);
    assert.equal(statuses.filter((s) => s.startsWith('epoch ')).length, 40, 'one progress line per epoch');
    assert.match(statuses[0], /^epoch 1\/40: loss \d/);
    assert.ok(ticksDuring > 0, "the page's heartbeat stopped while the worker trained");
    assert.equal(result.backend, 'wasm');
    assert.equal(result.sharedMemory, true);
    // the training worker, and the pool's workers that it started (one per extra thread)
    assert.equal(workers, result.threads);
    assert.ok(result.accuracy >= 0.9, `accuracy ${result.accuracy}`);
    console.log(`worker: ${result.threads} thread(s), accuracy ${result.accuracy}, heartbeat ticks during training ${ticksDuring}`);
    isolatedResult = result;
  });

  test('not isolated: the worker trains on wasm on one thread, with the same bits', async () => {
    const { result, statuses, ticksDuring, isolated, workers } = await train('/plain/');
    assert.equal(workers, 1, 'the training worker only: no pool without shared memory');
    assert.equal(isolated, false);
    assert.match(statuses.at(-1)!, /^done: accuracy/);
    assert.ok(ticksDuring > 0);
    assert.equal(result.backend, 'wasm');
    assert.equal(result.sharedMemory, false);
    const iso = isolatedResult ?? (await train('/isolated/')).result;
    assert.deepEqual(result.weights, iso.weights);
    assert.equal(result.loss, iso.loss);
    assert.equal(result.accuracy, iso.accuracy);
  });
});
