// SPDX-License-Identifier: MIT
// Preprocessing and augmentation of image batches [N, C, H, W]. Normalization is tensor ops;
// the random geometric transforms resample on the CPU with the library generator (reproducible).
import { StrataError, fmtShape } from '../core/errors.js';
import { type Generator, defaultGenerator } from '../core/rng.js';
import type { Tensor } from '../tensor/tensor.js';
import { tensor } from '../tensor/creation.js';

/** A per-example (or per-batch) tensor transform; random ones draw from `generator`, so augmentation is reproducible. */
export type Transform = (x: Tensor, generator: Generator) => Tensor;

/** Chains transforms left to right. */
export function compose(...ts: Transform[]): Transform {
  return (x, g) => ts.reduce((acc, t) => t(acc, g), x);
}

/** (x − mean) / std per channel (numbers apply to every channel). */
export function normalize(mean: number | readonly number[], std: number | readonly number[]): Transform {
  return (x) => {
    const asTensor = (v: number | readonly number[]): Tensor | number =>
      (typeof v === 'number' ? v : tensor([...v], { dtype: x.dtype, backend: x.backend.name }).reshape(x.ndim >= 3 ? [v.length, 1, 1] : [v.length]));
    return x.sub(asTensor(mean)).div(asTensor(std));
  };
}

/** Subtracts the mean of the batch over the given axes (lecture 17's preprocessing step). */
export function meanSubtraction(axes: number | number[] = 0): Transform {
  return (x) => x.sub(x.mean(axes, true));
}

/** Per-example resampling of [N, C, H, W] by an affine map of output to input coordinates. */
function resample(x: Tensor, op: string, g: Generator, pick: (g: Generator) => { a: number; b: number; c: number; d: number; tx: number; ty: number }): Tensor {
  if (x.ndim !== 4) throw new StrataError(op, `expects a batch [N, C, H, W], got ${fmtShape(x.shape)}`);
  const [n, c, h, w] = x.shape;
  const src = x.dataSync();
  const out = new Float32Array(src.length);
  const cy = (h - 1) / 2;
  const cx = (w - 1) / 2;
  for (let i = 0; i < n; i++) {
    const { a, b, c: cc, d, tx, ty } = pick(g);
    for (let y = 0; y < h; y++) {
      for (let xx = 0; xx < w; xx++) {
        // Bilinear sampling at the source position; outside the image reads as 0.
        const sx = a * (xx - cx) + b * (y - cy) + cx - tx;
        const sy = cc * (xx - cx) + d * (y - cy) + cy - ty;
        const x0 = Math.floor(sx);
        const y0 = Math.floor(sy);
        const fx = sx - x0;
        const fy = sy - y0;
        for (let ch = 0; ch < c; ch++) {
          const base = (i * c + ch) * h * w;
          const at = (yy: number, xq: number): number => (yy >= 0 && yy < h && xq >= 0 && xq < w ? src[base + yy * w + xq] : 0);
          out[base + y * w + xx] = (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x0 + 1)) + fy * ((1 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1));
        }
      }
    }
  }
  return tensor(out, { shape: x.shape, dtype: x.dtype, backend: x.backend.name });
}

/** Random translation by up to `maxShift` pixels in each direction (whole pixels). */
export function randomShift(maxShift: number): Transform {
  return (x, g = defaultGenerator()) => resample(x, 'randomShift', g, (r) => ({
    a: 1, b: 0, c: 0, d: 1, tx: r.int(-maxShift, maxShift + 1), ty: r.int(-maxShift, maxShift + 1),
  }));
}

/** Random rotation by an angle uniform in ±`maxDegrees`, about the image centre. */
export function randomRotation(maxDegrees: number): Transform {
  return (x, g = defaultGenerator()) => resample(x, 'randomRotation', g, (r) => {
    const t = ((r.random() * 2 - 1) * maxDegrees * Math.PI) / 180;
    return { a: Math.cos(t), b: -Math.sin(t), c: Math.sin(t), d: Math.cos(t), tx: 0, ty: 0 };
  });
}

/** Mirrors each example left-right with probability `p`. */
export function randomHorizontalFlip(p = 0.5): Transform {
  return (x, g = defaultGenerator()) => resample(x, 'randomHorizontalFlip', g, (r) => ({ a: r.random() < p ? -1 : 1, b: 0, c: 0, d: 1, tx: 0, ty: 0 }));
}

/** Mirrors each example top-bottom with probability `p`. */
export function randomVerticalFlip(p = 0.5): Transform {
  return (x, g = defaultGenerator()) => resample(x, 'randomVerticalFlip', g, (r) => ({ a: 1, b: 0, c: 0, d: r.random() < p ? -1 : 1, tx: 0, ty: 0 }));
}
