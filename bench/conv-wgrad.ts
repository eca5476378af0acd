// SPDX-License-Identifier: MIT
// A convolution's weight gradient on wasm, A/B: the implicit GEMM (mode CONV_SUM) against the direct
// kernel (assembly/wgrad.ts), alternating round by round in one process so that both see the same
// load. Reports CPU time per call (process.cpuUsage: on one thread it moves less than wall time on
// a loaded machine; --wall for wall time, the right measure on several threads), median and min.
//
//   node --import tsx --conditions=strata-source bench/conv-wgrad.ts [--threads 1] [--rounds 9]
//        [--only W2] [--variant simd|relaxed-simd] [--wall]
import { setFlagsFromString } from 'node:v8';
import { parseArgs } from 'node:util';
import * as st from 'strata-dl';
import { convWeightGrad } from '../packages/strata-dl/src/nn/functional/conv-weight-grad.js';
import { setWgradPath } from '../packages/strata-dl/src/backends/wasm/wgrad.js';

const { values } = parseArgs({
  options: {
    threads: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '9' },
    only: { type: 'string' },
    variant: { type: 'string', default: 'relaxed-simd' },
    wall: { type: 'boolean', default: false },
  },
});
if (values.variant === 'relaxed-simd') setFlagsFromString('--experimental-wasm-relaxed-simd');
st.registerBackend(st.createWasmBackend({ reference: st.getBackend('js'), variant: values.variant === 'simd' ? 'simd' : 'relaxed-simd' }));
const threads = Number(values.threads);
st.setNumThreads(threads);
const wb = st.getBackend('wasm') as st.WasmBackend;
await wb.ready(threads);

type Win = st.WindowAttrs;
const win = (kernel: [number, number], stride: [number, number], padding: [number, number, number, number]): Win => ({ kernel, stride, padding, dilation: [1, 1] });
// [name, x shape, filters, window]: the LeNet-5 (W2) and Keras CNN (W3) layers, then others
const CASES: [string, number[], number, Win][] = [
  ['W2 conv1 1->6 5x5 same 28', [64, 1, 28, 28], 6, win([5, 5], [1, 1], [2, 2, 2, 2])],
  ['W2 conv2 6->16 5x5 14', [64, 6, 14, 14], 16, win([5, 5], [1, 1], [0, 0, 0, 0])],
  ['W3 conv1 1->32 3x3 28', [128, 1, 28, 28], 32, win([3, 3], [1, 1], [0, 0, 0, 0])],
  ['W3 conv2 32->64 3x3 26', [128, 32, 26, 26], 64, win([3, 3], [1, 1], [0, 0, 0, 0])],
  ['3->16 3x3 same 32', [32, 3, 32, 32], 16, win([3, 3], [1, 1], [1, 1, 1, 1])],
  ['16->32 3x3 same 16', [32, 16, 16, 16], 32, win([3, 3], [1, 1], [1, 1, 1, 1])],
  ['4->12 3x3 stride 2 28', [64, 4, 28, 28], 12, win([3, 3], [2, 2], [1, 1, 1, 1])],
  ['1->64 3x3 28', [128, 1, 28, 28], 64, win([3, 3], [1, 1], [0, 0, 0, 0])],
  // no padding: the GEMM reads the image in place (assembly/wgrad-inplace.ts)
  ['3->16 3x3 32', [32, 3, 32, 32], 16, win([3, 3], [1, 1], [0, 0, 0, 0])],
  ['16->32 3x3 16', [32, 16, 16, 16], 32, win([3, 3], [1, 1], [0, 0, 0, 0])],
  ['32->48 3x3 14', [32, 32, 14, 14], 48, win([3, 3], [1, 1], [0, 0, 0, 0])],
  ['8->24 5x5 20', [32, 8, 20, 20], 24, win([5, 5], [1, 1], [0, 0, 0, 0])],
  ['2->8 3x3 28', [64, 2, 28, 28], 8, win([3, 3], [1, 1], [0, 0, 0, 0])],
];

const now = (): number => (values.wall ? performance.now() : process.cpuUsage().user / 1000);
const median = (a: number[]): number => a.slice().sort((p, q) => p - q)[a.length >> 1];
console.log(`wasm ${wb.variant}, ${threads} thread(s), ${values.wall ? 'wall' : 'CPU'} time per call (ms), median (min) of ${values.rounds} rounds`);
for (const [name, shape, o, w] of CASES) {
  if (values.only && !name.includes(values.only)) continue;
  const gen = new st.Generator(11);
  const x = st.randn(shape, { generator: gen, backend: 'wasm' });
  const wt = st.randn([o, shape[1] * w.kernel[0] * w.kernel[1]], { generator: gen, backend: 'wasm' });
  const g = st.randn(st.noGrad(() => st.prims.conv(x, wt, null, w)).shape, { generator: gen, backend: 'wasm' });
  const flops = 2 * shape[0] * o * wt.shape[1] * g.shape[2];
  const reps = Math.max(2, Math.round(2e7 / flops));
  const res = { gemm: [] as number[], direct: [] as number[] };
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const p of ['gemm', 'direct'] as const) {
      setWgradPath(p);
      convWeightGrad.fused(g, x, wt, w)!.dispose();
      const t0 = now();
      for (let i = 0; i < reps; i++) convWeightGrad.fused(g, x, wt, w)!.dispose();
      res[p].push((now() - t0) / reps);
    }
  }
  setWgradPath('auto');
  const f = (a: number[]): string => `${median(a).toFixed(3)} (${Math.min(...a).toFixed(3)})`;
  console.log(`${name.padEnd(28)} gemm ${f(res.gemm)}  direct ${f(res.direct)}  ${(flops / median(res.direct) / 1e6).toFixed(1)} GFLOP/s direct`);
}
