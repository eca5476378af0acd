// SPDX-License-Identifier: MIT
/** Node-only entry (`strata/node`): files, datasets on disk. */
export { loadMnist, loadFashionMnist, loadCifar10, readCsv, type ImageSet, type LoadOptions } from './datasets.js';
export { nodeFileSystem } from '../io/node-fs.js';
export { loadFirstNames } from './names.js';
export { ProgressBar, type ProgressBarOptions } from '../train/progress-bar.js';
export { loadPyTorchFile } from './pytorch.js';
