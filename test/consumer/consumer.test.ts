// SPDX-License-Identifier: MIT
// The packages as a user gets them: `npm pack` both workspaces, install the two tarballs into a fresh
// project outside the repository, and there run a plain .mjs program, the same program as strict
// TypeScript compiled by tsc, and the installed `strata` command. Nothing here resolves into the
// repository: the project sees only what the tarballs hold and what npm installs for them.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

const ROOT = new URL('../..', import.meta.url).pathname;
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
let dir = '';
let lib = { file: '', size: 0, unpackedSize: 0, entryCount: 0 };

interface PackInfo { filename: string; size: number; unpackedSize: number; entryCount: number }

function pack(workspace: string): PackInfo {
  const out = execFileSync('npm', ['pack', '--json', '--workspace', workspace, '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const json = out.slice(out.indexOf('[')); // build scripts print before the JSON
  const [info] = JSON.parse(json) as PackInfo[];
  return info;
}

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8', timeout: 300_000 });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

// XOR with a 2-4-1 network, saved and loaded back through safetensors; prints what the tests check.
const PROGRAM = `import * as st from 'strata-dl';
import { nodeFileSystem } from 'strata-dl/node';

st.manualSeed(0);
const x = st.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
const y = st.tensor([[0], [1], [1], [0]]);
const net = new st.nn.Sequential(new st.nn.Linear(2, 8), new st.nn.Tanh(), new st.nn.Linear(8, 1));
const opt = new st.optim.Adam(net.parameters(), { lr: 0.05 });
for (let step = 0; step < 500; step++) {
  opt.zeroGrad();
  const loss = st.nn.functional.binaryCrossEntropyWithLogits(net.forward(x), y);
  loss.backward();
  opt.step();
}
const predict = (m: st.nn.Module): number[] => st.noGrad(() => (m.forward(x) as st.Tensor).gt(0).float().flatten().toArray() as number[]);
await st.io.saveSafetensors('xor.safetensors', net.stateDict(), nodeFileSystem);
const copy = new st.nn.Sequential(new st.nn.Linear(2, 8), new st.nn.Tanh(), new st.nn.Linear(8, 1));
copy.loadStateDict(await st.io.loadSafetensors('xor.safetensors', nodeFileSystem));
console.log('xor', JSON.stringify(predict(net)), 'reloaded', JSON.stringify(predict(copy)));
`;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-consumer-'));
  const l = pack('packages/strata-dl');
  const a = pack('packages/strata-dl-cli');
  lib = { file: l.filename, size: l.size, unpackedSize: l.unpackedSize, entryCount: l.entryCount };
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `./${l.filename}`, `./${a.filename}`]);
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the library tarball has no dependencies, and its size is reported', () => {
  const pkg = JSON.parse(readFileSync(join(dir, 'node_modules/strata-dl/package.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(pkg.dependencies, undefined);
  const tree = JSON.parse(run('npm', ['ls', '--all', '--json', 'strata-dl'])) as { dependencies: Record<string, { dependencies?: object }> };
  assert.equal(tree.dependencies['strata-dl'].dependencies, undefined);
  console.log(`strata-dl: ${lib.file} packed ${(lib.size / 1024).toFixed(0)} kB, unpacked ${(lib.unpackedSize / 1024).toFixed(0)} kB, ${lib.entryCount} files, 0 dependencies`);
});

test('a plain .mjs program imports the library, trains XOR, saves and reloads it', () => {
  writeFileSync(join(dir, 'xor.mjs'), PROGRAM.replace(/\(m: st\.nn\.Module\): number\[\]/, '(m)').replace(/ as st\.Tensor\)/, ')').replace(/ as number\[\]/, ''));
  const out = run(process.execPath, ['xor.mjs']);
  assert.match(out, /xor \[0,1,1,0\] reloaded \[0,1,1,0\]/);
});

test('the same program typechecks as strict TypeScript with tsc and runs', () => {
  writeFileSync(join(dir, 'xor.ts'), PROGRAM);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, outDir: 'out', lib: ['ES2022', 'DOM'], types: [], skipLibCheck: false },
    files: ['xor.ts'],
  }));
  run(process.execPath, [TSC, '-p', 'tsconfig.json']);
  const out = run(process.execPath, ['out/xor.js']);
  assert.match(out, /xor \[0,1,1,0\] reloaded \[0,1,1,0\]/);
});

test('the installed strata command answers --help and summary cnn', () => {
  const bin = join(dir, 'node_modules/.bin/strata');
  assert.match(run(bin, ['--help']), /Usage: strata/);
  const summary = run(bin, ['summary', 'cnn']);
  assert.match(summary, /1,199,882/);
});
