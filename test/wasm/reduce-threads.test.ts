// SPDX-License-Identifier: MIT
// Reductions on wasm cut into blocks that the threads share (the REDUCE task): every block gives
// the same bits as one call over the whole pass, and sum/max/min over any axes give the same bits
// on 1 and 2 threads, within the reference's rounding of js (exactly, for max and min).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import * as st from 'strata-dl';
import { Runtime, TASK } from '../../packages/strata-dl/src/backends/wasm/runtime.js';
import { writeReduce } from '../../packages/strata-dl/src/backends/wasm/generated/interface.js';

const rt = new Runtime({ variant: 'simd' });
after(() => rt.pool.close());

/** Values with NaN, ±Inf, -0 and ties where `special`, else a smooth pattern. */
function fill(n: number, special: boolean): Float32Array {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = Math.sin(0.37 * i) * 3 + ((i * 7) % 5) * 0.01;
  if (special) {
    v[3] = Number.NaN; v[n - 2] = Number.POSITIVE_INFINITY; v[n >> 1] = -0; v[(n >> 1) + 1] = 0; v[(n >> 2)] = Number.NEGATIVE_INFINITY;
  }
  return v;
}

test('the REDUCE task: any blocks, on 2 threads, give the bits of one reduceF32 call', async () => {
  await rt.pool.ready(2);
  // [outer, R, inner] and blocks [oBlock, iBlock], ragged ones included
  const cases: [number, number, number, number, number][] = [
    [8192, 9, 1, 512, 1], [37, 50, 1, 3, 1], [1, 300, 100, 1, 64], [3, 41, 130, 1, 16], [5, 7, 9, 2, 4], [2, 0, 70, 1, 64],
  ];
  for (const [outer, R, inner, oBlock, iBlock] of cases) {
    for (const op of [0, 1, 2]) {
      const n = outer * R * inner;
      const [src] = rt.temp(Math.max(4, n * 4));
      const [want] = rt.temp(outer * inner * 4);
      const [got] = rt.temp(outer * inner * 4);
      rt.f32.set(fill(n, op !== 0 || R > 0), src >> 2);
      rt.x.reduceF32(op, outer, R, inner, src, want);
      rt.f32.fill(Number.NaN, got >> 2, (got >> 2) + outer * inner);
      writeReduce(rt.i32, rt.desc, { op, outer, R, inner, src, dst: got, oBlock, iBlock, counter: 0 });
      rt.pool.run(TASK.REDUCE, rt.desc, 2);
      const a = new Uint32Array(rt.f32.buffer, want, outer * inner), b = new Uint32Array(rt.f32.buffer, got, outer * inner);
      assert.deepEqual([...b], [...a], `op ${op} [${outer}, ${R}, ${inner}] in blocks [${oBlock}, ${iBlock}]`);
    }
  }
});

const bits = (t: st.Tensor): number[] => [...new Uint32Array(new Float32Array(t.dataSync()).buffer)];

test('sum, max and min on wasm: the same bits on 1 and 2 threads, and the reference\'s values', async () => {
  const prev = st.getBackend().name;
  st.setBackend('wasm');
  await (st.getBackend('wasm') as st.WasmBackend).ready(2);
  try {
    const shapes: [number[], number[]][] = [[[128, 64, 24, 24], [0, 2, 3]], [[2, 5000, 100], [1]], [[6, 40000], [1]], [[300, 500], [0]], [[64, 32, 26, 26], [0, 2, 3]]];
    for (const [shape, axes] of shapes) {
      const n = shape.reduce((a, b) => a * b, 1);
      for (const prim of ['sum', 'max', 'min'] as const) {
        const data = fill(n, prim !== 'sum');
        const x = st.tensor(data, { shape });
        const run = (threads: number): st.Tensor => { st.setNumThreads(threads); return prim === 'sum' ? x.sum(axes) : prim === 'max' ? x.amax(axes) : x.amin(axes); };
        const one = run(1), two = run(2);
        assert.deepEqual(bits(two), bits(one), `${prim} over ${axes} of [${shape}]: 2 threads against 1`);
        const ref = st.scoped(() => { st.setBackend('js'); try { const xj = st.tensor(data, { shape }); return [...(prim === 'sum' ? xj.sum(axes) : prim === 'max' ? xj.amax(axes) : xj.amin(axes)).dataSync()]; } finally { st.setBackend('wasm'); } });
        const got = [...one.dataSync()];
        got.forEach((v, i) => {
          if (prim === 'sum') assert.ok(Math.abs(v - ref[i]) <= 1e-4 * (1 + Math.abs(ref[i])) * Math.sqrt(n / got.length), `${prim} [${shape}] at ${i}: wasm ${v}, js ${ref[i]}`);
          else assert.ok(Object.is(v, ref[i]) || (Number.isNaN(v) && Number.isNaN(ref[i])), `${prim} [${shape}] at ${i}: wasm ${v}, js ${ref[i]}`);
        });
      }
    }
  } finally {
    st.setNumThreads(2);
    st.setBackend(prev);
  }
});
