// SPDX-License-Identifier: MIT
// The library's root entry in Debian's Firefox ESR, headless, driven by puppeteer-core over WebDriver
// BiDi (a stock Firefox: no driver binary, nothing downloaded). The page and the checks are shared
// with the WebKit test (engine-page.ts): no console errors, the wasm backend with the build the
// engine supports, the same numbers as Node's js backend, a Web Worker pool on a cross-origin
// isolated page and one thread with the same bits on a plain one. A second Firefox with relaxed
// SIMD turned off (its `javascript.options.wasm_relaxed_simd` pref) shows the loader falling back
// to the plain SIMD build.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import puppeteer, { type Browser } from 'puppeteer-core';
import { type PageResult, type Workload, assertLoaded, expectedOnJs, pollResult, serveEnginePage } from './engine-page.js';

export const FIREFOX = '/usr/bin/firefox-esr';
const skip = existsSync(FIREFOX) || process.env.CI ? false : 'firefox-esr is not installed (apt-get install firefox-esr; CI installs it)';

async function launch(prefs: Record<string, unknown> = {}): Promise<Browser> {
  return puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true, extraPrefsFirefox: prefs, protocolTimeout: 300_000 });
}

/** Opens `url`, waits for the page's report, and adds what the driver saw (console errors, page errors). */
async function run(browser: Browser, url: string): Promise<PageResult> {
  const page = await browser.newPage();
  const seen: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') seen.push(m.text()); });
  page.on('pageerror', (e) => seen.push(String(e)));
  try {
    await page.goto(url);
    const r = await (await page.waitForFunction(pollResult, { timeout: 180_000, polling: 200 })).jsonValue() as PageResult;
    return { ...r, errors: [...r.errors, ...seen.filter((e) => !r.errors.includes(e))] };
  } finally {
    await page.close();
  }
}

describe('the library in headless Firefox ESR', { skip }, () => {
  let server: Server;
  let browser: Browser;
  let base = '';
  let expected: Workload;
  before(async () => {
    ({ server, base } = await serveEnginePage());
    expected = expectedOnJs();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });

  let isolated: PageResult | null = null;
  test('firefox, cross-origin isolated: wasm on shared memory with a Web Worker pool, the numbers of Node\'s js backend', async () => {
    const r = await run(browser, `${base}/isolated/`);
    isolated = r;
    assertLoaded(r, expected);
    assert.equal(r.isolated, true);
    assert.equal(r.backend, 'wasm');
    assert.equal(r.features.sharedMemory, true);
    assert.ok(r.threads >= 2, `threads: ${r.threads}`);
    assert.equal(r.workersCreated, r.threads - 1, 'one Web Worker per extra thread');
    console.log(`${await browser.version()}: ${r.variant}, ${r.threads} threads, ${r.workersCreated} Web Worker(s); ${r.userAgent}`);
  });

  test('firefox, not isolated: wasm on one thread over unshared memory, the same bits as isolated', async () => {
    const r = await run(browser, `${base}/plain/`);
    assertLoaded(r, expected);
    assert.equal(r.isolated, false);
    assert.equal(r.backend, 'wasm');
    assert.equal(r.features.sharedMemory, false);
    assert.equal(r.workersCreated, 0);
    const iso = isolated ?? (await run(browser, `${base}/isolated/`));
    assert.equal(r.variant, iso.variant);
    assert.deepEqual(r.first, iso.first);
    assert.deepEqual(r.again, iso.again);
  });

  test('firefox without relaxed SIMD: the loader falls back to the plain SIMD build, with the pool and the same numbers', async () => {
    const plainSimd = await launch({ 'javascript.options.wasm_relaxed_simd': false });
    try {
      const r = await run(plainSimd, `${base}/isolated/`);
      assertLoaded(r, expected);
      assert.equal(r.features.simd, true);
      assert.equal(r.features.relaxedSimd, false);
      assert.equal(r.variant, 'simd');
      assert.equal(r.workersCreated, r.threads - 1);
    } finally {
      await plainSimd.close();
    }
  });
});
