// SPDX-License-Identifier: MIT
// The API reference builds from the TSDoc with zero warnings: `npm run docs` (TypeDoc with
// validation.notDocumented and treatWarningsAsErrors) fails on any undocumented public export, a
// broken link, or a type that a public signature uses but no entry exports. Slow (an npm ci of
// tools/api-docs, then TypeDoc over the whole library: a minute or two).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const INDEX = fileURLToPath(new URL('../docs/api/index.html', import.meta.url));

test('npm run docs builds the API reference with no warnings', { timeout: 600_000 }, () => {
  // Remove the old page so that its presence afterwards shows this run wrote it.
  rmSync(INDEX, { force: true });
  const run = spawnSync('npm', ['run', 'docs'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    maxBuffer: 64 * 1024 * 1024,
  });
  // eslint-disable-next-line no-control-regex
  const output = `${run.stdout}\n${run.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
  const problems = output.split('\n').filter((l) => /\[(warning|error)\]/.test(l));
  assert.deepEqual(problems, [], `TypeDoc reported:\n${problems.join('\n')}`);
  assert.equal(run.status, 0, `npm run docs exited with ${run.status}:\n${output.slice(-4000)}`);
  assert.ok(existsSync(INDEX), 'docs/api/index.html was not written');
});
