// SPDX-License-Identifier: MIT
// Losses for classifiers: binary and softmax cross-entropy, NLL, multiclass hinge, KL divergence.
import { StrataError, fmtShape } from '../../core/errors.js';
import { arange } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { fusedCrossEntropy } from './fused-cross-entropy.js';
import { checkClassTarget, checkClassWeight, checkNoNaN, checkProbabilities, floatClassTargetError } from './loss-checks.js';
import { type LossOptions, type Reduction, reduce, sameShape } from './reduction.js';

/**
 * Options of the losses over class indices (PyTorch's `weight` and `ignore_index`).
 */
export interface ClassLossOptions extends LossOptions {
  /** [C] weight of each class: a sample's loss is scaled by its target class's weight, and `'mean'`
   * divides by the sum of the weights of the (non-ignored) targets, as in PyTorch. */
  weight?: Tensor;
  /** Targets equal to this class index add nothing to the loss nor to the mean's denominator
   * (default −100, as PyTorch's `ignore_index`). Applies to class-index targets only. */
  ignoreIndex?: number;
}


/**
 * Binary cross-entropy of probabilities: −(y·log p + (1 − y)·log(1 − p)), logs clamped at −100 as in
 * PyTorch so that p = 0 or 1 gives a finite loss. `input` must lie in [0, 1] and `target` must hold
 * no NaN: either is a `StrataError` naming the value and its index (for raw scores, use
 * `binaryCrossEntropyWithLogits`).
 *
 * @example
 * binaryCrossEntropy(tensor([0.8, 0.4]), tensor([1, 0])).item(); // 0.3670 = −(log 0.8 + log 0.6)/2
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, opts: LossOptions & { weight?: Tensor } = {}): Tensor {
  sameShape('binaryCrossEntropy', input, target);
  checkProbabilities('binaryCrossEntropy', 'input', input, ' (probabilities, e.g. after a sigmoid; for raw scores use binaryCrossEntropyWithLogits)');
  checkNoNaN('binaryCrossEntropy', 'target', target);
  const logP = input.log().maximum(-100);
  const log1mP = input.neg().add(1).log().maximum(-100);
  let loss = target.mul(logP).add(target.neg().add(1).mul(log1mP)).neg();
  if (opts.weight) loss = loss.mul(opts.weight);
  return reduce('binaryCrossEntropy', loss, opts.reduction);
}

/**
 * Binary cross-entropy of logits x (before the sigmoid), stably:
 * −(posWeight·y·log σ(x) + (1 − y)·log(1 − σ(x))), times `weight` where given. `posWeight` scales
 * the positive term, trading recall against precision; as in PyTorch it broadcasts against the
 * last dimension, so a [C] tensor weighs each of C labels of a multi-label problem. A NaN in
 * `target` is a `StrataError`.
 *
 * @example
 * // with 3 negatives for each positive, posWeight 3 balances the two terms
 * binaryCrossEntropyWithLogits(tensor([0.5, -1]), tensor([1, 0]), { posWeight: 3 }).item(); // 0.8677
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, opts: LossOptions & { posWeight?: Tensor | number; weight?: Tensor } = {}): Tensor {
  sameShape('binaryCrossEntropyWithLogits', input, target);
  checkNoNaN('binaryCrossEntropyWithLogits', 'target', target);
  // log σ(x) = −softplus(−x), log(1 − σ(x)) = −softplus(x), each written without overflow.
  const softplusNeg = input.neg().maximum(0).add(input.abs().neg().exp().add(1).log());
  const softplusPos = softplusNeg.add(input);
  const pos = opts.posWeight === undefined ? target : target.mul(opts.posWeight);
  let loss = pos.mul(softplusNeg).add(target.neg().add(1).mul(softplusPos));
  if (opts.weight) loss = loss.mul(opts.weight);
  return reduce('binaryCrossEntropyWithLogits', loss, opts.reduction);
}

/**
 * Checks a class-index target of [N, C, ...] scores: int32, shaped [N, ...], every class in [0, C)
 * or `ignoreIndex`. Returns how many targets are ignored.
 */
function checkIndexTarget(op: string, input: Tensor, target: Tensor, ignoreIndex: number | null = null, explicitIgnore = false, values?: ArrayLike<number>): number {
  const expected = [input.shape[0], ...input.shape.slice(2)];
  if (target.dtype !== 'int32') {
    if (target.shape.join() === expected.join()) throw floatClassTargetError(op, target, input.shape[1]);
    throw new StrataError(op, `target must hold int32 class indices, got ${target.dtype} ${fmtShape(target.shape)}`);
  }
  if (target.shape.join() !== expected.join()) throw new StrataError(op, `class-index target ${fmtShape(target.shape)} must be ${fmtShape(expected)} for input ${fmtShape(input.shape)}`);
  return checkClassTarget(op, target, input.shape[1], ignoreIndex, explicitIgnore, values);
}

/**
 * The loss of log-probabilities `logP` [N, C, ...] at class indices, PyTorch's way: −w[y]·logP[y]
 * per sample, mixed with −Σ_c w_c·logP_c / C by `smoothing`, ignored targets counting 0, and
 * `'mean'` dividing by the sum of the target weights (the count of non-ignored targets unweighted).
 */
