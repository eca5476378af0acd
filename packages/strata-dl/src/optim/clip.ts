// SPDX-License-Identifier: MIT
import { StrataError } from '../core/errors.js';
import { noGrad } from '../autograd/mode.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Rescales the gradients of `params` together so their joint norm is at most `maxNorm` (PyTorch's
 * `clip_grad_norm_`); returns the norm before clipping. `normType` may be `Infinity`.
 *
 * @example loss.backward(); clipGradNorm(model.parameters(), 1.0); opt.step();
 */
export function clipGradNorm(params: readonly Tensor[], maxNorm: number, normType = 2): number {
  if (!(maxNorm >= 0)) throw new StrataError('clipGradNorm', `maxNorm must be non-negative, got ${maxNorm}`);
  if (!(normType > 0)) throw new StrataError('clipGradNorm', `normType must be positive, got ${normType}`);
  const grads = params.flatMap((p) => (p.grad ? [p] : []));
  if (grads.length === 0) return 0;
  return noGrad(() => {
    let total: number;
    if (normType === Infinity) total = Math.max(...grads.map((p) => p.grad!.abs().max().item()));
    else total = grads.reduce((acc, p) => acc + p.grad!.abs().pow(normType).sum().item(), 0) ** (1 / normType);
    const coef = maxNorm / (total + 1e-6);
    if (coef < 1) replaceGrads(grads, (g) => g.mul(coef));
    return total;
  });
}

/** Clamps every gradient element to [−clipValue, clipValue]. */
export function clipGradValue(params: readonly Tensor[], clipValue: number): void {
  if (!(clipValue >= 0)) throw new StrataError('clipGradValue', `clipValue must be non-negative, got ${clipValue}`);
  noGrad(() => replaceGrads(params, (g) => g.clamp(-clipValue, clipValue)));
}

/**
 * Replaces each gradient by f(gradient), then frees the old ones. All new values are computed first:
 * two parameters can hold the very same gradient tensor (the backward of `a + b` gives both `g`).
 */
function replaceGrads(params: readonly Tensor[], f: (g: Tensor) => Tensor): void {
  const olds = new Set<Tensor>();
  const updates = params.flatMap((p) => (p.grad ? [[p, f(p.grad), p.grad] as const] : []));
  for (const [p, g, old] of updates) {
    p.grad = g;
    olds.add(old);
  }
  for (const old of olds) old.dispose();
}
