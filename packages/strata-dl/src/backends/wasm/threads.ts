// SPDX-License-Identifier: MIT
import { StrataError } from '../../core/errors.js';

/** The most threads a pool uses (control-block slots). */
export const MAX_THREADS = 64;

let requested: number | null = null;

/** Logical cores where the runtime tells (Node's os.availableParallelism, navigator.hardwareConcurrency), else 1. */
export function defaultThreads(): number {
  const os = nodeBuiltin('node:os');
  const n = os ? os.availableParallelism() : globalThis.navigator?.hardwareConcurrency ?? 1;
  return Math.max(1, Math.min(MAX_THREADS, n));
}

/**
 * Sets how many threads the wasm kernels use (the calling thread plus n - 1 workers); the
 * default is one per core. Small ops always run on the calling thread. Results are bit-identical
 * for every n (docs/determinism.md): only the speed changes.
 *
 * @example
 * setNumThreads(1); // single-threaded timing; the same bits as on any other thread count
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS) {
    throw new StrataError('setNumThreads', `expects an integer from 1 to ${MAX_THREADS}, got ${n}`);
  }
  requested = n;
}

/** Threads the wasm kernels use (see `setNumThreads`). */
export function getNumThreads(): number {
  return requested ?? (requested = defaultThreads());
}

/** @internal Node's built-in modules that the pool uses (stripped from the published types). */
interface NodeBuiltins {
  'node:os': typeof import('node:os');
  'node:worker_threads': typeof import('node:worker_threads');
}

/**
 * @internal
 * A Node built-in module, loaded synchronously without a static import, so that this file still
 * loads in browsers (where it returns null). `process.getBuiltinModule` exists from Node 20.16.
 */
export function nodeBuiltin<K extends keyof NodeBuiltins>(name: K): NodeBuiltins[K] | null {
  const proc = globalThis.process;
  if (typeof proc?.getBuiltinModule !== 'function') return null;
  return proc.getBuiltinModule(name);
}
