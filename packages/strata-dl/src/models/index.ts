// SPDX-License-Identifier: MIT
/**
 * Ready-made image classifiers (`mlp`, `lenet5`, `cnn`, `cnn-bn`, `alexnet`), by name through `createModel`.
 *
 * @example
 * const model = models.createModel('lenet5', { inputShape: [1, 28, 28], classes: 10 });
 *
 * @packageDocumentation
 */
export { mlp, lenet5, cnn, cnnBn, alexnet, createModel, ZOO, type ZooName, type ZooOptions } from './zoo.js';
export { MlpAutoencoder, ConvAutoencoder, Vae, ConvVae, vaeLoss, DcganGenerator, DcganDiscriminator, type VaeOutput } from './generative.js';
