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

// ---- Tensor's internals stay inside tensor/ and autograd/ ----------------------------
// Everything else reaches tensors through their public methods, the primitive layer
// (tensor/prims.ts), grouped custom ops (tensor/grouped-op.ts) and fused ops (tensor/fused-op.ts).

/** The underscore members Tensor declares (fields, methods, statics), read from its source. */
function tensorInternals(): string[] {
  const text = readFileSync(join(SRC, 'tensor/tensor.ts'), 'utf8');
  const body = text.slice(text.indexOf('export class Tensor'));
  const names = [...body.matchAll(/^ {2}(?:\/\*\*.*?\*\/\s*)?(?:(?:static|private|protected|readonly|get|set)\s+)*(_\w+)\s*[(:<=]/gm)].map((m) => m[1]);
  return [...new Set(names)].sort();
}

const withoutComments = (text: string): string => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

/** `file:line member` for each use of one of `members` in `text`. */
function internalUses(file: string, text: string, members: readonly string[]): string[] {
  const re = new RegExp(`\\.(${members.join('|')})\\b`, 'g');
  return withoutComments(text).split('\n').flatMap((line, i) => [...line.matchAll(re)].map((m) => `${file}:${i + 1} ${m[1]}`));
}

/** Uses that stay: a test of the tape's own memory handling reads the node it inspects. */
const INTERNAL_USE_ALLOWED = new Set(['test/autograd.test.ts _node']);
test('no underscore member of Tensor is used outside src/tensor and src/autograd: not in the primitive records (src/ir), the library, the application, the tests or the tools', () => {
  const members = tensorInternals();
  for (const m of ['_p', '_storage', '_attachNode', '_node', '_tangents']) {
    assert.ok(members.includes(m), `the scan of tensor.ts no longer finds ${m} (found ${members.join(', ')})`);
  }
  // removed members must not come back under their old names either (set_ and fused-op.ts's kernelOutput replace them)
  const watched = [...new Set([...members, '_assign', '_uninit'])];
  const roots = ['packages/strata-dl/src', 'packages/strata-dl-cli/src', 'test', 'bench', 'scripts', 'playground', 'examples'].map((d) => join(ROOT, d)).filter(existsSync);
  const inside = ['tensor', 'autograd'].map((d) => join(SRC, d) + '/');
  const bad = roots.flatMap(files)
    .filter((f) => !f.includes('/node_modules/') && !inside.some((d) => f.startsWith(d)) && f !== join(ROOT, 'test/architecture.test.ts'))
    .flatMap((f) => internalUses(relative(ROOT, f), readFileSync(f, 'utf8'), watched))
    .filter((use) => !INTERNAL_USE_ALLOWED.has(use.replace(/:\d+ /, ' ')));
  assert.deepEqual(bad, []);
});

test('the internals check finds a use when one is added', () => {
  const members = tensorInternals();
  const fixture = [
    "const y = x._p('add', [z], {}); // an internal call",
    'p._assign(v);',
    '/* x._storage in a comment is fine */ const s = t._storage.buf;',
    "y._attachNode(node); Tensor._uninit(x); const ok = 'http://example.org'; x.add(1);",
  ].join('\n');
  assert.deepEqual(internalUses('fixture.ts', fixture, [...members, '_assign', '_uninit']),
    ['fixture.ts:1 _p', 'fixture.ts:2 _assign', 'fixture.ts:3 _storage', 'fixture.ts:4 _attachNode', 'fixture.ts:4 _uninit']);
});