function indexedLoss(op: string, logP: Tensor, target: Tensor, opts: ClassLossOptions, smoothing: number): Tensor {
  const c = logP.shape[1];
  const ignoreIndex = opts.ignoreIndex ?? -100;
  if (!Number.isInteger(ignoreIndex)) throw new StrataError(op, `ignoreIndex must be an integer, got ${ignoreIndex}`);
  const ignored = checkIndexTarget(op, logP, target, ignoreIndex, opts.ignoreIndex !== undefined);
  const { weight } = opts;
  if (weight) checkClassWeight(op, weight, c);
  // Ignored targets are read as class 0 and masked out afterwards, so gather stays in bounds.
  const valid = ignored > 0 ? target.ne(ignoreIndex) : null;
  const safe = valid ? target.where(valid, 0) : target;
  let loss = logP.gather(1, safe.unsqueeze(1)).squeeze(1).neg();
  let targetWeight: Tensor | null = null;
  if (weight) {
    targetWeight = weight.gather(0, safe.reshape(-1)).reshape(target.shape);
    loss = loss.mul(targetWeight);
  }
  if (smoothing > 0) {
    const weighted = weight ? logP.mul(weight.reshape(logP.shape.map((d, i) => (i === 1 ? c : 1)))) : logP;
    loss = loss.mul(1 - smoothing).add(weighted.sum(1).neg().mul(smoothing / c));
  }
  if (valid) {
    loss = loss.where(valid, 0);
    if (targetWeight) targetWeight = targetWeight.where(valid, 0);
  }
  const reduction = opts.reduction ?? 'mean';
  if (reduction !== 'mean' || (!valid && !targetWeight)) return reduce(op, loss, reduction);
  // All targets ignored gives 0/0 = NaN, as in PyTorch.
  return loss.sum().div(targetWeight ? targetWeight.sum() : target.size - ignored);
}

/** A [N, C, ...] mask that is true where the class is not the target (on input's backend). */
function otherClasses(input: Tensor, target: Tensor): Tensor {
  const c = input.shape[1];
  const classes = arange(c, undefined, 1, { backend: input.backend.name }).reshape(input.shape.map((d, i) => (i === 1 ? c : 1)));
  return classes.ne(target.unsqueeze(1));
}

function checkClassInput(op: string, input: Tensor): void {
  if (input.ndim < 2) throw new StrataError(op, `input must be [N, C, ...] scores, got ${fmtShape(input.shape)}`);
}

/**
 * Negative log-likelihood of log-probabilities `input` [N, C, ...] at the int32 class indices
 * `target` [N, ...]. `weight` and `ignoreIndex` as PyTorch's (see `ClassLossOptions`). A target
 * outside [0, C) is a `StrataError` naming the class and its index.
 *
 * @example
 * const logP = tensor([[-0.5, -1.2, -2.3], [-1.9, -0.3, -1.6]]);
 * nllLoss(logP, tensor([0, 2], { dtype: 'int32' })).item(); // 1.05 = (0.5 + 1.6) / 2
 * nllLoss(logP, tensor([0, 2], { dtype: 'int32' }), { weight: tensor([1, 1, 3]) }).item(); // 1.325 = (0.5 + 3·1.6) / 4
 * nllLoss(logP, tensor([0, -100], { dtype: 'int32' })).item(); // 0.5: the second target is ignored
 */
export function nllLoss(input: Tensor, target: Tensor, opts: ClassLossOptions = {}): Tensor {
  checkClassInput('nllLoss', input);
  return indexedLoss('nllLoss', input, target, opts, 0);
}

/**
 * Softmax cross-entropy of raw scores (logits) `input` [N, C, ...]. `target` is either int32 class
 * indices [N, ...] or class probabilities of input's shape. `labelSmoothing` ε mixes the target with
 * the uniform distribution: (1 − ε)·target + ε/C. `weight` [C] scales each class's term and
 * `ignoreIndex` drops targets, as PyTorch's `cross_entropy`: with class indices, `'mean'` divides by
 * the sum of the weights of the non-ignored targets; with probabilities, by the sample count.
 * A class index outside [0, C) is a `StrataError` naming it and its index.
 *
 * @example
 * crossEntropy(tensor([[3.2, 5.1, -1.7]]), tensor([0], { dtype: 'int32' })).item(); // 2.0404
 * const logits = tensor([[2, 0.5, -1], [0.1, 1.5, 0.3]]);
 * crossEntropy(logits, tensor([0, 2], { dtype: 'int32' }), { weight: tensor([1, 2, 4]) }).item(); // 1.3577
 * crossEntropy(logits, tensor([0, -100], { dtype: 'int32' })).item(); // 0.2413: only the first sample counts
 */
