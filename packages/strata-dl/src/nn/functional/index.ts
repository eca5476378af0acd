// SPDX-License-Identifier: MIT
/**
 * Layers, losses and regularizers as free functions (PyTorch's `torch.nn.functional`).
 *
 * @example
 * const y = nn.functional.relu(x);
 *
 * @packageDocumentation
 */
// Layers, losses and regularizers as free functions (PyTorch's torch.nn.functional).
export * from './activation.js';
export * from './activation-more.js';
export * from './classification-loss.js';
export * from './conv.js';
export { conv2dPool, conv2dReluPool } from './conv-relu-pool.js';
export * from './dropout.js';
export * from './embedding-loss.js';
export * from './group-norm.js';
export * from './interpolate.js';
export * from './linear.js';
export * from './normalization.js';
export * from './pad.js';
export * from './padding.js';
export * from './pixel-shuffle.js';
export * from './pool.js';
export type { LossOptions, Reduction } from './reduction.js';
export * from './regression-loss.js';
export * from './regularization.js';
export * from './similarity.js';
