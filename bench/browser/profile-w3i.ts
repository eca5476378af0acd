// SPDX-License-Identifier: MIT
// node --import tsx --conditions=strata-source bench/browser/profile-w3i.ts [--threads 1] [--rounds 20]
//
// Where W3 inference (batch 256) spends its time on Strata's wasm backend: each layer of the model
// timed on its own input (median over rounds), with its share and its GFLOP/s. Run by hand when
// the browser benchmark's W3i ratios need explaining (docs/benchmarks.md).
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';

const { values } = parseArgs({ options: { threads: { type: 'string', default: '1' }, rounds: { type: 'string', default: '20' } } });
setFlagsFromString('--experimental-wasm-relaxed-simd'); // the kernels Chromium runs
const st = await import('../../packages/strata-dl/src/index.js');
const threads = Number(values.threads);
st.setNumThreads(threads);
await (st.getBackend('wasm') as import('../../packages/strata-dl/src/index.js').WasmBackend).ready(threads);

st.manualSeed(0);
const model = st.models.cnn() as import('../../packages/strata-dl/src/index.js').nn.Sequential;
model.eval();
const layers = model.children();
let x = st.rand([256, 1, 28, 28], { generator: new st.Generator(2) });
const rows: { layer: string; ms: number; gflop: number }[] = [];
st.noGrad(() => {
  for (const layer of layers) {
    const input = x;
    const out = layer.forward(input) as import('../../packages/strata-dl/src/index.js').Tensor;
    let gflop = 0;
    if (layer instanceof st.nn.Conv2d) {
      const [, cin, kh, kw] = layer.weight.shape;
      gflop = (2 * out.numel() * cin * kh * kw) / 1e9;
    } else if (layer instanceof st.nn.Linear) {
      gflop = (2 * out.numel() * layer.weight.shape[1]) / 1e9;
    }
    const times: number[] = [];
    for (let r = 0; r < Number(values.rounds); r++) {
      const t0 = performance.now();
      st.scoped(() => { layer.forward(input); }); // eager: the kernels have run when forward returns
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    rows.push({ layer: `${layer.constructor.name} -> [${out.shape.join(',')}]`, ms: times[times.length >> 1], gflop });
    x = out;
  }
});
const total = rows.reduce((s, r) => s + r.ms, 0);
for (const r of rows) {
  console.log(`${r.layer.padEnd(34)} ${r.ms.toFixed(2).padStart(8)} ms ${((100 * r.ms) / total).toFixed(1).padStart(5)}%` +
    (r.gflop ? ` ${(r.gflop / (r.ms / 1000)).toFixed(1).padStart(6)} GFLOP/s` : ''));
}
const flops = rows.reduce((s, r) => s + r.gflop, 0);
console.log(`total ${total.toFixed(1)} ms per batch of 256 (${(256 / (total / 1000)).toFixed(0)} samples/s), ${flops.toFixed(2)} GFLOP, ${(flops / (total / 1000)).toFixed(1)} GFLOP/s; ${threads} thread(s)`);
