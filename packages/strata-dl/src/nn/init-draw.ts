// SPDX-License-Identifier: MIT
// How the initializers make their tensors: values drawn on the host in float64, one generator call
// per element in order (so a seed gives the same tensor on every backend), and the in-place forms.
import { type Generator, defaultGenerator } from '../core/rng.js';
import { noGrad } from '../autograd/mode.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { InitOptions } from './init.js';

/** A tensor of `shape` whose elements are `f(generator)` in order, in opts' dtype (default float32) and backend. */
export function draw(shape: readonly number[], opts: InitOptions, f: (g: Generator) => number): Tensor {
  const g = opts.generator ?? defaultGenerator();
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = f(g);
  return fromHost(values, shape, opts);
}

/** Host values as a tensor of `shape` in opts' dtype (default float32) and backend. */
export function fromHost(values: Float64Array, shape: readonly number[], opts: InitOptions): Tensor {
  return tensor(values, { shape: [...shape], dtype: opts.dtype ?? 'float32', backend: opts.backend });
}

/** Overwrites `t` in place with `make(t.shape)`, in t's dtype and on its backend. */
export function inPlace(t: Tensor, make: (shape: readonly number[], o: InitOptions) => Tensor, opts: InitOptions): Tensor {
  noGrad(() => t.set_(make(t.shape, { ...opts, dtype: t.dtype, backend: t.backend.name })));
  return t;
}
