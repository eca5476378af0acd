// SPDX-License-Identifier: MIT
// The dependency direction of STYLE.md §4, checked on every runtime import under src/.
// Type-only imports are erased at compile time and are allowed upward (autograd names the Tensor type).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const SRC = resolve(new URL('../src', import.meta.url).pathname);
const ALLOWED: Record<string, string[]> = {
  core: [],
  ir: ['core'],
  autograd: ['ir', 'core'],
  backend: ['ir', 'core'],
  backends: ['backend', 'ir', 'core'],
  tensor: ['autograd', 'backend', 'ir', 'core'],
  testing: ['tensor', 'autograd', 'backend', 'ir', 'core'],
  nn: ['tensor', 'autograd', 'ir', 'core'],
  optim: ['tensor', 'autograd', 'core'],
  data: ['tensor', 'core'],
  io: ['tensor', 'core'],
  interop: ['nn', 'io', 'tensor', 'autograd', 'backend', 'core'],
  models: ['nn', 'core'],
  train: ['nn', 'optim', 'data', 'io', 'autograd', 'tensor', 'core'],
  viz: ['ir', 'autograd', 'tensor', 'nn', 'train', 'core'],
  cli: ['index.ts', 'viz', 'node'],
  node: ['index.ts', 'data', 'io', 'train', 'core'],
  text: ['nn', 'optim', 'data', 'tensor', 'autograd', 'core'],
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}
const layerOf = (file: string): string => {
  const rel = relative(SRC, file).replace(/\.js$/, '.ts');
  return rel.includes('/') ? rel.split('/')[0] : rel;
};

test('runtime imports point down the layers, and nothing imports a concrete backend but the entry', () => {
  const bad: string[] = [];
  for (const file of files(SRC)) {
    const from = layerOf(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^import\s+(?!type\b)[^'"]*?from\s+'(\.[^']+)'/gm)) {
      const to = layerOf(resolve(dirname(file), m[1]));
      if (to === from || from === 'index.ts') continue;
      if (!(ALLOWED[from] ?? []).includes(to)) bad.push(`${relative(SRC, file)} imports ${m[1]} (${from} → ${to})`);
    }
  }
  assert.deepEqual(bad, []);
});
