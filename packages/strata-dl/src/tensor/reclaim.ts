// SPDX-License-Identifier: MIT
/**
 * Reclaiming the backend memory of tensors dropped without `dispose()` (on backends whose buffers
 * the garbage collector cannot see, such as wasm).
 *
 * Each such tensor is registered with a `FinalizationRegistry`, which releases its storage after
 * the GC has collected it. Registering (and unregistering on `dispose()`) costs about 2 µs a tensor
 * in V8, more than the whole of a small op, and most small tensors never need it: they are made
 * inside `scoped` blocks (training steps) and disposed a few microseconds later. So a small tensor
 * is only queued when it is made, and registered once 128 to 256 more tensors have been made; one
 * disposed by then is skipped. The queue holds at most `QUEUE` tensors of at most `SMALL_BYTES`
 * each, so it keeps at most 4 MiB of dropped storage alive a little longer; larger tensors register
 * at once. Otherwise nothing changes: the registry frees what the GC collects, when the engine runs
 * its cleanup (a task of its own, so not during a synchronous loop that never yields).
 */
import type { Storage } from './storage.js';

/** What the queue needs of a tensor. */
export interface Reclaimable {
  /** @internal */ _storage: Storage;
  /** @internal one of QUEUED, REGISTERED, DROPPED */ _reclaim: number;
}

/** In the queue, not yet registered. */
const QUEUED = 0;
/** Registered with the finalization registry (its storage is released when it is collected). */
const REGISTERED = 1;
/** Disposed (its storage released) and not registered; the queue skips it. */
export const DROPPED = 2;

/** Storage of at most this many bytes waits in the queue; larger storage registers at once. */
const SMALL_BYTES = 16384;
/** Tensors the queue holds before it registers the older half (a power of two: a ring). */
const QUEUE = 256;

const registry = new FinalizationRegistry<Storage>((s) => s.release());
/** A ring of `QUEUE` slots: `count` tensors from `head`, oldest first. */
const queue: (Reclaimable | undefined)[] = new Array<Reclaimable | undefined>(QUEUE).fill(undefined);
let head = 0;
let count = 0;

function register(t: Reclaimable): void {
  registry.register(t, t._storage, t);
  t._reclaim = REGISTERED;
}

/**
 * Registers the older half of the queue's tensors that were not disposed meanwhile, and keeps the
 * newer half queued: those are often the current step's intermediates, about to be disposed.
 */
function flush(): void {
  const half = QUEUE >> 1;
  for (let i = 0; i < half; i++) {
    const k = (head + i) & (QUEUE - 1);
    const t = queue[k]!;
    queue[k] = undefined;
    if (t._reclaim === QUEUED) register(t);
  }
  head = (head + half) & (QUEUE - 1);
  count -= half;
}

/** A new tensor on a backend that needs `free`, holding `bytes` of storage: see the file's comment. */
export function watch(t: Reclaimable, bytes: number): void {
  if (bytes > SMALL_BYTES) {
    register(t);
    return;
  }
  t._reclaim = QUEUED;
  queue[(head + count) & (QUEUE - 1)] = t;
  if (++count === QUEUE) flush();
}

/** The tensor was disposed: nothing is left to reclaim. */
export function unwatch(t: Reclaimable): void {
  if (t._reclaim === REGISTERED) registry.unregister(t);
  t._reclaim = DROPPED;
}

/** The tensor's storage was replaced (`set_`): what the GC releases is the new storage. */
export function rewatch(t: Reclaimable): void {
  if (t._reclaim === QUEUED) return; // registered with whatever storage it has when the queue is flushed
  if (t._reclaim === REGISTERED) registry.unregister(t);
  register(t);
}
