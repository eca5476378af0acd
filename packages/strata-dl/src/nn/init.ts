// SPDX-License-Identifier: MIT
/**
 * Weight initializers, PyTorch's `nn.init` in camelCase. Each comes twice: `kaimingUniform(shape, …)`
 * returns a new tensor; `kaimingUniform_(tensor, …)` overwrites a parameter in place. Randomness
 * comes from `opts.generator`, or the global one that `manualSeed` sets.
 *
 * @example
 * const w = init.xavierUniform([128, 784], { generator: new Generator(0) });
 * init.zeros_(layer.bias!);
 *
 * @packageDocumentation
 */
import type { DType } from '../core/dtype.js';
import { StrataError, fmtShape } from '../core/errors.js';
import type { Generator } from '../core/rng.js';
import { full } from '../tensor/creation.js';
import { draw, inPlace } from './init-draw.js';
import type { Tensor } from '../tensor/tensor.js';

/** Options of every initializer: the random `generator` (default the global one), dtype (default float32) and backend. */
export interface InitOptions {
  generator?: Generator;
  dtype?: DType;
  backend?: string;
}
/** The activation that follows a layer, which sets the Kaiming gain as `nn.init.calculate_gain` does. */
export type Nonlinearity = 'linear' | 'conv' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'selu';
/** Options of `kaimingUniform` and `kaimingNormal`. */
export interface KaimingOptions extends InitOptions {
  /** Negative slope of the leaky ReLU that follows (0 for ReLU). */
  a?: number;
  /** Keep the variance of activations (`fanIn`, default) or of gradients (`fanOut`). */
  mode?: 'fanIn' | 'fanOut';
  /** The activation that follows (default `leakyRelu`, as PyTorch). */
  nonlinearity?: Nonlinearity;
}

/** (fan in, fan out) of a weight: [out, in, ...kernel] as in PyTorch. */
export function fans(shape: readonly number[]): [number, number] {
  if (shape.length < 2) throw new StrataError('init', `fan in and fan out need at least 2 dimensions, got ${fmtShape(shape)}`);
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  return [shape[1] * receptive, shape[0] * receptive];
}

/** The recommended gain for a nonlinearity (PyTorch's `calculate_gain`). */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear': case 'conv': case 'sigmoid': return 1;
    case 'tanh': return 5 / 3;
    case 'relu': return Math.SQRT2;
    case 'leakyRelu': return Math.sqrt(2 / (1 + (param ?? 0.01) ** 2));
    case 'selu': return 3 / 4;
  }
}

/** Uniform on [a, b). */
export function uniform(shape: readonly number[], a = 0, b = 1, opts: InitOptions = {}): Tensor {
  return draw(shape, opts, (g) => a + (b - a) * g.random());
}
/** Normal with mean `mean` and standard deviation `std` (`nn.init.normal_` as a new tensor). */
export function normal(shape: readonly number[], mean = 0, std = 1, opts: InitOptions = {}): Tensor {
  return draw(shape, opts, (g) => mean + std * g.normal());
}
/** Every element `value`. */
export function constant(shape: readonly number[], value: number, opts: InitOptions = {}): Tensor {
  return full(shape, value, { dtype: opts.dtype ?? 'float32', backend: opts.backend });
}
/** Zeros. */
export function zeros(shape: readonly number[], opts: InitOptions = {}): Tensor { return constant(shape, 0, opts); }
/** Ones. */
export function ones(shape: readonly number[], opts: InitOptions = {}): Tensor { return constant(shape, 1, opts); }

/** Glorot/Xavier uniform: U(±gain·√(6 / (fanIn + fanOut))). */
export function xavierUniform(shape: readonly number[], opts: InitOptions & { gain?: number } = {}): Tensor {
  const [fi, fo] = fans(shape);
  const bound = (opts.gain ?? 1) * Math.sqrt(6 / (fi + fo));
  return uniform(shape, -bound, bound, opts);
}
/** Glorot/Xavier normal: N(0, gain²·2 / (fanIn + fanOut)). */
export function xavierNormal(shape: readonly number[], opts: InitOptions & { gain?: number } = {}): Tensor {
  const [fi, fo] = fans(shape);
  return normal(shape, 0, (opts.gain ?? 1) * Math.sqrt(2 / (fi + fo)), opts);
}

