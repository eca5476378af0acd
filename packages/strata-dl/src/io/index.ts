// SPDX-License-Identifier: MIT
/**
 * Serialization of named tensors: safetensors, and checkpoints (tensors + JSON metadata).
 * Works on `Record<string, Tensor>`; knows nothing about modules or optimizers. Node's file
 * system lives in `io/node-fs.ts` (not exported here, so this entry stays runtime-neutral).
 */
export { encodeSafetensors, decodeSafetensors } from './safetensors.js';
export { encodeCheckpoint, decodeCheckpoint, saveCheckpoint, loadCheckpoint, saveSafetensors, loadSafetensors, writeAtomic } from './checkpoint.js';
export type { Checkpoint, FileSystem, Json } from './checkpoint.js';
export { exportOnnx, type OnnxExportOptions } from './onnx.js';
export type { TraceResult as OnnxForwardResult } from './onnx-export/trace.js';
