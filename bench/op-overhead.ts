// SPDX-License-Identifier: MIT
// Per-op overhead, A/B: OP1 (a + b) and OP2 ((w * b).sum().backward()) on 64 elements, one thread,
// timed in many short rounds. Reports wall and CPU time per op (min and median over the rounds):
// CPU time (process.cpuUsage, all threads, so GC helpers count) moves less than wall time on a
// loaded machine. OP2d is OP2 with the old gradient disposed first (what optimizer.zeroGrad does);
// OP2 as in bench/workloads.ts drops it to the garbage collector every step.
//
//   node --import tsx --conditions=strata-source bench/op-overhead.ts [--base DIR/packages/strata-dl/src/index.ts]
//        [--workload OP1,OP2,OP2d] [--backend js,wasm] [--rounds 15] [--torch]
//
// With --base, a second copy of the library (another commit's checkout) is loaded in the same
// process and the two alternate round by round, so that both see the same load. --torch also runs
// PyTorch's same ops (Debian's python3-torch) with the same rounds, after Strata's.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    workload: { type: 'string', default: 'OP1,OP2,OP2d' },
    backend: { type: 'string', default: 'js,wasm' },
    rounds: { type: 'string', default: '15' },
    torch: { type: 'boolean', default: false },
  },
});
type Strata = typeof import('../packages/strata-dl/src/index.js');
const list = (s: string): string[] => s.split(',').map((x) => x.trim()).filter(Boolean);
const rounds = Number(values.rounds);
const libs: [string, Strata][] = [['this', await import('../packages/strata-dl/src/index.js')]];
if (values.base) libs.push(['base', (await import(values.base)) as Strata]);
for (const [, st] of libs) st.setNumThreads(1);

function step(st: Strata, workload: string, backend: string): () => void {
  const gen = new st.Generator(7);
  if (workload === 'OP1') {
    const a = st.rand([64], { backend, generator: gen });
    const b = st.rand([64], { backend, generator: gen });
    return () => { a.add(b).dispose(); };
  }
  const w = st.rand([64], { backend, generator: gen, requiresGrad: true });
  const b = st.rand([64], { backend, generator: gen });
  const dispose = workload === 'OP2d';
  return () => {
    st.scoped(() => {
      if (dispose) w.grad?.dispose();
      w.grad = null;
      w.mul(b).sum().backward();
    });
  };
}

const stats = (xs: number[]): string => {
  const s = [...xs].sort((p, q) => p - q);
  return `min ${s[0].toFixed(2)} median ${s[s.length >> 1].toFixed(2)}`;
};

for (const workload of list(values.workload)) {
  for (const backend of list(values.backend)) {
    const n = workload === 'OP1' ? 20_000 : 4_000;
    const runs = libs.map(([name, st]) => ({ name, f: step(st, workload, backend), wall: [] as number[], cpu: [] as number[] }));
    for (let i = 0; i < 3 * n; i++) for (const r of runs) r.f(); // warm-up: the optimizing compiler settles
    for (let k = 0; k < rounds; k++) {
      for (const r of k % 2 ? [...runs].reverse() : runs) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        for (let i = 0; i < n; i++) r.f();
        r.wall.push(((performance.now() - t0) * 1000) / n);
        const c = process.cpuUsage(c0);
        r.cpu.push((c.user + c.system) / n);
      }
    }
    for (const r of runs) console.log(`${workload.padEnd(4)} ${backend.padEnd(4)} ${r.name.padEnd(4)}  µs/op  wall ${stats(r.wall)}  cpu ${stats(r.cpu)}`);
  }
}

if (values.torch) {
  const script = fileURLToPath(new URL('./peers/torch_op_overhead.py', import.meta.url));
  const res = spawnSync('/usr/bin/python3', [script, String(rounds)], { encoding: 'utf8' });
  process.stdout.write(res.status === 0 ? res.stdout : `PyTorch: ${res.stderr.split('\n').filter(Boolean).pop() ?? 'failed'}\n`);
}
process.exit(0); // the wasm worker pool would keep the process alive
