// SPDX-License-Identifier: MIT
// Every locked dependency supports the Node range the packages declare, so `npm ci` on Node 20
// prints no EBADENGINE warning. npm checks it for us with --engine-strict, on a copy of the
// manifests and the lockfile (a dry run: nothing is installed or downloaded).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = new URL('..', import.meta.url).pathname;

test('the lockfile holds no package whose engines exclude this Node (npm ci --engine-strict)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-engines-'));
  try {
    const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] };
    for (const f of ['package.json', 'package-lock.json']) copyFileSync(join(ROOT, f), join(dir, f));
    for (const ws of root.workspaces) {
      mkdirSync(join(dir, ws), { recursive: true });
      copyFileSync(join(ROOT, ws, 'package.json'), join(dir, ws, 'package.json'));
    }
    const r = spawnSync('npm', ['ci', '--dry-run', '--engine-strict', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.doesNotMatch(r.stderr, /EBADENGINE|notsup/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('both packages declare the same Node range as the repository', () => {
  const range = (p: string): string => (JSON.parse(readFileSync(join(ROOT, p), 'utf8')) as { engines: { node: string } }).engines.node;
  assert.equal(range('packages/strata-dl/package.json'), range('package.json'));
  assert.equal(range('packages/strata-dl-cli/package.json'), range('package.json'));
});
