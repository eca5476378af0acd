// SPDX-License-Identifier: MIT
// ONNX's random generators (default domain, opsets 9–18): RandomNormal, RandomUniform and their
// -Like forms, as torch.onnx.export writes randn_like and rand_like (a VAE's reparameterization).
// They draw from Strata's generator, so the values differ from another runtime's; with a `seed`
// attribute each node keeps a generator of its own, seeded once, whose stream goes on from one run
// of the model to the next (as ONNX Runtime's nodes do).
import { Generator } from '../../core/rng.js';
import { type DType, isFloat } from '../../core/dtype.js';
import type { OnnxNode } from '../../io/onnx-decode.js';
import { rand, randn } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type OpContext, type OpImpl, dtypeOfProto } from './values.js';

const seeded = new WeakMap<OnnxNode, Generator>();

/** The node's own generator where it has a seed, else undefined: the global generator (manualSeed). */
function generatorOf(ctx: OpContext): Generator | undefined {
  if (!ctx.has('seed')) return undefined;
  let g = seeded.get(ctx.node);
  if (!g) seeded.set(ctx.node, (g = new Generator(Math.trunc(ctx.float('seed', 0)))));
  return g;
}

/** The `dtype` attribute (a TensorProto.DataType) as a Strata float dtype, or `fallback` without one. */
function dtypeOf(ctx: OpContext, fallback: DType): DType {
  if (!ctx.has('dtype')) return fallback;
  const t = ctx.int('dtype', 1), d = dtypeOfProto(t);
  return isFloat(d) ? d : ctx.fail(`dtype ${t} is not a float type`);
}

/** One random op: normal (mean, scale) or uniform [low, high), of the input's shape (-Like) or the `shape` attribute. */
function random(normal: boolean, like: boolean): OpImpl {
  return (ctx) => {
    const x: Tensor | null = like ? ctx.tensor(0) : null;
    const shape = x ? [...x.shape] : ctx.intList('shape', []);
    if (!x && !ctx.has('shape')) return ctx.fail('needs a shape attribute');
    const opts = { generator: generatorOf(ctx), dtype: dtypeOf(ctx, x && x.dtype !== 'int32' && x.dtype !== 'bool' ? x.dtype : 'float32'), backend: x?.backend.name ?? ctx.backend };
    const y = normal
      ? randn(shape, opts).mul(ctx.float('scale', 1)).add(ctx.float('mean', 0))
      : rand(shape, opts).mul(ctx.float('high', 1) - ctx.float('low', 0)).add(ctx.float('low', 0));
    return [y];
  };
}

export const RANDOM_OPS: Record<string, OpImpl> = {
  RandomNormal: random(true, false),
  RandomNormalLike: random(true, true),
  RandomUniform: random(false, false),
  RandomUniformLike: random(false, true),
};
