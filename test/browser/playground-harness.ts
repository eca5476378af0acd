// SPDX-License-Identifier: MIT
// Shared set-up for the playground's browser tests: build the pages once into a temporary folder,
// serve them (cross-origin isolated, as `npm run playground` does), and open pages in Debian's
// headless Chromium through playwright-core, recording every console error and page error.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
// @ts-expect-error: plain ESM build script without type declarations
import { buildPlayground } from '../../playground/build.mjs';
// @ts-expect-error: plain ESM server script without type declarations
import { servePlayground } from '../../playground/serve.mjs';

export const CHROMIUM = '/usr/bin/chromium';
/** `describe(..., { skip })`: skipped only outside CI on a machine without chromium. */
export const skipWithoutChromium = existsSync(CHROMIUM) || process.env.CI ? false : 'chromium is not installed (apt-get install chromium; CI installs it)';

export interface Playground {
  url: string;
  browser: Browser;
  /** Opens a page (path like 'classify/'); `errors` collects console errors and uncaught exceptions. */
  open(path: string, opts?: { width?: number; height?: number }): Promise<{ page: Page; errors: string[] }>;
  close(): Promise<void>;
}

/**
 * Builds, serves and launches; call `close()` in `after`. `runsDir` is served at /runs/ (run folders
 * a test wrote, as `npm run playground` serves ./runs).
 */
export async function startPlayground(opts: { isolated?: boolean; runsDir?: string } = {}): Promise<Playground> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-playground-'));
  await (buildPlayground as (out: string) => Promise<string[]>)(dir);
  type ServeOptions = { dir: string; port: number; isolated: boolean; runsDir?: string };
  const { server, url } = await (servePlayground as (o: ServeOptions) => Promise<{ server: Server; url: string }>)({ dir, port: 0, isolated: opts.isolated ?? true, runsDir: opts.runsDir });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    url,
    browser,
    async open(path, o = {}) {
      const page = await browser.newPage({ viewport: { width: o.width ?? 1280, height: o.height ?? 900 } });
      const errors: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(url + path);
      return { page, errors };
    },
    async close() {
      await browser.close();
      server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
