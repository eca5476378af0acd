// SPDX-License-Identifier: MIT
// The generative commands: train autoencoder|vae|gan, sample, encode, score.
export { trainGenerativeCommand, type GenerativeTrainOptions } from './train.js';
export { generativeSampleCommand, encodeCommand, scoreCommand } from './commands.js';
export { isGenerativeRun } from './run-folder.js';
export { KINDS } from './recipes.js';
export { auroc } from './auroc.js';
export { inceptionScore, judgeSamples } from './inception.js';
