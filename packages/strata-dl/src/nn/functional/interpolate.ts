// SPDX-License-Identifier: MIT
// Resizing by interpolation, one spatial axis at a time: nearest picks a source index per output
// index (a gather), linear blends two neighbours with weights λ0, λ1 (two gathers and a weighted
// sum), so gradients of every order come from gather's. The source coordinates are computed exactly
// as PyTorch's CPU kernels do, in the tensor's precision (float32 arithmetic for float32 tensors),
// so that the indices where rounding decides agree.
import { StrataError, fmtShape } from '../../core/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { tensor } from '../../tensor/creation.js';

/** Resampling of `interpolate`: nearest neighbour (PyTorch's legacy or exact variant), or linear in 1-D / bilinear in 2-D. */
export type InterpolateMode = 'nearest' | 'nearest-exact' | 'linear' | 'bilinear';

/** Options of `interpolate` (PyTorch's `F.interpolate`). */
export interface InterpolateOptions {
  /** Output spatial size (one number for every axis, or one per axis). Give this or `scaleFactor`. */
  size?: number | readonly number[];
  /** Multiplier of the spatial size; the output size is ⌊input · scaleFactor⌋. */
  scaleFactor?: number | readonly number[];
  /** Default 'nearest' (PyTorch's legacy nearest: source ⌊dst·scale⌋). */
  mode?: InterpolateMode;
  /**
   * Linear modes only. false (default): pixel centres map to pixel centres, source
   * (dst + 0.5)·scale − 0.5 clamped at 0; true: the corner pixels of input and output align,
   * source dst·(in − 1)/(out − 1).
   */
  alignCorners?: boolean;
  /** Recompute the scale from the sizes (in/out) instead of using 1/scaleFactor. */
  recomputeScaleFactor?: boolean;
}

/**
 * Resizes the spatial dimensions of `x` [N, C, ...spatial] (PyTorch's F.interpolate): 'nearest' and
 * 'nearest-exact' for 1–3 spatial dimensions, 'linear' for [N, C, L], 'bilinear' for [N, C, H, W].
 *
 * @example
 * interpolate(tensor([[[1, 2]]]), { scaleFactor: 2, mode: 'linear' }).toArray(); // [[[1, 1.25, 1.75, 2]]]
 * interpolate(tensor([[[1, 2]]]), { size: 3, mode: 'linear', alignCorners: true }).toArray(); // [[[1, 1.5, 2]]]
 */
