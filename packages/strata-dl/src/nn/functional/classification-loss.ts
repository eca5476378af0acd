// SPDX-License-Identifier: MIT
// Losses for classifiers: binary and softmax cross-entropy, NLL, multiclass hinge, KL divergence.
import { StrataError, fmtShape } from '../../core/errors.js';
import { arange } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type LossOptions, type Reduction, reduce, sameShape } from './reduction.js';


/**
 * Binary cross-entropy of probabilities: −(y·log p + (1 − y)·log(1 − p)), logs clamped at −100 as in
 * PyTorch so that p = 0 or 1 gives a finite loss.
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, opts: LossOptions & { weight?: Tensor } = {}): Tensor {
  sameShape('binaryCrossEntropy', input, target);
  const logP = input.log().maximum(-100);
  const log1mP = input.neg().add(1).log().maximum(-100);
  let loss = target.mul(logP).add(target.neg().add(1).mul(log1mP)).neg();
  if (opts.weight) loss = loss.mul(opts.weight);
  return reduce('binaryCrossEntropy', loss, opts.reduction);
}

/**
 * Binary cross-entropy of logits x (before the sigmoid), stably: max(x, 0) − x·y + log(1 + e^−|x|).
 * `posWeight` scales the positive term, trading recall against precision.
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, opts: LossOptions & { posWeight?: Tensor | number } = {}): Tensor {
  sameShape('binaryCrossEntropyWithLogits', input, target);
  // log σ(x) = −softplus(−x), log(1 − σ(x)) = −softplus(x), each written without overflow.
  const softplusNeg = input.neg().maximum(0).add(input.abs().neg().exp().add(1).log());
  const softplusPos = softplusNeg.add(input);
  const pos = opts.posWeight === undefined ? target : target.mul(opts.posWeight);
  const loss = pos.mul(softplusNeg).add(target.neg().add(1).mul(softplusPos));
  return reduce('binaryCrossEntropyWithLogits', loss, opts.reduction);
}

function checkIndexTarget(op: string, input: Tensor, target: Tensor): void {
  if (target.dtype !== 'int32') throw new StrataError(op, `target must hold int32 class indices, got ${target.dtype} ${fmtShape(target.shape)}`);
  const expected = [input.shape[0], ...input.shape.slice(2)];
  if (target.shape.join() !== expected.join()) throw new StrataError(op, `class-index target ${fmtShape(target.shape)} must be ${fmtShape(expected)} for input ${fmtShape(input.shape)}`);
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
 * `target` [N, ...].
 */
export function nllLoss(input: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  checkClassInput('nllLoss', input);
  checkIndexTarget('nllLoss', input, target);
  const picked = input.gather(1, target.unsqueeze(1)).squeeze(1);
  return reduce('nllLoss', picked.neg(), opts.reduction);
}

/**
 * Softmax cross-entropy of raw scores (logits) `input` [N, C, ...]. `target` is either int32 class
 * indices [N, ...] or class probabilities of input's shape. `labelSmoothing` ε mixes the target with
 * the uniform distribution: (1 − ε)·target + ε/C.
 *
 * @example
 * crossEntropy(tensor([[3.2, 5.1, -1.7]]), tensor([0], { dtype: 'int32' })).item(); // 2.0404
 */
export function crossEntropy(input: Tensor, target: Tensor, opts: LossOptions & { labelSmoothing?: number } = {}): Tensor {
  const { labelSmoothing = 0 } = opts;
  checkClassInput('crossEntropy', input);
  if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) throw new StrataError('crossEntropy', `labelSmoothing must be in [0, 1], got ${labelSmoothing}`);
  const logP = input.logSoftmax(1);
  const c = input.shape[1];
  let loss: Tensor;
  if (target.dtype === 'int32') {
    checkIndexTarget('crossEntropy', input, target);
    loss = logP.gather(1, target.unsqueeze(1)).squeeze(1).neg();
    if (labelSmoothing > 0) loss = loss.mul(1 - labelSmoothing).add(logP.mean(1).neg().mul(labelSmoothing));
  } else {
    if (target.shape.join() !== input.shape.join()) throw new StrataError('crossEntropy', `probability target ${fmtShape(target.shape)} must match input ${fmtShape(input.shape)} (or be int32 class indices)`);
    const t = labelSmoothing > 0 ? target.mul(1 - labelSmoothing).add(labelSmoothing / c) : target;
    loss = t.mul(logP).sum(1).neg();
  }
  return reduce('crossEntropy', loss, opts.reduction);
}

/**
 * Multiclass hinge (SVM) loss of CS231n: Σ_{j≠y} max(0, s_j − s_y + margin) per sample.
 * NOTE: PyTorch's `multi_margin_loss` also divides by the number of classes; see `multiMarginLoss`.
 */
export function multiclassHingeLoss(input: Tensor, target: Tensor, opts: LossOptions & { margin?: number } = {}): Tensor {
  const { margin = 1 } = opts;
  if (input.ndim !== 2) throw new StrataError('multiclassHingeLoss', `input must be [N, C] scores, got ${fmtShape(input.shape)}`);
  checkIndexTarget('multiclassHingeLoss', input, target);
  const correct = input.gather(1, target.unsqueeze(1));
  const margins = input.sub(correct).add(margin).relu().where(otherClasses(input, target), 0);
  return reduce('multiclassHingeLoss', margins.sum(1), opts.reduction);
}

/** PyTorch's `multi_margin_loss` (p = 1): the CS231n hinge divided by the number of classes. */
export function multiMarginLoss(input: Tensor, target: Tensor, opts: LossOptions & { margin?: number } = {}): Tensor {
  const perSample = multiclassHingeLoss(input, target, { margin: opts.margin, reduction: 'none' }).div(input.shape[1]);
  return reduce('multiMarginLoss', perSample, opts.reduction);
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
