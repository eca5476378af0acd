// SPDX-License-Identifier: MIT
export { mlp, lenet5, cnn, alexnet, createModel, ZOO, type ZooName, type ZooOptions } from './zoo.js';
