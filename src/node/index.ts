// SPDX-License-Identifier: MIT
/** Node-only entry (`strata/node`): files, datasets on disk. */
export { loadMnist, loadFashionMnist, loadCifar10, readCsv, type ImageSet, type LoadOptions } from './datasets.js';
export { nodeFileSystem } from '../io/node-fs.js';
