// SPDX-License-Identifier: MIT
// Node-only: PyTorch checkpoints from disk.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { loadPyTorch, type PyTorchLoadOptions } from '../io/pytorch.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Reads a `torch.save(model.state_dict(), path)` file into named tensors (see `io.loadPyTorch`).
 *
 * @example
 * model.loadStateDict(await loadPyTorchFile('lenet.pt'));
 */
export async function loadPyTorchFile(path: string, opts: Omit<PyTorchLoadOptions, 'name'> = {}): Promise<Record<string, Tensor>> {
  const b = await readFile(path);
  return loadPyTorch(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), { ...opts, name: basename(path) });
}
