// SPDX-License-Identifier: MIT
// The bench's wasm ceiling probe (bench/ceiling/): the hand-assembled module is valid wasm whose
// loop is register-only (its text, disassembled by binaryen, has no memory access in the loop),
// computes what a plain JavaScript model of it computes (so it does the multiply-adds it is credited
// with), and the probe returns a positive rate on one thread and on two. No timing is asserted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { DEFAULT_ACCUMULATORS, type FmaOp, flopsPerIteration, fmaModule } from '../../bench/ceiling/fma-module.js';
import { measureCeiling, relaxedSimdAvailable, resolveVariant } from '../../bench/ceiling/probe.js';

// relaxed SIMD on Node 20 (on by default from Node 22), before the probe's modules are compiled, as bench/run.ts does
setFlagsFromString('--experimental-wasm-relaxed-simd');

const OPS: FmaOp[] = ['mul-add', 'relaxed-madd'];

/**
 * The module as text: binaryen's disassembler (wasm-dis, AssemblyScript's toolchain, independent of
 * the assembler under test), run as its own plain Node process (importing binaryen here would make
 * the TypeScript loader transform its 13 MB).
 */
function wat(bytes: Uint8Array): string {
  const disassembler = join(dirname(createRequire(import.meta.url).resolve('binaryen/package.json')), 'bin/wasm-dis');
  const dir = mkdtempSync(join(tmpdir(), 'strata-ceiling-'));
  try {
    const file = join(dir, 'probe.wasm');
    writeFileSync(file, bytes);
    const res = spawnSync(process.execPath, [disassembler, '--all-features', file], { encoding: 'utf8' });
    assert.equal(res.status, 0, `wasm-dis failed: ${res.stderr}`);
    return res.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const op of OPS) {
  test(`ceiling: the ${op} loop is valid wasm and register-only`, () => {
    const bytes = fmaModule({ op, accumulators: 10, unroll: 3 });
    if (op === 'mul-add') assert.ok(WebAssembly.validate(bytes));
    const text = wat(bytes);
    const loop = text.slice(text.indexOf('(loop'), text.lastIndexOf('(br $'));
    assert.ok(loop.length > 0, text);
    assert.doesNotMatch(text, /memory|load|store|call/, 'no memory, no loads or stores, no calls');
    const ops = op === 'relaxed-madd' ? ['f32x4.relaxed_madd'] : ['f32x4.mul', 'f32x4.add'];
    for (const o of ops) assert.equal(loop.split(`(${o}\n`).length - 1, 10 * 3, `${o} once per accumulator per round`);
    // nothing else of v128 happens in the loop: only local.get/local.set around the SIMD ops
    const simdInLoop = [...loop.matchAll(/\((\w+x\d+\.\w+)/g)].map((m) => m[1]);
    assert.deepEqual([...new Set(simdInLoop)].sort(), [...ops].sort());
  });
}

/** The loop in float32, as plain JavaScript: acc = acc·s + (1 - s), `n · unroll` times per accumulator. */
function model(op: FmaOp, n: number, s: number, accumulators: number, unroll: number): number {
  const f = Math.fround;
  const x = f(s);
  const y = f(1 - x);
  let sum = 0;
  for (let i = 0; i < accumulators; i++) {
    let acc = f(x + i);
    for (let k = 0; k < n * unroll; k++) acc = op === 'mul-add' ? f(f(acc * x) + y) : f(acc * x + y);
    sum = i === 0 ? acc : f(sum + acc);
  }
  return sum;
}

for (const op of OPS) {
  test(`ceiling: the ${op} module computes its multiply-adds (against a JavaScript model)`, (t) => {
    if (op === 'relaxed-madd' && !relaxedSimdAvailable()) return t.skip('this engine has no relaxed SIMD');
    const [accumulators, unroll] = [5, 2];
    const run = new WebAssembly.Instance(new WebAssembly.Module(fmaModule({ op, accumulators, unroll }))).exports.run as (n: number, s: number) => number;
    for (const n of [0, 1, 7, 300]) {
      const want = model(op, n, 0.75, accumulators, unroll);
      // mul+add rounds twice, as the model; relaxed_madd may round once (an FMA) or twice
      if (op === 'mul-add') assert.equal(run(n, 0.75), want, `n = ${n}`);
      else assert.ok(Math.abs(run(n, 0.75) - want) <= 1e-5 * Math.abs(want), `n = ${n}: ${run(n, 0.75)} vs ${want}`);
    }
    assert.equal(flopsPerIteration({ op, accumulators, unroll }), accumulators * unroll * 4 * 2);
  });
}

test("ceiling: 'auto' is the relaxed build where the engine validates it", () => {
  assert.equal(resolveVariant('auto'), relaxedSimdAvailable() ? 'relaxed-simd' : 'simd');
  assert.equal(resolveVariant('simd'), 'simd');
  assert.throws(() => resolveVariant('avx512'), /unknown variant 'avx512'/);
});

test('ceiling: the probe runs on one thread and on two and reports positive GFLOP/s', async () => {
  const variant = resolveVariant('auto');
  for (const threads of [1, 2]) {
    const c = await measureCeiling({ variant, threads, seconds: 0.1, repeats: 3 });
    assert.equal(c.ceiling, 'wasm-fma');
    assert.equal(c.threads, threads);
    assert.equal(c.accumulators, DEFAULT_ACCUMULATORS);
    assert.equal(c.op, variant === 'relaxed-simd' ? 'f32x4.relaxed_madd' : 'f32x4.mul + f32x4.add');
    assert.ok(c.gflops > 0 && c.gflops >= c.median && c.median >= c.min && c.min > 0, JSON.stringify(c));
  }
});
