// SPDX-License-Identifier: MIT
/**
 * Serialization of named tensors: safetensors, checkpoints (tensors + JSON metadata), PyTorch
 * checkpoints (read only), ONNX export and decoding (`importOnnx`, in src/interop/, turns a decoded
 * graph into a Module). Works on `Record<string, Tensor>`; knows nothing about modules or optimizers. Node's file
 * system lives in `io/node-fs.ts` (not exported here, so this entry stays runtime-neutral).
 *
 * @packageDocumentation
 */
export { encodeSafetensors, decodeSafetensors } from './safetensors.js';
export { encodeCheckpoint, decodeCheckpoint, saveCheckpoint, loadCheckpoint, saveSafetensors, loadSafetensors, writeAtomic } from './checkpoint.js';
export type { Checkpoint, FileSystem, Json } from './checkpoint.js';
export type { SaveOptions } from './finite.js';
export { exportOnnx, type OnnxExportOptions } from './onnx.js';
export { loadPyTorch, decodePyTorch, type PyTorchLoadOptions, type PyTorchCheckpoint } from './pytorch.js';
export { decodeOnnx, type OnnxGraph, type OnnxNode, type OnnxTensor, type OnnxAttribute, type OnnxValueInfo } from './onnx-decode.js';
export type { TraceResult as OnnxForwardResult } from './onnx-export/trace.js';
