// SPDX-License-Identifier: MIT
// The activations and normalizations of ONNX that ops-basic.ts leaves out (default domain, opsets
// 9–18), as torch.onnx.export writes ELU, SELU, CELU, Softplus, Hardsigmoid, Hardswish, PReLU,
// InstanceNorm and GroupNorm (InstanceNormalization, or GroupNormalization from opset 18) and (from
// opset 17) LayerNorm; Softsign, Mish and ThresholdedRelu as other exporters write them.
import { elu } from '../../nn/functional/activation.js';
import { celu, hardswish, mish, selu, softplus, softsign } from '../../nn/functional/activation-more.js';
import { groupNorm, instanceNorm } from '../../nn/functional/group-norm.js';
import { layerNorm } from '../../nn/functional/normalization.js';
import { normAxis } from '../../core/shape.js';
import { where } from '../../tensor/composite.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { OpContext, OpImpl, Value } from './values.js';

/** ONNX's Selu defaults, which are PyTorch's constants rounded to float32 (the only ones supported). */
const SELU_ALPHA = 1.67326319217681884765625, SELU_GAMMA = 1.05070102214813232421875;

function seluOp(ctx: OpContext): Value[] {
  if (Math.fround(ctx.float('alpha', SELU_ALPHA)) !== SELU_ALPHA || Math.fround(ctx.float('gamma', SELU_GAMMA)) !== SELU_GAMMA) {
    return ctx.fail("alpha and gamma other than the defaults (PyTorch's) are not supported");
  }
  return [selu(ctx.tensor(0))];
}

/** LayerNormalization over the axes from `axis` on, with Scale and an optional B; the statistics outputs are refused. */
function layerNormalization(ctx: OpContext): Value[] {
  if (ctx.node.outputs.slice(1).some((o) => o)) return ctx.fail('the Mean and InvStdDev outputs are not supported');
  const x = ctx.tensor(0);
  const axis = normAxis('importOnnx LayerNormalization', ctx.int('axis', -1), x.ndim);
  return [layerNorm(x, x.shape.slice(axis), ctx.tensor(1, x), ctx.optionalTensor(2), ctx.float('epsilon', 1e-5))];
}

/**
 * InstanceNormalization: each (sample, channel) of x [N, C, ...] normalized over its other axes with
 * the biased variance, then scale and B per channel. PyTorch's GroupNorm exports as this op on x
 * reshaped to [N, groups, -1] with a scale of ones, then its own affine as Mul and Add.
 */
function instanceNormalization(ctx: OpContext): Value[] {
  const x = ctx.tensor(0);
  if (x.ndim < 3) return ctx.fail(`input must be [N, C, D1, ...], got rank ${x.ndim}`);
  return [instanceNorm(x, null, null, ctx.tensor(1, x), ctx.tensor(2, x), { eps: ctx.float('epsilon', 1e-5) })];
}

/**
 * GroupNormalization (opset 18): x [N, C, ...] normalized over each group of C / num_groups channels
 * and its other axes, then scale and bias, which opset 18 gives per group (each group's value for
 * all its channels).
 */
function groupNormalization(ctx: OpContext): Value[] {
  const x = ctx.tensor(0);
  const groups = ctx.int('num_groups', 0);
  if (x.ndim < 3 || groups < 1 || x.shape[1] % groups !== 0) return ctx.fail(`num_groups ${groups} must divide the channels of an input [N, C, D1, ...], got [${x.shape.join(', ')}]`);
  const perChannel = (t: Tensor): Tensor => {
    if (t.size !== groups) ctx.fail(`scale and bias must have num_groups (${groups}) values, got ${t.size}`);
    return t.reshape([groups, 1]).expand([groups, x.shape[1] / groups]).reshape([x.shape[1]]);
  };
  return [groupNorm(x, groups, perChannel(ctx.tensor(1, x)), perChannel(ctx.tensor(2, x)), ctx.float('epsilon', 1e-5))];
}

export const ACTIVATION_OPS: Record<string, OpImpl> = {
  Elu: (ctx) => [elu(ctx.tensor(0), ctx.float('alpha', 1))],
  Celu: (ctx) => [celu(ctx.tensor(0), ctx.float('alpha', 1))],
  Softsign: (ctx) => [softsign(ctx.tensor(0))],
  Mish: (ctx) => [mish(ctx.tensor(0))],
  // x where x > alpha, else 0 (NaN too, as ONNX's reference: NaN > alpha is false)
  ThresholdedRelu: (ctx) => {
    const x = ctx.tensor(0);
    return [where(x.gt(ctx.float('alpha', 1)), x, 0)];
  },
  Selu: seluOp,
  // ONNX's Softplus has no threshold; PyTorch's (20) changes float32 results by less than an ulp
  Softplus: (ctx) => [softplus(ctx.tensor(0))],
  // max(0, min(1, alpha·x + beta)); PyTorch's Hardsigmoid exports alpha 1/6, beta 0.5
  HardSigmoid: (ctx) => [ctx.tensor(0).mul(ctx.float('alpha', 0.2)).add(ctx.float('beta', 0.5)).clamp(0, 1)],
  HardSwish: (ctx) => [hardswish(ctx.tensor(0))],
  // x where x >= 0 (NaN too), else slope·x, the slope broadcast against x
  PRelu: (ctx) => {
    const x = ctx.tensor(0);
    return [where(x.lt(0), x.mul(ctx.tensor(1, x)), x)];
  },
  LayerNormalization: layerNormalization,
  InstanceNormalization: instanceNormalization,
  GroupNormalization: groupNormalization,
};
