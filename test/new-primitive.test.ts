// SPDX-License-Identifier: MIT
// A new primitive that is declared but not finished is reported, piece by piece, naming it (the
// walk-through in CONTRIBUTING.md, "A primitive"). The fixture declares a unary primitive `dummy`
// (its attribute type, by augmenting UnaryAttrs) and nothing else; the compiler must then name it
// at its record, its js kernel and its wasm op code, and the op tables' checks must name it too.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import * as st from 'strata-dl';
import { CASES, bindFunctions } from './ops.table.js';
import { TENSOROPS_CASES, bindTensoropsFunctions } from './ops.tensorops.table.js';
import { LAYER_CASES, bindLayerFunctions } from './ops.layers.table.js';
import { NONFINITE } from './ops.nonfinite.table.js';
import { ALL_PRIMS, uncovered } from './primitives.js';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const SRC = join(ROOT, 'packages/strata-dl/src');

test('a declared primitive without a record, a js kernel or a wasm op code fails to compile, naming it at each', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-new-primitive-'));
  try {
    writeFileSync(join(dir, 'dummy.ts'), `import type { Empty } from '${SRC}/ir/prims.js';
declare module '${SRC}/ir/elementwise.js' {
  interface UnaryAttrs { dummy: Empty }
}
export {};
`);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      extends: join(ROOT, 'tsconfig.json'),
      compilerOptions: { noEmit: true, typeRoots: [join(ROOT, 'node_modules/@types')] },
      files: [join(dir, 'dummy.ts')],
      include: [join(SRC, '**/*.ts')],
    }));
    const tsc = join(createRequire(import.meta.url).resolve('typescript/package.json'), '..', 'bin/tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], { encoding: 'utf8' });
    const errors = r.stdout.split('\n').filter((l) => l.includes('error TS'));
    const at = (file: string): string[] => errors.filter((l) => l.startsWith(join(SRC, file)) || l.includes(`/src/${file}(`));
    assert.notEqual(r.status, 0, 'the fixture compiled: nothing checks a new primitive');
    for (const file of ['ir/elementwise.ts', 'backends/js/elementwise.ts', 'backends/wasm/elementwise.ts']) {
      assert.ok(at(file).some((l) => l.includes("'dummy'")), `no error naming 'dummy' in ${file}; errors:\n${errors.join('\n')}`);
    }
    // and nowhere else: every other table is read off the records
    const elsewhere = errors.filter((l) => !['ir/elementwise.ts', 'backends/js/elementwise.ts', 'backends/wasm/elementwise.ts'].some((f) => l.includes(`/src/${f}(`)));
    assert.deepEqual(elsewhere, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a primitive without a row in the op table or the non-finite table is named by their coverage checks', () => {
  bindFunctions(st);
  bindTensoropsFunctions(st);
  bindLayerFunctions(st);
  const prims = [...ALL_PRIMS, 'dummy'];
  assert.deepEqual(uncovered([...CASES, ...TENSOROPS_CASES, ...LAYER_CASES], prims), ['dummy']);
  assert.deepEqual(uncovered(Object.values(NONFINITE), prims), ['dummy']);
});
