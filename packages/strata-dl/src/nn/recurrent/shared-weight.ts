// SPDX-License-Identifier: MIT
// The recurrent product h·W_hhᵀ happens once per time step with the same weight. Differentiated op
// by op, the weight's gradient is T small matmuls (inner dimension: the batch) and T − 1 additions
// of a [G·H, H] matrix. It is one matmul of the concatenated steps instead:
// Σ_t g_tᵀ·h_t = [g_1; …; g_T]ᵀ·[h_1; …; h_T], computed once when the backward pass reaches W.
import { isGradEnabled } from '../../autograd/mode.js';
import { cat } from '../../tensor/composite.js';
import { GroupedOp } from '../../tensor/grouped-op.js';
import { matmul } from '../../tensor/prims.js';
import type { Tensor } from '../../tensor/tensor.js';
import { linear } from '../functional/linear.js';

/**
 * `x ↦ x·weightᵀ` for up to `uses` inputs x [N, in], whose gradients with respect to `weight` are
 * gathered and computed as one matmul (see the file comment). Gradients into x are the usual
 * per-call ones. Beyond `uses` calls, or where nothing records, it is plain `linear`.
 *
 * @example
 * const product = sharedWeightProducts(wHh, steps);
 * for (...) h = cell(xs[t], product(h));
 */
export function sharedWeightProducts(weight: Tensor, uses: number): (x: Tensor) => Tensor {
  if (uses < 2 || !isGradEnabled() || !weight.requiresGrad) return (x) => linear(x, weight);
  const inputs = new Array<Tensor | null>(uses).fill(null);
  let next = 0;
  const op = new GroupedOp({
    name: 'matmul',
    size: uses,
    backward: (grads) => {
      const gs: Tensor[] = [];
      const xs: Tensor[] = [];
      grads.forEach((g, i) => {
        if (g) {
          gs.push(g);
          xs.push(inputs[i]!);
        }
      });
      return [matmul(cat(gs, 0), cat(xs, 0), { transA: true })];
    },
  });
  return (x) => {
    // for 2-D x, linear is the one matmul primitive with inputs [x, weight]: its rule keeps giving
    // x's gradient, and weight's (input 1) is deferred to the group
    const y = linear(x, weight);
    if (next >= uses || x.ndim !== 2) return y;
    if (op.join(y, next, { deferred: [1] })) inputs[next++] = x;
    return y;
  };
}
