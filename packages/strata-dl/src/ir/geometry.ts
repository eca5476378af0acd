// SPDX-License-Identifier: MIT
// The geometry of sliding windows, shared by the window, pooling and conv records and the kernels.
import { StrataError } from '../core/errors.js';

/**
 * Sliding 2-D windows over [N, C, H, W]: `unfold` gives [N, C·kh·kw, OH·OW] (rows ordered c, ki, kj
 * as PyTorch's F.unfold); `fold` sums such columns back into [N, C, H, W]. Padding is zeros,
 * given as [top, bottom, left, right] so that asymmetric 'same' padding needs no copy.
 * `poolIndex` (float or int32 input) gives int32 [N, C, OH, OW]: the flat index ih·W + iw, within
 * its (n, c) plane, of each window's max (or min). Padding is never chosen, ties go to the first in
 * (ki, kj) order, and a NaN wins, the last one if several (PyTorch's max_pool2d loop:
 * `val > max || isnan(val)`).
 */
export interface WindowAttrs {
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number, number, number];
  dilation: [number, number];
}

/** Number of window positions along H and W; throws when the window does not fit. */
export function windowCounts(op: string, [h, w]: readonly number[], a: WindowAttrs): [number, number] {
  const [kh, kw] = a.kernel;
  const [sh, sw] = a.stride;
  const [dh, dw] = a.dilation;
  const [pt, pb, pl, pr] = a.padding;
  const oh = Math.floor((h + pt + pb - dh * (kh - 1) - 1) / sh) + 1;
  const ow = Math.floor((w + pl + pr - dw * (kw - 1) - 1) / sw) + 1;
  if (!(oh > 0 && ow > 0) || [kh, kw, sh, sw, dh, dw].some((v) => !(Number.isInteger(v) && v > 0))) {
    throw new StrataError(op, `a ${kh}x${kw} window (stride ${sh}x${sw}, dilation ${dh}x${dw}, padding [${a.padding.join(',')}]) does not fit a ${h}x${w} input`);
  }
  return [oh, ow];
}

/**
 * Window counts of max/min pooling, which also needs a real input in every window (an all-padding
 * window has no element to select). Windows are products of a row set and a column set, so checking
 * each axis is enough. This checks the property itself rather than PyTorch's proxy for it
 * (`padding <= dilated kernel / 2`), which lets through a dilated window that straddles a small
 * input and rejects 'full' padding, whose windows all hold a real input.
 */
export function poolWindowCounts(op: string, [h, w]: readonly number[], a: WindowAttrs): [number, number] {
  const [oh, ow] = windowCounts(op, [h, w], a);
  const axes: [string, number, number, number, number, number][] = [
    ['rows', h, oh, a.kernel[0], a.stride[0], a.dilation[0]], ['columns', w, ow, a.kernel[1], a.stride[1], a.dilation[1]],
  ];
  const before = [a.padding[0], a.padding[2]];
  axes.forEach(([what, n, count, k, s, d], i) => {
    for (let o = 0; o < count; o++) {
      const start = o * s - before[i];
      let real = false;
      for (let t = 0; t < k && !real; t++) real = start + t * d >= 0 && start + t * d < n;
      if (!real) {
        throw new StrataError(op, `window ${o} along the ${what} holds only padding (input ${h}x${w}, kernel ${a.kernel.join('x')}, stride ${a.stride.join('x')}, dilation ${a.dilation.join('x')}, padding [${a.padding.join(',')}]); padding should be at most half the dilated kernel`);
      }
    }
  });
  return [oh, ow];
}