export function interpolate(x: Tensor, opts: InterpolateOptions = {}): Tensor {
  const { mode = 'nearest', size, scaleFactor, alignCorners, recomputeScaleFactor = false } = opts;
  const spatial = x.ndim - 2;
  const linearRank = mode === 'linear' ? 1 : mode === 'bilinear' ? 2 : 0;
  if (mode !== 'nearest' && mode !== 'nearest-exact' && linearRank === 0) throw new StrataError('interpolate', `mode must be 'nearest', 'nearest-exact', 'linear' or 'bilinear', got '${String(mode)}'`);
  if (spatial < 1 || spatial > 3 || (linearRank && spatial !== linearRank)) {
    throw new StrataError('interpolate', `mode '${mode}' expects input ${linearRank === 1 ? '[N, C, L]' : linearRank === 2 ? '[N, C, H, W]' : '[N, C, ...1 to 3 spatial dims]'}, got ${fmtShape(x.shape)}`);
  }
  if (alignCorners !== undefined && !linearRank) throw new StrataError('interpolate', `alignCorners can only be set with the linear modes, not '${mode}'`);
  if ((size === undefined) === (scaleFactor === undefined)) throw new StrataError('interpolate', 'give exactly one of size and scaleFactor');
  const perAxis = (v: number | readonly number[], what: string): number[] => {
    const a = typeof v === 'number' ? new Array<number>(spatial).fill(v) : [...v];
    if (a.length !== spatial) throw new StrataError('interpolate', `${what} has ${a.length} entries for ${spatial} spatial dimensions of input ${fmtShape(x.shape)}`);
    return a;
  };
  const ins = x.shape.slice(2);
  // An empty spatial axis has no source pixel to sample (PyTorch refuses it too).
  if (ins.some((n) => n === 0)) throw new StrataError('interpolate', `input spatial sizes must be positive, got input ${fmtShape(x.shape)}`);
  let outs: number[];
  let scales: (number | undefined)[];
  if (size !== undefined) {
    outs = perAxis(size, 'size');
    if (!outs.every((o) => Number.isInteger(o) && o >= 1)) throw new StrataError('interpolate', `size must be positive integers, got ${JSON.stringify(size)}`);
    scales = outs.map(() => undefined);
  } else {
    const sf = perAxis(scaleFactor!, 'scaleFactor');
    if (!sf.every((f) => Number.isFinite(f) && f > 0)) throw new StrataError('interpolate', `scaleFactor must be positive, got ${JSON.stringify(scaleFactor)}`);
    outs = ins.map((n, i) => Math.floor(n * sf[i]));
    if (!outs.every((o) => o >= 1)) throw new StrataError('interpolate', `scaleFactor ${JSON.stringify(scaleFactor)} gives an empty output for input ${fmtShape(x.shape)}`);
    scales = recomputeScaleFactor ? outs.map(() => undefined) : sf;
  }
  // PyTorch computes coordinates in the tensor's precision ("opmath" is float for float32).
  const r = x.dtype === 'float64' ? (v: number): number => v : Math.fround;
  let y = x;
  for (let i = 0; i < spatial; i++) {
    const axis = i + 2;
    const [n, o] = [ins[i], outs[i]];
    // 1/scaleFactor when one was given, else in/out (PyTorch's compute_scales_value). The nearest
    // modes compute it, and the source index, in float32 whatever the dtype.
    const scaleOf = (round: (v: number) => number): number => (scales[i] !== undefined ? round(1 / scales[i]!) : round(n / o));
    if (!linearRank) {
      y = y.indexSelect(axis, nearestIndices(n, o, scaleOf(Math.fround), mode === 'nearest-exact'));
      continue;
    }
    const ratio = scaleOf(r);
    if (n === o) continue; // PyTorch copies when the size is unchanged, whatever the scale
    const scale = alignCorners ? (o > 1 ? r((n - 1) / (o - 1)) : 0) : ratio;
    const { i0, i1, l0, l1 } = linearTaps(n, o, scale, alignCorners ?? false, r);
    const wshape = [o, ...new Array<number>(x.ndim - 1 - axis).fill(1)];
    const w0 = tensor(l0, { dtype: x.dtype, backend: x.backend.name }).reshape(wshape);
    const w1 = tensor(l1, { dtype: x.dtype, backend: x.backend.name }).reshape(wshape);
    y = y.indexSelect(axis, i0).mul(w0).add(y.indexSelect(axis, i1).mul(w1));
  }
  return y;
}

/** PyTorch's nearest_idx / nearest_exact_idx for every output index (float32 arithmetic). */
function nearestIndices(n: number, o: number, scale: number, exact: boolean): number[] {
  return Array.from({ length: o }, (_, d) => {
    if (!exact && o === n) return d;
    if (!exact && o === 2 * n) return d >> 1;
    return Math.min(Math.floor(Math.fround((exact ? d + 0.5 : d) * scale)), n - 1);
  });
}

/** PyTorch's compute_source_index_and_lambda for every output index. */
function linearTaps(n: number, o: number, scale: number, alignCorners: boolean, r: (v: number) => number): { i0: number[]; i1: number[]; l0: number[]; l1: number[] } {
  const i0: number[] = [];
  const i1: number[] = [];
  const l0: number[] = [];
  const l1: number[] = [];
  for (let d = 0; d < o; d++) {
    let src = alignCorners ? r(scale * d) : r(r(scale * r(d + 0.5)) - 0.5);
    if (src < 0) src = 0;
    const a = Math.min(Math.floor(src), n - 1);
    const lambda = Math.min(Math.max(r(src - a), 0), 1);
    i0.push(a);
    i1.push(a < n - 1 ? a + 1 : a);
    l1.push(lambda);
    l0.push(r(1 - lambda));
  }
  return { i0, i1, l0, l1 };
}
