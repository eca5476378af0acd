// SPDX-License-Identifier: MIT
/**
 * Node-only entry (`strata-dl/node`): files on disk (checkpoints, CIFAR-10, CSV).
 *
 * @packageDocumentation
 */
export { loadCifar10, readCsv, imageSet, type ImageSet, type LoadOptions } from './files.js';
export { nodeFileSystem } from '../io/node-fs.js';
export { loadPyTorchFile } from './pytorch.js';
