// SPDX-License-Identifier: MIT
/**
 * Checkpoints: named tensors plus JSON metadata in one safetensors file, written atomically (a
 * temporary file, then a rename) so a crash mid-write never leaves a truncated checkpoint. The file
 * system is injected (`FileSystem`), so this module runs unchanged in browsers and workers; Node's is
 * in `node-fs.ts`.
 *
 * @example
 * await saveCheckpoint('run/ckpt.safetensors', { tensors: model.stateDict(), metadata: { epoch: 3 } }, nodeFileSystem);
 */
import { StrataError } from '../core/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';
import { type SaveOptions, assertFinite } from './finite.js';

/** A JSON value (checkpoint metadata). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A checkpoint: named tensors plus JSON metadata (epoch, optimizer hyperparameters...), stored as one safetensors file. */
export interface Checkpoint {
  /** Named tensors (model and optimizer state). */
  tensors: Record<string, Tensor>;
  /** Everything else, as JSON (non-finite numbers survive). */
  metadata: { [key: string]: Json };
}

/** The few file operations checkpoints need. */
export interface FileSystem {
  /** Writes (creates or replaces) a file. */
  writeFile(path: string, data: Uint8Array): Promise<void>;
  /** Reads a whole file. */
  readFile(path: string): Promise<Uint8Array>;
  /** Renames a file, replacing `to` (atomic on POSIX file systems). */
  rename(from: string, to: string): Promise<void>;
}

const FORMAT = 'strata-checkpoint';

/** Non-finite numbers (a best loss of Infinity) survive JSON as tagged strings. */
function encodeJson(v: Json): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? `__number__:${x}` : x));
}
function decodeJson(s: string): Json {
  return JSON.parse(s, (_k, x: unknown) => (typeof x === 'string' && x.startsWith('__number__:') ? Number(x.slice(11)) : x)) as Json;
}

/** The bytes of a checkpoint: safetensors with the metadata as JSON in its header. */
export function encodeCheckpoint(ckpt: Checkpoint): Uint8Array {
  return encodeSafetensors(ckpt.tensors, { format: FORMAT, version: '1', metadata: encodeJson(ckpt.metadata) });
}

/**
 * Parses checkpoint bytes. `source` names the file in errors (`loadCheckpoint` passes its path);
 * bytes that are not safetensors, or safetensors without Strata's checkpoint metadata, are told
 * apart before the tensors are read.
 */
export function decodeCheckpoint(bytes: Uint8Array, opts: { backend?: string; source?: string } = {}): Checkpoint {
  const name = opts.source ?? `the input (${bytes.byteLength} bytes)`;
  let decoded: ReturnType<typeof decodeSafetensors>;
  try {
    decoded = decodeSafetensors(bytes, opts);
  } catch (e) {
    if (e instanceof StrataError) throw new StrataError('decodeCheckpoint', `${e.message.slice(e.op.length + 2)} (a Strata checkpoint is a safetensors file)`);
    throw e;
  }
  const { tensors, metadata } = decoded;
  if (metadata.format !== FORMAT) throw new StrataError('decodeCheckpoint', `${name} is not a Strata checkpoint (format '${metadata.format ?? 'none'}'); use decodeSafetensors for plain weights`);
  let meta: Json;
  try {
    meta = decodeJson(metadata.metadata ?? '{}');
  } catch (e) {
    throw new StrataError('decodeCheckpoint', `${name}: metadata is not valid JSON (${(e as Error).message})`);
  }
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) throw new StrataError('decodeCheckpoint', `${name}: metadata is not a JSON object`);
  return { tensors, metadata: meta };
}

let counter = 0;

/** Writes `bytes` to `path` atomically: readers see the old file or the whole new one. */
export async function writeAtomic(fs: FileSystem, path: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${Date.now().toString(36)}-${(counter++).toString(36)}`;
  await fs.writeFile(tmp, bytes);
  await fs.rename(tmp, path);
}

/**
 * Writes a checkpoint to `path` atomically. Refuses (before writing anything) when a tensor holds
 * NaN or ±Inf, unless `allowNonFinite` is set: a diverged run never replaces the last good checkpoint.
 *
 * @example
 * await saveCheckpoint('ckpt.safetensors', { tensors: model.stateDict(), metadata: { epoch } }, nodeFileSystem);
 */
export async function saveCheckpoint(path: string, ckpt: Checkpoint, fs: FileSystem, opts: SaveOptions = {}): Promise<void> {
  if (!opts.allowNonFinite) assertFinite('saveCheckpoint', path, ckpt.tensors);
  await writeAtomic(fs, path, encodeCheckpoint(ckpt));
}

/** Reads a checkpoint written by `saveCheckpoint`; tensors go to `opts.backend` (default the current one). */
export async function loadCheckpoint(path: string, fs: FileSystem, opts: { backend?: string } = {}): Promise<Checkpoint> {
  return decodeCheckpoint(await fs.readFile(path), { ...opts, source: path });
}

/** Saves plain weights (a state dict) as safetensors, atomically; refuses NaN or ±Inf as `saveCheckpoint` does. */
export async function saveSafetensors(path: string, tensors: Record<string, Tensor>, fs: FileSystem, metadata?: Record<string, string>, opts: SaveOptions = {}): Promise<void> {
  if (!opts.allowNonFinite) assertFinite('saveSafetensors', path, tensors);
  await writeAtomic(fs, path, encodeSafetensors(tensors, metadata));
}

/**
 * Reads plain safetensors weights (a state dict, such as PyTorch's `save_file` writes).
 *
 * @example
 * model.loadStateDict(await loadSafetensors('model.safetensors', nodeFileSystem));
 */
export async function loadSafetensors(path: string, fs: FileSystem, opts: { backend?: string } = {}): Promise<Record<string, Tensor>> {
  return decodeSafetensors(await fs.readFile(path), { ...opts, source: path }).tensors;
}
