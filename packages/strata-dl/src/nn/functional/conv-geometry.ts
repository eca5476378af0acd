// SPDX-License-Identifier: MIT
// conv2d's argument checks and window resolution, shared by conv2d and the fused conv-ReLU-pool
// (not part of the public API: nn/functional/index.ts does not export this file).
import { StrataError, fmtShape } from '../../core/errors.js';
import type { WindowAttrs } from '../../ir/prims.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Conv2dOptions } from './conv.js';
import { outSize, pair, resolvePadding2d } from './padding.js';

/** A 2-D convolution's checked geometry: its window attributes, output size, filters and window values. */
export interface Conv2dGeometry {
  readonly attrs: WindowAttrs;
  readonly oh: number;
  readonly ow: number;
  /** Output channels. */
  readonly o: number;
  /** Values per window and filter (C/groups · kh · kw). */
  readonly k: number;
}

/** Checks conv2d's arguments (errors naming conv2d) and resolves the window: padding modes, output size. */
export function conv2dGeometry(x: Tensor, weight: Tensor, bias: Tensor | null, opts: Conv2dOptions): Conv2dGeometry {
  const { stride = 1, padding = 0, dilation = 1, groups = 1 } = opts;
  if (x.ndim !== 4) throw new StrataError('conv2d', `input must be [N, C, H, W], got ${fmtShape(x.shape)}`);
  if (weight.ndim !== 4) throw new StrataError('conv2d', `weight must be [out, in/groups, kh, kw], got ${fmtShape(weight.shape)}`);
  const [, c, h, w] = x.shape;
  const [o, cg, kh, kw] = weight.shape;
  if (!Number.isInteger(groups) || groups < 1 || o % groups !== 0) throw new StrataError('conv2d', `groups ${groups} must divide the ${o} output channels`);
  if (c !== cg * groups) throw new StrataError('conv2d', `input ${fmtShape(x.shape)} has ${c} channels, weight ${fmtShape(weight.shape)} expects ${cg * groups}`);
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== o)) throw new StrataError('conv2d', `bias ${fmtShape(bias.shape)} must be [${o}]`);
  const s = pair('conv2d', 'stride', stride, 1);
  const d = pair('conv2d', 'dilation', dilation, 1);
  const p = resolvePadding2d('conv2d', padding, [h, w], [kh, kw], s, d);
  const oh = outSize(h, p[0], p[1], kh, s[0], d[0]);
  const ow = outSize(w, p[2], p[3], kw, s[1], d[1]);
  if (oh < 1 || ow < 1) throw new StrataError('conv2d', `a ${kh}x${kw} kernel (dilation ${d.join('x')}, padding [${p.join(',')}]) does not fit input ${fmtShape(x.shape)}`);
  return { attrs: { kernel: [kh, kw], stride: s, padding: p, dilation: d }, oh, ow, o, k: cg * kh * kw };
}
