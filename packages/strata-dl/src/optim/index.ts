// SPDX-License-Identifier: MIT
/**
 * Optimizers (each a pure update rule plus a small class), gradient clipping and lr schedules.
 *
 * @example
 * const opt = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 *
 * @packageDocumentation
 */
export { Optimizer } from './optimizer.js';
export type { BaseHyper, ParamState, ParamGroup, ParamGroupSpec, UpdateRule, FusedRule, FusedManyRule, StepEntry, OptimizerStateDict } from './optimizer.js';
export { SGD, sgdUpdate, sgdFused } from './sgd.js';
export type { SgdHyper, SgdState } from './sgd.js';
export { Adam, AdamW, adamUpdate, adamFused } from './adam.js';
export type { AdamHyper, AdamState, AdamOptions } from './adam.js';
export { RMSprop, rmspropUpdate } from './rmsprop.js';
export type { RmspropHyper, RmspropState } from './rmsprop.js';
export { Adagrad, adagradUpdate } from './adagrad.js';
export type { AdagradHyper, AdagradState } from './adagrad.js';
export type { MomentHyper } from './moments.js';
export { Adadelta, adadeltaUpdate } from './adadelta.js';
export type { AdadeltaHyper, AdadeltaState } from './adadelta.js';
export { Adamax, adamaxUpdate } from './adamax.js';
export type { AdamaxHyper, AdamaxState } from './adamax.js';
export { NAdam, nadamUpdate } from './nadam.js';
export type { NadamHyper, NadamState } from './nadam.js';
export { RAdam, radamUpdate } from './radam.js';
export type { RadamHyper, RadamState } from './radam.js';
export { clipGradNorm, clipGradValue } from './clip.js';
export { stepDecay, exponentialDecay, cosineAnnealing, oneCycle } from './schedule.js';
export type { OneCycleOptions } from './schedule.js';
export { LRScheduler, StepLR, ExponentialLR, CosineAnnealingLR, OneCycleLR, LambdaLR, MultiStepLR, LinearLR, ReduceLROnPlateau } from './scheduler.js';
export type { HasParamGroups, Schedule, PlateauOptions } from './scheduler.js';
export { CosineAnnealingWarmRestarts, PolynomialLR, ConstantLR, CyclicLR, SequentialLR } from './schedulers-more.js';
export type { CyclicOptions } from './schedulers-more.js';
