// SPDX-License-Identifier: MIT
// The dependency direction of the layers, checked on every runtime import of the library's src/;
// the library's independence (no dependencies, a browser-safe root entry); the application's one
// way in (the library's public entries only).
// Type-only imports are erased at compile time and are allowed upward (autograd names the Tensor type).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const SRC = join(ROOT, 'packages/strata-dl/src');
const APP = join(ROOT, 'packages/strata-dl-cli/src');
const ALLOWED: Record<string, string[]> = {
  core: [],
  ir: ['autograd', 'core'],
  autograd: ['core'],
  backend: ['ir', 'core'],
  backends: ['backend', 'ir', 'core'],
  tensor: ['autograd', 'backend', 'ir', 'core'],
  testing: ['tensor', 'autograd', 'backend', 'ir', 'core'],
  nn: ['tensor', 'autograd', 'ir', 'core'],
  optim: ['tensor', 'autograd', 'core'],
  data: ['tensor', 'core'],
  io: ['tensor', 'core'],
  interop: ['nn', 'io', 'tensor', 'autograd', 'backend', 'core'],
  models: ['nn', 'tensor', 'core'],
  train: ['nn', 'optim', 'data', 'io', 'autograd', 'tensor', 'core'],
  node: ['data', 'io', 'tensor', 'core'],
  text: ['nn', 'optim', 'data', 'tensor', 'autograd', 'core'],
  worker: ['core'],
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

const RUNTIME_IMPORT = /^(?:import|export)\s+(?!type\b)[^'"]*?from\s+'([^']+)'/gm;

test('the library has no runtime dependencies and imports no package', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'packages/strata-dl/package.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(pkg.dependencies, undefined);
  assert.equal(pkg.peerDependencies, undefined);
  const bare = files(SRC).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(RUNTIME_IMPORT)]
    .map((m) => m[1]).filter((spec) => !spec.startsWith('.') && !spec.startsWith('node:'))
    .map((spec) => `${relative(SRC, file)} imports ${spec}`));
  assert.deepEqual(bare, []);
});

test('nothing reachable from the root entry imports a Node built-in statically (browser-safe)', () => {
  const seen = new Set<string>();
  const bad: string[] = [];
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(RUNTIME_IMPORT)) {
      const spec = m[1];
      if (spec.startsWith('node:')) bad.push(`${relative(SRC, file)} imports ${spec}`);
      else if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
        if (existsSync(target)) visit(target);
      }
    }
  };
  visit(join(SRC, 'index.ts'));
  assert.ok(seen.size > 50, `the walk reached only ${seen.size} files`);
  assert.deepEqual(bad, []);
});

test('the application reaches the library only through its public entries', () => {
  const bad: string[] = [];
  for (const file of files(APP)) {
    for (const m of readFileSync(file, 'utf8').matchAll(RUNTIME_IMPORT)) {
      const spec = m[1];
      if (spec.startsWith('.') && !resolve(dirname(file), spec).startsWith(APP)) bad.push(`${relative(APP, file)} imports ${spec}`);
      if (spec.startsWith('strata-dl/') && !['strata-dl/node', 'strata-dl/testing'].includes(spec)) bad.push(`${relative(APP, file)} imports ${spec}`);
    }
  }
  assert.deepEqual(bad, []);
});
