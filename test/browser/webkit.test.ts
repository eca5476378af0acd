// SPDX-License-Identifier: MIT
// The library's root entry in WebKit, Safari's engine (WebCore and JavaScriptCore, whose
// WebAssembly SIMD is Safari's), as Debian ships it: WebKitGTK's MiniBrowser, driven by
// WebKitWebDriver (classic WebDriver) through selenium-webdriver. Safari itself runs only on Apple's
// systems. MiniBrowser has no headless mode, so it draws into a private Xvfb display. The page and
// the checks are shared with the Firefox test (engine-page.ts).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { Builder, type WebDriver } from 'selenium-webdriver';
import { type PageResult, type Workload, assertLoaded, expectedOnJs, pollResult, serveEnginePage } from './engine-page.js';

const DRIVER = '/usr/bin/WebKitWebDriver';
// in the multiarch library folder of libwebkit2gtk-4.1-0 (x86_64-linux-gnu, aarch64-linux-gnu, ...)
const MINIBROWSER = readdirSync('/usr/lib').map((d) => `/usr/lib/${d}/webkit2gtk-4.1/MiniBrowser`).find((f) => existsSync(f)) ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const XVFB = '/usr/bin/Xvfb';
const missing = [DRIVER, MINIBROWSER, XVFB].filter((f) => !existsSync(f));
const skip = missing.length === 0 || process.env.CI ? false : `${missing.join(', ')} not installed (apt-get install webkit2gtk-driver xvfb; CI installs them)`;

/** Starts Xvfb on a free display number (it writes the number it took to fd 3); resolves to ':N'. */
async function startXvfb(): Promise<{ proc: ChildProcess; display: string }> {
  const proc = spawn(XVFB, ['-displayfd', '3', '-screen', '0', '1280x900x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
  const display = await new Promise<string>((resolve, reject) => {
    (proc.stdio[3] as Readable).once('data', (d: Buffer) => resolve(`:${String(d).trim()}`));
    proc.once('exit', (code) => reject(new Error(`Xvfb exited with ${code}`)));
    proc.once('error', reject);
  });
  return { proc, display };
}

/** A port that was free a moment ago (WebKitWebDriver takes its port on the command line). */
async function freePort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => s.once('listening', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** A WebKitWebDriver on `display` with `env` added (JavaScriptCore reads its options from JSC_* variables), and a MiniBrowser session on it. */
async function startSession(display: string, env: Record<string, string> = {}): Promise<{ driver: WebDriver; close(): Promise<void> }> {
  const port = await freePort();
  const proc = spawn(DRIVER, [`--port=${port}`], { env: { ...process.env, ...env, DISPLAY: display }, stdio: 'ignore' });
  // the driver listens within a moment; a session request before that is refused, so retry
  const t0 = Date.now();
  for (;;) {
    try {
      const driver = await new Builder().usingServer(`http://127.0.0.1:${port}`).withCapabilities({
        browserName: 'MiniBrowser',
        'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
      }).build();
      await driver.manage().setTimeouts({ script: 180_000 });
      return {
        driver,
        async close() {
          await driver.quit().catch(() => undefined);
          proc.kill();
        },
      };
    } catch (e) {
      if (Date.now() - t0 > 30_000 || proc.exitCode !== null) {
        proc.kill();
        throw e;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

async function run(driver: WebDriver, url: string): Promise<PageResult> {
  await driver.get(url);
  const r = await driver.wait(async () => await driver.executeScript<PageResult | null>(pollResult), 180_000, 'no report from the page', 200);
  assert.ok(r);
  return r;
}

describe('the library in WebKit (WebKitGTK MiniBrowser, Safari\'s engine)', { skip }, () => {
  let server: Server;
  let base = '';
  let expected: Workload;
  let xvfb: ChildProcess | undefined;
  let display = '';
  let shipped: Awaited<ReturnType<typeof startSession>> | undefined;
  before(async () => {
    ({ server, base } = await serveEnginePage());
    expected = expectedOnJs();
    ({ proc: xvfb, display } = await startXvfb());
    shipped = await startSession(display);
  });
  after(async () => {
    await shipped?.close();
    xvfb?.kill();
    server?.close();
  });

  let isolated: PageResult | null = null;
  test('webkit, cross-origin isolated: crossOriginIsolated but no SharedArrayBuffer as shipped, so wasm (plain SIMD) on one thread, the numbers of Node\'s js backend', async () => {
    const r = await run(shipped!.driver, `${base}/isolated/`);
    isolated = r;
    assertLoaded(r, expected);
    assert.equal(r.isolated, true);
    assert.equal(r.backend, 'wasm');
    assert.equal(r.features.simd, true);
    // WebKitGTK 2.50 as Debian ships it: JavaScriptCore keeps SharedArrayBuffer and relaxed SIMD
    // behind options that are off; the library falls back to one thread and the plain SIMD build
    assert.equal(r.features.sharedMemory, false);
    assert.equal(r.features.relaxedSimd, false);
    assert.equal(r.variant, 'simd');
    assert.equal(r.workersCreated, 0);
    console.log(`webkit: ${r.variant}, sharedMemory ${r.features.sharedMemory}, ${r.threads} threads requested, ${r.workersCreated} Web Worker(s); ${r.userAgent}`);
  });

  test('webkit, not isolated: wasm on one thread, the same bits as the isolated page', async () => {
    const r = await run(shipped!.driver, `${base}/plain/`);
    assertLoaded(r, expected);
    assert.equal(r.isolated, false);
    assert.equal(r.backend, 'wasm');
    assert.equal(r.features.sharedMemory, false);
    assert.equal(r.workersCreated, 0);
    const iso = isolated ?? (await run(shipped!.driver, `${base}/isolated/`));
    assert.equal(r.variant, iso.variant);
    assert.deepEqual(r.first, iso.first);
  });

  test('webkit with JavaScriptCore\'s SharedArrayBuffer and relaxed SIMD turned on: a Web Worker pool and the relaxed-SIMD build, the same numbers', async () => {
    const on = await startSession(display, { JSC_useSharedArrayBuffer: '1', JSC_useWasmRelaxedSIMD: '1' });
    try {
      const r = await run(on.driver, `${base}/isolated/`);
      assertLoaded(r, expected);
      assert.equal(r.isolated, true);
      assert.equal(r.features.sharedMemory, true);
      assert.equal(r.features.relaxedSimd, true);
      assert.equal(r.variant, 'relaxed-simd');
      assert.ok(r.threads >= 2, `threads: ${r.threads}`);
      assert.equal(r.workersCreated, r.threads - 1, 'one Web Worker per extra thread');
      console.log(`webkit with JSC options on: ${r.variant}, ${r.threads} threads, ${r.workersCreated} Web Worker(s)`);
    } finally {
      await on.close();
    }
  });
});
