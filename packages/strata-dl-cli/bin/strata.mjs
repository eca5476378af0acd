#!/usr/bin/env node
// The installed `strata` command (the built CLI in dist/). An application may choose its V8 flags,
// unlike the library: on Node 20–21, where relaxed SIMD (FMA) is behind a flag, re-run with it so the
// faster kernels are used; newer engines have it on already.
import { spawnSync } from 'node:child_process';

// (func (result v128) (f32x4.relaxed_madd (i32x4.splat 0) (i32x4.splat 0) (i32x4.splat 0))), as src/backends/wasm/features.ts
const RELAXED = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 19, 1, 17, 0, 65, 0, 253, 17, 65, 0, 253, 17, 65, 0, 253, 17, 253, 133, 2, 11]);
const major = Number(process.versions.node.split('.')[0]);
if (!WebAssembly.validate(RELAXED) && major < 22 && !process.execArgv.includes('--experimental-wasm-relaxed-simd')) {
  const r = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
const { main } = await import('../dist/cli/main.js');
await main();
