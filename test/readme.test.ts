// SPDX-License-Identifier: MIT
// The README's TypeScript examples run, and print what the README says they print.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

test('README examples run and their printed output matches the comments', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.length >= 2);
  const code = blocks.join('\n');
  // Files under the repository resolve 'strata' to the package itself (self-reference).
  const dir = mkdtempSync(join(new URL('..', import.meta.url).pathname, '.readme-'));
  try {
    const file = join(dir, 'readme.ts');
    writeFileSync(file, code);
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--conditions=strata-source', file], { encoding: 'utf8' });
    // Every `console.log(...); // expected` line must print the expected text.
    const expected = [...code.matchAll(/console\.log\(.*\);\s*\/\/ (.*)/g)].map((m) => m[1].trim());
    for (const e of expected) assert.ok(out.replace(/\s+/g, ' ').includes(e.replace(/\s+/g, ' ')), `README says ${e}, output was:\n${out}`);
    assert.ok(out.includes('tensor([[12., 24., 36.],\n        [18., 30., 42.]])'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
