// SPDX-License-Identifier: MIT
/**
 * Models from other frameworks as Strata Modules. `io` decodes files into plain data and knows
 * nothing of modules (STYLE.md §4); this layer, above both `io` and `nn`, turns a decoded ONNX
 * graph into a trainable Module.
 */
import { decodeOnnx } from '../io/onnx-decode.js';
import { type ImportOnnxOptions, OnnxModel } from './onnx/model.js';

export { OnnxModel, SUPPORTED_ONNX_OPS, type ImportOnnxOptions } from './onnx/model.js';

/**
 * Builds a trainable Module from an ONNX file, such as one written by `torch.onnx.export`
 * (opsets 9–18). The float initializers become Parameters under their ONNX names (for PyTorch
 * exports, the state-dict keys: `features.0.weight`); batch norm's running statistics become
 * buffers. A model with ops Strata cannot run is refused with one error that lists them all.
 * The module starts in evaluation mode; call `train()` to fine-tune it.
 *
 * @example
 * const model = importOnnx(bytes);                    // bytes of model.onnx
 * const y = model.forward(x);                         // the graph's first output
 * model.train();
 * const opt = new optim.SGD(model.parameters(), { lr: 0.01 });
 * nn.functional.crossEntropy(model.forward(x), labels).backward();
 * opt.step();
 */
export function importOnnx(bytes: Uint8Array, opts: ImportOnnxOptions = {}): OnnxModel {
  return new OnnxModel(decodeOnnx(bytes), opts);
}
