// SPDX-License-Identifier: MIT
import { StrataError } from '../core/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { type Conv1dOptions, type Conv2dOptions, conv1d, conv1dRelu, conv2d, conv2dRelu, convTranspose2d } from './functional/conv.js';
import { type IntPair, type Padding1d, type Padding2d, pair } from './functional/padding.js';
import { defaultBias, defaultWeight } from './init.js';
import { conv2dPool, conv2dReluPool } from './functional/conv-relu-pool.js';
import { type Fused, Module } from './module.js';
import { MaxPool2d } from './pool.js';
import type { LayerOptions } from './options.js';
import { Parameter } from './parameter.js';

function checkChannels(op: string, inC: number, outC: number, groups: number): void {
  if (!(Number.isInteger(groups) && groups > 0 && inC % groups === 0 && outC % groups === 0)) {
    throw new StrataError(op, `groups ${groups} must divide both ${inC} input and ${outC} output channels`);
  }
}

/**
 * `Module.fuse` of a convolution layer: its one-pass `forwardRelu` when `next` is a ReLU, unless
 * the layer's forward is not its class's `own` (a subclass that computes something else).
 */
function reluFusion(conv: Conv2d | Conv1d, own: (x: Tensor) => Tensor, next: Module): Fused | null {
  return next.epilogue === 'relu' && conv.forward === own ? (x) => conv.forwardRelu(x) : null;
}

/** Whether `m` is a MaxPool2d(2) as it comes: 2x2 windows at stride 2, no padding, dilation or ceil mode. */
function isMaxPool2(m: Module): boolean {
  if (!(m instanceof MaxPool2d) || m.forward !== MaxPool2d.prototype.forward) return false;
  const two = (v: IntPair | undefined, dflt: boolean): boolean => (v === undefined ? dflt : typeof v === 'number' ? v === 2 : v[0] === 2 && v[1] === 2);
  const o = m.options;
  return two(m.kernelSize, false) && two(o.stride, true) && (o.padding ?? 0) === 0 && (o.dilation ?? 1) === 1 && !o.ceilMode;
}

export interface Conv2dLayerOptions extends LayerOptions {
  stride?: IntPair;
  padding?: Padding2d;
  dilation?: IntPair;
  groups?: number;
  bias?: boolean;
}

/**
 * 2-D convolution over [N, C, H, W] with `outChannels` filters of `kernelSize` (a number or
 * [kh, kw]); weight [out, in/groups, kh, kw]. Parameters: out·(in/groups·kh·kw) + out.
 *
 * @example
 * const conv = new Conv2d(3, 96, 11, { stride: 4 }); // AlexNet's first layer: 34,944 parameters
 * conv.forward(zeros([1, 3, 227, 227])).shape;      // [1, 96, 55, 55]
 */
export class Conv2d extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  readonly kernelSize: [number, number];
  readonly stride: IntPair;
  readonly padding: Padding2d;
  readonly dilation: IntPair;
  readonly groups: number;

  constructor(readonly inChannels: number, readonly outChannels: number, kernelSize: IntPair, opts: Conv2dLayerOptions = {}) {
    super();
    const { stride = 1, padding = 0, dilation = 1, groups = 1 } = opts;
    checkChannels('Conv2d', inChannels, outChannels, groups);
    this.kernelSize = pair('Conv2d', 'kernel size', kernelSize, 1);
    this.stride = stride;
    this.padding = padding;
    this.dilation = dilation;
    this.groups = groups;
    const shape = [outChannels, inChannels / groups, ...this.kernelSize];
    this.weight = new Parameter(defaultWeight(shape, opts));
    this.bias = opts.bias === false ? null : new Parameter(defaultBias(outChannels, shape[1] * shape[2] * shape[3], opts));
  }

  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, this.options());
  }

  /**
   * `forwardRelu` for a following ReLU (see `reluFusion`); with a MaxPool2d(2) after the ReLU,
   * `forwardReluPool` for all three (`layers` 3); for a MaxPool2d(2) directly after,
   * `conv2dPool`.
   *
   * @example
   * new Conv2d(1, 2, 3).fuse(new ReLU()) !== null;                        // true
   * new Conv2d(1, 2, 3).fuse(new ReLU(), new MaxPool2d(2))?.layers === 3; // true
   * new Conv2d(1, 2, 3).fuse(new MaxPool2d(2)) !== null;                  // true
   */
  override fuse(next: Module, then?: Module): Fused | null {
    if (this.forward === Conv2d.prototype.forward && isMaxPool2(next)) return (x) => conv2dPool(x, this.weight, this.bias, this.options());
    const relu = reluFusion(this, Conv2d.prototype.forward, next);
    if (relu && then && isMaxPool2(then)) return Object.assign((x: Tensor) => this.forwardReluPool(x), { layers: 3 as const });
    return relu;
  }

  /** `forward(x).relu()` in one pass where it can (see `conv2dRelu`); what `fuse` gives for a following ReLU. */
  forwardRelu(x: Tensor): Tensor {
    return conv2dRelu(x, this.weight, this.bias, this.options());
  }

  /** `maxPool2d(forward(x).relu(), 2)`, in one pass in inference (see `conv2dReluPool`); what `fuse` gives for a ReLU and a MaxPool2d(2). */
  forwardReluPool(x: Tensor): Tensor {
    return conv2dReluPool(x, this.weight, this.bias, this.options());
  }

  private options(): Conv2dOptions {
    return { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups };
  }
}

