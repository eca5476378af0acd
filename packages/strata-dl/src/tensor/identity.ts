// SPDX-License-Identifier: MIT
import type { Tensor } from './tensor.js';

/**
 * An opaque key for the memory behind `t`: the same object for every tensor that shares that memory
 * (a detached tensor, a reshape, a parameter and the tensor it wraps), so code that must recognise
 * one value under several tensors (graph export) can key a map with it.
 *
 * @example
 * storageOf(x) === storageOf(x.detach()); // true
 */
export function storageOf(t: Tensor): object {
  return t._storage;
}
