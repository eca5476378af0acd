// SPDX-License-Identifier: MIT
// The activations and LayerNormalization of ONNX that ops-basic.ts leaves out (default domain,
// opsets 13–17), as torch.onnx.export writes ELU, SELU, Softplus, Hardsigmoid, Hardswish, PReLU and
// (from opset 17) LayerNorm.
import { elu } from '../../nn/functional/activation.js';
import { hardswish, selu, softplus } from '../../nn/functional/activation-more.js';
import { layerNorm } from '../../nn/functional/normalization.js';
import { normAxis } from '../../core/shape.js';
import { where } from '../../tensor/composite.js';
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

export const ACTIVATION_OPS: Record<string, OpImpl> = {
  Elu: (ctx) => [elu(ctx.tensor(0), ctx.float('alpha', 1))],
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
};
