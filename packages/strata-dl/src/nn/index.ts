// SPDX-License-Identifier: MIT
/**
 * Neural-network building blocks: the `Module` base, layers, losses, initializers.
 *
 * @example
 * import { nn } from 'strata-dl';
 * const model = new nn.Sequential(new nn.Linear(2, 100), new nn.ReLU(), new nn.Linear(100, 3));
 *
 * @packageDocumentation
 */
export { Module } from './module.js';
export type { StateDict, LoadResult, ModuleEntry, Fused } from './module.js';
export type { ForwardHook, ForwardPreHook, HookHandle } from './hooks.js';
export type { ModelSummary, SummaryOptions, SummaryRow } from './summary.js';
export { Parameter } from './parameter.js';
export type { LayerOptions } from './options.js';
export { Sequential, ModuleList, ModuleDict } from './container.js';
export { Linear } from './linear.js';
export { Conv1d, Conv2d, ConvTranspose2d } from './conv.js';
export type { Conv1dLayerOptions, Conv2dLayerOptions, ConvTranspose2dLayerOptions } from './conv.js';
export {
  MaxPool1d, MaxPool2d, MinPool1d, MinPool2d, AvgPool1d, AvgPool2d,
  AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveMaxPool1d, AdaptiveMaxPool2d, GlobalAvgPool, GlobalMaxPool,
} from './pool.js';
export { Flatten, Unflatten } from './reshape.js';
export { Upsample, PixelShuffle, PixelUnshuffle } from './resample.js';
export { CosineSimilarity, PairwiseDistance } from './similarity.js';
export { Dropout, Dropout1d, Dropout2d } from './dropout.js';
export { BatchNorm1d, BatchNorm2d, LayerNorm } from './norm.js';
export type { BatchNormOptions } from './norm.js';
export { GroupNorm, InstanceNorm1d, InstanceNorm2d } from './group-norm.js';
export type { GroupNormOptions, InstanceNormOptions } from './group-norm.js';
export { Embedding } from './embedding.js';
export { Step, Sigmoid, Tanh, ReLU, LeakyReLU, ELU, GELU, Softplus, Softmax, LogSoftmax, Identity } from './activation.js';
export { ReLU6, Hardtanh, Hardsigmoid, Hardswish, SELU, CELU, LogSigmoid, Softsign, SiLU, Mish, PReLU } from './activation-more.js';
export {
  MSELoss, L1Loss, HuberLoss, SmoothL1Loss, BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, NLLLoss,
  MulticlassHingeLoss, MultiMarginLoss, KLDivLoss,
} from './loss.js';
export { MarginRankingLoss, CosineEmbeddingLoss, TripletMarginLoss } from './pair-loss.js';
export * as init from './init.js';
export * as functional from './functional/index.js';

// ---- Recurrent networks ----
export {
  RNN, LSTM, GRU, RNNCell, LSTMCell, GRUCell, rnnCell, lstmCell, gruCell, recurrent, detachState, timeChunks, padSequence, sequenceMask,
} from './recurrent/index.js';
export type {
  CellOptions, RecurrentOptions, SequenceCallOptions, SequenceOptions, SequenceState, SequenceResult, CellWeights, RecurrentMode,
  CellParameters, RecurrentState,
} from './recurrent/index.js';
