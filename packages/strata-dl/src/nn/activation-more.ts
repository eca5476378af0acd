// SPDX-License-Identifier: MIT
// More activation layers: each forwards to nn/functional/activation-more.ts.
import { StrataError } from '../core/errors.js';
import { full } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import * as A from './functional/activation-more.js';
import { Module } from './module.js';
import type { LayerOptions } from './options.js';
import { Parameter } from './parameter.js';

/** min(max(x, 0), 6). @example new ReLU6().forward(tensor([-1, 7])).toArray(); // [0, 6] */
export class ReLU6 extends Module { forward(x: Tensor): Tensor { return A.relu6(x); } }

/** x clamped to [minVal, maxVal]. @example new Hardtanh(-2, 2).forward(tensor([-3, 1])).toArray(); // [-2, 1] */
export class Hardtanh extends Module {
  constructor(readonly minVal = -1, readonly maxVal = 1) {
    super();
    if (!(minVal <= maxVal)) throw new StrataError('Hardtanh', `minVal (${minVal}) must not exceed maxVal (${maxVal})`);
  }
  forward(x: Tensor): Tensor { return A.hardtanh(x, this.minVal, this.maxVal); }
}

/** relu6(x + 3) / 6. @example new Hardsigmoid().forward(tensor([0])).toArray(); // [0.5] */
export class Hardsigmoid extends Module { forward(x: Tensor): Tensor { return A.hardsigmoid(x); } }

/** x·relu6(x + 3) / 6. @example new Hardswish().forward(tensor([4])).toArray(); // [4] */
export class Hardswish extends Module { forward(x: Tensor): Tensor { return A.hardswish(x); } }

/** Scaled ELU with PyTorch's constants. @example new SELU().forward(tensor([0])).toArray(); // [0] */
export class SELU extends Module { forward(x: Tensor): Tensor { return A.selu(x); } }

/** x for x > 0, α·(e^(x/α) − 1) otherwise. @example new CELU(2).forward(tensor([3])).toArray(); // [3] */
export class CELU extends Module {
  constructor(readonly alpha = 1) {
    super();
    if (alpha === 0 || !Number.isFinite(alpha)) throw new StrataError('CELU', `alpha must be a non-zero finite number, got ${alpha}`);
  }
  forward(x: Tensor): Tensor { return A.celu(x, this.alpha); }
}

/** log σ(x), stable in both tails. @example new LogSigmoid().forward(tensor([0])).toArray(); // [-0.6931471824645996] */
export class LogSigmoid extends Module { forward(x: Tensor): Tensor { return A.logSigmoid(x); } }

/** x / (1 + |x|). @example new Softsign().forward(tensor([1])).toArray(); // [0.5] */
export class Softsign extends Module { forward(x: Tensor): Tensor { return A.softsign(x); } }

/** x·σ(x). @example new SiLU().forward(tensor([0])).toArray(); // [0] */
export class SiLU extends Module { forward(x: Tensor): Tensor { return A.silu(x); } }

/** x·tanh(softplus(x)). @example new Mish().forward(tensor([0])).toArray(); // [0] */
export class Mish extends Module { forward(x: Tensor): Tensor { return A.mish(x); } }

/**
 * x for x > 0, a·x otherwise, with a learned slope a: one shared (`numParameters` 1) or one per
 * channel (dimension 1 of the input). State dict: `weight` [numParameters], as PyTorch.
 *
 * @example
 * const act = new PReLU(3);                 // weight [3], every slope 0.25
 * act.forward(full([2, 3], -4)).toArray(); // [[-1, -1, -1], [-1, -1, -1]]
 */
export class PReLU extends Module {
  readonly weight: Parameter;
  constructor(numParameters = 1, init = 0.25, opts: LayerOptions = {}) {
    super();
    if (!Number.isInteger(numParameters) || numParameters < 1) throw new StrataError('PReLU', `numParameters must be a positive integer, got ${numParameters}`);
    this.weight = new Parameter(full([numParameters], init, { dtype: opts.dtype ?? 'float32', backend: opts.backend }));
  }
  forward(x: Tensor): Tensor { return A.prelu(x, this.weight); }
}