function kaimingStd(shape: readonly number[], opts: KaimingOptions): number {
  const { a = 0, mode = 'fanIn', nonlinearity = 'leakyRelu' } = opts;
  const [fi, fo] = fans(shape);
  return calculateGain(nonlinearity, a) / Math.sqrt(mode === 'fanIn' ? fi : fo);
}
/** He/Kaiming uniform: U(±gain·√(3 / fan)). Defaults as PyTorch (leaky ReLU gain, fan in). */
export function kaimingUniform(shape: readonly number[], opts: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd(shape, opts);
  return uniform(shape, -bound, bound, opts);
}
/** He/Kaiming normal: N(0, gain² / fan). */
export function kaimingNormal(shape: readonly number[], opts: KaimingOptions = {}): Tensor {
  return normal(shape, 0, kaimingStd(shape, opts), opts);
}

/**
 * PyTorch's default for Linear and Conv layers: Kaiming uniform with a = √5 for the weight, which is
 * U(±1/√fanIn), and U(±1/√fanIn) for the bias.
 */
export function defaultWeight(shape: readonly number[], opts: InitOptions = {}): Tensor {
  return kaimingUniform(shape, { ...opts, a: Math.sqrt(5) });
}
/** PyTorch's default bias of Linear and Conv layers: U(±1/√fanIn), zeros when `fanIn` is 0. */
export function defaultBias(size: number, fanIn: number, opts: InitOptions = {}): Tensor {
  const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
  return uniform([size], -bound, bound, opts);
}

/** Overwrites `t` in place with `uniform(t.shape, a, b)` (PyTorch's `nn.init.uniform_`); returns `t`. */
export const uniform_ = (t: Tensor, a = 0, b = 1, opts: InitOptions = {}): Tensor => inPlace(t, (s, o) => uniform(s, a, b, o), opts);
/** Overwrites `t` in place with `normal(t.shape, mean, std)` (`nn.init.normal_`); returns `t`. */
export const normal_ = (t: Tensor, mean = 0, std = 1, opts: InitOptions = {}): Tensor => inPlace(t, (s, o) => normal(s, mean, std, o), opts);
/** Overwrites every element of `t` with `value` (`nn.init.constant_`); returns `t`. */
export const constant_ = (t: Tensor, value: number): Tensor => inPlace(t, (s, o) => constant(s, value, o), {});
/**
 * Overwrites `t` with zeros (`nn.init.zeros_`); returns `t`.
 *
 * @example
 * init.zeros_(layer.bias!);
 */
export const zeros_ = (t: Tensor): Tensor => constant_(t, 0);
/** Overwrites `t` with ones (`nn.init.ones_`); returns `t`. */
export const ones_ = (t: Tensor): Tensor => constant_(t, 1);
/** Overwrites `t` in place with `xavierUniform(t.shape)` (`nn.init.xavier_uniform_`); returns `t`. */
export const xavierUniform_ = (t: Tensor, opts: InitOptions & { gain?: number } = {}): Tensor => inPlace(t, (s, o) => xavierUniform(s, { ...opts, ...o }), opts);
/** Overwrites `t` in place with `xavierNormal(t.shape)` (`nn.init.xavier_normal_`); returns `t`. */
export const xavierNormal_ = (t: Tensor, opts: InitOptions & { gain?: number } = {}): Tensor => inPlace(t, (s, o) => xavierNormal(s, { ...opts, ...o }), opts);
/**
 * Overwrites `t` in place with `kaimingUniform(t.shape)` (`nn.init.kaiming_uniform_`); returns `t`.
 *
 * @example
 * init.kaimingUniform_(layer.weight, { nonlinearity: 'relu' });
 */
export const kaimingUniform_ = (t: Tensor, opts: KaimingOptions = {}): Tensor => inPlace(t, (s, o) => kaimingUniform(s, { ...opts, ...o }), opts);
/** Overwrites `t` in place with `kaimingNormal(t.shape)` (`nn.init.kaiming_normal_`); returns `t`. */
export const kaimingNormal_ = (t: Tensor, opts: KaimingOptions = {}): Tensor => inPlace(t, (s, o) => kaimingNormal(s, { ...opts, ...o }), opts);

export { truncNormal, orthogonal, eye, dirac, truncNormal_, orthogonal_, eye_, dirac_ } from './init-more.js';
