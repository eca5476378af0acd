// SPDX-License-Identifier: MIT
// The README and every guide in docs/ are checked as a user reads them: each file's TypeScript
// blocks run (in order, as one module) and print what their `// expected` comments say; the README
// stays short; nothing points outside the repository.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

const ROOT = new URL('..', import.meta.url).pathname;
const DOCS = ['README.md', 'CONTRIBUTING.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)]
  .filter((f) => existsSync(join(ROOT, f)));

/** Runs a file's ```ts blocks as one module inside the repository (so 'strata-dl' resolves to the workspace), from its root (so paths such as test/fixtures/… resolve). */
function runBlocks(file: string): { code: string; out: string } {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const code = [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]).join('\n');
  const dir = mkdtempSync(join(ROOT, '.readme-'));
  try {
    const path = join(dir, 'doc.ts');
    writeFileSync(path, code);
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--conditions=strata-source', path], { encoding: 'utf8', cwd: ROOT, timeout: 300_000 });
    return { code, out };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every `console.log(...); // expected` line must print the expected text (whitespace-insensitive). */
function checkOutput(file: string, code: string, out: string): void {
  const expected = [...code.matchAll(/console\.log\(.*\);\s*\/\/ (.*)/g)].map((m) => m[1].trim());
  const flat = out.replace(/\s+/g, ' ');
  for (const e of expected) assert.ok(flat.includes(e.replace(/\s+/g, ' ')), `${file} says ${e}, output was:\n${out}`);
}

describe('documentation', () => {
  for (const file of DOCS) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    if (!text.includes('```ts')) continue;
    test(`${file}: its code blocks run and print what they say`, () => {
      const { code, out } = runBlocks(file);
      checkOutput(file, code, out);
      if (file === 'README.md') assert.ok(out.includes('tensor([[12., 24., 36.],\n        [18., 30., 42.]])'));
    });
  }

  test('the README is at most 220 lines, and links only to files that exist', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    assert.ok(readme.split('\n').length <= 220, `README has ${readme.split('\n').length} lines`);
    for (const [, link] of readme.matchAll(/\]\(([^)#]+)\)/g)) {
      if (!/^https?:/.test(link)) assert.ok(existsSync(join(ROOT, link)), `README links to ${link}, which does not exist`);
    }
  });

  test('no document points outside the repository or names issue or lecture numbers', () => {
    for (const file of DOCS) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      assert.doesNotMatch(text, /\.\.\/shared|\]\(\.\.\//, `${file} cites a path outside the repository`);
      assert.doesNotMatch(text, /\bissue #?\d+|\blecture \d+/i, `${file} names an issue or a lecture by number`);
    }
  });
});
