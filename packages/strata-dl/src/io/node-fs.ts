// SPDX-License-Identifier: MIT
// Node-only: the file system for checkpoints. Kept out of io/index.ts so that browsers never load it.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FileSystem } from './checkpoint.js';

/**
 * Node's file system for `saveCheckpoint` and friends; creates missing parent folders.
 *
 * @example await saveCheckpoint('runs/a/ckpt.safetensors', ckpt, nodeFileSystem);
 */
export const nodeFileSystem: FileSystem = {
  async writeFile(path, data) {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, data);
  },
  async readFile(path) {
    const b = await readFile(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  },
  rename: (from, to) => rename(from, to),
};
