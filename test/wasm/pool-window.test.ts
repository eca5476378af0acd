// SPDX-License-Identifier: MIT
// The window kernels that are not GEMMs (poolIndex/pool, unfold, fold) on both SIMD builds against
// the js reference, over many geometries: MaxPool2d(2)'s fast path at every row width around its
// 8- and 4-output groups, and random kernels, strides, paddings and dilations for the general paths.
// Pooling is checked bit for bit: the indices equal the reference's, and each value has exactly the
// bits of the input at its index (so ties between -0 and 0 and NaN payloads pick PyTorch's element:
// the first of ties, the last NaN). Every result must also be bit-identical on 1 and 2 threads.
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { after, describe, test } from 'node:test';
import { createJsBackend } from '../../packages/strata-dl/src/backends/js/index.js';
import { createWasmBackend, setNumThreads, wasmFeatures } from '../../packages/strata-dl/src/backends/wasm/index.js';
import type { WindowAttrs } from '../../packages/strata-dl/src/ir/prims.js';
import { poolWindowCounts, windowCounts } from '../../packages/strata-dl/src/ir/geometry.js';
import { type Input, type Tol, compare, randomInput, rng, run } from './helpers.js';

setFlagsFromString('--experimental-wasm-relaxed-simd');

type Mode = 'max' | 'min';
interface Geometry { shape: number[]; attrs: WindowAttrs }

const r = rng(20);
const win = (kernel: [number, number], stride: [number, number], padding: [number, number, number, number], dilation: [number, number] = [1, 1]): WindowAttrs => ({ kernel, stride, padding, dilation });
const pick = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

/** MaxPool2d(2) at every width from 2 to 35 (fast path from 8: groups of 8, an overlapping 8 or 4), odd heights, then a padded (ceil-mode-like) variant. */
function poolGeometries(): Geometry[] {
  const out: Geometry[] = [];
  for (let w = 2; w <= 35; w++) out.push({ shape: [2, 3, 2 + (w % 5), w], attrs: win([2, 2], [2, 2], [0, 0, 0, 0]) });
  out.push({ shape: [64, 6, 28, 28], attrs: win([2, 2], [2, 2], [0, 0, 0, 0]) }, { shape: [4, 16, 10, 10], attrs: win([2, 2], [2, 2], [0, 0, 0, 0]) });
  out.push({ shape: [2, 2, 9, 17], attrs: win([2, 2], [2, 2], [0, 1, 0, 1]) }, { shape: [2, 2, 9, 17], attrs: win([2, 2], [2, 2], [1, 0, 1, 0]) });
  return out.concat(randomGeometries(60, true));
}

/** Random kernels 1-5, strides 1-3, dilations 1-2, paddings up to half the dilated kernel, images 1-16 (those that fit). */
function randomGeometries(count: number, pooling: boolean): Geometry[] {
  const out: Geometry[] = [];
  while (out.length < count) {
    const k: [number, number] = [pick(1, 5), pick(1, 5)], d: [number, number] = [pick(1, 2), pick(1, 2)];
    const half = (i: number) => Math.floor((d[i] * (k[i] - 1)) / 2);
    const attrs = win(k, [pick(1, 3), pick(1, 3)], [pick(0, half(0)), pick(0, half(0)), pick(0, half(1)), pick(0, half(1))], d);
    const shape = [pick(1, 3), pick(1, 3), pick(1, 16), pick(1, 16)];
    try {
      (pooling ? poolWindowCounts : windowCounts)('test', [shape[2], shape[3]], attrs);
    } catch {
      continue;
    }
    out.push({ shape, attrs });
  }
  return out;
}

/** Values for pooling: 'random' floats; 'ties' small integers and -0 (most windows tie); 'nan' NaNs of several payloads, ±0 and infinities among ties. */
function poolInput(shape: number[], kind: 'random' | 'ties' | 'nan'): Input {
  const x = randomInput(r, shape);
  const bits = new Uint32Array(x.data.buffer);
  for (let i = 0; i < x.data.length; i++) {
    if (kind === 'random') continue;
    const t = Math.floor(r() * 3) - 1;
    x.data[i] = t === 0 && r() < 0.5 ? -0 : t;
    if (kind === 'nan') {
      const u = r();
      if (u < 0.15) bits[i] = (u < 0.07 ? 0xffc00000 : 0x7fc00000) | (i & 0x3fffff);
      else if (u < 0.2) x.data[i] = u < 0.175 ? Infinity : -Infinity;
    }
  }
  return x;
}

