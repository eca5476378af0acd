// SPDX-License-Identifier: MIT
// Opens a run's report.html in headless Chromium (Debian's, at /usr/bin/chromium), fails on any
// console error or a section that did not render, and saves a full-page screenshot.
//   node --import tsx scripts/screenshot-report.ts runs/mnist-cnn-bn [out.png]
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface ScreenshotResult { errors: string[]; sections: Record<string, boolean>; path: string }

export async function screenshotReport(runDir: string, out: string): Promise<ScreenshotResult> {
  const page0 = resolve(runDir, 'report.html');
  if (!existsSync(page0)) throw new Error(`no report at ${page0}`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
    await page.goto(`file://${page0}`);
    await page.waitForLoadState('load');
    // Each section is present and visibly rendered: charts drew pixels, images decoded.
    // A string, not a function: the TypeScript loader decorates functions with helpers the page lacks.
    const sections = (await page.evaluate(`(() => {
      const drawn = (c) => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; return d.some((v, i) => i % 4 === 3 && v > 0); };
      const imgsOk = (sel) => document.querySelectorAll(sel).length > 0 && [...document.querySelectorAll(sel)].every((i) => i.complete && i.naturalWidth > 0);
      const charts = [...document.querySelectorAll('#curves canvas')];
      return {
        curves: charts.length === 2 && charts.every(drawn),
        filters: imgsOk('#filters img'),
        features: imgsOk('#features img'),
        confusion: document.querySelectorAll('#confusion td').length > 0,
        mistakes: imgsOk('#mistakes img'),
        samples: imgsOk('#samples img'),
      };
    })()`)) as Record<string, boolean>;
    await page.screenshot({ path: out, fullPage: true });
    return { errors, sections, path: out };
  } finally {
    await browser.close();
  }
}

if (process.argv[1]?.endsWith('screenshot-report.ts')) {
  const [dir = 'runs/mnist-cnn-bn', out = resolve(dir, 'report.png')] = process.argv.slice(2);
  const r = await screenshotReport(dir, out);
  console.log(`screenshot: ${r.path}`);
  console.log(`sections: ${Object.entries(r.sections).map(([k, v]) => `${k} ${v ? 'ok' : 'MISSING'}`).join(', ')}`);
  console.log(r.errors.length ? `console errors:\n${r.errors.join('\n')}` : 'no console errors');
  if (r.errors.length || Object.values(r.sections).some((v) => !v)) process.exitCode = 1;
}
