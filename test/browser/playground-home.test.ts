// SPDX-License-Identifier: MIT
// The playground's landing page loads cross-origin isolated, on the wasm backend with its workers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Playground, skipWithoutChromium, startPlayground } from './playground-harness.js';

describe('playground: the landing page', { skip: skipWithoutChromium }, () => {
  let pg: Playground;
  before(async () => { pg = await startPlayground(); });
  after(async () => { await pg?.close(); });

  test('lists the pages, is cross-origin isolated and runs the wasm backend, with no console errors', async () => {
    const { page, errors } = await pg.open('');
    await page.waitForFunction(() => document.getElementById('status')?.textContent?.includes('backend'));
    const status = await page.textContent('#status');
    assert.match(status ?? '', /backend: wasm/);
    assert.match(status ?? '', /cross-origin isolated: true/);
    assert.ok((await page.$$('#pages a')).length >= 2);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
