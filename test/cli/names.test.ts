// SPDX-License-Identifier: MIT
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = new URL('../..', import.meta.url).pathname;
const CLI = ['--import', 'tsx', '--conditions=strata-source', join(ROOT, 'packages/strata-dl-cli/src/cli/main.ts')];
const run = (...args: string[]) => spawnSync(process.execPath, [...CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });

test('strata train names, then strata sample', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-names-'));
  try {
    const out = join(dir, 'names');
    const t = run('train', 'names', '--epochs', '1', '--hidden', '32', '--out', out);
    assert.equal(t.status, 0, t.stderr);
    const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    assert.ok(m.lstmBitsPerChar > 0 && m.bigramBitsPerChar > 0 && m.novelty >= 0 && m.novelty <= 1);
    assert.match(t.stdout, /held-out bits per character: LSTM \d\.\d{3}, character bigram \d\.\d{3}/);
    const s = run('sample', out, '--count', '7', '--temperature', '0.8', '--seed', '1');
    assert.equal(s.status, 0, s.stderr);
    const names = s.stdout.trim().split('\n');
    assert.equal(names.length, 7);
    for (const n of names) assert.match(n, /^[A-Z][a-z-]*$/);
    assert.deepEqual(run('sample', out, '--count', '7', '--temperature', '0.8', '--seed', '1').stdout.trim().split('\n'), names);
    const bad = run('sample', join(dir, 'nothing'));
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, new RegExp(`error: sample: no run folder at ${join(dir, 'nothing')}`));
    // a folder that holds no run is named, with what is missing
    mkdirSync(join(dir, 'empty'));
    assert.match(run('sample', join(dir, 'empty')).stderr, /error: sample: expected a name-model run at .*empty \(no config\.json\)/);
    assert.ok(existsSync(join(out, 'model.safetensors')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