export interface Conv1dLayerOptions extends LayerOptions {
  stride?: number;
  padding?: Padding1d;
  dilation?: number;
  groups?: number;
  bias?: boolean;
}

/** 1-D convolution over [N, C, L]; weight [out, in/groups, k]. */
export class Conv1d extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  readonly stride: number;
  readonly padding: Padding1d;
  readonly dilation: number;
  readonly groups: number;

  constructor(readonly inChannels: number, readonly outChannels: number, readonly kernelSize: number, opts: Conv1dLayerOptions = {}) {
    super();
    const { stride = 1, padding = 0, dilation = 1, groups = 1 } = opts;
    checkChannels('Conv1d', inChannels, outChannels, groups);
    this.stride = stride;
    this.padding = padding;
    this.dilation = dilation;
    this.groups = groups;
    const shape = [outChannels, inChannels / groups, kernelSize];
    this.weight = new Parameter(defaultWeight(shape, opts));
    this.bias = opts.bias === false ? null : new Parameter(defaultBias(outChannels, shape[1] * kernelSize, opts));
  }

  forward(x: Tensor): Tensor {
    return conv1d(x, this.weight, this.bias, this.options());
  }

  /**
   * `forwardRelu` for a following ReLU (see `reluFusion`).
   *
   * @example
   * new Conv1d(1, 2, 3).fuse(new ReLU()) !== null; // true
   */
  override fuse(next: Module): Fused | null { return reluFusion(this, Conv1d.prototype.forward, next); }

  /** `forward(x).relu()` in one pass where it can (see `conv1dRelu`); what `fuse` gives for a following ReLU. */
  forwardRelu(x: Tensor): Tensor {
    return conv1dRelu(x, this.weight, this.bias, this.options());
  }

  private options(): Conv1dOptions {
    return { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups };
  }
}

export interface ConvTranspose2dLayerOptions extends LayerOptions {
  stride?: IntPair;
  padding?: IntPair | 'valid' | 'same' | 'full';
  outputPadding?: IntPair;
  dilation?: IntPair;
  groups?: number;
  bias?: boolean;
}

/**
 * Transposed 2-D convolution (learned upsampling); weight [in, out/groups, kh, kw] as in PyTorch.
 *
 * @example new ConvTranspose2d(16, 8, 2, { stride: 2 }).forward(zeros([1, 16, 7, 7])).shape; // [1, 8, 14, 14]
 */
export class ConvTranspose2d extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  readonly kernelSize: [number, number];
  readonly stride: IntPair;
  readonly padding: IntPair | 'valid' | 'same' | 'full';
  readonly outputPadding: IntPair;
  readonly dilation: IntPair;
  readonly groups: number;

  constructor(readonly inChannels: number, readonly outChannels: number, kernelSize: IntPair, opts: ConvTranspose2dLayerOptions = {}) {
    super();
    const { stride = 1, padding = 0, outputPadding = 0, dilation = 1, groups = 1 } = opts;
    checkChannels('ConvTranspose2d', inChannels, outChannels, groups);
    this.kernelSize = pair('ConvTranspose2d', 'kernel size', kernelSize, 1);
    this.stride = stride;
    this.padding = padding;
    this.outputPadding = outputPadding;
    this.dilation = dilation;
    this.groups = groups;
    const shape = [inChannels, outChannels / groups, ...this.kernelSize];
    // PyTorch computes fan-in from dimension 1 of this layout, i.e. out/groups·kh·kw.
    this.weight = new Parameter(defaultWeight(shape, opts));
    this.bias = opts.bias === false ? null : new Parameter(defaultBias(outChannels, shape[1] * shape[2] * shape[3], opts));
  }

  forward(x: Tensor): Tensor {
    return convTranspose2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, outputPadding: this.outputPadding, dilation: this.dilation, groups: this.groups });
  }
}
