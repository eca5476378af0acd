// SPDX-License-Identifier: MIT
// Sliding windows (im2col) and its adjoint (col2im): convolution and pooling compose from these.
import { bind } from './bind.js';
import { StrataError, fmtShape } from '../core/errors.js';
import { type WindowAttrs, windowCounts } from './geometry.js';
import { same } from './movement.js';
import type { Records } from './record.js';

export interface WindowFamilyAttrs {
  unfold: WindowAttrs;
  fold: WindowAttrs & { outputSize: [number, number] };
}

/** The window alone of fold's or conv's attributes (without outputSize or relu). */
export const windowOf = ({ kernel, stride, padding, dilation }: WindowAttrs): WindowAttrs => ({ kernel, stride, padding, dilation });

export const WINDOW_RECORDS: Records<WindowFamilyAttrs> = {
  unfold: {
    shape: ([x], w) => {
      if (x.shape.length !== 4) throw new StrataError('unfold', `input must be [N, C, H, W], got ${fmtShape(x.shape)}`);
      const [oh, ow] = windowCounts('unfold', [x.shape[2], x.shape[3]], w);
      return { shape: [x.shape[0], x.shape[1] * w.kernel[0] * w.kernel[1], oh * ow], dtype: x.dtype };
    },
    cost: 'light', differentiable: true,
    vjp: (g, [x], _o, attrs) => [bind('fold', [g], { ...attrs, outputSize: [x.shape[2], x.shape[3]] })],
    jvp: same('unfold'),
  },
  fold: {
    shape: ([x], w) => {
      const kk = w.kernel[0] * w.kernel[1];
      const [oh, ow] = windowCounts('fold', w.outputSize, w);
      if (x.shape.length !== 3 || x.shape[1] % kk !== 0 || x.shape[2] !== oh * ow) {
        throw new StrataError('fold', `input ${fmtShape(x.shape)} does not hold ${kk}-element windows at ${oh * ow} positions of a ${w.outputSize.join('x')} output`);
      }
      return { shape: [x.shape[0], x.shape[1] / kk, ...w.outputSize], dtype: x.dtype };
    },
    cost: 'light', differentiable: true,
    vjp: (g, _i, _o, attrs) => [bind('unfold', [g], windowOf(attrs))],
    jvp: same('fold'),
  },
};
