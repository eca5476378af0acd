// SPDX-License-Identifier: MIT
// `Parameter` is built from another tensor's memory, so it is defined beside `Tensor`.
export { Parameter } from '../tensor/parameter.js';
