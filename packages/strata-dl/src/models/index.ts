// SPDX-License-Identifier: MIT
export { mlp, lenet5, cnn, alexnet, createModel, ZOO, type ZooName, type ZooOptions } from './zoo.js';
export { MlpAutoencoder, ConvAutoencoder, Vae, vaeLoss, DcganGenerator, DcganDiscriminator, type VaeOutput } from './generative.js';
