// SPDX-License-Identifier: MIT
// Vectors compared and rescaled, and labels as one-hot rows, as torch.nn.functional defines them:
// normalize, cosineSimilarity, pairwiseDistance and oneHot.
import { StrataError, fmtShape } from '../../core/errors.js';
import { broadcastShapes, normAxis } from '../../core/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { arange } from '../../tensor/creation.js';

/**
 * `x` divided by its `p`-norm along `dim` (at least `eps`, so a zero vector stays zero), as
 * `F.normalize`: unit rows for the default p = 2, dim = 1.
 *
 * @example
 * normalize(tensor([[3, 4], [0, 0]])).toArray(); // [[0.6, 0.8], [0, 0]]
 */
export function normalize(x: Tensor, opts: { p?: number; dim?: number; eps?: number } = {}): Tensor {
  const { p = 2, dim = 1, eps = 1e-12 } = opts;
  const ax = normAxis('normalize', dim, x.ndim);
  return x.div(x.norm(p, ax, true).clampMin(eps));
}

/**
 * Cosine of the angle between `x1` and `x2` along `dim` (they broadcast), as PyTorch 1.13's
 * `F.cosine_similarity`: Σ x1·x2 / √max(Σ x1² · Σ x2², eps²), so two zero vectors give 0.
 *
 * @example
 * cosineSimilarity(tensor([[1, 0], [1, 1]]), tensor([[0, 1], [2, 2]])).toArray(); // [0, 1]
 */
export function cosineSimilarity(x1: Tensor, x2: Tensor, opts: { dim?: number; eps?: number } = {}): Tensor {
  const { dim = 1, eps = 1e-8 } = opts;
  // the sums run over the inputs broadcast to one shape, as PyTorch's
  const shape = broadcastShapes('cosineSimilarity', x1.shape, x2.shape);
  const a = x1.expand(shape), b = x2.expand(shape);
  const ax = normAxis('cosineSimilarity', dim, shape.length);
  const w12 = a.mul(b).sum(ax);
  const n12 = a.mul(a).sum(ax).mul(b.mul(b).sum(ax)).clampMin(eps * eps);
  return w12.div(n12.sqrt());
}

/**
 * The `p`-norm of `x1 − x2 + eps` along the last axis (they broadcast), as `F.pairwise_distance`.
 *
 * @example
 * pairwiseDistance(tensor([[0, 0]]), tensor([[3, 4]]), { eps: 0 }).toArray(); // [5]
 */
export function pairwiseDistance(x1: Tensor, x2: Tensor, opts: { p?: number; eps?: number; keepdim?: boolean } = {}): Tensor {
  const { p = 2, eps = 1e-6, keepdim = false } = opts;
  const d = x1.sub(x2).add(eps);
  return d.norm(p, d.ndim - 1, keepdim);
}

/**
 * Class indices (int32) as one-hot rows: shape [..., numClasses], int32, as `F.one_hot` (whose
 * rows are int64). `numClasses` defaults to the largest label + 1; a negative label or one not
 * below `numClasses` is an error naming it and its position.
 *
 * @example
 * oneHot(tensor([2, 0], { dtype: 'int32' }), 3).toArray(); // [[0, 0, 1], [1, 0, 0]]
 */
export function oneHot(labels: Tensor, numClasses = -1): Tensor {
  if (labels.dtype !== 'int32') throw new StrataError('oneHot', `labels must be int32 class indices, got ${labels.dtype} ${fmtShape(labels.shape)}`);
  const v = labels.dataSync();
  let max = -1;
  for (let i = 0; i < v.length; i++) {
    if (v[i] < 0) throw new StrataError('oneHot', `labels hold ${v[i]} at flat index ${i}; class indices are >= 0`);
    if (v[i] > max) max = v[i];
  }
  if (numClasses === -1 && v.length === 0) throw new StrataError('oneHot', 'cannot infer numClasses from no labels; pass it');
  const n = numClasses === -1 ? max + 1 : numClasses;
  if (!Number.isInteger(n) || n < (v.length ? 1 : 0)) throw new StrataError('oneHot', `numClasses must be a positive integer (or -1 for the largest label + 1), got ${numClasses}`);
  if (max >= n) throw new StrataError('oneHot', `labels hold ${max} at flat index ${Array.prototype.indexOf.call(v, max)}, not below numClasses ${n}`);
  const classes = arange(0, n, 1, { dtype: 'int32', backend: labels.backend.name });
  return labels.unsqueeze(-1).eq(classes).to('int32');
}
