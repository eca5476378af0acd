// SPDX-License-Identifier: MIT
// Every TSDoc @example in the files of the newer layers runs, and a line `expr; // value`
// whose comment is JSON must evaluate to that value (a tensor is compared through toArray()).
// Every exported function and class in those files has an example.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as st from 'strata-dl';

// Paths under the package's source folder, found through the package itself (the 'development'
// condition resolves 'strata' to src/index.ts), so the test follows the sources if they move.
const SRC = new URL('.', import.meta.resolve('strata-dl'));
const FILES = [
  'nn/functional/activation-more.ts', 'nn/functional/group-norm.ts', 'nn/functional/interpolate.ts',
  'nn/functional/pad.ts', 'nn/functional/pixel-shuffle.ts', 'nn/activation-more.ts', 'nn/group-norm.ts',
  'nn/resample.ts', 'nn/reshape.ts', 'tensor/random-like.ts',
];
/** Files whose examples run too, though not every export there has one (yet). */
const EXAMPLES_ONLY = ['nn/functional/pool.ts', 'nn/pool.ts', 'nn/activation.ts', 'nn/functional/conv.ts', 'nn/conv.ts'];

/** The @example code of every doc comment in `text`, with its line number. */
export function examples(text: string): { line: number; code: string }[] {
  const out: { line: number; code: string }[] = [];
  for (const m of text.matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
    const body = m[1];
    const at = body.indexOf('@example');
    if (at < 0) continue;
    const rest = body.slice(at + '@example'.length).split(/\n\s*\*\s*@(?!example)\w+/)[0];
    const code = rest.split('\n').map((l) => l.replace(/^\s*\*( |$)/, '')).join('\n').trim();
    out.push({ line: text.slice(0, m.index).split('\n').length, code });
  }
  return out;
}

// Names an example may use: the package root, then nn.functional's, then nn's (later ones win, so
// `pad` is F.pad in these examples).
const scope: Record<string, unknown> = { ...st, ...st.nn.functional, ...st.nn };
const names = Object.keys(scope).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k) && !['eval', 'arguments'].includes(k));

function same(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'number' && typeof actual === 'number') return actual === expected || Math.abs(actual - expected) <= 1e-6 + 1e-5 * Math.abs(expected);
  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => same(actual[i], e));
  return actual === expected;
}

function check(actual: unknown, expected: unknown, where: string): void {
  const value = actual instanceof st.Tensor ? actual.toArray() : Array.isArray(actual) ? [...(actual as unknown[])] : actual;
  assert.ok(same(value, expected), `${where}: got ${JSON.stringify(value)}, the example says ${JSON.stringify(expected)}`);
}

/** Rewrites `expr; // json` lines into checks; other lines run as written. */
function instrument(code: string, where: string): string {
  return code.split('\n').map((line, i) => {
    const m = /^(.*?);?\s*\/\/\s*(.+)$/.exec(line);
    if (!m || /^\s*(const|let|var)\s/.test(m[1])) return line;
    let expected: unknown;
    try { expected = JSON.parse(m[2]); } catch { return line; }
    return `__check(${m[1]}, ${JSON.stringify(expected)}, ${JSON.stringify(`${where} line ${i + 1}`)});`;
  }).join('\n');
}

for (const file of [...FILES, ...EXAMPLES_ONLY]) {
  assert.ok(SRC.pathname.endsWith('/src/'), `'strata' resolves to ${SRC.href}; run with --conditions=strata-source`);
  const text = readFileSync(new URL(file, SRC), 'utf8');
  if (FILES.includes(file)) test(`${file}: every export has an @example`, () => {
    const exported = [...text.matchAll(/^export (?:abstract )?(?:function|class) (\w+)/gm)].map((m) => m[1]);
    // The doc comment right before the declaration (no `*/` inside it) must hold an @example.
    const documented = exported.filter((name) => new RegExp(`/\\*\\*((?:(?!\\*/)[\\s\\S])*)\\*/\\s*\\nexport (?:abstract )?(?:function|class) ${name}\\b`).exec(text)?.[1].includes('@example'));
    assert.deepEqual(exported.filter((n) => !documented.includes(n)), []);
  });
  for (const ex of examples(text)) {
    test(`${file}:${ex.line} example runs and shows its values`, () => {
      const body = instrument(ex.code, `${file}:${ex.line}`);
      let checks = 0;
      const counting = (a: unknown, e: unknown, w: string): void => { checks++; check(a, e, w); };
      // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the examples are this repository's own source
      new Function('__check', ...names, body)(counting, ...names.map((n) => scope[n]));
      assert.ok(checks > 0 || !/\/\/\s*[[\d"-]/.test(ex.code), 'a value comment was not checked');
    });
  }
}
