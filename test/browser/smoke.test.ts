// SPDX-License-Identifier: MIT
// The library in a real browser: the root entry bundled by esbuild for the browser platform (no
// Node built-ins), served on loopback, run in Debian's headless Chromium through playwright-core.
// Cross-origin isolated (COOP/COEP headers) it runs on the wasm backend over shared memory with a
// Web Worker pool; without the headers there is no SharedArrayBuffer and the wasm backend runs on
// one thread over an unshared memory, with the same bits. Both compute what Node computes from the
// same seed (Node 20 runs the plain-SIMD build, Chromium the FMA one: hence a tolerance there).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import * as st from 'strata-dl';

const ROOT = new URL('../..', import.meta.url).pathname;
const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) || process.env.CI ? false : 'chromium is not installed (apt-get install chromium; CI installs it)';

/** What the page and Node both compute: a seeded product, a gradient, a small training run. */
function workload(s: typeof st): Record<string, unknown> {
  s.manualSeed(0);
  const a = s.randn([32, 48]);
  const b = s.randn([48, 16]);
  const w = s.tensor([1, 2, 3], { requiresGrad: true });
  w.mul(w).sum().backward();
  const net = new s.nn.Sequential(new s.nn.Linear(2, 16), new s.nn.Tanh(), new s.nn.Linear(16, 1));
  const opt = new s.optim.Adam(net.parameters(), { lr: 0.05 });
  const x = s.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
  const y = s.tensor([[0], [1], [1], [0]]);
  for (let i = 0; i < 300; i++) {
    opt.zeroGrad();
    s.nn.functional.binaryCrossEntropyWithLogits(net.forward(x) as st.Tensor, y).backward();
    opt.step();
  }
  const big = s.randn([192, 192]);
  return {
    big: big.matmul(big).sum(1).toArray(),
    product: a.matmul(b).flatten().toArray(),
    grad: w.grad!.toArray(),
    xor: s.noGrad(() => (net.forward(x) as st.Tensor).gt(0).float().flatten().toArray()),
  };
}

const PAGE = `<!doctype html><meta charset="utf-8"><script type="module">
import * as st from './strata.js';
const workload = ${workload.toString()};
try {
  const first = workload(st);
  // the workers start in the background: give them a moment, then run the big product again on them
  await new Promise((r) => setTimeout(r, 500));
  const again = workload(st);
  window.__result = { backend: st.getBackend().name, isolated: globalThis.crossOriginIsolated, threads: st.getNumThreads(), sharedMemory: st.wasmFeatures().sharedMemory, ...first, again: again.big };
} catch (e) {
  window.__result = { error: String(e && e.stack || e) };
}
</script>`;

describe('the library in headless Chromium', { skip }, () => {
  let server: Server;
  let browser: Browser;
  let base = '';
  before(async () => {
    const bundle = await build({ entryPoints: [`${ROOT}packages/strata-dl/src/index.ts`], bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent' });
    const js = bundle.outputFiles[0].contents;
    server = createServer((req, res) => {
      if (req.url?.startsWith('/isolated/')) {
        res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
        res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
      }
      if (req.url?.endsWith('/strata.js')) {
        res.setHeader('Content-Type', 'text/javascript');
        res.end(js);
      } else {
        res.setHeader('Content-Type', 'text/html');
        res.end(PAGE);
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

  async function run(path: string): Promise<{ result: Record<string, unknown>; errors: string[]; workers: number }> {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(base + path);
    await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result, null, { timeout: 60_000 });
    const result = await page.evaluate(() => (window as unknown as { __result: Record<string, unknown> }).__result);
    const workers = page.workers().length;
    await page.close();
    return { result, errors, workers };
  }

  const expected = workload(st);
  const closeTo = (got: number[], want: number[]): void => {
    assert.equal(got.length, want.length);
    for (let i = 0; i < got.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= 1e-3 * (1 + Math.abs(want[i])), `[${i}]: ${got[i]} vs ${want[i]}`);
  };

  let isolated: Record<string, unknown> | null = null;
  test('cross-origin isolated: the wasm backend on shared memory with a Web Worker pool, the same results as Node', async () => {
    const { result, errors, workers } = await run('/isolated/');
    isolated = result;
    assert.deepEqual(errors, []);
    assert.equal(result.error, undefined, String(result.error));
    assert.equal(result.isolated, true);
    assert.equal(result.backend, 'wasm');
    // one Web Worker per extra thread (navigator.hardwareConcurrency), and the same bits with them
    assert.ok((result.threads as number) >= 1);
    assert.equal(workers, (result.threads as number) - 1);
    console.log(`chromium: ${result.threads as number} threads, ${workers} Web Worker(s)`);
    assert.deepEqual(result.again, result.big);
    closeTo(result.big as number[], expected.big as number[]);
    assert.deepEqual(result.grad, expected.grad);
    assert.deepEqual(result.xor, [0, 1, 1, 0]);
    const got = result.product as number[];
    const want = expected.product as number[];
    assert.equal(got.length, want.length);
    for (let i = 0; i < got.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= 1e-4 * (1 + Math.abs(want[i])), `product[${i}]: ${got[i]} vs ${want[i]}`);
  });

  test('not isolated: the wasm backend on one thread over unshared memory, the same bits as isolated', async () => {
    const { result, errors, workers } = await run('/plain/');
    assert.equal(workers, 0);
    assert.equal(result.sharedMemory, false);
    closeTo(result.big as number[], expected.big as number[]);
    assert.deepEqual(errors, []);
    assert.equal(result.error, undefined, String(result.error));
    assert.equal(result.isolated, false);
    assert.equal(result.backend, 'wasm');
    // the same instructions as the isolated page's build, on one thread: the same bits as its pool's
    const iso = isolated ?? (await run('/isolated/')).result;
    for (const k of ['big', 'again', 'product', 'grad', 'xor']) assert.deepEqual(result[k], iso[k], `${k} differs from the isolated page`);
    assert.deepEqual(result.grad, expected.grad);
    assert.deepEqual(result.xor, [0, 1, 1, 0]);
    const got = result.product as number[];
    const want = expected.product as number[];
    for (let i = 0; i < got.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= 1e-4 * (1 + Math.abs(want[i])), `product[${i}]: ${got[i]} vs ${want[i]}`);
  });
});