export function crossEntropy(input: Tensor, target: Tensor, opts: ClassLossOptions & { labelSmoothing?: number } = {}): Tensor {
  const { labelSmoothing = 0 } = opts;
  checkClassInput('crossEntropy', input);
  if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) throw new StrataError('crossEntropy', `labelSmoothing must be in [0, 1], got ${labelSmoothing}`);
  const fused = fusableCrossEntropy(input, target, opts, labelSmoothing);
  if (fused) return fused;
  const logP = input.logSoftmax(1);
  const c = input.shape[1];
  if (target.dtype === 'int32' || target.shape.join() !== input.shape.join()) {
    if (target.dtype !== 'int32' && target.shape.join() !== [input.shape[0], ...input.shape.slice(2)].join()) {
      throw new StrataError('crossEntropy', `probability target ${fmtShape(target.shape)} must match input ${fmtShape(input.shape)} (or be int32 class indices)`);
    }
    return indexedLoss('crossEntropy', logP, target, opts, labelSmoothing);
  }
  checkNoNaN('crossEntropy', 'target', target);
  const t = labelSmoothing > 0 ? target.mul(1 - labelSmoothing).add(labelSmoothing / c) : target;
  let weighted = logP;
  if (opts.weight) {
    checkClassWeight('crossEntropy', opts.weight, c);
    weighted = logP.mul(opts.weight.reshape(input.shape.map((d, i) => (i === 1 ? c : 1))));
  }
  return reduce('crossEntropy', t.mul(weighted).sum(1).neg(), opts.reduction);
}

/**
 * The common case, [N, C] logits against int32 classes with no weight or smoothing, averaged or
 * summed, by the backend's fused kernels (fused-cross-entropy.ts); null where they do not apply.
 */
function fusableCrossEntropy(input: Tensor, target: Tensor, opts: ClassLossOptions, labelSmoothing: number): Tensor | null {
  const reduction = opts.reduction ?? 'mean';
  if (input.ndim !== 2 || target.ndim !== 1 || target.dtype !== 'int32' || opts.weight || labelSmoothing !== 0 || (reduction !== 'mean' && reduction !== 'sum')) return null;
  const ignoreIndex = opts.ignoreIndex ?? -100;
  if (!Number.isInteger(ignoreIndex)) return null;
  // the targets are read from the backend once, for the check and for the kernel
  const readTargets = (): { targets: Int32Array; ignored: number } => {
    const targets = Int32Array.from(target.dataSync() as ArrayLike<number>);
    return { targets, ignored: checkIndexTarget('crossEntropy', input, target, ignoreIndex, opts.ignoreIndex !== undefined, targets) };
  };
  const composed = (x: Tensor): Tensor => indexedLoss('crossEntropy', x.logSoftmax(1), target, opts, 0);
  return fusedCrossEntropy(input, readTargets, ignoreIndex, reduction === 'mean', composed);
}

/**
 * Multiclass hinge (SVM) loss of CS231n: Σ_{j≠y} max(0, s_j − s_y + margin) per sample.
 * NOTE: PyTorch's `multi_margin_loss` also divides by the number of classes; see `multiMarginLoss`.
 */
export function multiclassHingeLoss(input: Tensor, target: Tensor, opts: LossOptions & { margin?: number } = {}): Tensor {
  return reduce('multiclassHingeLoss', hinge('multiclassHingeLoss', input, target, opts.margin ?? 1), opts.reduction);
}

function hinge(op: string, input: Tensor, target: Tensor, margin: number): Tensor {
  if (input.ndim !== 2) throw new StrataError(op, `input must be [N, C] scores, got ${fmtShape(input.shape)}`);
  checkIndexTarget(op, input, target);
  const correct = input.gather(1, target.unsqueeze(1));
  const margins = input.sub(correct).add(margin).relu().where(otherClasses(input, target), 0);
  return margins.sum(1);
}

/** PyTorch's `multi_margin_loss` (p = 1): the CS231n hinge divided by the number of classes. */
export function multiMarginLoss(input: Tensor, target: Tensor, opts: LossOptions & { margin?: number } = {}): Tensor {
  return reduce('multiMarginLoss', hinge('multiMarginLoss', input, target, opts.margin ?? 1).div(input.shape[1]), opts.reduction);
}

/**
 * Kullback–Leibler divergence KL(target ‖ input) with `input` as log-probabilities (as PyTorch):
 * Σ target·(log target − input), terms with target = 0 counting 0. `reduction: 'batchmean'` divides
 * the sum by the batch size, which is the mathematical KL; `'mean'` divides by the element count.
 */
export function klDiv(input: Tensor, target: Tensor, opts: { reduction?: Reduction | 'batchmean'; logTarget?: boolean } = {}): Tensor {
  const { reduction = 'mean', logTarget = false } = opts;
  sameShape('klDiv', input, target);
  let loss: Tensor;
  if (logTarget) loss = target.exp().mul(target.sub(input));
  else {
    const positive = target.gt(0);
    const safeLog = target.where(positive, 1).log();
    loss = target.mul(safeLog.sub(input)).where(positive, 0);
  }
  if (reduction === 'batchmean') return loss.sum().div(input.ndim > 0 ? input.shape[0] : 1);
  return reduce('klDiv', loss, reduction);
}