/** The float32 bits of a result. */
const bitsOf = (a: ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; length: number }): Uint32Array => new Uint32Array(a.buffer, a.byteOffset, a.length);

const js = createJsBackend();
const variants = wasmFeatures().relaxedSimd ? (['simd', 'relaxed-simd'] as const) : (['simd'] as const);

for (const variant of variants) {
  describe(`window kernels (${variant}) match js`, () => {
    const wasm = createWasmBackend({ reference: js, variant });
    after(() => wasm.close());

    /** Runs on 1 and 2 threads, asserts both give the same bits, returns the result. */
    const both = (prim: 'pool' | 'poolIndex' | 'unfold' | 'fold', input: Input, attrs: never, name: string) => {
      setNumThreads(1);
      const one = run(wasm, prim, [input], attrs);
      setNumThreads(2);
      const two = run(wasm, prim, [input], attrs);
      assert.deepEqual(bitsOf(two.data as Float32Array), bitsOf(one.data as Float32Array), `${name}: 1 vs 2 threads`);
      return one;
    };

    test('pool and poolIndex: max and min, random, ties, NaN; bit-exact', async () => {
      await wasm.ready(2);
      const failures: string[] = [];
      for (const { shape, attrs } of poolGeometries()) {
        for (const mode of ['max', 'min'] as Mode[]) {
          for (const kind of ['random', 'ties', 'nan'] as const) {
            const name = `${mode} ${kind} [${shape}] k${attrs.kernel} s${attrs.stride} p${attrs.padding} d${attrs.dilation}`;
            const x = poolInput(shape, kind);
            const a = { ...attrs, mode } as never;
            const idx = both('poolIndex', x, a, name).data;
            const want = run(js, 'poolIndex', [x], a).data;
            const vals = both('pool', x, a, name).data;
            const msg = compare(idx, want, { atol: 0, rtol: 0 }) ?? compare(vals, run(js, 'pool', [x], a).data, { atol: 0, rtol: 0 });
            if (msg) { failures.push(`${name}: ${msg}`); continue; }
            // each value is the input's own bits at its index (sign of zero, NaN payload)
            const plane = shape[2] * shape[3], per = idx.length / (shape[0] * shape[1]);
            const xb = bitsOf(x.data as Float32Array), vb = bitsOf(vals as Float32Array);
            for (let i = 0; i < idx.length; i++) {
              if (vb[i] !== xb[Math.floor(i / per) * plane + idx[i]]) { failures.push(`${name}: value ${i} has bits ${vb[i].toString(16)}, not the input's at ${idx[i]}`); break; }
            }
          }
        }
      }
      assert.deepEqual(failures, []);
    });

    test('unfold (exact) and fold (float32 sums) over many geometries', async () => {
      await wasm.ready(2);
      const failures: string[] = [];
      const geometries: Geometry[] = [
        { shape: [4, 1, 28, 28], attrs: win([5, 5], [1, 1], [2, 2, 2, 2]) },
        { shape: [4, 6, 14, 14], attrs: win([5, 5], [1, 1], [0, 0, 0, 0]) },
        { shape: [2, 8, 26, 26], attrs: win([3, 3], [1, 1], [0, 0, 0, 0]) },
        { shape: [2, 3, 11, 13], attrs: win([3, 3], [1, 1], [1, 1, 1, 1]) },
        { shape: [2, 3, 9, 7], attrs: win([1, 1], [1, 1], [0, 0, 0, 0]) },
        { shape: [2, 3, 12, 12], attrs: win([7, 7], [1, 1], [3, 3, 3, 3]) },
        { shape: [1, 2, 20, 21], attrs: win([4, 4], [2, 2], [1, 1, 1, 1]) },
        ...randomGeometries(80, false),
      ];
      for (const { shape, attrs } of geometries) {
        const name = `[${shape}] k${attrs.kernel} s${attrs.stride} p${attrs.padding} d${attrs.dilation}`;
        const x = randomInput(r, shape);
        const cols = both('unfold', x, attrs as never, `unfold ${name}`);
        const msg = compare(cols.data, run(js, 'unfold', [x], attrs).data, { atol: 0, rtol: 0 });
        if (msg) failures.push(`unfold ${name}: ${msg}`);
        const g = randomInput(r, cols.shape);
        const fa = { ...attrs, outputSize: [shape[2], shape[3]] as [number, number] };
        const tol: Tol = { atol: 2e-7 * attrs.kernel[0] * attrs.kernel[1], rtol: 2e-5 };
        const fmsg = compare(both('fold', g, fa as never, `fold ${name}`).data, run(js, 'fold', [g], fa).data, tol);
        if (fmsg) failures.push(`fold ${name}: ${fmsg}`);
      }
      assert.deepEqual(failures, []);
    });

    test('fold adds each element\'s taps in (ki, kj) order from +0 in float32: bit for bit a sequential model, with -0, NaN and infinities', async () => {
      await wasm.ready(2);
      const failures: string[] = [];
      const geometries: Geometry[] = [
        { shape: [2, 8, 26, 26], attrs: win([3, 3], [1, 1], [0, 0, 0, 0]) },
        { shape: [2, 3, 11, 13], attrs: win([3, 3], [1, 1], [1, 1, 1, 1]) },
        { shape: [1, 2, 9, 10], attrs: win([5, 4], [1, 1], [2, 1, 3, 0], [2, 1]) },
        { shape: [1, 2, 20, 21], attrs: win([4, 4], [2, 2], [1, 1, 1, 1]) },
        ...randomGeometries(60, false),
      ];
      for (const { shape, attrs } of geometries) {
        const name = `[${shape}] k${attrs.kernel} s${attrs.stride} p${attrs.padding} d${attrs.dilation}`;
        const [n, c, h, w] = shape, [kh, kw] = attrs.kernel;
        const [oh, ow] = windowCounts('test', [h, w], attrs);
        const g = randomInput(r, [n, c * kh * kw, oh * ow]);
        for (let i = 0; i < g.data.length; i++) {
          const u = r();
          if (u < 0.02) g.data[i] = -0;
          else if (u < 0.025) g.data[i] = NaN;
          else if (u < 0.03) g.data[i] = u < 0.0275 ? Infinity : -Infinity;
        }
        // the model: the zeroed image, then each tap's columns added in (c, ki, kj) order, rounded to float32
        const want = new Float32Array(n * c * h * w);
        for (let b = 0; b < n; b++) for (let ch = 0; ch < c; ch++) for (let ki = 0; ki < kh; ki++) for (let kj = 0; kj < kw; kj++) {
          for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) {
            const y = oy * attrs.stride[0] - attrs.padding[0] + ki * attrs.dilation[0], x = ox * attrs.stride[1] - attrs.padding[2] + kj * attrs.dilation[1];
            if (y < 0 || y >= h || x < 0 || x >= w) continue;
            const at = ((b * c + ch) * h + y) * w + x;
            want[at] = want[at] + g.data[((b * c + ch) * kh * kw + ki * kw + kj) * oh * ow + oy * ow + ox];
          }
        }
        const got = both('fold', g, { ...attrs, outputSize: [h, w] } as never, `fold ${name}`).data as Float32Array;
        const gb = bitsOf(got), wb = bitsOf(want);
        for (let i = 0; i < want.length; i++) {
          // (NaN payloads are the engine's: only NaN-ness is compared)
          if (Number.isNaN(want[i]) ? !Number.isNaN(got[i]) : gb[i] !== wb[i]) {
            failures.push(`fold ${name}: element ${i} is ${got[i]} (0x${gb[i].toString(16)}), want ${want[i]} (0x${wb[i].toString(16)})`);
            break;
          }
        }
      }
      assert.deepEqual(failures, []);
    });
  });
}
