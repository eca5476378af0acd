// SPDX-License-Identifier: MIT
// The TSDoc @example lines of the Tensor methods, the root functions and the creation functions run,
// and each line `expr; // value` whose comment is JSON evaluates to that value (tensors through
// toArray, numbers within float32 rounding). Examples without such a line are only documentation.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as st from 'strata-dl';

const SRC = new URL('.', import.meta.resolve('strata-dl'));
const FILES = ['tensor/tensor.ts', 'tensor/functions.ts', 'tensor/creation.ts'];

/** The @example code of every doc comment, with the name declared right after it. */
function examples(text: string): { name: string; code: string }[] {
  const out: { name: string; code: string }[] = [];
  for (const m of text.matchAll(/\/\*\*([\s\S]*?)\*\/\s*(?:export\s+)?(?:const\s+|function\s+|class\s+)?(?:static\s+)?([A-Za-z_]\w*)/g)) {
    const body = m[1].split('\n').map((l) => l.replace(/^\s*\* ?/, '')).join('\n');
    for (const ex of body.split('@example').slice(1)) out.push({ name: m[2], code: ex.split(/\n@\w/)[0].trim() });
  }
  return out;
}

function same(actual: unknown, expected: unknown, where: string): void {
  const a = actual instanceof st.Tensor ? actual.toArray() : actual;
  const close = (x: unknown, y: unknown): boolean => (typeof x === 'number' && typeof y === 'number'
    ? Math.abs(x - y) <= 1e-6 * Math.max(1, Math.abs(y))
    : Array.isArray(x) && Array.isArray(y) ? x.length === y.length && x.every((v, i) => close(v, y[i])) : x === y);
  assert.ok(close(a, expected), `${where}: got ${JSON.stringify(a)}, expected ${JSON.stringify(expected)}`);
}

/** The example as code, each checkable line turned into a comparison; null when none is checkable. */
function checked(code: string): string | null {
  let checks = 0;
  // TypeScript's non-null assertion (`x.grad!.toArray()`) is the one syntax here that JS lacks.
  const lines = code.replace(/(\w)!\./g, '$1.').split('\n').map((line) => {
    const m = /^(.*?);?\s*\/\/\s*(.+)$/.exec(line);
    if (!m) return line;
    let expected: unknown;
    try { expected = JSON.parse(m[2]); } catch { return `${m[1]};`; }
    checks++;
    return `__same((${m[1].replace(/^const\s+/, '')}), ${JSON.stringify(expected)}, ${JSON.stringify(line)});`;
  });
  return checks > 0 ? lines.join('\n') : null;
}

const CASES = FILES.flatMap((f) => examples(readFileSync(new URL(f, SRC), 'utf8')).map((e) => ({ ...e, file: f })));

test('the example checker finds the examples', () => {
  assert.ok(CASES.filter((c) => checked(c.code) !== null).length >= 20);
});

for (const { name, code, file } of CASES) {
  const body = checked(code);
  if (body === null) continue;
  test(`@example of ${name} (${file}): ${code.split('\n')[0]}`, () => {
    const names = Object.keys(st).filter((k) => /^[A-Za-z_]\w*$/.test(k));
    const run = new Function('st', '__same', `const { ${names.join(', ')} } = st;\n${body}`) as (lib: typeof st, f: typeof same) => void;
    run(st, same);
  });
}
