// SPDX-License-Identifier: MIT
// `npm run bench:peers` end to end on one small workload: the harness starts, measures the wasm
// ceiling, runs Strata's child and prints the result with its warm-up rate and ceiling fraction.
// (No timing is asserted: only that each line is there and well formed.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('bench:peers runs OP1 on Strata and prints the ceiling and the result', () => {
  const args = ['--import', 'tsx', '--conditions=strata-source', 'bench/peers/run.ts', '--workload', 'OP1', '--systems', 'strata',
    '--seconds', '0.3', '--repeats', '3', '--warmup', '0.1', '--rounds', '1'];
  const res = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', timeout: 120_000 });
  assert.equal(res.status, 0, res.stderr);
  const lines = res.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  const ceilings = lines.filter((l) => 'ceiling' in l);
  assert.ok(ceilings.length >= 1 && ceilings.every((c) => typeof c.gflops === 'number' && c.gflops > 0), res.stdout);
  const results = lines.filter((l) => l.system === 'strata' && l.workload === 'OP1');
  assert.ok(results.length >= 1, res.stdout);
  for (const r of results) {
    assert.equal(r.error, undefined, String(r.error));
    assert.ok(typeof r.median === 'number' && r.median > 0, `median ${r.median}`);
    assert.ok(typeof r.warmupRate === 'number' && r.warmupRate > 0, `warmupRate ${r.warmupRate}`);
    assert.equal(r.repeats, 3);
  }
  assert.match(res.stdout, /\| OP1 \| kop\/s \|/);
});
