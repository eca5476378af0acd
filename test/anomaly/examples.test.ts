// SPDX-License-Identifier: MIT
// The TSDoc examples of anomaly detection run, and each `expr; // literal` line holds that value.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const SOURCES = ['packages/strata-dl/src/autograd/anomaly.ts'];

/** The code of every `@example` in a file's doc comments (block or one-line form). */
function examples(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
    const lines = m[1].split('\n').map((l) => l.replace(/^\s*\* ?/, ''));
    const at = lines.findIndex((l) => l.includes('@example'));
    if (at < 0) continue;
    const first = lines[at].slice(lines[at].indexOf('@example') + 8).trim();
    const rest = lines.slice(at + 1);
    const end = rest.findIndex((l) => l.trim().startsWith('@'));
    out.push([first, ...(end < 0 ? rest : rest.slice(0, end))].join('\n').trim());
  }
  return out;
}

/** `expr; // 'text'` (a literal comment) becomes an assertion that expr equals it. */
function withChecks(code: string): string {
  return code.replace(/^(\s*)(.+?);\s*\/\/\s*('[^']*'|true|false|null|-?\d+(?:\.\d+)?)\s*$/gm, '$1assert.deepStrictEqual($2, $3);');
}

test('anomaly detection TSDoc examples run and print what they say', () => {
  const blocks = SOURCES.flatMap((f) => examples(readFileSync(new URL(`../../${f}`, import.meta.url), 'utf8')));
  assert.ok(blocks.length >= 4, `found ${blocks.length} examples`);
  const checks = blocks.map(withChecks);
  assert.ok(checks.join('\n').split('assert.deepStrictEqual').length - 1 >= 5);
  const code = [
    "import assert from 'node:assert/strict';",
    "import * as st from 'strata-dl';",
    "import type { AnomalyInfo } from 'strata-dl';",
    'const { tensor, detectAnomaly, setDetectAnomaly, isAnomalyEnabled, AnomalyError } = st;',
    ...checks.map((c) => `{\n${c}\n}`),
    "console.log('examples ok');",
  ].join('\n');
  // Files under the repository resolve 'strata-dl' to the workspace package.
  const dir = mkdtempSync(join(new URL('../..', import.meta.url).pathname, '.anomaly-examples-'));
  try {
    const file = join(dir, 'examples.ts');
    writeFileSync(file, code);
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--conditions=strata-source', file], { encoding: 'utf8' });
    assert.match(out, /examples ok/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
