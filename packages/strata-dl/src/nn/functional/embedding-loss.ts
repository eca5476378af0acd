// SPDX-License-Identifier: MIT
// Losses on pairs and triplets (ranking, similarity, metric learning), as PyTorch defines them.
import { StrataError, fmtShape } from '../../core/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { fmtIndex } from './loss-checks.js';
import { type LossOptions, reduce, sameShape } from './reduction.js';

/** Targets of the pair losses say "similar / ranked first" (1) or "dissimilar / ranked second" (−1). */
function checkSigns(op: string, target: Tensor): void {
  const v = target.dataSync();
  for (let i = 0; i < v.length; i++) {
    const y = Number(v[i]);
    if (y !== 1 && y !== -1) throw new StrataError(op, `target holds ${y} at index ${fmtIndex(i, target.shape)}, expected 1 or -1`);
  }
}

/**
 * Margin ranking loss of PyTorch: max(0, −y·(x1 − x2) + margin) per element, for a target y of
 * 1 (x1 should rank higher) or −1 (x2 should). `x1`, `x2` and `target` have one shape. A target
 * other than ±1 is a `StrataError` (PyTorch computes with it anyway; with 0/1 labels the loss
 * would be a constant).
 *
 * @example
 * const x1 = tensor([0.8, 0.1, 0.4]), x2 = tensor([0.3, 0.5, 0.9]);
 * marginRankingLoss(x1, x2, tensor([1, -1, 1]), { margin: 0.2 }).item(); // 0.2333 = (0 + 0 + 0.7) / 3
 */
export function marginRankingLoss(x1: Tensor, x2: Tensor, target: Tensor, opts: LossOptions & { margin?: number } = {}): Tensor {
  const { margin = 0 } = opts;
  sameShape('marginRankingLoss', x1, x2);
  if (target.shape.join() !== x1.shape.join()) throw new StrataError('marginRankingLoss', `target ${fmtShape(target.shape)} must have the shape of x1 and x2 ${fmtShape(x1.shape)}`);
  checkSigns('marginRankingLoss', target);
  const loss = target.neg().mul(x1.sub(x2)).add(margin).relu();
  return reduce('marginRankingLoss', loss, opts.reduction);
}

/**
 * Cosine embedding loss of PyTorch on rows `x1`, `x2` [N, D] (or single vectors [D]) and targets
 * [N] (or a scalar) of 1 (similar) or −1 (dissimilar): 1 − cos(x1, x2) for 1, max(0, cos − margin)
 * for −1. The cosine is x1·x2 / √((|x1|² + 1e−12)(|x2|² + 1e−12)), PyTorch's guard against a zero
 * vector. A target other than ±1 is a `StrataError`.
 *
 * @example
 * const a = tensor([[1, 0], [1, 1]]), b = tensor([[1, 1], [-1, 1]]);
 * cosineEmbeddingLoss(a, b, tensor([1, -1])).item(); // 0.1464 = ((1 − 0.7071) + max(0, 0)) / 2
 */
export function cosineEmbeddingLoss(x1: Tensor, x2: Tensor, target: Tensor, opts: LossOptions & { margin?: number } = {}): Tensor {
  const { margin = 0 } = opts;
  sameShape('cosineEmbeddingLoss', x1, x2);
  if (x1.ndim !== 1 && x1.ndim !== 2) throw new StrataError('cosineEmbeddingLoss', `x1 and x2 must be [N, D] or [D], got ${fmtShape(x1.shape)}`);
  const expected = x1.ndim === 2 ? [x1.shape[0]] : [];
  if (target.shape.join() !== expected.join()) throw new StrataError('cosineEmbeddingLoss', `target ${fmtShape(target.shape)} must be ${fmtShape(expected)} for inputs ${fmtShape(x1.shape)}`);
  checkSigns('cosineEmbeddingLoss', target);
  const d = x1.ndim - 1;
  const dot = x1.mul(x2).sum(d);
  const norms = x1.square().sum(d).add(1e-12).mul(x2.square().sum(d).add(1e-12)).sqrt();
  const cos = dot.div(norms);
  const loss = cos.neg().add(1).where(target.eq(1), cos.sub(margin).relu());
  return reduce('cosineEmbeddingLoss', loss, opts.reduction);
}

/** ‖a − b + eps‖_p over the last dimension: PyTorch's `pairwise_distance`, eps added to the difference. */
function pairwiseDistance(a: Tensor, b: Tensor, p: number, eps: number): Tensor {
  const d = a.sub(b).add(eps);
  const last = a.ndim - 1;
  if (p === 2) return d.square().sum(last).sqrt();
  if (p === 1) return d.abs().sum(last);
  return d.abs().pow(p).sum(last).pow(1 / p);
}

/**
 * Triplet margin loss of PyTorch (FaceNet's metric learning): max(0, d(a, p) − d(a, n) + margin)
 * per row of the anchors `anchor`, positives `positive` and negatives `negative` [N, D] (or [D]),
 * with d the p-norm distance ‖x − y + eps‖_p. `swap` uses min(d(a, n), d(p, n)) as the negative
 * distance (Balntas et al., 2016). Defaults as PyTorch: margin 1, p 2, eps 1e−6, swap false.
 *
 * @example
 * const a = tensor([[0, 0]]), p = tensor([[3, 4]]), n = tensor([[1, 0]]);
 * tripletMarginLoss(a, p, n).item(); // ≈ 5: d(a, p) = 5, d(a, n) = 1, 5 − 1 + 1
 */
export function tripletMarginLoss(anchor: Tensor, positive: Tensor, negative: Tensor, opts: LossOptions & { margin?: number; p?: number; eps?: number; swap?: boolean } = {}): Tensor {
  const { margin = 1, p = 2, eps = 1e-6, swap = false } = opts;
  const op = 'tripletMarginLoss';
  if (anchor.shape.join() !== positive.shape.join() || anchor.shape.join() !== negative.shape.join()) {
    throw new StrataError(op, `anchor ${fmtShape(anchor.shape)}, positive ${fmtShape(positive.shape)} and negative ${fmtShape(negative.shape)} must have one shape`);
  }
  if (anchor.ndim !== 1 && anchor.ndim !== 2) throw new StrataError(op, `inputs must be [N, D] or [D], got ${fmtShape(anchor.shape)}`);
  if (!(p > 0 && Number.isFinite(p))) throw new StrataError(op, `p must be a positive finite number, got ${p}`);
  const dPos = pairwiseDistance(anchor, positive, p, eps);
  let dNeg = pairwiseDistance(anchor, negative, p, eps);
  if (swap) dNeg = dNeg.minimum(pairwiseDistance(positive, negative, p, eps));
  return reduce(op, dPos.sub(dNeg).add(margin).relu(), opts.reduction);
}
