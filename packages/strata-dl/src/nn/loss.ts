// SPDX-License-Identifier: MIT
// Loss modules: `forward(input, target)` over the functional losses, with options fixed at construction.
import type { Tensor } from '../tensor/tensor.js';
import * as C from './functional/classification-loss.js';
import type { LossOptions, Reduction } from './functional/reduction.js';
import * as R from './functional/regression-loss.js';
import { Module } from './module.js';

abstract class Loss<O> extends Module {
  constructor(readonly options: O) { super(); }
  /** The loss of `input` (predictions) against `target`, reduced as `options.reduction` says. */
  abstract override forward(input: Tensor, target: Tensor): Tensor;
}

/** @example new MSELoss().forward(pred, y) */
export class MSELoss extends Loss<LossOptions> {
  constructor(opts: LossOptions = {}) { super(opts); }
  forward(input: Tensor, target: Tensor): Tensor { return R.mseLoss(input, target, this.options); }
}
/** Mean absolute error (PyTorch's `nn.L1Loss`). */
export class L1Loss extends Loss<LossOptions> {
  constructor(opts: LossOptions = {}) { super(opts); }
  forward(input: Tensor, target: Tensor): Tensor { return R.l1Loss(input, target, this.options); }
}
/** Huber loss: quadratic within `delta` (default 1), linear beyond (PyTorch's `nn.HuberLoss`). */
export class HuberLoss extends Loss<LossOptions & { delta?: number }> {
  constructor(opts: LossOptions & { delta?: number } = {}) { super(opts); }
  forward(input: Tensor, target: Tensor): Tensor { return R.huberLoss(input, target, this.options); }
}
/** Smooth L1: the Huber loss divided by `beta` (default 1) (PyTorch's `nn.SmoothL1Loss`). */
export class SmoothL1Loss extends Loss<LossOptions & { beta?: number }> {
  constructor(opts: LossOptions & { beta?: number } = {}) { super(opts); }
  forward(input: Tensor, target: Tensor): Tensor { return R.smoothL1Loss(input, target, this.options); }
}
/** Binary cross-entropy of probabilities (after a sigmoid). */
export class BCELoss extends Loss<LossOptions & { weight?: Tensor }> {
  constructor(opts: LossOptions & { weight?: Tensor } = {}) { super(opts); }
  forward(input: Tensor, target: Tensor): Tensor { return C.binaryCrossEntropy(input, target, this.options); }
}
/** Binary cross-entropy of logits: the sigmoid is folded in for numerical stability. */
export class BCEWithLogitsLoss extends Loss<LossOptions & { posWeight?: Tensor | number; weight?: Tensor }> {
  constructor(opts: LossOptions & { posWeight?: Tensor | number; weight?: Tensor } = {}) { super(opts); }
  forward(input: Tensor, target: Tensor): Tensor { return C.binaryCrossEntropyWithLogits(input, target, this.options); }
}
/**
 * Softmax cross-entropy of logits against class indices or probabilities, with optional label
 * smoothing, class `weight` and `ignoreIndex` (see `functional.crossEntropy`).
 *
 * @example
 * new CrossEntropyLoss({ weight: tensor([1, 2, 4]), ignoreIndex: -1 }).forward(logits, labels)
 */
export class CrossEntropyLoss extends Loss<C.ClassLossOptions & { labelSmoothing?: number }> {
  constructor(opts: C.ClassLossOptions & { labelSmoothing?: number } = {}) { super(opts); }
  forward(input: Tensor, target: Tensor): Tensor { return C.crossEntropy(input, target, this.options); }
}
/** Negative log-likelihood of log-probabilities, with class `weight` and `ignoreIndex` (see `functional.nllLoss`). */
export class NLLLoss extends Loss<C.ClassLossOptions> {
  constructor(opts: C.ClassLossOptions = {}) { super(opts); }
  forward(input: Tensor, target: Tensor): Tensor { return C.nllLoss(input, target, this.options); }
}
/** CS231n's multiclass SVM loss. */
export class MulticlassHingeLoss extends Loss<LossOptions & { margin?: number }> {
  constructor(opts: LossOptions & { margin?: number } = {}) { super(opts); }
  forward(input: Tensor, target: Tensor): Tensor { return C.multiclassHingeLoss(input, target, this.options); }
}
/** PyTorch's MultiMarginLoss (the hinge divided by the class count). */
export class MultiMarginLoss extends Loss<LossOptions & { margin?: number }> {
  constructor(opts: LossOptions & { margin?: number } = {}) { super(opts); }
  forward(input: Tensor, target: Tensor): Tensor { return C.multiMarginLoss(input, target, this.options); }
}
/** Kullback–Leibler divergence of log-probabilities `input` from `target` (log-probabilities with `logTarget`); `'batchmean'` as PyTorch recommends. */
export class KLDivLoss extends Loss<{ reduction?: Reduction | 'batchmean'; logTarget?: boolean }> {
  constructor(opts: { reduction?: Reduction | 'batchmean'; logTarget?: boolean } = {}) { super(opts); }
  forward(input: Tensor, target: Tensor): Tensor { return C.klDiv(input, target, this.options); }
}
