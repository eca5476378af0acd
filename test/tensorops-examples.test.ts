// SPDX-License-Identifier: MIT
// The TSDoc @example blocks of the issue-21 ops run, and every line `expr; // value` evaluates to
// that value (tensors through toArray, numbers within float32 rounding).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as st from 'strata-dl';

const src = (f: string): string => readFileSync(new URL(`../packages/strata-dl/src/tensor/${f}`, import.meta.url), 'utf8');
/** Methods of Tensor documented in tensorops.ts (tensor.ts holds other methods' examples too). */
const METHODS = ['max', 'min', 'amax', 'amin', 'cumsum', 'cumprod', 'prod', 'diff', 'norm', 'sort', 'argsort', 'topk', 'tril', 'triu', 'outer', 'repeat',
  'tile', 'roll', 'maskedFill', 'maskedSelect', 'nonzero', 'isnan', 'isinf', 'isfinite', 'nanToNum', 'clone'];

/** The @example blocks of each doc comment, with the name declared right after the comment. */
function examples(text: string): { name: string; code: string }[] {
  const out: { name: string; code: string }[] = [];
  for (const m of text.matchAll(/\/\*\*([\s\S]*?)\*\/\s*(?:export\s+)?(?:const\s+|function\s+|class\s+)?([A-Za-z_]\w*)/g)) {
    const body = m[1].split('\n').map((l) => l.replace(/^\s*\* ?/, '')).join('\n');
    for (const ex of body.split('@example').slice(1)) out.push({ name: m[2], code: ex.split(/\n@\w/)[0].trim() });
  }
  return out;
}

const CASES = [
  ...examples(src('tensor.ts')).filter((e) => METHODS.includes(e.name)),
  ...examples(src('tensorops-functions.ts')),
  ...examples(src('values-indices.ts')),
];

function same(actual: unknown, expected: unknown, where: string): void {
  const a = actual instanceof st.Tensor ? actual.toArray() : actual;
  const close = (x: unknown, y: unknown): boolean => (typeof x === 'number' && typeof y === 'number' ? Math.abs(x - y) <= 1e-6 * Math.max(1, Math.abs(y)) : Array.isArray(x) && Array.isArray(y) ? x.length === y.length && x.every((v, i) => close(v, y[i])) : x === y);
  assert.ok(close(a, expected), `${where}: got ${JSON.stringify(a)}, expected ${JSON.stringify(expected)}`);
}

test('every issue-21 op has a checked TSDoc example', () => {
  const named = new Set(CASES.map((c) => c.name));
  const fns = ['cumsum', 'cumprod', 'prod', 'diff', 'norm', 'vectorNorm', 'sort', 'argsort', 'topk', 'tril', 'triu', 'outer', 'repeat', 'tile', 'roll',
    'maskedFill', 'maskedSelect', 'nonzero', 'isnan', 'isinf', 'isfinite', 'nanToNum', 'clone', 'einsum', 'max', 'min', 'amax', 'amin', 'ValuesIndices'];
  assert.deepEqual([...METHODS, ...fns].filter((n) => !named.has(n)), []);
  assert.ok(CASES.every((c) => /\/\/ .+$/m.test(c.code)), 'every example states a value');
});

for (const { name, code } of CASES) {
  test(`@example of ${name}: ${code.split('\n')[0]}`, () => {
    let checks = 0;
    const lines = code.split('\n').map((line) => {
      const m = /^(.*?);?\s*\/\/\s*(.+)$/.exec(line);
      if (!m) return line;
      let expected: unknown;
      try { expected = JSON.parse(m[2]); } catch { return `${m[1]};`; }
      checks++;
      return `__same((${m[1].replace(/^const\s+/, '')}), ${JSON.stringify(expected)}, ${JSON.stringify(line)});`;
    });
    assert.ok(checks > 0, `example of ${name} has no checkable '// value' line`);
    const names = Object.keys(st).filter((k) => /^[A-Za-z_]\w*$/.test(k));
    const run = new Function('st', '__same', `const { ${names.join(', ')} } = st;\n${lines.join('\n')}`) as (lib: typeof st, f: typeof same) => void;
    run(st, same);
  });
}
