// SPDX-License-Identifier: MIT
import { StrataError } from '../core/errors.js';
import type { Backend } from './backend.js';

const backends = new Map<string, Backend>();
let current: Backend | null = null;

/** Makes a backend available to `setBackend`. Called explicitly by the package entry, never on import. */
export function registerBackend(backend: Backend): void {
  backends.set(backend.name, backend);
  if (current === null) current = backend;
}

/** Selects the backend new tensors are created on. */
export function setBackend(name: string): Backend {
  const b = backends.get(name);
  if (!b) throw new StrataError('setBackend', `unknown backend '${name}'; registered: ${[...backends.keys()].join(', ') || 'none'}`);
  current = b;
  return b;
}

/** The backend registered as `name`, or the current one when omitted; throws for an unknown name. */
export function getBackend(name?: string): Backend {
  if (name !== undefined) {
    const b = backends.get(name);
    if (!b) throw new StrataError('getBackend', `unknown backend '${name}'; registered: ${[...backends.keys()].join(', ')}`);
    return b;
  }
  if (!current) throw new StrataError('getBackend', 'no backend registered');
  return current;
}

/**
 * Names of the registered backends, in registration order.
 *
 * @example
 * listBackends(); // ['js', 'wasm'] where WebAssembly SIMD and threads exist
 */
export function listBackends(): string[] {
  return [...backends.keys()];
}
